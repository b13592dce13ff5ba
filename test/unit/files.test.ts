// The file gate on the real things: a FIFO, a device node (mknod, as root), a
// symlink to a file the test owns, a folder, a file past the bound. Nothing
// here points at a real system file.
import { execFileSync } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureFolder, openForWrite, readGated, writeAtomic } from '../../src/core/files/gate';
import { boundedLines } from '../../src/core/files/lines';

const dir = mkdtempSync(join(tmpdir(), 'wsmon-file-'));
const isRoot = process.getuid?.() === 0;

/** A FIFO, a character device (the null device's numbers, in our own folder), a folder, a symlink to a 0644 file we own. */
function hostile(): { fifo: string; device: string | null; folder: string; link: string; victim: string } {
  const base = mkdtempSync(join(dir, 'h-'));
  const fifo = join(base, 'fifo');
  execFileSync('mkfifo', [fifo]);
  let device: string | null = join(base, 'dev');
  if (isRoot) execFileSync('mknod', [device, 'c', '1', '3']);
  else device = null;
  const folder = join(base, 'folder');
  mkdirSync(folder);
  const victim = join(base, 'victim');
  writeFileSync(victim, 'someone else\n', { mode: 0o644 });
  const link = join(base, 'link');
  symlinkSync(victim, link);
  return { fifo, device, folder, link, victim };
}

describe('file gate: reading', () => {
  it('reads a regular file whole, and a symlink to one when it may follow links', () => {
    const h = hostile();
    expect(readGated(h.victim, { what: 'CA file', maxBytes: 100 }).toString()).toBe('someone else\n');
    expect(readGated(h.link, { what: 'CA file', maxBytes: 100 }).toString()).toBe('someone else\n');
  });

  it('refuses a FIFO at once (no waiting for a writer), a device, a folder, and a symlink where wsmon keeps its own files', () => {
    const h = hostile();
    expect(() => readGated(h.fifo, { what: 'CA file', maxBytes: 100 })).toThrow(
      `the CA file "${h.fifo}" is a FIFO (named pipe); wsmon reads regular files only`,
    );
    if (h.device)
      expect(() => readGated(h.device!, { what: 'CA file', maxBytes: 100 })).toThrow(
        `the CA file "${h.device}" is a character device; wsmon reads regular files only`,
      );
    expect(() => readGated(h.folder, { what: 'CA file', maxBytes: 100 })).toThrow(`the CA file "${h.folder}" is a folder; wsmon reads regular files only`);
    expect(() => readGated(h.link, { what: 'settings file', maxBytes: 100, followSymlinks: false })).toThrow(
      `the settings file "${h.link}" is a symbolic link; wsmon reads regular files only`,
    );
  });

  it('refuses a file past the bound without reading it, and names a missing one by its code', () => {
    const path = join(dir, 'huge');
    writeFileSync(path, Buffer.alloc(1001));
    expect(() => readGated(path, { what: 'config file', maxBytes: 1000 })).toThrow(`the config file "${path}" is 1001 bytes; at most 1000 are read`);
    expect(() => readGated(join(dir, 'missing'), { what: 'config file', maxBytes: 1000 })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('file gate: writing', () => {
  it('creates a new file 0600; opens an existing regular file without touching its mode', () => {
    const fresh = join(dir, 'fresh.log');
    const a = openForWrite(fresh, 'session log', { append: true });
    closeSync(a.fd);
    expect(a.created).toBe(true);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    const old = join(dir, 'old.log');
    writeFileSync(old, 'kept\n', { mode: 0o644 });
    const b = openForWrite(old, 'session log', { append: true });
    closeSync(b.fd);
    expect(b).toMatchObject({ created: false, size: 5 });
    expect(statSync(old).mode & 0o777).toBe(0o644);
  });

  it('never writes through a symlink or into a device, FIFO or folder, and changes none of their modes', () => {
    const h = hostile();
    for (const [path, kind] of [
      [h.link, 'a symbolic link'],
      [h.fifo, 'a FIFO (named pipe)'],
      [h.folder, 'a folder'],
      ...(h.device ? [[h.device, 'a character device']] : []),
    ] as [string, string][]) {
      const before = lstatSync(path).mode;
      expect(() => openForWrite(path, 'export file')).toThrow(`the export file "${path}" is ${kind}; wsmon writes regular files only`);
      expect(() => writeAtomic(path, 'x', 'settings file')).toThrow(`the settings file "${path}" is ${kind}; wsmon writes regular files only`);
      expect(lstatSync(path).mode).toBe(before);
    }
    expect(readFileSync(h.victim, 'utf8')).toBe('someone else\n');
    expect(statSync(h.victim).mode & 0o777).toBe(0o644);
  });

  it('a data folder: created 0700; an existing one keeps its mode; a symlink or a file in its place is refused', () => {
    const h = hostile();
    const made = join(dir, 'data-new');
    expect(ensureFolder(made, 'data folder')).toEqual({ created: true });
    expect(statSync(made).mode & 0o777).toBe(0o700);
    const shared = join(dir, 'data-shared');
    mkdirSync(shared, { mode: 0o755 });
    expect(ensureFolder(shared, 'data folder')).toEqual({ created: false });
    expect(statSync(shared).mode & 0o777).toBe(0o755);
    const linked = join(dir, 'data-link');
    symlinkSync(h.folder, linked);
    expect(() => ensureFolder(linked, 'data folder')).toThrow(`the data folder "${linked}" is a symbolic link; wsmon keeps its files in a real folder only`);
    expect(() => ensureFolder(h.victim, 'data folder')).toThrow(`the data folder "${h.victim}" is a regular file; wsmon keeps its files in a real folder only`);
  });
});

describe('bounded lines', () => {
  async function* chunks(...parts: string[]) {
    for (const p of parts) yield Buffer.from(p);
  }
  it('splits across chunks, drops \\r, and skips and counts a line past the bound without holding it', async () => {
    const counts = { overlong: 0 };
    const lines: string[] = [];
    for await (const l of boundedLines(chunks('a\r\nb', 'c\n', 'x'.repeat(30), 'y'.repeat(30), '\nlast'), counts, 40)) lines.push(l);
    expect(lines).toEqual(['a', 'bc', 'last']);
    expect(counts.overlong).toBe(1);
  });
});
