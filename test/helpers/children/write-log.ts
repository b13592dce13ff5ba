// Writes events to a session log as fast as it can, until killed.
// argv: PATH RUN [ROTATE_BYTES KEEP]
import { SessionLogWriter } from '../../../src/core/log/session-log';
import { stamp } from '../../../src/shared/events';

const [path, runArg, rotateArg, keepArg] = process.argv.slice(2);
const rotation = rotateArg ? { rotateBytes: Number(rotateArg), keep: Number(keepArg) } : {};
const writer = new SessionLogWriter(path!, { flushMs: 5, ...rotation });
const run = Number(runArg);
let seq = 0;
const burst = () => {
  for (let i = 0; i < 2000; i++) {
    seq++;
    writer.write(stamp({ type: 'rtt', seq, rttMs: run + seq / 1e6, via: 'ping' }, Date.now(), seq, `run-${run}`));
  }
  writer.flush();
  setImmediate(burst);
};
burst();
// Only now: a run the parent kills has always written something, however long the OS kept it waiting.
process.stdout.write('ready\n');
