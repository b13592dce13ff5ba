import { describe, expect, it } from 'vitest';
import { isSecretParam, redactText, redactUrl } from '../../src/shared/redact';

describe('redaction', () => {
  it('hides passwords and token-like query values, keeps the rest', () => {
    expect(redactUrl('wss://bob:hunter2@feed.example.com/v1?token=abc123&room=7')).toBe('wss://bob:***@feed.example.com/v1?token=***&room=7');
    expect(redactUrl('ws://h/?api_key=k1&ApiKey=k2&sig=s&x=1')).toBe('ws://h/?api_key=***&ApiKey=***&sig=***&x=1');
    expect(redactUrl('ws://h:81/plain')).toBe('ws://h:81/plain');
  });
  it('leaves unparseable text alone rather than throwing', () => {
    expect(redactUrl('not a url')).toBe('not a url');
  });
  it('knows secret parameter names case-insensitively', () => {
    for (const n of ['token', 'ACCESS_TOKEN', 'access-token', 'password', 'jwt', 'X-Amz-Signature']) expect(isSecretParam(n)).toBe(true);
    for (const n of ['room', 'tokenizer', 'keyboard', 'v']) expect(isSecretParam(n)).toBe(false);
  });
  it('scrubs secrets out of free text such as error messages', () => {
    const raw = 'ws://u:s3cret@h/?token=t0ps3cret';
    const msg = `connect to ${raw} failed; retry with t0ps3cret and s3cret`;
    const out = redactText(msg, raw);
    expect(out).not.toContain('t0ps3cret');
    expect(out).not.toContain('s3cret');
    expect(out).toContain('ws://u:***@h/?token=***');
  });
});
