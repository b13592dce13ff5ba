// Bundles a TypeScript entry into one Node ESM file with Vite, so tests can run
// engine code in a child process (and kill it at will).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

/**
 * `packages: 'external'` leaves npm packages out of the bundle (servers from
 * npm, with their optional native parts): the file is then written under
 * node_modules/.cache, where Node finds them.
 */
export async function bundleForNode(entry: string, packages: 'bundled' | 'external' = 'bundled'): Promise<string> {
  const base = packages === 'external' ? resolve('node_modules/.cache') : tmpdir();
  mkdirSync(base, { recursive: true });
  const outDir = mkdtempSync(join(base, 'wsmon-child-'));
  await build({
    configFile: false,
    logLevel: 'silent',
    build: { ssr: resolve(entry), outDir, emptyOutDir: false, minify: false, rollupOptions: { output: { entryFileNames: 'child.mjs', format: 'es' } } },
    ssr: { noExternal: packages === 'bundled' ? true : [] },
  });
  return join(outDir, 'child.mjs');
}
