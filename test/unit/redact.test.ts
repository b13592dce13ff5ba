import { describe, expect, it } from 'vitest';
import { addSecretNames, isSecretParam, redactorFor, redactSecretShapes, redactUrl, urlSecrets } from '../../src/shared/redact';
import { endpointRedactor, maskSecrets, unmaskSecrets } from '../../src/shared/endpoint-secrets';
import { parseEndpoint } from '../../src/shared/config';

describe('redaction', () => {
  it('hides passwords and token-like query values, keeps the rest', () => {
    expect(redactUrl('wss://bob:hunter2@feed.example.com/v1?token=abc123&room=7')).toBe('wss://***:***@feed.example.com/v1?token=***&room=7');
    // A user name alone is often the token itself; ;name=value path parameters are masked like query ones.
    expect(redactUrl('wss://T0KEN@h/feed;token=abc;room=1')).toBe('wss://***@h/feed;token=***;room=1');
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
    for (const n of [
      'auth_token',
      'authToken',
      'private_token',
      'x-api-key',
      'access_key',
      'bearer',
      'ticket',
      'otp',
      'hmac',
      'pass',
      'X-Amz-Security-Token',
      'clientSecret',
      'session_id',
    ])
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
    const out = redactorFor(urlSecrets(raw))(msg);
    expect(out).not.toContain('t0ps3cret');
    expect(out).not.toContain('s3cret');
    expect(out).toBe('connect to ws://***:***@h/?token=*** failed; retry with *** and ***');
  });

  it('masks secret-shaped text whoever wrote it: name=value, name: value, JSON members, Bearer credentials, URL userinfo', () => {
    const echoed =
      'HTTP/1.1 403 denied GET /x?token=abc123&api_key=k3y9&room=7 auth=Bearer eyJhbGci.x.y {"password": "pw12", "user": "bob"} X-Api-Key: zz99 wss://joe:pw@h/';
    expect(redactSecretShapes(echoed)).toBe(
      'HTTP/1.1 403 denied GET /x?token=***&api_key=***&room=7 auth=*** *** {"password": "***", "user": "bob"} X-Api-Key: *** wss://***:***@h/',
    );
    // Ordinary text stays: times, hosts and ports, words that merely contain a secret word.
    for (const plain of ['at 12:30:45', 'ws://127.0.0.1:8080/', 'keyboard=1 passive: yes', 'heartbeat #3 failed: timeout'])
      expect(redactSecretShapes(plain)).toBe(plain);
  });

  it('finishes on hostile text built to make a backtracking pattern rescan (a quadratic one would outlast the test timeout)', () => {
    for (const plain of ['a'.repeat(200_000), 'a='.repeat(100_000), 'x://'.repeat(50_000), `${'a'.repeat(100_000)}:`])
      expect(redactSecretShapes(plain)).toBe(plain);
    expect(redactSecretShapes('Bearer '.repeat(30_000))).toMatch(/^Bearer \*\*\* Bearer \*\*\* /);
  });

  it("an endpoint's redactor masks every known secret it holds wherever it appears; its settings leave masked and come back whole", () => {
    const config = {
      ...parseEndpoint({
        url: 'wss://TOKEN1234@h/feed;sig=s1g5;x=1?room=1',
        headers: { Authorization: 'Bearer abcdefgh12345', 'X-Tenant': 'tenant-77' },
        clientCert: '/c.pem',
        clientKey: '/k.pem',
        clientKeyPassphrase: 'hunter22',
        appProtocol: { name: 'socketio', auth: { token: 'sock3t-t0ken' } },
      }),
      id: 'x',
      name: 'x',
    };
    const redact = endpointRedactor(config);
    expect(redact('server said: TOKEN1234 / abcdefgh12345 / tenant-77 / hunter22 / sock3t-t0ken / s1g5')).toBe(
      'server said: *** / *** / *** / *** / *** / ***',
    );
    const masked = maskSecrets(config);
    expect(JSON.stringify(masked)).not.toMatch(/TOKEN1234|abcdefgh|tenant-77|hunter22|sock3t|s1g5/);
    expect(masked.appProtocol).toEqual({ name: 'socketio', namespace: '/', auth: { token: '***' } });
    expect(unmaskSecrets(masked, config)).toEqual(config);
    // A secret the user typed anew replaces the old one.
    expect(unmaskSecrets({ ...masked, headers: { ...masked.headers, 'X-Tenant': 'tenant-88' } }, config).headers).toEqual({
      Authorization: 'Bearer abcdefgh12345',
      'X-Tenant': 'tenant-88',
    });
  });
});
