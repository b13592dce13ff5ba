// Electron's safeStorage as the cipher for secrets at rest (core/secrets),
// when the platform offers one (on Linux it needs a keyring).
import { safeStorage } from 'electron';
import type { Cipher } from '../core/app/secrets';

export function platformCipher(): Cipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
