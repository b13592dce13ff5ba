#!/usr/bin/env node
// Entry point for the wsmon command; the CLI is built into out/cli by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Node's default for SIGHUP is to exit (129). One that arrives while the CLI is still loading
// (`systemctl reload` right after a start) is held here; src/cli/held-signals.ts hands it over.
const held = { hups: 0, release: () => process.off('SIGHUP', hold) };
function hold() {
  held.hups++;
}
process.on('SIGHUP', hold);
globalThis.wsmonHeldSignals = held;

const entry = fileURLToPath(new URL('../out/cli/index.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('wsmon: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(entry);
