import { describe, expect, it } from 'vitest';
import { addSecretNames, isSecretParam, redactText, redactUrl } from '../../src/shared/redact';

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
    for (const n of ['room', 'tokenizer', 'keyboard', 'v', 'passive', 'sidebar', 'monkey', 'format']) expect(isSecretParam(n)).toBe(false);
  });

  it('knows them under the names services use: snake, kebab, camel and prefixed', () => {
    for (const n of ['auth_token', 'authToken', 'private_token', 'x-api-key', 'access_key', 'bearer', 'ticket', 'otp', 'hmac', 'pass', 'X-Amz-Security-Token', 'clientSecret', 'session_id'])
      expect(isSecretParam(n), n).toBe(true);
    expect(redactUrl('ws://h/?auth_token=S&room=1&authToken=S2&x-api-key=S3')).toBe('ws://h/?auth_token=***&room=1&authToken=***&x-api-key=***');
  });

  it('takes extra names the user declares secret', () => {
    expect(isSecretParam('tenant_cookie_jar')).toBe(true); // 'cookie' is a word of it
    expect(isSecretParam('magic')).toBe(false);
    addSecretNames(['magic', 'X-Shop-Pin']);
    expect(isSecretParam('magic')).toBe(true);
    expect(isSecretParam('x_shop_pin')).toBe(true);
    expect(redactUrl('ws://h/?magic=S&room=1')).toBe('ws://h/?magic=***&room=1');
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
