#!/usr/bin/env python3
# A delay line between this network namespace and another, for tests: the
# kernel here has no netem, so a path with a known delay is made by hand. Two
# TUN devices, one here and one inside the namespace NS, and this process
# between them: every IP packet read from one is written to the other
# DELAY_MS / 2 later, so a round trip across gains DELAY_MS. Packets keep
# their order (the delay is the same for all), and at most MAX_HELD wait at
# once (more are dropped, as a full link would).
#
#   delay-line.py NS DEV_HERE DEV_THERE DELAY_MS
#
# Prints "ready" once both devices exist; the caller addresses them and
# brings them up. Runs until stdin closes (its parent went away) or SIGTERM.
import collections
import ctypes
import fcntl
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000
MAX_HELD = 4096
SPIN_S = 0.002

libc = ctypes.CDLL(None, use_errno=True)


def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns {path}: {os.strerror(err)}")
    finally:
        os.close(fd)


def main():
    ns, here_name, there_name, delay_ms = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    one_way = delay_ms / 2000.0
    here = tun(here_name)
    home = "/proc/self/ns/net"
    home_fd = os.open(home, os.O_RDONLY)
    setns(f"/var/run/netns/{ns}")
    there = tun(there_name)
    if libc.setns(home_fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns back home")
    os.close(home_fd)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Wake on time even when the machine is busy (tests run beside each other on two cores): a real-time
    # priority, where allowed (root, as CI runs); the spin before each packet is at most SPIN_S.
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    except (AttributeError, PermissionError, OSError):
        pass
    print("ready", flush=True)

    other = {here: there, there: here}
    held = collections.deque()  # (due, fd to write, packet), in order of due
    while True:
        # Sleep until just before the next packet is due, then spin: waking an idle CPU from a timer takes a
        # fraction of a millisecond here, which would add to the delay asked for.
        timeout = max(0.0, held[0][0] - time.monotonic() - SPIN_S) if held else None
        readable, _, _ = select.select([here, there, sys.stdin], [], [], timeout)
        now = time.monotonic()
        for fd in readable:
            if fd is sys.stdin:
                if not os.read(sys.stdin.fileno(), 1024):
                    return
                continue
            while True:
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if len(held) < MAX_HELD:
                    held.append((now + one_way, other[fd], packet))
        if held and not readable:
            while time.monotonic() < held[0][0]:
                pass
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, fd, packet = held.popleft()
            try:
                os.write(fd, packet)
            except OSError:
                pass  # the device is going away with its namespace


if __name__ == "__main__":
    main()
