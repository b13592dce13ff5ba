// What Node and ws throw, named with a code a program can test and a sentence a person can read.
import { describe, expect, it } from 'vitest';
import { closedBeforeOpen, connectTimeout, httpRefusal, nameError, protocolCloseCode } from '../../src/core/engine/errors';
import { ConfigError, UnknownEndpointError, UsageError, WsmonError } from '../../src/shared/errors';
import { alertOf, tlsFailure, type TlsContext } from '../../src/core/engine/tls';

const err = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('engine errors', () => {
  it('names network errors by code, in words, in the connect phase', () => {
    expect(nameError(err('ECONNREFUSED'), '127.0.0.1:9', false)).toEqual({
      phase: 'connect',
      code: 'ECONNREFUSED',
      message: 'connection refused by 127.0.0.1:9 (nothing is listening there)',
    });
    expect(nameError(err('ENOTFOUND'), 'nohost:80', false)).toEqual({
      phase: 'connect',
      code: 'ENOTFOUND',
      message: 'host not found: DNS has no address for nohost:80',
    });
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
    expect(httpRefusal(503, 'Service Unavailable')).toEqual({
      phase: 'handshake',
      code: 'HTTP_503',
      message: 'server refused the WebSocket upgrade with HTTP 503 Service Unavailable',
    });
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

describe('TLS failures named by alert and by what the server asked for', () => {
  const ctx = (over: Partial<TlsContext>): TlsContext => ({ sentCert: false, certRequested: false, handshakeDone: false, gotResponse: false, ...over });
  const openssl = (n: number, name: string) => ({
    code: `ERR_SSL_SSLV3_ALERT_${name.toUpperCase()}`,
    message: `error:0A000412:SSL routines::sslv3 alert ${name.replace(/_/g, ' ')}:../ssl/record/rec_layer_s3.c:1605:SSL alert number ${n}\n`,
  });

  it('reads the alert number from the message or the code', () => {
    expect(alertOf('', 'SSL alert number 48')).toBe(48);
    expect(alertOf('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'x')).toBe(116);
    expect(alertOf('ECONNRESET', 'read ECONNRESET')).toBeNull();
  });

  it('a Go server that asked for a certificate and got none answers bad_certificate (42): certificate required, not a server certificate problem', () => {
    expect(tlsFailure(openssl(42, 'bad_certificate'), ctx({ certRequested: true }))).toMatchObject({ code: 'CLIENT_CERT_REQUIRED' });
  });

  it("a certificate alert after one was sent is the client certificate refused, in words, without OpenSSL's text", () => {
    const named = tlsFailure(openssl(48, 'unknown_ca'), ctx({ sentCert: true, certRequested: true, handshakeDone: true }));
    expect(named).toEqual({
      phase: 'handshake',
      code: 'CLIENT_CERT_REFUSED',
      message: "the server refused the client certificate (TLS alert 48 unknown_ca: the certificate's issuer is not trusted)",
    });
  });

  it('other alerts are named by number and name; a reset with no certificate in play is no TLS matter', () => {
    expect(tlsFailure(openssl(70, 'protocol_version'), ctx({}))).toEqual({
      phase: 'connect',
      code: 'TLS_ALERT_PROTOCOL_VERSION',
      message: 'the server ended the TLS handshake (TLS alert 70 protocol_version: no TLS version both sides support)',
    });
    expect(tlsFailure({ code: 'ECONNRESET', message: 'read ECONNRESET' }, ctx({ handshakeDone: true }))).toBeNull();
    expect(tlsFailure({ code: 'ECONNRESET', message: 'read ECONNRESET' }, ctx({ handshakeDone: true, certRequested: true, gotResponse: true }))).toBeNull();
  });
});
