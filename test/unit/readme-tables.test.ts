// The README's settings and options tables are made from the settings'
// descriptions (shared/settings/docs.ts) and checked here, so they cannot
// drift. `UPDATE_README=1 npx vitest run test/unit/readme-tables.test.ts`
// writes them in after a description changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionsTable, presetsTable, settingsTable } from '../../src/shared/settings/docs';
import { channelsTable } from '../../src/shared/settings/channels';

const TABLES: Record<string, () => string> = {
  'settings-table': settingsTable,
  'options-table': optionsTable,
  'presets-table': presetsTable,
  'channels-table': channelsTable,
};

function block(readme: string, name: string): { start: number; end: number } {
  const open = `<!-- ${name}: made from src/shared/settings; see test/unit/readme-tables.test.ts -->\n`;
  const start = readme.indexOf(open);
  const end = readme.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < start) throw new Error(`README.md has no ${name} block`);
  return { start: start + open.length, end };
}

describe('README tables', () => {
  let readme = readFileSync('README.md', 'utf8');
  for (const [name, make] of Object.entries(TABLES)) {
    it(`${name} is the one the descriptions make`, () => {
      const { start, end } = block(readme, name);
      const want = `${make()}\n`;
      if (process.env.UPDATE_README) {
        readme = readme.slice(0, start) + want + readme.slice(end);
        writeFileSync('README.md', readme);
      }
      expect(readme.slice(start, end)).toBe(want);
    });
  }
});
