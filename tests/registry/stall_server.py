"""A loopback HTTP server that misbehaves slowly, for timeout tests.

    stall_server.py MODE PORT_FILE

Listens on a free 127.0.0.1 port, writes it to PORT_FILE, and for every connection:
    stall    reads the request and never answers (the connection stays open)
    trickle  answers 200 with a large Content-Length, then sends one byte per second
Each accepted connection appends a line to PORT_FILE.log, so a test can count attempts.
Runs until killed.
"""
import socket
import sys
import threading
import time

MODE, PORT_FILE = sys.argv[1], sys.argv[2]


def serve(conn):
    try:
        conn.settimeout(600)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        with open(PORT_FILE + ".log", "a") as log:
            log.write(data.split(b"\r\n", 1)[0].decode(errors="replace") + "\n")
        if MODE == "stall":
            time.sleep(600)
        elif MODE == "trickle":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Docker-Distribution-API-Version: registry/2.0\r\n"
                         b"Content-Length: 100000\r\n\r\n")
            for _ in range(100000):
                conn.sendall(b" ")
                time.sleep(1)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    with open(PORT_FILE + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    import os
    os.rename(PORT_FILE + ".tmp", PORT_FILE)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
