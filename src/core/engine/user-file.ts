// Reads a file the user named (a CA certificate, a client key), once, when the
// setting is accepted. Only a regular file of sane size is read: a FIFO would
// block the whole process and /dev/zero would fill memory.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fileErrorText } from '../../shared/errors';

/** The largest file a setting may name (a PEM bundle of several hundred certificates fits). */
export const USER_FILE_MAX_BYTES = 1024 * 1024;

export class UserFileError extends Error {}

export function readUserFile(path: string, what: string, maxBytes = USER_FILE_MAX_BYTES): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new UserFileError(`cannot read the ${what} "${path}" (${fileErrorText(e)})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserFileError(`the ${what} "${path}" is not a regular file`);
    if (st.size > maxBytes) throw new UserFileError(`the ${what} "${path}" is ${st.size} bytes; at most ${maxBytes} are read`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}
