// `wsmon watch --frames` and `--frames-out`: the built CLI against the lab.
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/shared/frames';
import { runCli } from '../helpers/cli';
import { startLab, type Lab } from '../lab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const FAST = ['--duration', '1200ms', '--ping-interval', '200ms', '--jitter', 'none', '--backoff-initial', '5s'];

describe('wsmon watch --frames', () => {
  it('prints each frame as a line among the events, escaped, heartbeats marked', async () => {
    const url = lab.url('/', { say: '\u001b[2Jhello\nforged line' });
    const r = await runCli(['watch', `feed=${url}`, '--frames', '--lines', ...FAST]);
    expect(r.code).toBe(0);
    const frames = r.stdout.split('\n').filter((l) => / frame {15}/.test(l));
    expect(frames.find((l) => l.includes('← text'))).toMatch(/feed\s+frame\s+← text 21 B \\x1b\[2Jhello\\x0aforged line$/);
    expect(frames.some((l) => /→ ping 12 B \[heartbeat\] [0-9a-f]{24}$/.test(l))).toBe(true);
    expect(frames.some((l) => /← pong 12 B \[heartbeat\]/.test(l))).toBe(true);
    expect(frames.some((l) => /→ close 16 B \[protocol\] 1000 wsmon: closing$/.test(l))).toBe(true);
    expect(r.stdout).not.toContain('\u001b');
  });

  it('--json: one {"endpoint","frame"} line per frame beside the event lines', async () => {
    const r = await runCli(['watch', lab.url('/', { say: '{"n":1}' }), '--frames', '--json', ...FAST]);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { frame?: Frame; endpoint?: string; type?: string });
    const frames = lines.filter((l) => l.frame).map((l) => l.frame!);
    expect(frames.find((f) => f.op === 'text')).toMatchObject({ dir: 'in', text: '{"n":1}', size: 7, seq: expect.any(Number) });
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
    expect(lines.at(-1)).toMatchObject({ type: 'session-end' });
  });

  it('--frames-out FILE.har writes a HAR of every endpoint at the end; .jsonl JSON lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-frames-'));
    const har = join(dir, 'out.har');
    const r = await runCli(['watch', `a=${lab.url('/a', { say: 'from a' })}`, `b=${lab.url('/b', { oversized: 3 })}`, '--lines', '--frames-out', har, ...FAST]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^wsmon: wrote \d+ frames of 2 endpoints to .*out\.har$/m);
    const file = JSON.parse(readFileSync(har, 'utf8')) as { log: { version: string; entries: { request: { url: string }; _webSocketMessages: unknown[] }[] } };
    expect(file.log.version).toBe('1.2');
    expect(file.log.entries.map((e) => new URL(e.request.url).pathname).sort()).toEqual(['/a', '/b']);
    const a = file.log.entries.find((e) => e.request.url.includes('/a'))!;
    expect(a._webSocketMessages).toContainEqual(expect.objectContaining({ type: 'receive', opcode: 1, data: 'from a' }));
    const b = file.log.entries.find((e) => e.request.url.includes('/b'))!;
    expect(b._webSocketMessages).toContainEqual(expect.objectContaining({ type: 'receive', opcode: 2, data: 'AAAA' }));

    const jsonl = join(dir, 'out.jsonl');
    await runCli(['watch', lab.url('/', { say: 'x' }), '--lines', '--frames-out', jsonl, ...FAST]);
    const lines = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(lines[0]!)).toEqual(['endpoint', 'handshake']);
    expect(lines.filter((l) => 'frame' in l).length).toBeGreaterThan(2);
  });

  it('--frames-out refuses a symlink or a missing folder before watching, in one sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-frames-'));
    writeFileSync(join(dir, 'target'), 'keep');
    symlinkSync(join(dir, 'target'), join(dir, 'link.har'));
    const link = await runCli(['watch', lab.url('/'), '--frames-out', join(dir, 'link.har'), ...FAST]);
    expect(link.code).toBe(2);
    expect(link.stderr).toMatch(/--frames-out: .*symbolic link/);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('keep');
    const missing = await runCli(['watch', lab.url('/'), '--frames-out', join(dir, 'nope', 'x.har'), ...FAST]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--frames-out: cannot write the frames file .*\(ENOENT\)/);
  });
});
