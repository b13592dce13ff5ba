// The benchmarks' server: a lab in its own process, driven over stdin with one
// JSON command per line, answering one JSON line each on stdout.
import { createInterface } from 'node:readline';
import { Lab } from '../src/lab/server';

const lab = await new Lab().start();
process.stdout.write(`${JSON.stringify({ ready: true, url: lab.url('/') })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const cmd = JSON.parse(line) as { op: string; downMs?: number };
  if (cmd.op === 'restart') {
    lab.stats.upgrades.length = 0;
    await lab.restart(cmd.downMs ?? 0);
    process.stdout.write(`${JSON.stringify({ ok: true, upAt: performance.timeOrigin + performance.now() })}\n`);
  } else if (cmd.op === 'upgrades') {
    // Wall-clock times, comparable across processes.
    process.stdout.write(`${JSON.stringify({ upgrades: lab.stats.upgrades.map((t) => performance.timeOrigin + t) })}\n`);
  } else if (cmd.op === 'stop') {
    await lab.stop();
    process.stdout.write('{"ok":true}\n');
    process.exit(0);
  }
}
// The benchmark went away without saying stop (it crashed): do not outlive it.
await lab.stop();
process.exit(0);
