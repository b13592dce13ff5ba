// Import at scale: a config file of N entries sent to a running `wsmon web`
// through its bridge as the window sends it (parts of TRANSFER_PART entries,
// all added at the last), beside a second window that follows its list. How
// long it takes, what it costs the process in memory over what it held
// before (sampled from /proc every 50 ms), the largest message either window
// got, and whether a window was cut off. 3,000 entries first: the baseline in
// the same run. The entries point at a closed port on 127.0.0.1, so no socket
// stays open (30,000 would pass the machine's open-file limit): each endpoint
// connects, is refused and backs off, as an unreachable fleet does. The same
// entries are then loaded from a file as `wsmon web --config` starts, measured
// the same way: what the endpoints cost without any import, so that what the
// import itself adds can be told from what it adds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRANSFER_PART } from '../src/shared/api';
import { BridgeClient, fmt, report, rssOf, startWsmonWeb } from './lib';

const SIZES = (process.env.BENCH_IMPORT ?? '3000,30000').split(',').map(Number);
const MB = 1024 * 1024;

interface Run {
  n: number;
  ms: number;
  parts: number;
  added: number;
  before: number;
  peak: number;
  after: number;
  largest: number;
  cutOff: number;
  watcherPushes: number;
  /** The same entries from a file at start: the peak over the empty process's `before`, from its start to 5 s after it serves. */
  fromFile: number;
}

const entriesOf = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `imp-${i}`, url: `ws://127.0.0.1:1/imp${i}`, tags: [`group-${i % 50}`] }));

/** A process's resident memory, sampled every 50 ms from now; `stop` gives the peak and the last sample (the peak counts it). */
function watchRss(pid: number): { stop(): { peak: number; last: number } } {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  return {
    stop() {
      clearInterval(sampler);
      const last = rssOf(pid);
      return { peak: Math.max(peak, last), last };
    },
  };
}

/** The peak resident memory of `wsmon web --config` with the entries, from its start to 5 s after it serves. */
async function fromFile(n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-import-'));
  const file = join(dir, 'endpoints.json');
  writeFileSync(file, JSON.stringify({ version: 1, endpoints: entriesOf(n) }));
  let rss: ReturnType<typeof watchRss> | undefined;
  const { child: web } = await startWsmonWeb(['--config', file], (child) => (rss = watchRss(child.pid!)));
  await new Promise((r) => setTimeout(r, 5000));
  const { peak } = rss!.stop();
  web.kill('SIGINT');
  await new Promise((r) => web.once('exit', r));
  rmSync(dir, { recursive: true });
  return peak;
}

async function measure(n: number): Promise<Run> {
  const { child: web, port, token } = await startWsmonWeb([]);
  const [importer, watcher] = [await BridgeClient.open(port, token), await BridgeClient.open(port, token)];
  await watcher.call('rows', { limit: 60 });
  await new Promise((r) => setTimeout(r, 1000));
  const before = rssOf(web.pid!);
  const rss = watchRss(web.pid!);
  const entries = entriesOf(n);
  const start = performance.now();
  let upload: string | undefined;
  let added = 0;
  let parts = 0;
  for (let at = 0; at < n; at += TRANSFER_PART) {
    const more = at + TRANSFER_PART < n;
    const answer = await importer.call<{ upload: string | null; added: { count: number } }>('importConfig', {
      file: { version: 1, endpoints: entries.slice(at, at + TRANSFER_PART) },
      upload,
      more,
    });
    parts++;
    upload = answer.upload ?? undefined;
    added = answer.added.count;
  }
  const ms = performance.now() - start;
  // The endpoints' first attempts and the windows' updates after the import.
  await new Promise((r) => setTimeout(r, 5000));
  const { peak: sampled, last: after } = rss.stop();
  const peak = Math.max(before, sampled);
  const cutOff = [importer, watcher].filter((w) => w.closed !== null).length;
  const largest = Math.max(importer.largest, watcher.largest);
  importer.ws.close();
  watcher.ws.close();
  web.kill('SIGINT');
  await new Promise((r) => web.once('exit', r));
  return { n, ms, parts, added, before, peak, after, largest, cutOff, watcherPushes: watcher.pushes, fromFile: await fromFile(n) };
}

const runs: Run[] = [];
for (const n of SIZES) runs.push(await measure(n));
const base = runs[0]!;
const big = runs.at(-1)!;
const per = (r: Run) => (r.peak - r.before) / r.n;
report({
  title: 'Import',
  command: 'npm run bench -- import',
  table: [
    ['measure', ...runs.map((r) => `${r.n.toLocaleString('en')} entries`)],
    ['parts sent (each answered)', ...runs.map((r) => String(r.parts))],
    ['endpoints added', ...runs.map((r) => r.added.toLocaleString('en'))],
    ['import, first part sent to the last answered', ...runs.map((r) => `${fmt(r.ms / 1000, 2)} s`)],
    ['wsmon web resident memory before', ...runs.map((r) => `${fmt(r.before / MB, 0)} MB`)],
    ['peak over before (during the import and 5 s after)', ...runs.map((r) => `${fmt((r.peak - r.before) / MB, 0)} MB`)],
    ['5 s after, over before', ...runs.map((r) => `${fmt((r.after - r.before) / MB, 0)} MB`)],
    ['the same entries from a file at start: peak over before (to 5 s after it serves)', ...runs.map((r) => `${fmt((r.fromFile - r.before) / MB, 0)} MB`)],
    ['largest message a window got', ...runs.map((r) => `${fmt(r.largest / 1024, 0)} KiB`)],
    ['windows cut off (of 2)', ...runs.map((r) => String(r.cutOff))],
  ],
  goals: [
    { goal: `${big.n.toLocaleString('en')} entries: every one added`, met: big.added === big.n, measured: big.added.toLocaleString('en') },
    {
      goal: `${big.n.toLocaleString('en')} entries: ≤ 300 MB over the running process`,
      met: big.peak - big.before <= 300 * MB,
      measured: `${fmt((big.peak - big.before) / MB, 0)} MB peak (${fmt(per(big) / per(base), 2)}× the ${base.n.toLocaleString('en')}'s per entry; the same endpoints from a file at start, no import: ${fmt((big.fromFile - big.before) / MB, 0)} MB)`,
    },
    { goal: 'no window cut off', met: runs.every((r) => r.cutOff === 0), measured: runs.map((r) => r.cutOff).join(', ') },
    { goal: 'every message under 1 MiB', met: runs.every((r) => r.largest < MB), measured: `${fmt(Math.max(...runs.map((r) => r.largest)) / 1024, 0)} KiB` },
  ],
  notes: [
    `The importer sends the file as the window does: parts of ${TRANSFER_PART} entries, each checked as it comes, all added at the last part (all or none). The watching window has asked for a page of 60 rows of the list; it is sent that page's changes and the page again when it changes.`,
    'The entries point at a closed port, so the memory is the import and the endpoints themselves (their records and connection state, their first refused attempts), not open sockets.',
    'The same entries from a file: `wsmon web --config` with them, its resident memory sampled from its start to 5 s after it serves, over the empty process of the import run. The endpoints are the same, and so is their start (spread 0.2 ms apart); only the import is missing.',
  ],
});
