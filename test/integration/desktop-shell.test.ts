// The desktop shell, exercised: the built out/main/index.js (what `npm start` and
// electron-builder ship) runs under plain Node with `electron` resolved to a
// recording stand-in (test/helpers/electron-standin.ts). The test plays the user
// and the OS — IPC calls, tray clicks, window closes, sleep — and checks what the
// shell did through the stand-in's records and the files on disk.
// What only a real Electron can show (GPU, native menus, the OS keyring) is in
// test/e2e/electron.spec.ts, which runs where the binary exists.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { METHODS, type Envelope } from '../../src/shared/api';
import type { WsmonEvent } from '../../src/shared/events';
import { methodChannel } from '../../src/shared/transport';
import { bundleForNode } from '../helpers/bundle';
import { startLab, type Lab } from '../lab';

const MAIN = resolve('out/main/index.js');
const LOADER = resolve('test/helpers/electron-loader.mjs');
let standinUrl: string;
let lab: Lab;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error('out/main/index.js is missing: run `npm run build` before this test');
  standinUrl = pathToFileURL(await bundleForNode('test/helpers/electron-standin.ts')).href;
  lab = await startLab();
}, 60_000);
afterAll(async () => {
  await lab.stop();
});

interface Recorded {
  windows: {
    id: number;
    options: { icon?: string; title?: string; webPreferences?: Record<string, unknown> };
    loadedFile: string | null;
    visible: boolean;
    destroyed: boolean;
    openHandler: boolean;
    sent: { channel: string; message: unknown }[];
  }[];
  trays: { images: string[]; tooltip: string; menu: string[]; destroyed: boolean }[];
  notifications: { title: string; body: string }[];
  errorBoxes: string[];
  permissionRequestDenied: boolean | null;
  permissionCheckDenied: boolean | null;
  clipboardWrite: boolean[];
  exitCode: number | null;
}

/** The built shell in a child process, driven over its IPC channel. */
class Shell {
  private readonly child: ChildProcess;
  private next = 1;
  private readonly waiting = new Map<number, (m: { ok: boolean; result?: unknown; error?: string }) => void>();
  readonly exited: Promise<number | null>;
  exitRequested = false;
  stderr = '';

  constructor(readonly dataDir: string) {
    this.child = spawn(process.execPath, ['--import', LOADER, MAIN], {
      env: { ...process.env, WSMON_STANDIN_URL: standinUrl, WSMON_STANDIN_USER_DATA: dataDir },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.on('message', (m: { kind: string; id?: number; ok?: boolean }) => {
      if (m.kind === 'exit') this.exitRequested = true;
      if (m.kind === 'answer') this.waiting.get(m.id!)?.(m as never);
    });
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  ask<T>(command: object): Promise<T> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => (m.ok ? resolve(m.result as T) : reject(new Error(m.error))));
      this.child.send({ id, ...command });
    });
  }
  record(): Promise<Recorded> {
    return this.ask({ op: 'record' });
  }
  /** A MonitorApi call as the window's preload makes it. */
  call(method: string, payload: unknown, window = 1, foreignFrame = false): Promise<Envelope> {
    return this.ask({ op: 'invoke', channel: `wsmon:${method}`, payload, window, foreignFrame });
  }
  async result<T>(method: string, payload: unknown, window = 1): Promise<T> {
    const e = await this.call(method, payload, window);
    if (!e.ok) throw new Error(`${method}: ${e.error.message}`);
    return e.result as T;
  }
  until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
    return waitFor(read, ok, () => `${what}; stderr: ${this.stderr}`, { timeoutMs, everyMs: 25 });
  }
  events(id: string): Promise<WsmonEvent[]> {
    return this.result('events', { id, from: 0, to: 1e12, limit: 500 });
  }
  kill(): void {
    this.child.kill('SIGKILL');
  }
}

const FAST = {
  heartbeat: { intervalMs: 100, timeoutMs: 80, misses: 2 },
  backoff: { initialMs: 100, maxMs: 400, jitter: 'none' },
  alerts: { downAfterMs: 300 },
};
const sessionLog = (dataDir: string) => join(dataDir, 'sessions', readdirSync(join(dataDir, 'sessions')).sort().at(-1)!);
const logLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as WsmonEvent);

