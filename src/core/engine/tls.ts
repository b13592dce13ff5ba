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
      return passphrase === undefined ? 'the client key is encrypted: give its passphrase (clientKeyPassphrase)' : 'the client key could not be decrypted with that passphrase';
    }
    if (/KEY_VALUES_MISMATCH|key values mismatch/i.test(why)) return 'the client key does not belong to the client certificate';
    return `the client certificate or key could not be used (${err.code ?? err.message})`;
  }
}

/**
 * A TLS alert from a server that asks for a client certificate: none was sent,
 * or it refused the one sent. Null when the error is not about the client's certificate.
 */
export function clientCertRefusal(code: string, message: string, sentCert: boolean): NamedError | null {
  const alert = `${code} ${message}`;
  if (/CERTIFICATE_REQUIRED|certificate required/i.test(alert) || (!sentCert && /HANDSHAKE_FAILURE|handshake failure/i.test(alert))) {
    return { phase: 'handshake', code: 'CLIENT_CERT_REQUIRED', message: 'the server asks for a client certificate and none was sent (set clientCert and clientKey)' };
  }
  if (sentCert && /UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|HANDSHAKE_FAILURE|unknown ca|bad certificate/i.test(alert)) {
    return { phase: 'handshake', code: 'CLIENT_CERT_REFUSED', message: `the server refused the client certificate (${code || message})` };
  }
  // Some servers (Node's own among them) check the certificate and drop the connection without an alert.
  if (sentCert && /disconnected before secure TLS connection was established/i.test(message)) {
    return { phase: 'handshake', code: 'CLIENT_CERT_REFUSED', message: 'the server cut the TLS handshake off after the client certificate was sent: it most likely refused the certificate' };
  }
  return null;
}
