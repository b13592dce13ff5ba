// Writes two different history snapshots in turn, as fast as it can, until killed.
// argv: PATH
import { captureSnapshot, ringsOf, writeSnapshot } from '../../../src/core/log/snapshot';
import { Records } from '../../../src/core/record/records';
import { stamp } from '../../../src/shared/events';

const path = process.argv[2]!;
/** 100 endpoints with a day of minute beats each: a snapshot of ~10 MB, long enough to be killed in. */
function records(): Records {
  const r = new Records({ startWall: Date.UTC(2026, 10, 1), now: () => 1440 * 60_000 });
  for (let i = 0; i < 100; i++) {
    const id = `a-${i}`;
    r.apply(stamp({ type: 'endpoint-added', name: id, url: `ws://127.0.0.1/${id}` }, 0, 0, id));
    for (let m = 0; m < 1440; m++) r.apply(stamp({ type: 'rtt', seq: m, rttMs: i + m / 1e4, via: 'ping' }, 0, m * 60_000, id));
  }
  return r;
}
const a = captureSnapshot(records(), null);
// Its rings read now and kept: the same rows are written again and again.
for (const { past } of a.endpoints) for (const rows of ringsOf(past)) void rows.cols;
// The same rings under other names: which of the two a file holds is told by every id.
const b = { ...a, endpoints: a.endpoints.map((e) => ({ ...e, id: e.id.replace('a-', 'b-') })) };
// Ready only once the first snapshot is written: a run the parent kills has always left one.
await writeSnapshot(path, b);
process.stdout.write('ready\n');
for (let n = 1; ; n++) await writeSnapshot(path, n % 2 ? a : b);
