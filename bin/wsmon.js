#!/usr/bin/env node
// Entry point for the wsmon command; the CLI is built into out/cli by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../out/cli/index.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('wsmon: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(entry);
