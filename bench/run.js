// npm run bench [-- NAME...]: bundles the benchmarks (TypeScript) with Vite,
// runs each in its own process, prints its table and rewrites its section of
// BENCHMARKS.md with the command, the machine and the date. Never part of npm test.
// With --cpu-prof each benchmark writes a V8 CPU profile to bench-profiles/
// instead (open it in Chromium's DevTools); profiled timings are not recorded.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { build } from 'vite';

const ALL = [
  'rtt',
  'detect',
  'scale',
  'reload',
  'import',
  'views',
  'metrics',
  'network-rtt',
  'frames',
  'protocols',
  'storm',
  'memory',
  'rebuild',
  'log-size',
  'screen',
  'start',
];
const profile = process.argv.includes('--cpu-prof');
const wanted = process.argv.slice(2).filter((a) => a !== '--cpu-prof');
for (const w of wanted)
  if (!ALL.includes(w)) {
    console.error(`unknown benchmark "${w}"; choose from ${ALL.join(', ')}`);
    process.exit(2);
  }
const names = wanted.length ? wanted : ALL;

if (!existsSync('out/cli/index.js') || !existsSync('out/renderer/index.html')) {
  console.error('building first (npm run build)…');
  if (spawnSync('npm', ['run', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}
const outDir = resolve('out/bench');
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    minify: false,
    target: 'node20',
    rollupOptions: {
      input: Object.fromEntries(['server', 'socketio-server', ...names].map((n) => [n, resolve(`bench/${n}.ts`)])),
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    },
  },
  // Packages stay external (resolved from node_modules at run time); our own sources are bundled.
});

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
const path = 'BENCHMARKS.md';
let doc = existsSync(path)
  ? readFileSync(path, 'utf8')
  : '# Benchmarks\n\nProduced by `npm run bench` (each also runs alone: `npm run bench -- NAME`). Figures are from the machine named in each section; these machines are noisy, so read ratios against the baseline measured in the same run rather than lone absolute times.\n';

const table = (rows) => [rows[0], rows[0].map(() => '---'), ...rows.slice(1)].map((r) => `| ${r.join(' | ')} |`).join('\n');
let failed = 0;
for (const name of names) {
  console.error(`\n== ${name}`);
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve('bench-profiles')}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const env = profile ? { ...process.env, BENCH_PROFILE_DIR: resolve('bench-profiles') } : process.env;
  // Through a shell that first raises the open-file limit to the hard limit, where the OS allows (scale needs one per socket).
  const r = spawnSync(
    'sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', process.execPath, '--expose-gc', ...flags, `${outDir}/${name}.mjs`],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 },
  );
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('@@RESULT '));
  if (r.status !== 0 || !line) {
    console.error(`${name} failed (exit ${r.status})`);
    failed++;
    continue;
  }
  const res = JSON.parse(line.slice(9));
  const goals = res.goals.map((g) => `- ${g.met ? '✅' : '❌'} ${g.goal} — measured ${g.measured}`).join('\n');
  const notes = (res.notes ?? []).map((n) => `_${n}_`).join('\n\n');
  const section = `<!-- bench:${name} -->\n## ${res.title}\n\n\`${res.command}\` · ${date} · ${machine}\n\n${table(res.table)}\n\n${goals}\n${notes ? `\n${notes}\n` : ''}<!-- /bench:${name} -->`;
  console.log(`\n${res.title}\n${table(res.table)}\n${goals}`);
  if (profile) {
    console.log(`profile: bench-profiles/${name}.cpuprofile (not written to ${path}: profiling slows the run)`);
    continue;
  }
  const re = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  // Read again now: the file may have been edited by hand while the benchmark ran (minutes), and only this section is ours.
  if (existsSync(path)) doc = readFileSync(path, 'utf8');
  doc = re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, doc);
}
process.exit(failed ? 1 : 0);
