#!/usr/bin/env python3
# A resolver slow on purpose, for tests: answers every A query for NAME with
# ADDRESS, and every other query with no answer (NOERROR), each DELAY_MS after
# it came. Listens on 127.0.0.1:53 UDP (run it in a network namespace of the
# test's own, whose resolv.conf names it). Prints "ready" once listening; runs
# until stdin closes (its parent went away) or SIGTERM.
#
#   slow-dns.py NAME ADDRESS DELAY_MS
import heapq
import os
import select
import signal
import socket
import struct
import sys
import time


def answer(query, name, address):
    ident, flags = struct.unpack("!HH", query[:4])
    # The question: labels up to the zero byte, then type and class.
    end = query.index(b"\0", 12) + 5
    question = query[12:end]
    labels, i = [], 0
    while question[i]:
        labels.append(question[i + 1 : i + 1 + question[i]].decode("ascii", "replace"))
        i += 1 + question[i]
    qtype = struct.unpack("!H", question[i + 1 : i + 3])[0]
    asked = ".".join(labels).lower()
    header = lambda ancount, rcode: struct.pack("!HHHHHH", ident, 0x8180 | rcode | (flags & 0x0100), 1, ancount, 0, 0)
    if asked != name:
        return header(0, 3) + question  # NXDOMAIN
    if qtype != 1:
        return header(0, 0) + question  # the name has no record of that type
    record = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(address)
    return header(1, 0) + question + record


def main():
    name, address, delay = sys.argv[1].lower(), sys.argv[2], float(sys.argv[3]) / 1000
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 53))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    due = []  # (when, n, reply, to)
    n = 0
    while True:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        readable, _, _ = select.select([sock, sys.stdin], [], [], timeout)
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 1024):
            return
        if sock in readable:
            query, peer = sock.recvfrom(512)
            try:
                heapq.heappush(due, (time.monotonic() + delay, n, answer(query, name, address), peer))
                n += 1
            except (ValueError, IndexError, struct.error):
                pass  # not a query we can read: no answer, as a resolver would
        while due and due[0][0] <= time.monotonic():
            _, _, reply, peer = heapq.heappop(due)
            sock.sendto(reply, peer)


if __name__ == "__main__":
    main()