describe('the desktop shell, started from the build under a stand-in for Electron', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsmon-shell-'));

  it('opens a locked-down window on the built renderer, answers every API method over IPC, and quits cleanly', async () => {
    const shell = new Shell(dataDir);
    try {
      const first = await shell.until(
        () => shell.record(),
        (r) => r.windows.length === 1 && r.windows[0]!.visible,
        'the main window',
      );
      const win = first.windows[0]!;
      // The security settings the README promises.
      expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
      expect(await shell.ask({ op: 'navigate', window: 1, url: 'https://evil.example/' })).toBe(true);
      // Nothing is opened, in the app or in the OS browser (electron's shell is not even imported by main).
      expect(await shell.ask({ op: 'window-open', window: 1, url: 'https://evil.example/' })).toEqual({ action: 'deny' });
      expect(readFileSync(MAIN, 'utf8')).not.toMatch(/\bshell\b[^\n]*from "electron"|openExternal/);
      expect([first.permissionRequestDenied, first.permissionCheckDenied]).toEqual([true, true]);
      // Writing to the clipboard (the frame inspector's Copy) is asked and allowed; reading it is not.
      expect(first.clipboardWrite).toEqual([true, false, true]);
      // It loads files that exist in the build.
      expect(win.loadedFile).toBe(resolve('out/renderer/index.html'));
      expect(existsSync(win.loadedFile!)).toBe(true);
      expect(win.options.webPreferences!.preload).toBe(resolve('out/preload/index.cjs'));
      expect(existsSync(win.options.webPreferences!.preload as string)).toBe(true);
      expect(existsSync(win.options.icon!)).toBe(true);

      // Every method has its handler; a foreign frame is refused.
      expect(await shell.ask({ op: 'channels' })).toEqual(METHODS.map(methodChannel).sort());
      expect(await shell.call('session', {}, 1, true)).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'calls are only accepted from the wsmon window' },
      });

      // An endpoint added through IPC opens and fills its history, as through the bridge.
      const added = await shell.result<{ id: string }>('add', {
        config: { ...FAST, url: lab.url('/shell'), name: 'api', headers: { Authorization: 'Bearer s3cret' } },
      });
      expect(added.id).toBe('api');
      const history = await shell.until(
        () => shell.result<{ raw: unknown[] }>('history', { id: 'api', from: 0, to: 1e12 }),
        (h) => h.raw.length >= 3,
        'RTT samples',
      );
      expect(history.raw.length).toBeGreaterThanOrEqual(3);

      // The tray: an icon file that exists for the state, the endpoint in the menu.
      const up = await shell.until(
        () => shell.record(),
        (r) => r.trays[0]!.images.at(-1)!.endsWith('up.png'),
        'the tray to show up',
      );
      expect(up.trays[0]!.menu.filter((l) => l.startsWith('api — '))).toHaveLength(1);
      for (const image of up.trays[0]!.images) expect(existsSync(image)).toBe(true);

      // Sleep pauses it (not misses); waking reconnects at once without consuming an attempt.
      await shell.ask({ op: 'power', event: 'suspend' });
      await shell.until(
        () => shell.events('api'),
        (es) => es.some((e) => e.type === 'paused'),
        'paused by system-sleep',
      );
      await shell.ask({ op: 'power', event: 'resume' });
      const woke = await shell.until(
        () => shell.events('api'),
        (es) => es.filter((e) => e.type === 'open').length === 2,
        'a reconnect after wake',
      );
      const afterPause = woke.slice(woke.findIndex((e) => e.type === 'paused'));
      expect(afterPause.map((e) => e.type).filter((t) => t !== 'close')).toEqual(['paused', 'resumed', 'connecting', 'open']);
      expect(afterPause.find((e) => e.type === 'paused')).toMatchObject({ by: 'system-sleep' });
      expect(afterPause.find((e) => e.type === 'connecting')).toMatchObject({ attempt: 0 });

      // Export session log… from the tray, to the path the save dialog answers.
      const exported = join(dataDir, 'export.csv');
      await shell.ask({ op: 'answer-dialogs', save: exported });
      await shell.ask({ op: 'click-tray', label: 'Export session log…' });
      await shell.until(
        async () => existsSync(exported) && readFileSync(exported, 'utf8'),
        (t) => typeof t === 'string' && t.includes(',open,'),
        'the export',
      );
      expect(readFileSync(exported, 'utf8')).not.toContain('s3cret');

      // Open a past session log… opens a second window, read-only.
      const past = join(dataDir, 'past.jsonl');
      writeFileSync(
        past,
        `${JSON.stringify({ v: 1, ts: '2026-11-22T14:00:00.000Z', mono: 0, endpoint: 'old', type: 'endpoint-added', name: 'old', url: 'ws://h/' })}\n`,
      );
      await shell.ask({ op: 'answer-dialogs', open: past });
      await shell.ask({ op: 'click-tray', label: 'Open a past session log…' });
      const two = await shell.until(
        () => shell.record(),
        (r) => r.windows.length === 2,
        'the past-log window',
      );
      expect(two.windows[1]!.options.title).toBe('wsmon — past.jsonl (read-only)');
      expect(await shell.call('add', { config: { url: 'ws://h/' } }, 2)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(await shell.result<{ rows: { id: string }[] }>('rows', {}, 2)).toMatchObject({ rows: [{ id: 'old' }] });

      // Closing the window with "keep in tray" on (the default) hides it and keeps monitoring.
      expect(await shell.result<{ rows: { id: string }[] }>('rows', {})).toMatchObject({ rows: [{ id: 'api' }] });
      await shell.ask({ op: 'close-window', window: 1 });
      const hidden = await shell.record();
      expect(hidden.windows[0]).toMatchObject({ visible: false, destroyed: false });
      const sentBefore = hidden.windows[0]!.sent.length;
      await shell.result('add', { config: { ...FAST, url: lab.url('/shell'), name: 'api2' } });
      const before = (await shell.result<{ raw: unknown[] }>('history', { id: 'api', from: 0, to: 1e12 })).raw.length;
      await shell.until(
        () => shell.result<{ raw: unknown[] }>('history', { id: 'api2', from: 0, to: 1e12 }),
        (h) => h.raw.length > 2,
        'monitoring to go on, and the endpoint added while hidden to answer',
      );
      expect((await shell.result<{ raw: unknown[] }>('history', { id: 'api', from: 0, to: 1e12 })).raw.length).toBeGreaterThan(before);
      // Out of sight, its list is not ordered again (statuses of what it shows still go); shown, it gets its page as it is now.
      const pagesOf = (sent: { message: unknown }[]) =>
        sent.flatMap((m) => {
          const rows = (m.message as { update?: { rows?: { rows: { id?: string }[] } } }).update?.rows;
          return rows ? [rows.rows.map((r) => r.id)] : [];
        });
      expect(pagesOf((await shell.record()).windows[0]!.sent.slice(sentBefore))).toEqual([]);
      await shell.ask({ op: 'click-tray', label: 'Show window' });
      const shown = await shell.until(
        () => shell.record(),
        (r) => pagesOf(r.windows[0]!.sent.slice(sentBefore)).length > 0,
        'the page pushed when the window shows',
      );
      expect(shown.windows[0]!.visible).toBe(true);
      expect(pagesOf(shown.windows[0]!.sent.slice(sentBefore))[0]).toEqual(['api', 'api2']);

      // The server goes away: the tray turns to down.
      await lab.stop();
      await shell.until(
        () => shell.record(),
        (r) => r.trays[0]!.images.at(-1)!.endsWith('down.png'),
        'the tray to show down',
      );

      // Quit from the tray: session-end is written, and the process ends by itself (nothing left running).
      await shell.ask({ op: 'click-tray', label: 'Quit' });
      expect(await Promise.race([shell.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))])).toBe(0);
      expect(shell.exitRequested).toBe(true);
      expect(logLines(sessionLog(dataDir)).at(-1)).toMatchObject({ type: 'session-end' });
      // Secrets are sealed at rest.
      const saved = readFileSync(join(dataDir, 'endpoints.json'), 'utf8');
      expect(saved).not.toContain('s3cret');
      expect(saved).toContain('sealed:v1:');
    } finally {
      shell.kill();
      lab = await startLab();
    }
  }, 60_000);

  it('a restart keeps the endpoints (secrets opened again) and settings; with "keep in tray" off, closing the window quits', async () => {
    const shell = new Shell(dataDir);
    try {
      await shell.until(
        () => shell.record(),
        (r) => r.windows.length === 1,
        'the main window',
      );
      // The secret was opened again (a value that cannot be is dropped and named in the notice), and leaves the process masked.
      const config = await shell.result<{ headers: Record<string, string> }>('config', { id: 'api' });
      expect(config.headers).toEqual({ Authorization: '***' });
      expect((await shell.result<{ notice: string | null }>('session', {})).notice ?? '').not.toMatch(/could not be decrypted/);
      expect((await shell.result<{ settings: { keepInTray: boolean } }>('settings', {})).settings.keepInTray).toBe(true);
      await shell.result('updateSettings', { keepInTray: false });
      await shell.ask({ op: 'close-window', window: 1 });
      expect(await Promise.race([shell.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))])).toBe(0);
      expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ keepInTray: false });
      expect(logLines(sessionLog(dataDir)).at(-1)).toMatchObject({ type: 'session-end' });
    } finally {
      shell.kill();
    }
  }, 60_000);

  it("electron-builder's files ship everything the shell loads at run time", async () => {
    const shell = new Shell(mkdtempSync(join(tmpdir(), 'wsmon-shell-')));
    try {
      const r = await shell.until(
        () => shell.record(),
        (x) => x.windows.length === 1 && x.trays.length === 1,
        'window and tray',
      );
      const win = r.windows[0]!;
      const loaded = [win.loadedFile!, win.options.webPreferences!.preload as string, win.options.icon!].map((p) => relative(resolve('.'), p));
      const { files, extraResources } = builderConfig();
      for (const p of loaded)
        expect(files.some((g) => g.test(p)) && !files.some((g) => g.negated && g.test(p)), `${p} is not in electron-builder's files`).toBe(true);
      // Packaged, the tray reads resources/tray from extraResources (process.resourcesPath/tray).
      for (const image of r.trays[0]!.images) expect(extraResources).toContain(relative(resolve('.'), join(image, '..')));
      await shell.ask({ op: 'click-tray', label: 'Quit' });
      await shell.exited;
    } finally {
      shell.kill();
    }
    // The fuses the packaged binary gets (checked as configuration: packaging needs the Electron binary).
    const yml = readFileSync('electron-builder.yml', 'utf8');
    for (const fuse of [
      'runAsNode: false',
      'enableNodeOptionsEnvironmentVariable: false',
      'enableNodeCliInspectArguments: false',
      'enableEmbeddedAsarIntegrityValidation: true',
      'onlyLoadAppFromAsar: true',
    ])
      expect(yml).toMatch(new RegExp(`^electronFuses:(\\n  .*)*\\n  ${fuse}$`, 'm'));
    // koffi's native part, the one this machine loads, is unpacked from the archive (a .node file cannot load inside it).
    const native = relative(resolve('.'), createRequire(import.meta.url).resolve(`@koromix/koffi-${process.platform}-${process.arch}/package.json`));
    const unpacked = list(yml, 'asarUnpack').map(glob);
    expect(
      unpacked.some((g) => g.test(native)),
      `${native} is not in electron-builder's asarUnpack`,
    ).toBe(true);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).dependencies).toHaveProperty('koffi');
    // Each target's native part is in the lock file, for npm to install on the machine that packages that target.
    const locked = Object.keys((JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, unknown> }).packages);
    for (const target of ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'])
      expect(locked, `koffi's ${target} part`).toContain(`node_modules/@koromix/koffi-${target}`);
    // And no code path in main that would need RunAsNode.
    expect(readFileSync(MAIN, 'utf8')).not.toMatch(/ELECTRON_RUN_AS_NODE|child_process/);
  }, 60_000);
});

