#!/usr/bin/env python3
"""Prints N distinct free TCP ports on 127.0.0.1, one per line (default N=1).

All N sockets are held open together while choosing, so the ports differ; a
port can still be taken by someone else before the caller binds it.
"""

import socket
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1
sockets = []
try:
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    print("\n".join(str(s.getsockname()[1]) for s in sockets))
finally:
    for s in sockets:
        s.close()
