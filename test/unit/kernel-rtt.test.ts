// The kernel's buffers, read as each kernel lays them out (linux/tcp.h struct tcp_info, XNU's struct tcp_connection_info).
import { describe, expect, it } from 'vitest';
import { LAYOUTS, parseTcpInfo } from '../../src/core/engine/kernel-rtt';

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
  it('Linux: tcpi_rtt and tcpi_rttvar in microseconds, after 8 bytes and 15 other u32s', () => {
    expect(parseTcpInfo(LAYOUTS.linux!, buffer('linux', 8, 15, 61_350, 8_040))).toEqual({ rttMs: 61.35, rttVarMs: 8.04 });
  });

  it('macOS: tcpi_srtt and tcpi_rttvar in milliseconds, after 4 bytes and 10 other u32s', () => {
    expect(parseTcpInfo(LAYOUTS.darwin!, buffer('darwin', 4, 10, 61, 8))).toEqual({ rttMs: 61, rttVarMs: 8 });
  });

  it('no sample yet (a zero RTT) is no reading, not a 0 ms path', () => {
    expect(parseTcpInfo(LAYOUTS.linux!, buffer('linux', 8, 15, 0, 0))).toBeNull();
  });
});
