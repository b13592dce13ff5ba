// Writes events to a session log as fast as it can, until killed.
import { SessionLogWriter } from '../../../src/core/session-log';
import { stamp } from '../../../src/shared/events';

const writer = new SessionLogWriter(process.argv[2]!, { flushMs: 5 });
const run = Number(process.argv[3]);
let seq = 0;
process.stdout.write('ready\n');
const burst = () => {
  for (let i = 0; i < 2000; i++) {
    seq++;
    writer.write(stamp({ type: 'rtt', seq, rttMs: run + seq / 1e6, via: 'ping' }, Date.now(), seq, `run-${run}`));
  }
  writer.flush();
  setImmediate(burst);
};
burst();
