"""A recording proxy in front of the Docker engine's unix socket, to see what a client sent.

    engine_recorder.py LISTEN_SOCKET UPSTREAM_SOCKET LOG_DIR [--refuse-image-deletes]

Forwards every connection on LISTEN_SOCKET to UPSTREAM_SOCKET, both ways, as it comes
(hijacked attach streams included), and writes what the client sent on connection N to
LOG_DIR/N.req (request line, headers and body, raw). lava-docker opens one connection per
request, so each file holds one request. LOG_DIR/requests.log gets each request line.
With --refuse-image-deletes, DELETE /images/... is answered 409 without reaching the
engine, so the images a build would remove stay for inspection.
Creates LISTEN_SOCKET, then runs until killed.
"""
import os
import re
import socket
import sys
import threading

LISTEN, UPSTREAM, LOG_DIR = sys.argv[1], sys.argv[2], sys.argv[3]
REFUSE_IMAGE_DELETES = "--refuse-image-deletes" in sys.argv[4:]
IMAGE_DELETE = re.compile(rb"^DELETE /(v[0-9.]+/)?images/")
lock = threading.Lock()
counter = [0]


def pump(src, dst, record=None):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if record:
                record.write(data)
                record.flush()
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(client):
    with lock:
        counter[0] += 1
        n = counter[0]
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(65536)
        if not chunk:
            client.close()
            return
        head += chunk
    line = head.split(b"\r\n", 1)[0]
    with lock, open(os.path.join(LOG_DIR, "requests.log"), "ab") as log:
        log.write(line + b"\n")
    record = open(os.path.join(LOG_DIR, "%d.req" % n), "wb")
    record.write(head)
    record.flush()
    if REFUSE_IMAGE_DELETES and IMAGE_DELETE.match(line):
        body = b'{"message":"image removal refused by the test\'s engine recorder"}'
        client.sendall(b"HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\n"
                       b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        client.close()
        record.close()
        return
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    upstream.connect(UPSTREAM)
    upstream.sendall(head)
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream, record)
    back.join()
    record.close()
    client.close()
    upstream.close()


def main():
    os.makedirs(LOG_DIR, exist_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(LISTEN)
    server.listen(64)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client,), daemon=True).start()


main()
