// The arrows of docs/ARCHITECTURE.md, checked on every import in src/: a file
// may import only from the layers its folder allows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|svelte)$/.test(f) ? [p] : [];
  });
}

/** Every import of every file: relative ones resolved to a path under src/, packages by name. */
const imports = files('src').flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => {
    const spec = m[1] ?? m[2]!;
    return { file, target: spec.startsWith('.') ? relative('.', normalize(join(dirname(file), spec))) : spec };
  }),
);

/** Folders (prefixes of a path under src/) and the layers they may not reach. */
const FORBIDDEN: [from: string, to: RegExp, why: string][] = [
  ['src/shared/', /^src\/(?!shared\/)|^node:|^electron$|^ws$/, 'shared is pure: no Node, no DOM, no other layer'],
  ['src/core/files/', /^src\/core\/(?!files\/)|^src\/(cli|main|preload|renderer|lab)\//, 'the file gate is the floor: it knows nothing above it'],
  ['src/core/engine/', /^src\/core\/(record|log|app)\/|^src\/(cli|main|preload|renderer)\//, 'the engine knows nothing above it'],
  ['src/core/record/', /^src\/core\/(log|app)\/|^src\/(cli|main|preload|renderer)\//, 'records know nothing of the log or the app'],
  ['src/core/log/', /^src\/core\/app\/|^src\/(cli|main|preload|renderer)\//, 'the log knows nothing of the app'],
  ['src/core/', /^src\/(cli|main|preload|renderer)\/|^electron$/, 'core knows no face'],
  ['src/renderer/', /^src\/(?!shared\/|renderer\/)|^node:/, 'the renderer talks only to the contract'],
  ['src/cli/', /^src\/(main|preload|renderer)\/|^electron$/, 'the headless face runs without Electron'],
  ['src/lab/', /^src\/(core|cli|main|preload|renderer)\/|^electron$/, 'the lab stands alone'],
];

describe('layers', () => {
  for (const [from, to, why] of FORBIDDEN) {
    it(`${from}: ${why}`, () => {
      const wrong = imports.filter((i) => i.file.startsWith(from) && to.test(i.target)).map((i) => `${i.file} -> ${i.target}`);
      expect(wrong).toEqual([]);
    });
  }

  it('only src/main and src/preload import electron, and nothing imports src/main', () => {
    expect(imports.filter((i) => i.target === 'electron' && !/^src\/(main|preload)\//.test(i.file)).map((i) => i.file)).toEqual([]);
    expect(imports.filter((i) => i.target.startsWith('src/main/') && !i.file.startsWith('src/main/')).map((i) => i.file)).toEqual([]);
  });

  it('no import cycles, type-only imports included', () => {
    const all = new Set(files('src'));
    // An import's target as a file: x.ts, x.svelte.ts, x.svelte or x/index.ts.
    const fileOf = (target: string) => [`${target}.ts`, `${target}.svelte.ts`, target, `${target}/index.ts`].find((f) => all.has(f));
    const edges = new Map<string, string[]>();
    for (const i of imports) {
      const to = i.target.startsWith('src/') ? fileOf(i.target) : undefined;
      if (to) edges.set(i.file, [...(edges.get(i.file) ?? []), to]);
    }
    // Depth-first, naming each cycle found by its path.
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (file: string, path: string[]): void => {
      state.set(file, 'open');
      for (const to of edges.get(file) ?? []) {
        if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), file, to].join(' -> '));
        else if (!state.has(to)) walk(to, [...path, file]);
      }
      state.set(file, 'done');
    };
    for (const f of all) if (!state.has(f)) walk(f, []);
    expect(cycles).toEqual([]);
  });

  it('the check sees the imports it checks', () => {
    expect(imports.length).toBeGreaterThan(200);
    expect(imports).toContainEqual({ file: 'src/core/engine/monitor.ts', target: 'src/core/engine/connection' });
  });
});