/** A list of electron-builder.yml (our own file: a line reader is enough): its entries, or its entries' `from`. */
function list(yml: string, key: string): string[] {
  const lines = yml.split('\n');
  const start = lines.indexOf(`${key}:`);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^\s+#/.test(l)) continue;
    if (!/^\s+-|^\s+\w+:/.test(l)) break;
    const m = /^\s+-\s+(?:from:\s*)?"?([^"]+?)"?\s*$/.exec(l);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** The `files` globs and `extraResources` sources of electron-builder.yml. */
function builderConfig(): { files: (RegExp & { negated?: boolean })[]; extraResources: string[] } {
  const yml = readFileSync('electron-builder.yml', 'utf8');
  return { files: list(yml, 'files').map(glob), extraResources: list(yml, 'extraResources') };
}

/** An electron-builder glob as a regular expression over paths relative to the project. */
function glob(g: string): RegExp & { negated?: boolean } {
  const negated = g.startsWith('!');
  const body = (negated ? g.slice(1) : g)
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\//g, '\u0001')
    .replace(/\*\*/g, '\u0002')
    .replace(/\*/g, '[^/]*')
    .replace(/\u0001/g, '(.*/)?')
    .replace(/\u0002/g, '.*');
  return Object.assign(new RegExp(`^${body}$`), { negated });
}
