"""Test server for the HTTP client: scripted failures on loopback.

GET  /flaky/<n>/<status>  answers <status> n times (per path), then 200 "ok".
GET  /count               how many requests the server saw.
PUT  /echo                answers the sha256 and length of the body it read.
GET  /big/<n>             n bytes of a repeating pattern.
GET  /drop/<n>            closes the connection without answering n times, then 200.
GET  /retry-after         503 with Retry-After: 1 once, then 200.
"""
import hashlib
import http.server
import sys

counts = {}
total = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        total[0] += 1
        parts = self.path.strip("/").split("/")
        seen = counts.get(self.path, 0)
        counts[self.path] = seen + 1
        if parts[0] == "flaky":
            n, status = int(parts[1]), int(parts[2])
            if seen < n:
                return self.reply(status, b"try later")
            return self.reply(200, b"ok")
        if parts[0] == "drop":
            if seen < int(parts[1]):
                self.close_connection = True
                self.wfile.flush()
                self.connection.shutdown(2)
                return
            return self.reply(200, b"ok")
        if parts[0] == "retry-after":
            if seen < 1:
                return self.reply(503, b"busy", [("Retry-After", "1")])
            return self.reply(200, b"ok")
        if parts[0] == "count":
            return self.reply(200, str(total[0]).encode())
        if parts[0] == "big":
            n = int(parts[1])
            pattern = bytes(range(256))
            body = (pattern * (n // 256 + 1))[:n]
            return self.reply(200, body)
        self.reply(404, b"no such path")

    do_HEAD = do_GET

    def do_PUT(self):
        total[0] += 1
        h = hashlib.sha256()
        n = 0
        if self.headers.get("Transfer-Encoding") == "chunked":
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data = self.rfile.read(size)
                self.rfile.readline()
                h.update(data)
                n += len(data)
        else:
            left = int(self.headers.get("Content-Length", "0"))
            while left:
                data = self.rfile.read(min(left, 65536))
                h.update(data)
                n += len(data)
                left -= len(data)
        self.reply(201, f"{h.hexdigest()} {n}".encode())

    do_POST = do_PUT
    do_PATCH = do_PUT


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
