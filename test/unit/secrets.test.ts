// Secrets at rest, with a real cipher standing in for Electron's safeStorage (AES-256-GCM).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, saveConfig } from '../../src/core/app/config-store';
import { openSecrets, sealSecrets } from '../../src/core/app/secrets';
import { aes } from '../helpers/cipher';

const LIST = [
  { name: 'feed', url: 'wss://bob:hunter2@feed.example/v1?token=t0p-s3cret', headers: { Authorization: 'Bearer abc.def.ghi' } },
  { name: 'plain', url: 'ws://127.0.0.1:9/' },
];

describe('secrets at rest', () => {
  it('seals header values and secret-bearing URLs; the saved bytes hold none of them; they open again', () => {
    const cipher = aes();
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-secrets-')), 'endpoints.json');
    saveConfig(path, sealSecrets(LIST, cipher));
    const bytes = readFileSync(path, 'utf8');
    for (const secret of ['hunter2', 't0p-s3cret', 'abc.def.ghi', 'Bearer']) expect(bytes).not.toContain(secret);
    expect(bytes).toContain('ws://127.0.0.1:9/'); // nothing secret, left readable
    expect(loadConfig(path, { cipher })).toMatchObject({ entries: LIST.map((input) => ({ input })), problem: null, backup: null });
    const elsewhere = loadConfig(path, { cipher: aes() });
    expect(elsewhere.entries.map((e) => e.input.name)).toEqual(['plain']);
    expect(elsewhere.problem).toBe('the URL of feed could not be decrypted on this computer; enter it again');
  });

  it('a value sealed elsewhere is dropped and named, not guessed', () => {
    const sealed = sealSecrets(LIST, aes());
    const { endpoints, problems } = openSecrets(sealed, aes());
    expect(endpoints.map((e) => e.name)).toEqual(['plain']);
    expect(problems).toEqual(['the URL of feed could not be decrypted on this computer; enter it again']);
    const headerOnly = sealSecrets([{ name: 'h', url: 'ws://h/', headers: { 'X-Key': 'k' } }], aes());
    expect(openSecrets(headerOnly, aes())).toEqual({
      endpoints: [{ name: 'h', url: 'ws://h/', headers: {} }],
      problems: ['header X-Key of h could not be decrypted on this computer; enter it again'],
    });
  });
});
