// Files a setting names (CA certificates): read once, only when they are regular files of sane size.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUserFile, USER_FILE_MAX_BYTES } from '../../src/core/engine/user-file';

const dir = mkdtempSync(join(tmpdir(), 'wsmon-file-'));

describe('readUserFile', () => {
  it('reads a regular file whole', () => {
    const path = join(dir, 'ca.pem');
    writeFileSync(path, '-----BEGIN CERTIFICATE-----\n');
    expect(readUserFile(path, 'CA file').toString()).toBe('-----BEGIN CERTIFICATE-----\n');
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    expect(() => readUserFile(path, 'CA file')).toThrow(`the CA file "${path}" is not a regular file`);
  });

  it('refuses a device that never ends (/dev/zero) and a folder', () => {
    expect(() => readUserFile('/dev/zero', 'CA file')).toThrow('the CA file "/dev/zero" is not a regular file');
    expect(() => readUserFile(dir, 'CA file')).toThrow(`the CA file "${dir}" is not a regular file`);
  });

  it('refuses a file larger than the bound', () => {
    const path = join(dir, 'huge.pem');
    writeFileSync(path, Buffer.alloc(USER_FILE_MAX_BYTES + 1));
    expect(() => readUserFile(path, 'CA file')).toThrow(`the CA file "${path}" is ${USER_FILE_MAX_BYTES + 1} bytes; at most ${USER_FILE_MAX_BYTES} are read`);
  });

  it('names a missing file by its error code', () => {
    expect(() => readUserFile(join(dir, 'missing.pem'), 'CA file')).toThrow(/cannot read the CA file ".*missing\.pem" \(ENOENT\)/);
  });
});
