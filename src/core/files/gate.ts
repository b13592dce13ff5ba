// The one gate every file wsmon reads or writes goes through. A monitor may run
// as root and reads paths users and other programs name, so:
//   - reads take a regular file only (a FIFO would block the process, /dev/zero
//     would fill memory), opened non-blocking, with a size bound;
//   - writes never go through a symlink and never into a device, FIFO or
//     folder: the file must be a regular file or not exist yet;
//   - a file's mode is set only when wsmon created it (never chmod what was there);
//   - a refusal is one sentence naming the path and what it is, never quoting content.
// Every check is made on the opened descriptor too, so a swap between the check
// and the open cannot slip a different file in.
import {
  closeSync,
  constants,
  createWriteStream,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
  type WriteStream,
} from 'node:fs';
import { fdatasync, write as writeCb } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { promisify } from 'node:util';
import { basename, dirname, join } from 'node:path';

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW, O_NONBLOCK } = constants;

/** A file wsmon will not read or write, in one sentence naming it; `code` for programs (ENOENT, ENOTREG, EFBIG …). */
export class FileGateError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a path is when it is not a regular file, in words; null for a regular file. */
export function notRegular(st: Stats): string | null {
  return st.isFile() ? null : kindOf(st);
}

/** What a path is, in words. */
function kindOf(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'neither a file nor a folder';
}

const refuseKind = (what: string, path: string, kind: string, action: string) =>
  new FileGateError('ENOTREG', `the ${what} "${path}" is ${kind}; wsmon ${action} regular files only`);

/** A system error from opening or reading, as one sentence with its code (ENOENT, EACCES …). */
function failed(e: unknown, what: string, path: string, action: string): FileGateError {
  if (e instanceof FileGateError) return e;
  const code = (e as { code?: string }).code ?? 'EIO';
  if (code === 'ELOOP') return refuseKind(what, path, 'a symbolic link', action);
  return new FileGateError(code, `cannot ${action === 'reads' ? 'read' : 'write'} the ${what} "${path}" (${code})`);
}

export interface ReadOptions {
  /** Named in messages: "config file", "CA file", "saved endpoints". */
  what: string;
  maxBytes: number;
  /**
   * False for files wsmon itself keeps (its data folder): those are never
   * symlinks, so one found there was put by someone else and is refused. A
   * file the user names may be a symlink; its target is checked like a file.
   */
  followSymlinks?: boolean;
}

/** The whole of a regular file of at most maxBytes. Throws FileGateError (code ENOENT when it does not exist). */
export function readGated(path: string, { what, maxBytes, followSymlinks = true }: ReadOptions): Buffer {
  let fd: number;
  try {
    // Looked at before opening: opening some devices (a tape, a modem) acts on them.
    checkRegular(followSymlinks ? statSync(path) : lstatSync(path), what, path, 'reads', maxBytes);
    fd = openSync(path, O_RDONLY | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW));
  } catch (e) {
    throw failed(e, what, path, 'reads');
  }
  try {
    const size = checkRegular(fstatSync(fd), what, path, 'reads', maxBytes);
    // Read one byte past the size: a file that grew since is refused, not cut.
    const buf = Buffer.alloc(Math.min(size + 1, maxBytes + 1));
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off > maxBytes) throw tooLarge(what, path, off, maxBytes);
    return buf.subarray(0, off);
  } catch (e) {
    throw failed(e, what, path, 'reads');
  } finally {
    closeSync(fd);
  }
}

/**
 * An open regular file to stream from (a session log, a history snapshot: no
 * size bound, readers bound what they take). The caller closes it.
 * `followSymlinks` as for readGated.
 */
export function openForStreaming(path: string, what: string, { followSymlinks = true }: { followSymlinks?: boolean } = {}): number {
  try {
    checkRegular(followSymlinks ? statSync(path) : lstatSync(path), what, path, 'reads', Infinity);
    const fd = openSync(path, O_RDONLY | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW));
    try {
      checkRegular(fstatSync(fd), what, path, 'reads', Infinity);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return fd;
  } catch (e) {
    throw failed(e, what, path, 'reads');
  }
}

const tooLarge = (what: string, path: string, size: number, max: number) =>
  new FileGateError('EFBIG', `the ${what} "${path}" is ${size > max ? `larger than ${max}` : size} bytes; at most ${max} are read`);

function checkRegular(st: Stats, what: string, path: string, action: string, maxBytes: number): number {
  const kind = notRegular(st);
  if (kind) throw refuseKind(what, path, kind, action);
  if (st.size > maxBytes) throw new FileGateError('EFBIG', `the ${what} "${path}" is ${st.size} bytes; at most ${maxBytes} are read`);
  return st.size;
}

export interface OpenedForWrite {
  fd: number;
  /** True when this call created the file (so its mode is ours to set). */
  created: boolean;
  /** Its size when opened (0 when created or truncated). */
  size: number;
}

/**
 * Opens a file for writing: created (mode 0600) when it does not exist, else
 * only if it is a regular file, never through a symlink. `append` keeps what
 * is there (and allows reading it back); otherwise it is emptied.
 */
