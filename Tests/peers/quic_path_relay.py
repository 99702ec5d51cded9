#!/usr/bin/env python3
"""A UDP relay between one QUIC client and the gateway that also speaks from a
second source address, to test that the gateway's view of the client address
only follows paths it validated (RFC 9000 §9).

The client talks to the relay's port; the relay forwards from a socket on
--main-host. Datagrams the gateway sends to the main socket go back to the
client. A second socket on --spoof-host (e.g. 127.0.0.2) plays the attacker:
what the gateway sends there is counted and dropped, so a path through it can
never be validated.

The trigger is the first client datagram with a short header (1-RTT) that is at
least --trigger-size bytes long: a request whose headers are padded to that size.

  --mode copy      send a copy of the trigger datagram from the spoof socket
                   first, then the original (an on-path attacker racing it).
  --mode garbage   forward the trigger, then send one forged datagram from the
                   spoof socket: the trigger's first byte and destination
                   connection ID followed by random bytes.

Prints "relay port=<port>" once listening, and "spoof received <n>" on every
datagram that reaches the spoof socket.
"""

import argparse
import os
import selectors
import socket
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway-port", type=int, required=True)
    parser.add_argument("--gateway-host", default="127.0.0.1")
    parser.add_argument("--main-host", default="127.0.0.1")
    parser.add_argument("--spoof-host", default="127.0.0.2")
    parser.add_argument("--mode", choices=["copy", "garbage"], required=True)
    parser.add_argument("--trigger-size", type=int, default=700)
    parser.add_argument("--cid-length", type=int, default=18, help="length of the gateway's connection IDs")
    args = parser.parse_args()

    gateway = (args.gateway_host, args.gateway_port)
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", 0))
    main_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    main_socket.bind((args.main_host, 0))
    spoof = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    spoof.bind((args.spoof_host, 0))

    selector = selectors.DefaultSelector()
    for sock in (front, main_socket, spoof):
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)

    print(f"relay port={front.getsockname()[1]}", flush=True)
    client = None
    triggered = False
    spoof_received = 0
    while True:
        for key, _ in selector.select():
            sock = key.fileobj
            try:
                data, source = sock.recvfrom(65535)
            except BlockingIOError:
                continue
            if sock is front:
                client = source
                is_short = len(data) > 0 and data[0] & 0x80 == 0
                if not triggered and is_short and len(data) >= args.trigger_size:
                    triggered = True
                    if args.mode == "copy":
                        spoof.sendto(data, gateway)
                        main_socket.sendto(data, gateway)
                    else:
                        main_socket.sendto(data, gateway)
                        header = data[: 1 + args.cid_length]
                        spoof.sendto(header + os.urandom(len(data) - len(header)), gateway)
                    print("triggered", flush=True)
                else:
                    main_socket.sendto(data, gateway)
            elif sock is main_socket:
                if client is not None:
                    front.sendto(data, client)
            else:
                spoof_received += 1
                print(f"spoof received {spoof_received}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
