// The kernel's smoothed RTT of the very socket a connection runs on: Linux's
// TCP_INFO (tcpi_rtt, tcpi_rttvar, in µs), macOS's TCP_CONNECTION_INFO
// (tcpi_srtt, tcpi_rttvar, in ms). One getsockopt per heartbeat answer, no
// traffic of our own. Node has no binding for it, so it goes through koffi, an
// FFI library whose npm package carries prebuilt N-API binaries (it loads in
// Electron unchanged). Where it cannot be read, the reader says why once and
// every sample is null: never a guess.
import type { Socket } from 'node:net';
import { lazy } from './lazy';

export interface NetworkRtt {
  rttMs: number;
  rttVarMs: number;
}

/** How each kernel lays the facts out: the option, the buffer's size and where the two numbers are. */
interface Layout {
  libc: readonly string[];
  level: number;
  option: number;
  size: number;
  rttAt: number;
  varAt: number;
  /** Units of the numbers per millisecond (divided, not multiplied: 89 µs is 0.089 ms, not 0.08900000000000001). */
  perMs: number;
}

// Offsets from linux/tcp.h (struct tcp_info: 8 one-byte fields, then u32s; tcpi_rtt is the 18th u32)
// and from XNU's netinet/tcp.h (struct tcp_connection_info: 4 bytes, then u32s; tcpi_srtt is the 11th).
export const LAYOUTS: Partial<Record<NodeJS.Platform, Layout>> = {
  linux: { libc: ['libc.so.6', 'libc.so'], level: 6, option: 11, size: 104, rttAt: 68, varAt: 72, perMs: 1000 },
  darwin: { libc: ['/usr/lib/libSystem.B.dylib'], level: 6, option: 0x106, size: 112, rttAt: 44, varAt: 48, perMs: 1 },
};

/** The two numbers out of the kernel's buffer; null when the kernel has no sample yet (a zero RTT). */
export function parseTcpInfo(layout: Layout, buf: DataView): NetworkRtt | null {
  const rtt = buf.getUint32(layout.rttAt, true);
  if (rtt === 0) return null;
  return { rttMs: rtt / layout.perMs, rttVarMs: buf.getUint32(layout.varAt, true) / layout.perMs };
}

/**
 * The file descriptor under a socket: a TCP socket's own, or (TLS, whether
 * ws's own or a proxy tunnel's) the TCP handle the TLS layer wraps; null when
 * there is none (closed, or a platform without descriptors).
 */
export function socketFd(socket: Socket): number | null {
  const handle = (socket as unknown as { _handle?: { fd?: number; _parent?: { fd?: number } } | null })._handle;
  const fd = handle?.fd !== undefined && handle.fd >= 0 ? handle.fd : handle?._parent?.fd;
  return fd !== undefined && fd >= 0 ? fd : null;
}

export interface KernelRtt {
  /** The network RTT of the socket on `fd` now; null when the kernel has none. Absent when unavailable. */
  read?: (fd: number) => NetworkRtt | null;
  /** Why the kernel's RTT cannot be read here, in one sentence; null when it can. */
  unavailable: string | null;
}

type Koffi = {
  load(path: string): { func(signature: string): (...args: unknown[]) => number };
  alloc(type: string, length: number): unknown;
  view(ref: unknown, length: number): ArrayBuffer;
};
const koffi = lazy<Koffi>('koffi');

function open(platform: NodeJS.Platform): KernelRtt {
  const layout = LAYOUTS[platform];
  if (!layout) return { unavailable: `the network RTT is not read on ${platform}: its kernel's TCP facts are not wired up in wsmon` };
  let ffi: Koffi;
  let getsockopt: ((...args: unknown[]) => number) | null = null;
  let why = '';
  try {
    ffi = koffi();
    for (const path of layout.libc) {
      try {
        getsockopt = ffi.load(path).func('int getsockopt(int fd, int level, int name, void *value, void *length)');
        break;
      } catch (e) {
        why = (e as Error).message;
      }
    }
  } catch (e) {
    why = `koffi did not load (${(e as Error).message.split('\n')[0]})`;
  }
  if (!getsockopt) return { unavailable: `the network RTT cannot be read: ${why}` };
  const call = getsockopt;
  // One pair of buffers in native memory for every call (the engine reads one socket at a time, on one thread):
  // passing a pointer costs less than passing a Buffer, and the views read it in place.
  const value = ffi!.alloc('uint8_t', layout.size);
  const length = ffi!.alloc('uint32_t', 1);
  const valueView = new DataView(ffi!.view(value, layout.size));
  const lengthView = new DataView(ffi!.view(length, 4));
  return {
    unavailable: null,
    read(fd) {
      lengthView.setUint32(0, layout.size, true);
      if (call(fd, layout.level, layout.option, value, length) !== 0) return null;
      if (lengthView.getUint32(0, true) < layout.varAt + 4) return null;
      return parseTcpInfo(layout, valueView);
    },
  };
}

let opened: KernelRtt | null = null;
/** This machine's reader, opened on first use. */
export function kernelRtt(): KernelRtt {
  return (opened ??= open(process.platform));
}
