#!/usr/bin/python3
"""Serve a directory over loopback HTTP behind HTTP basic authentication.

Used for the credential-carrying index URL: a request without the right
Authorization header gets 401 with a Basic challenge. One line per request
goes to --log (method, path, status, whether credentials were right; never
the credentials themselves), so tests can tell that pip really authenticated.
"""

import argparse
import base64
import functools
import hmac
import http.server
import threading


class AuthHandler(http.server.SimpleHTTPRequestHandler):
    expected = b""
    log_file = None
    log_lock = threading.Lock()

    def _authorized(self):
        header = self.headers.get("Authorization", "")
        return hmac.compare_digest(header.encode(), self.expected)

    def _challenge(self):
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="lava-test-index"')
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "13")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"unauthorized\n")

    def do_GET(self):
        if self._authorized():
            super().do_GET()
        else:
            self._challenge()

    def do_HEAD(self):
        if self._authorized():
            super().do_HEAD()
        else:
            self._challenge()

    def log_request(self, code="-", size="-"):
        line = f'{self.command} {self.path} {code} auth={"ok" if self._authorized() else "no"}\n'
        with self.log_lock:
            self.log_file.write(line)
            self.log_file.flush()

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        with self.log_lock:
            self.log_file.write((format % args) + "\n")
            self.log_file.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--directory", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()

    token = base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
    AuthHandler.expected = f"Basic {token}".encode()
    AuthHandler.log_file = open(args.log, "a", buffering=1)
    handler = functools.partial(AuthHandler, directory=args.directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
