// Certificates for tests, made by openssl in the test's own folder.
import { execFileSync } from 'node:child_process';

/** openssl req arguments for a new unencrypted P-256 key. */
export const NEW_P256_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed P-256 certificate, NAME.pem and NAME.key in dir, valid for a day; extra openssl req arguments after. */
export function selfSigned(dir: string, name: string, subject: string, ...extra: string[]): void {
  execFileSync('openssl', ['req', '-x509', ...NEW_P256_KEY, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', subject, ...extra], {
    cwd: dir,
    stdio: 'pipe',
  });
}
