"""A loopback reverse proxy in front of a registry that injects faults on demand.

    fault_proxy.py UPSTREAM_HOST:PORT

POST /__rules with a JSON list of rules replaces the rules; each is
    {"method": "PUT", "path": "/blobs/uploads/", "times": 2,
     "action": "status", "status": 500, "retry_after": "1"}
matching requests whose method equals `method` (if given) and whose path contains `path`
(if given), for the next `times` matches (-1: always). Actions:
    status    answer `status` without forwarding
    truncate  read half the request body, then close the connection (a broken upload)
    drop      close the connection without reading or answering (a registry gone away)
GET /__log returns one "METHOD PATH STATUS" line per proxied or faulted request.
POST /__bearer turns on a Bearer gate: requests need a token from GET /token (which
records the scopes asked for; see GET /__scopes).
"""
import http.client
import http.server
import json
import sys
import threading
import urllib.parse

UPSTREAM = sys.argv[1]
lock = threading.Lock()
rules = []
log = []
scopes = []
bearer = {"on": False, "tokens": set()}


class Proxy(http.server.BaseHTTPRequestHandler):
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

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def control(self):
        global rules
        if self.path == "/__rules":
            with lock:
                rules = json.loads(self.body())
            return self.reply(200, b"ok")
        if self.path == "/__log":
            with lock:
                return self.reply(200, "\n".join(log).encode())
        if self.path == "/__scopes":
            with lock:
                return self.reply(200, json.dumps(scopes).encode())
        if self.path == "/__bearer":
            bearer["on"] = True
            return self.reply(200, b"ok")
        self.reply(404)

    def token(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        with lock:
            scopes.append(q.get("scope", []))
            tok = "tok%d" % len(scopes)
            bearer["tokens"].add(tok)
        self.reply(200, json.dumps({"token": tok, "expires_in": 300}).encode(),
                   [("Content-Type", "application/json")])

    def match(self):
        with lock:
            for r in rules:
                if r.get("method") and r["method"] != self.command:
                    continue
                if r.get("path") and r["path"] not in self.path:
                    continue
                if r.get("times", -1) == 0:
                    continue
                if r.get("times", -1) > 0:
                    r["times"] -= 1
                return dict(r)
        return None

    def handle_any(self):
        if self.path.startswith("/__"):
            return self.control()
        if self.path.startswith("/token"):
            return self.token()
        if bearer["on"]:
            auth = self.headers.get("Authorization", "")
            if not (auth.startswith("Bearer ") and auth[7:] in bearer["tokens"]):
                self.body()
                host = self.headers.get("Host")
                with lock:
                    log.append(f"{self.command} {self.path} 401")
                return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"token needed"}]}', [
                    ("WWW-Authenticate", f'Bearer realm="http://{host}/token",service="fake"')])
        rule = self.match()
        if rule:
            action = rule.get("action", "status")
            with lock:
                log.append(f"{self.command} {self.path} fault:{action}")
            if action == "status":
                self.body()
                headers = [("Retry-After", rule["retry_after"])] if "retry_after" in rule else []
                return self.reply(rule.get("status", 500), b'{"errors":[{"code":"UNKNOWN","message":"injected"}]}', headers)
            if action == "truncate":
                n = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(n // 2)
            self.close_connection = True
            self.connection.shutdown(2)
            return
        data = self.body()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "authorization")}
        conn = http.client.HTTPConnection(UPSTREAM, timeout=60)
        conn.request(self.command, self.path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        with lock:
            log.append(f"{self.command} {self.path} {resp.status}")
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() in ("connection", "transfer-encoding"):
                continue
            if k.lower() == "content-length" and self.command != "HEAD":
                continue
            self.send_header(k, v)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        conn.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
