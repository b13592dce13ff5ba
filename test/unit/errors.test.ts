// What Node and ws throw, named with a code a program can test and a sentence a person can read.
import { describe, expect, it } from 'vitest';
import { closedBeforeOpen, connectTimeout, httpRefusal, nameError, protocolCloseCode } from '../../src/core/engine/errors';
import { ConfigError, UnknownEndpointError, UsageError, WsmonError } from '../../src/shared/errors';

const err = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('engine errors', () => {
  it('names network errors by code, in words, in the connect phase', () => {
    expect(nameError(err('ECONNREFUSED'), '127.0.0.1:9', false)).toEqual({ phase: 'connect', code: 'ECONNREFUSED', message: 'connection refused by 127.0.0.1:9 (nothing is listening there)' });
    expect(nameError(err('ENOTFOUND'), 'nohost:80', false)).toEqual({ phase: 'connect', code: 'ENOTFOUND', message: 'host not found: DNS has no address for nohost:80' });
    expect(nameError(err('ECONNRESET'), 'h:1', false).message).toBe('connection reset by h:1');
  });

  it('names TLS problems as such, keeping the library text', () => {
    expect(nameError(err('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'h:443', false)).toEqual({
      phase: 'connect',
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      message: 'TLS certificate problem (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate',
    });
  });

  it('an invalid handshake answer is a handshake problem', () => {
    expect(nameError(new Error('Invalid Sec-WebSocket-Accept header'), 'h:1', false)).toMatchObject({ phase: 'handshake', code: 'HANDSHAKE_INVALID' });
  });

  it('after open, frame errors say what kind of problem and keep their close code', () => {
    expect(nameError(err('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'Max payload size exceeded'), 'h:1', true)).toEqual({
      phase: 'open',
      code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
      message: 'message too large: Max payload size exceeded',
    });
    expect(protocolCloseCode('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')).toBe(1009);
    expect(protocolCloseCode('WS_ERR_INVALID_UTF8')).toBe(1007);
    expect(protocolCloseCode('ECONNRESET')).toBeNull();
  });

  it('an unknown error keeps its own words, or says the connection failed', () => {
    expect(nameError(err('EWHATEVER', 'odd'), 'h:1', false)).toEqual({ phase: 'connect', code: 'EWHATEVER', message: 'odd' });
    expect(nameError(new Error(''), 'h:1', false)).toEqual({ phase: 'connect', code: 'CONNECT_FAILED', message: 'connection failed' });
  });

  it('refusals, timeouts and early closes', () => {
    expect(httpRefusal(503, 'Service Unavailable')).toEqual({ phase: 'handshake', code: 'HTTP_503', message: 'server refused the WebSocket upgrade with HTTP 503 Service Unavailable' });
    expect(connectTimeout(2000, 'h:1', false)).toMatchObject({ phase: 'connect', code: 'ETIMEDOUT' });
    expect(connectTimeout(2000, 'h:1', true)).toMatchObject({ phase: 'handshake', code: 'ETIMEDOUT' });
    expect(closedBeforeOpen('h:1')).toEqual({ phase: 'connect', code: 'ECONNRESET', message: 'connection to h:1 closed before the handshake finished' });
  });
});

describe('the one error type', () => {
  it('every kind carries its code and converts to the API body', () => {
    const problems = [{ path: 'url', message: 'URL is required' }];
    expect(new ConfigError(problems).body()).toEqual({ code: 'INVALID_CONFIG', message: 'url: URL is required', problems });
    expect(new UnknownEndpointError('x').body()).toEqual({ code: 'UNKNOWN_ENDPOINT', message: 'no endpoint with id "x"' });
    const usage = new UsageError('--port takes a number');
    expect([usage.code, usage.exitCode, usage instanceof WsmonError]).toEqual(['USAGE', 2, true]);
    const back = WsmonError.from({ code: 'INVALID_CONFIG', message: 'm', problems });
    expect([back instanceof WsmonError, back.code, back.problems]).toEqual([true, 'INVALID_CONFIG', problems]);
  });
});
