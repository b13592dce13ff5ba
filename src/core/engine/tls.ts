// Client certificates (mutual TLS): checked once, when the config is accepted,
// and TLS failures named for people.
import { createSecureContext } from 'node:tls';
import type { NamedError } from './errors';

/** Why a client certificate and key cannot be used together, in words; null when they can. */
export function clientKeyProblem(cert: Buffer, key: Buffer, passphrase: string | undefined): string | null {
  try {
    createSecureContext({ cert, key, passphrase });
    return null;
  } catch (e) {
    const err = e as Error & { code?: string; reason?: string };
    const why = `${err.code ?? ''} ${err.reason ?? ''} ${err.message}`;
    if (/BAD_DECRYPT|bad decrypt|interrupted or cancelled|passphrase/i.test(why)) {
      return passphrase === undefined
        ? 'the client key is encrypted: give its passphrase (clientKeyPassphrase)'
        : 'the client key could not be decrypted with that passphrase';
    }
    if (/KEY_VALUES_MISMATCH|key values mismatch/i.test(why)) return 'the client key does not belong to the client certificate';
    return `the client certificate or key could not be used (${err.code ?? err.message})`;
  }
}

/** TLS alerts by number (RFC 8446 §6, RFC 5246 §7.2), with what each means for the person reading. */
const ALERTS: Record<number, [name: string, words: string]> = {
  10: ['unexpected_message', 'a message arrived out of order'],
  20: ['bad_record_mac', 'a record failed its integrity check'],
  22: ['record_overflow', 'a record was too long'],
  40: ['handshake_failure', 'no acceptable set of security parameters'],
  42: ['bad_certificate', 'a certificate was corrupt or failed its signature check'],
  43: ['unsupported_certificate', 'a certificate was of an unsupported type'],
  44: ['certificate_revoked', 'a certificate was revoked by its signer'],
  45: ['certificate_expired', 'a certificate has expired or is not yet valid'],
  46: ['certificate_unknown', 'a certificate could not be accepted'],
  47: ['illegal_parameter', 'a handshake field was out of range'],
  48: ['unknown_ca', "the certificate's issuer is not trusted"],
  49: ['access_denied', 'the peer refused access'],
  50: ['decode_error', 'a message could not be decoded'],
  51: ['decrypt_error', 'a signature or key exchange failed'],
  70: ['protocol_version', 'no TLS version both sides support'],
  71: ['insufficient_security', 'the peer demands stronger ciphers'],
  80: ['internal_error', 'the peer failed internally'],
  86: ['inappropriate_fallback', 'a downgrade was refused'],
  90: ['user_canceled', 'the peer canceled the handshake'],
  109: ['missing_extension', 'a required extension was missing'],
  110: ['unsupported_extension', 'an extension was not expected'],
  112: ['unrecognized_name', 'the server knows no such host name (SNI)'],
  113: ['bad_certificate_status_response', 'a certificate status (OCSP) answer was bad'],
  115: ['unknown_psk_identity', 'the pre-shared key is unknown'],
  116: ['certificate_required', 'the server requires a client certificate'],
  120: ['no_application_protocol', 'no application protocol (ALPN) both sides support'],
};
const ALERT_BY_NAME = new Map(Object.entries(ALERTS).map(([n, [name]]) => [name.replace(/_/g, ''), Number(n)]));
/** Alerts about a certificate: after a client certificate was asked for or sent, they are about that one. */
const CERT_ALERTS = new Set([42, 43, 44, 45, 46, 48, 49, 116]);

/** The alert in a TLS error: "SSL alert number 42", or the code's ERR_SSL_…_ALERT_BAD_CERTIFICATE. Null when it is none. */
export function alertOf(code: string, message: string): number | null {
  const n = /alert number (\d+)/i.exec(message);
  if (n) return Number(n[1]);
  const named = /_ALERT_([A-Z_]+)$/.exec(code);
  return named ? (ALERT_BY_NAME.get(named[1]!.toLowerCase().replace(/_/g, '')) ?? null) : null;
}

/** What the client knew of the TLS exchange when it failed. */
export interface TlsContext {
  /** A client certificate was configured (and so offered when asked for). */
  sentCert: boolean;
  /** The server asked for a client certificate (its CertificateRequest: shared signature algorithms exist). */
  certRequested: boolean;
  /** The handshake had completed on the client's side (TLS 1.3: the server checks a client certificate after this). */
  handshakeDone: boolean;
  /** The server had begun answering the upgrade (then a reset is no longer about the handshake). */
  gotResponse: boolean;
}

const REQUIRED: NamedError = {
  phase: 'handshake',
  code: 'CLIENT_CERT_REQUIRED',
  message: 'the server asks for a client certificate and none was sent (set clientCert and clientKey)',
};
const alertText = (n: number) => `TLS alert ${n} ${ALERTS[n]?.[0] ?? 'unknown'}${ALERTS[n] ? `: ${ALERTS[n]![1]}` : ''}`;

/**
 * A TLS failure named in words: an alert by its number and name, and an alert
 * about a certificate — or a reset right after the handshake, before any
 * answer to the upgrade — when the server asked for a client certificate or
 * one was sent, as that certificate's problem. Null when it is no TLS matter.
 */
export function tlsFailure(err: { code?: string; message: string }, ctx: TlsContext): NamedError | null {
  const code = err.code ?? '';
  const alert = alertOf(code, err.message);
  const aboutClientCert = ctx.certRequested || ctx.sentCert;
  if (alert !== null) {
    if (alert === 116 || (alert === 40 && ctx.certRequested && !ctx.sentCert)) return REQUIRED;
    if (CERT_ALERTS.has(alert) && aboutClientCert && (ctx.handshakeDone || ctx.certRequested)) {
      return ctx.sentCert
        ? { phase: 'handshake', code: 'CLIENT_CERT_REFUSED', message: `the server refused the client certificate (${alertText(alert)})` }
        : REQUIRED;
    }
    if (alert === 40 && !ctx.sentCert && !ctx.handshakeDone)
      return {
        phase: 'connect',
        code: 'TLS_ALERT_HANDSHAKE_FAILURE',
        message: `the server ended the TLS handshake (${alertText(alert)}); if it requires a client certificate, set clientCert and clientKey`,
      };
    return {
      phase: 'connect',
      code: `TLS_ALERT_${(ALERTS[alert]?.[0] ?? String(alert)).toUpperCase()}`,
      message: `the server ended the TLS handshake (${alertText(alert)})`,
    };
  }
  // Servers that check the certificate and drop the connection without an alert (Node's own, Python's asyncio).
  const dropped = /ECONNRESET|EPIPE/.test(code) || /disconnected before secure TLS connection was established|socket hang up/i.test(err.message);
  if (dropped && !ctx.gotResponse && (ctx.certRequested || (ctx.sentCert && !ctx.handshakeDone))) {
    if (!ctx.sentCert) return REQUIRED;
    return {
      phase: 'handshake',
      code: 'CLIENT_CERT_REFUSED',
      message:
        'the server asked for a client certificate and cut the connection once it had the one sent, without saying why: it most likely refused the certificate',
    };
  }
  return null;
}
