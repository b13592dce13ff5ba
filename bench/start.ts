// 7. Start: from process start to the first rtt event of `wsmon watch`, and the
// renderer bundle's gzipped size.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fmt, median, report, startLabProcess } from './lib';

const RUNS = 10;
const lab = await startLabProcess();
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  const child = spawn(process.execPath, ['bin/wsmon.js', 'watch', lab.url, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"type":"rtt"')) resolve();
    });
  });
  times.push(performance.now() - t);
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
}
await lab.stop();
const assets = 'out/renderer/assets';
const js = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
const gz = js.reduce((n, f) => n + gzipSync(readFileSync(`${assets}/${f}`)).length, 0) / 1024;
report({
  title: 'Start',
  command: 'npm run bench -- start',
  table: [
    ['measure', 'value'],
    [`process start to first rtt (median of ${RUNS})`, `${fmt(median(times), 0)} ms`],
    ['slowest run', `${fmt(Math.max(...times), 0)} ms`],
    ['renderer bundle, gzipped (JS + CSS)', `${fmt(gz, 1)} KB`],
  ],
  goals: [
    { goal: 'first rtt ≤ 300 ms after process start', met: median(times) <= 300, measured: `${fmt(median(times), 0)} ms` },
    { goal: 'renderer bundle ≤ 250 KB gzipped', met: gz <= 250, measured: `${fmt(gz, 1)} KB` },
  ],
});
