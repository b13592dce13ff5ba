// The kernel's buffers, read as each kernel lays them out (linux/tcp.h struct tcp_info, XNU's struct tcp_connection_info).
import { describe, expect, it } from 'vitest';
import { KERNEL_TICK_MS, LAYOUTS, parseTcpInfo, unreadWait } from '../../src/core/engine/kernel-rtt';

/**
 * A kernel's buffer with `rtt` and `rttVar` at the u32s numbered `at` and `at + 1` after the leading bytes, and
 * every other u32 holding a number of the same size: a wrong offset reads a wrong number.
 */
function buffer(platform: 'linux' | 'darwin', leading: number, at: number, rtt: number, rttVar: number): DataView {
  const buf = Buffer.alloc(LAYOUTS[platform]!.size);
  for (let i = leading; i + 4 <= buf.length; i += 4) buf.writeUInt32LE(1_000_000 + i, i);
  buf.writeUInt32LE(rtt, leading + at * 4);
  buf.writeUInt32LE(rttVar, leading + (at + 1) * 4);
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

describe('tcp_info', () => {
  it('Linux: tcpi_rtt and tcpi_rttvar in microseconds, after 8 bytes and 15 other u32s; tcpi_last_data_recv in milliseconds, the 12th', () => {
    const buf = buffer('linux', 8, 15, 61_350, 8_040);
    buf.setUint32(8 + 11 * 4, 420, true);
    expect(parseTcpInfo(LAYOUTS.linux!, buf)).toEqual({ rttMs: 61.35, rttVarMs: 8.04, recvAgoMs: 420 });
  });

  it('macOS: tcpi_srtt and tcpi_rttvar in milliseconds, after 4 bytes and 10 other u32s (no time since data came)', () => {
    expect(parseTcpInfo(LAYOUTS.darwin!, buffer('darwin', 4, 10, 61, 8))).toEqual({ rttMs: 61, rttVarMs: 8 });
  });

  it('no sample yet (a zero RTT) is no reading, not a 0 ms path', () => {
    expect(parseTcpInfo(LAYOUTS.linux!, buffer('linux', 8, 15, 0, 0))).toBeNull();
  });
});

describe('an answer that waited unread', () => {
  it('read within a tick of the kernel clock: no wait, the RTT stands', () => {
    expect(unreadWait(0, 12)).toBe(0);
    expect(unreadWait(KERNEL_TICK_MS, 12)).toBe(0);
  });

  it('read 400 ms after it came: the wait less one tick, so the RTT left is never shorter than the true one', () => {
    // Sent at 0, came at 50 (so the kernel says 400 ms ago, give or take a tick), read at 450.
    const wait = unreadWait(400, 450);
    expect(wait).toBe(400 - KERNEL_TICK_MS);
    expect(450 - wait).toBeGreaterThanOrEqual(50);
    expect(450 - wait).toBeLessThanOrEqual(50 + 2 * KERNEL_TICK_MS);
  });

  it('never more than the RTT itself, and nothing where the kernel does not say', () => {
    expect(unreadWait(5_000, 450)).toBe(450);
    expect(unreadWait(undefined, 450)).toBe(0);
  });
});
