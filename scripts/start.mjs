// `npm start`: the desktop app, built first if it is not yet. Without the
// Electron binary (it downloads on first install, which some machines cannot
// do) it says so in a sentence and names the same window in a browser.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (!existsSync('out/main/index.js') || !existsSync('out/cli/index.js')) {
  console.error('wsmon: building first (npm run build)…');
  execFileSync(npm, ['run', 'build'], { stdio: 'inherit' });
}

/** The Electron binary the electron package would run, or null when it was never downloaded. */
function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const bin = join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

if (!electronBinary()) {
  console.error(
    'wsmon: the Electron binary is not installed (npm ci downloads it on first install, and it could not here), so the desktop app cannot start.\n' +
      'The same window runs in your browser: npx wsmon web (or npx wsmon demo --web to try it with misbehaving servers).',
  );
  process.exit(1);
}
const r = spawnSync(process.execPath, [join('node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