export function openForWrite(path: string, what: string, { append = false }: { append?: boolean } = {}): OpenedForWrite {
  const flags = (append ? O_RDWR | O_APPEND : O_WRONLY) | O_NOFOLLOW | O_NONBLOCK;
  try {
    return { fd: openSync(path, flags | O_CREAT | O_EXCL, 0o600), created: true, size: 0 };
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw failed(e, what, path, 'writes');
  }
  try {
    checkRegular(lstatSync(path), what, path, 'writes', Infinity);
    const fd = openSync(path, flags);
    try {
      const size = checkRegular(fstatSync(fd), what, path, 'writes', Infinity);
      if (!append) ftruncateSync(fd, 0);
      return { fd, created: false, size: append ? size : 0 };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  } catch (e) {
    throw failed(e, what, path, 'writes');
  }
}

/** Writes a whole buffer to a descriptor. */
export function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
}

/**
 * Replaces a file atomically (a temporary file in the same folder, fsync,
 * rename, fsync of the folder): after a crash the file is the old one or the
 * new one, never half of each. The target must be a regular file or absent.
 */
export function writeAtomic(path: string, data: string | Buffer, what: string): void {
  const tmp = atomicTemp(path, what);
  const { fd } = openForWrite(tmp, what);
  try {
    writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  atomicRename(tmp, path);
}

const writeAsync = promisify(writeCb);
const syncAsync = promisify(fdatasync);

/**
 * writeAtomic for data too large to write while the process waits (a history
 * snapshot): `parts` are written in turn without blocking the event loop, each
 * asked for only once the one before is written (a generator may make them as
 * they are needed, in one buffer); each must not change until then.
 */
export async function writeAtomicParts(path: string, parts: Iterable<Uint8Array>, what: string): Promise<void> {
  const tmp = atomicTemp(path, what);
  const { fd } = openForWrite(tmp, what);
  try {
    for (const part of parts) for (let off = 0; off < part.length;) off += (await writeAsync(fd, part, off, part.length - off)).bytesWritten;
    await syncAsync(fd);
  } finally {
    closeSync(fd);
  }
  // Off the event loop too: renaming over the last snapshot frees its blocks, 38 ms for 137 MB here (10,000 endpoints: ten times that).
  await rename(tmp, path);
  await syncFolderAsync(dirname(path));
}

/** The temporary file an atomic write fills first: PATH.tmp-PID, checked and emptied of an earlier failed write's leftover. */
function atomicTemp(path: string, what: string): string {
  checkReplaceable(path, what);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    unlinkSync(tmp); // our own leftover from an earlier failed write: never reused
  } catch {
    /* none */
  }
  return tmp;
}

function atomicRename(tmp: string, path: string): void {
  renameSync(tmp, path);
  // The rename itself must reach the disk, or a crash could bring back the old name.
  syncFolder(dirname(path));
}

/**
 * Removes what an earlier process left when it was killed between writing its
 * temporary copy and renaming it (PATH.tmp-PID): a full copy of the file, with
 * whatever secrets it held, that would otherwise stay for ever. Only the files
 * of processes no longer running: a write in flight is left alone.
 */
export function removeStaleTemps(path: string): void {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !Number.isInteger(pid) || (pid !== process.pid && isRunning(pid))) continue;
    removeRegular(join(dirname(path), name));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Throws FileGateError unless writeAtomic could replace `path`: a regular
 * file or nothing there, in a folder that exists. Said before a long run whose
 * result goes there, not at its end.
 */
export function checkReplaceable(path: string, what: string): void {
  try {
    checkRegular(lstatSync(path), what, path, 'writes', Infinity);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw failed(e, what, path, 'writes');
    try {
      if (!lstatSync(dirname(path)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (e2) {
      throw failed(e2, what, path, 'writes');
    }
  }
}

/** syncFolder without the event loop waiting for the disk. */
async function syncFolderAsync(dir: string): Promise<void> {
  try {
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    /* not supported here (Windows): renames are still atomic */
  }
}

/** Makes renames in a folder durable across a power loss, where the platform allows it. */
export function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported here (Windows): renames are still atomic */
  }
}

/**
 * A folder for wsmon's own files: created with mode 0700 if it does not
 * exist; an existing one must be a real folder (not a symlink to one) and
 * keeps its mode. Parents are created as needed and may be symlinks.
 */
export function ensureFolder(path: string, what: string): { created: boolean } {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      mkdirSync(path, { mode: 0o700 });
      return { created: true };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    }
    const st = lstatSync(path);
    if (!st.isDirectory()) throw new FileGateError('ENOTDIR', `the ${what} "${path}" is ${kindOf(st)}; wsmon keeps its files in a real folder only`);
    return { created: false };
  } catch (e) {
    if (e instanceof FileGateError) throw e;
    throw new FileGateError((e as { code?: string }).code ?? 'EIO', `cannot use the ${what} "${path}" (${(e as { code?: string }).code ?? 'EIO'})`);
  }
}

/** A write stream to a file opened by openForWrite (an export the user names): truncated, never through a symlink or into a device. */
export function writeStreamGated(path: string, what: string): WriteStream {
  return createWriteStream('', { fd: openForWrite(path, what).fd });
}

/**
 * Deletes `path` if it is a regular file (never what a symlink points to, a
 * folder or a device): says whether it did. Size and time read by the caller
 * come from the same lstat, so what is deleted is what was judged.
 */
export function removeRegular(path: string): boolean {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st?.isFile()) return false;
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}
