#!/usr/bin/env python3
"""net-server.py - a tiny HTTP/1.0 server for the live network tests.

    python3 tests/net-server.py ADDR PORT NCONN [REPLY_BYTES] [wait|hold]

Listens on ADDR:PORT (PORT 0: the kernel picks one), prints one line
`ready port=P pid=PID` when it listens (the readiness signal), then serves
NCONN connections one after the other: reads the request up to its blank
line, answers with a body of REPLY_BYTES bytes and closes first.  The
reply has no Content-Length: the body ends where the connection does, so
the client reads until the server's FIN and then closes, and both ends
reach CLOSE before the client exits.  For each connection it prints
`conn peer_port=C recv=R sent=S`: the bytes its recv and send calls
returned, to compare with what the kernel recorded.  After the last one
it closes the listener and exits; with `wait`, it first reads its standard
input to the end (the test decides when it exits).  With `hold`, after
the first request it prints `held peer_port=C` and reads its standard
input to the end; then, without a reply, it shuts its side down, reads
until the client closes and closes: a connection that stays open until
the test says, and whose first state change is not a send or receive.
"""
import os
import socket
import sys


def main():
    addr, port, nconn = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    reply = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
    mode = sys.argv[5] if len(sys.argv) > 5 else ""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(16)
    print("ready port=%d pid=%d" % (ls.getsockname()[1], os.getpid()),
          flush=True)
    body = b"x" * reply
    for _ in range(nconn):
        c, peer = ls.accept()
        got, data = 0, b""
        while b"\r\n\r\n" not in data:
            chunk = c.recv(4096)
            if not chunk:
                break
            got += len(chunk)
            data += chunk
        if mode == "hold":
            print("held peer_port=%d" % peer[1], flush=True)
            sys.stdin.read()
            c.shutdown(socket.SHUT_WR)
            while c.recv(4096):
                pass
            c.close()
            print("conn peer_port=%d recv=%d sent=0" % (peer[1], got),
                  flush=True)
            mode = ""
            continue
        msg = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body
        sent = 0
        while sent < len(msg):
            sent += c.send(msg[sent:])
        c.close()
        print("conn peer_port=%d recv=%d sent=%d" % (peer[1], got, sent),
              flush=True)
    if mode == "wait":
        sys.stdin.read()
    ls.close()


if __name__ == "__main__":
    main()
