// Bundles a TypeScript entry into one Node ESM file with Vite, so tests can run
// engine code in a child process (and kill it at will).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

export async function bundleForNode(entry: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'wsmon-child-'));
  await build({
    configFile: false,
    logLevel: 'silent',
    build: { ssr: resolve(entry), outDir, emptyOutDir: false, minify: false, rollupOptions: { output: { entryFileNames: 'child.mjs', format: 'es' } } },
    ssr: { noExternal: true },
  });
  return join(outDir, 'child.mjs');
}
