import { describe, expect, it } from 'vitest';
import { DEFAULTS, defaultName, needsReconnect, parseEndpoint, validateEndpoint } from '../../src/shared/config';
import { formatPongMatch, parsePongMatch } from '../../src/shared/match-rule';
import { PRESETS } from '../../src/shared/presets';
import { formatDuration, parseDuration } from '../../src/shared/duration';

function problems(input: unknown): string[] {
  const r = validateEndpoint(input);
  if (r.ok) throw new Error('expected a problem');
  return r.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
}

describe('durations', () => {
  it('parses what people write', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('400')).toBe(400);
    for (const bad of ['', 'soon', '5 minutes', '-1s', '1e3', 's']) expect(parseDuration(bad)).toBeNull();
  });
  it('formats the shortest exact spelling', () => {
    expect([250, 1500, 10_000, 120_000, 7_200_000, 90_500].map(formatDuration)).toEqual(['250ms', '1.5s', '10s', '2m', '2h', '90.5s']);
  });
});

describe('endpoint config', () => {
  it('fills every default from one place', () => {
    const r = validateEndpoint({ url: 'ws://127.0.0.1:9/' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.heartbeat).toEqual(DEFAULTS.heartbeat);
    expect(r.value.backoff).toEqual(DEFAULTS.backoff);
    expect(r.value).toMatchObject({ connectTimeoutMs: 10_000, maxPayload: 16 * 1024 * 1024, rejectUnauthorized: true, headers: {}, protocols: [] });
  });

  it('accepts durations as text or milliseconds', () => {
    const r = validateEndpoint({ url: 'wss://x.example/', heartbeat: { intervalMs: '2s', timeoutMs: 750 }, backoff: { maxMs: '1m' } });
    expect(r.ok && [r.value.heartbeat.intervalMs, r.value.heartbeat.timeoutMs, r.value.backoff.maxMs]).toEqual([2000, 750, 60_000]);
  });

  it('names each problem in plain words, with the setting it belongs to', () => {
    expect(problems({ url: 'http://example.com/' })).toEqual(['url: URL must start with ws:// or wss:// (this one starts with http://)']);
    expect(problems({ url: 'not a url' })[0]).toMatch(/^url: not a valid URL/);
    expect(problems({})).toEqual(['url: URL is required']);
    expect(problems({ url: 'ws://h/#x' })[0]).toMatch(/fragment/);
    expect(problems({ url: 'ws://h/', heartbeat: { intervalMs: 'soon' } })).toEqual([
      'heartbeat.intervalMs: heartbeat interval must be a duration such as 500ms, 5s or 2m',
    ]);
    expect(problems({ url: 'ws://h/', heartbeat: { misses: 0 } })).toEqual(['heartbeat.misses: misses before dead must be at least 1']);
    expect(problems({ url: 'ws://h/', heartbeat: { mode: 'shout' } })).toEqual(['heartbeat.mode: heartbeat mode must be ping, message or passive']);
    expect(problems({ url: 'ws://h/', backoff: { jitter: 'lots' } })).toEqual(['backoff.jitter: jitter must be full, equal, decorrelated or none']);
    expect(problems({ url: 'ws://h/', backoff: { initialMs: '5s', maxMs: '1s' } })).toEqual([
      'backoff.maxMs: backoff maximum delay must not be shorter than the initial delay',
    ]);
    expect(problems({ url: 'ws://h/', headers: { 'Bad Name': 'x' } })).toEqual(['headers: "Bad Name" is not a valid header name']);
    expect(problems({ url: 'ws://h/', headers: { Upgrade: 'x' } })).toEqual(['headers: header "Upgrade" is set by the WebSocket handshake itself']);
    // A CR/LF in a value would be refused by Node at every attempt (ERR_INVALID_CHAR), retrying for ever: refuse it up front.
    for (const value of ['a\r\nX-B: 1', 'a\nb', 'nul\u0000']) {
      expect(problems({ url: 'ws://h/', headers: { 'X-A': value } })).toEqual([
        'headers: the value of header "X-A" has a line break or another control character, which HTTP does not allow',
      ]);
    }
    expect(validateEndpoint({ url: 'ws://h/', headers: { 'X-A': 'tab\tand ünïcode' } }).ok).toBe(true);
    expect(problems({ url: 'ws://h/', protocols: ['a b'] })).toEqual(['protocols.0: a subprotocol is a single token without spaces']);
    expect(problems({ url: 'ws://h/', colour: 'red' })).toEqual(['unknown setting "colour"']);
    expect(problems({ url: 'ws://h/', heartbeat: { match: { kind: 'regex', pattern: '(' } } })[0]).toMatch(
      /^heartbeat\.match\.pattern: invalid regular expression/,
    );
  });

  it('reports several problems at once', () => {
    expect(problems({ url: 'ftp://h/', heartbeat: { misses: -1 }, backoff: { multiplier: 0 } })).toHaveLength(3);
  });

  it('reads pong rules as exact text, /regex/flags or json:path=value', () => {
    expect(parsePongMatch('pong')).toEqual({ kind: 'exact', text: 'pong' });
    expect(parsePongMatch('/^PONG \\d+$/i')).toEqual({ kind: 'regex', pattern: '^PONG \\d+$', flags: 'i' });
    expect(parsePongMatch('json:type=pong')).toEqual({ kind: 'json', path: 'type', equals: 'pong' });
    expect(parsePongMatch('json:data.ok=true')).toEqual({ kind: 'json', path: 'data.ok', equals: true });
    expect(parsePongMatch('json:n=3')).toEqual({ kind: 'json', path: 'n', equals: 3 });
    for (const t of ['pong', '/a+/i', 'json:type=pong', 'json:n=3']) expect(formatPongMatch(parsePongMatch(t))).toBe(t);
  });

  it('names an endpoint after its (redacted) host and path', () => {
    expect(defaultName('ws://127.0.0.1:8080/')).toBe('127.0.0.1:8080');
    expect(defaultName('wss://feed.example.com/v2/ticks?room=1')).toBe('feed.example.com/v2/ticks?room=1');
  });
});

describe('answer rules with {seq}', () => {
  it('parse from the CLI form and validate, also as a unicode /regex/', () => {
    expect(parsePongMatch('json:id={seq}')).toEqual({ kind: 'json', path: 'id', equals: '{seq}' });
    expect(validateEndpoint({ url: 'ws://h/', heartbeat: { mode: 'message', match: { kind: 'regex', pattern: '"id":{seq}\\b', flags: 'u' } } }).ok).toBe(true);
  });
});

describe('stale temporary files', () => {
  it('are removed when the config is loaded, except those of a process still running', async () => {
    const { mkdtempSync, writeFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadConfig } = await import('../../src/core/app/config-store');
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-tmp-'));
    const path = join(dir, 'endpoints.json');
    writeFileSync(`${path}.tmp-999999`, '{"secret": "copy"}'); // a pid no process has
    writeFileSync(`${path}.tmp-${process.ppid}`, '{}'); // a running process: its save may be in flight
    writeFileSync(join(dir, 'other.tmp-1'), '{}');
    loadConfig(path);
    expect(readdirSync(dir).sort()).toEqual([`endpoints.json.tmp-${process.ppid}`, 'other.tmp-1']);
  });
});

describe('presets', () => {
  it('each is valid endpoint settings for its example URL', () => {
    for (const p of PRESETS) expect(validateEndpoint({ url: p.exampleUrl, preset: p.name }), p.name).toMatchObject({ ok: true });
  });

  it("lie under the endpoint's own settings, which win where both say something; the preset's name is kept", () => {
    const r = validateEndpoint({ url: 'wss://h/socket/websocket', preset: 'phoenix', heartbeat: { intervalMs: '5s' } });
    expect(r.ok && r.value).toMatchObject({
      preset: 'phoenix',
      heartbeat: { mode: 'message', intervalMs: 5000, timeoutMs: 10_000 },
      onOpen: { send: ['["1","1","room:lobby","phx_join",{}]'] },
    });
    expect(validateEndpoint({ url: 'ws://h/', preset: 'nope' })).toMatchObject({
      ok: false,
      problems: [{ path: 'preset', message: expect.stringMatching(/^preset must be one of phoenix, actioncable/) }],
    });
  });
});

describe('tags', () => {
  const base = { ...parseEndpoint({ url: 'ws://h/', tags: ['prod', 'eu'] }), id: 'x', name: 'x' };
  it('are checked: a word each, at most 16, none twice', () => {
    expect(base.tags).toEqual(['prod', 'eu']);
    expect(validateEndpoint({ url: 'ws://h/', tags: ['has space'] })).toMatchObject({ ok: false, problems: [{ path: 'tags.0' }] });
    expect(validateEndpoint({ url: 'ws://h/', tags: ['a', 'a'] })).toMatchObject({ ok: false, problems: [{ message: 'tags must not repeat' }] });
    expect(validateEndpoint({ url: 'ws://h/', tags: Array.from({ length: 17 }, (_, i) => `t${i}`) })).toMatchObject({ ok: false });
  });
  it('change without a reconnect, like the name and the frame capture; the URL still does', () => {
    expect(needsReconnect(base, { ...base, tags: ['staging'] })).toBe(false);
    expect(needsReconnect(base, { ...base, frames: { capture: false, count: 10, bytes: 8192 } })).toBe(false);
    expect(needsReconnect(base, { ...base, url: 'ws://other/' })).toBe(true);
  });
});

describe('tags in the endpoint list file', () => {
  it('are exported and imported with the endpoints', async () => {
    const { toSharedConfigFile, configFileSchema } = await import('../../src/shared/config-file');
    const file = toSharedConfigFile([{ ...parseEndpoint({ url: 'ws://h/', tags: ['prod'] }), id: 'a', name: 'a' }]);
    expect(file.endpoints[0]!.tags).toEqual(['prod']);
    expect(configFileSchema.parse(JSON.parse(JSON.stringify(file))).endpoints[0]!.tags).toEqual(['prod']);
  });
});
