"""Loopback stand-in for the EC2 instance metadata service (IMDSv2) and the container
credentials endpoint, for the credential chain tests.

IMDSv2: PUT /latest/api/token (needs X-aws-ec2-metadata-token-ttl-seconds) returns a
session token; GET /latest/meta-data/iam/security-credentials/[role] need it.
Container: GET /creds needs "Authorization: container-auth-token".
"""
import http.server
import json

TOKEN = "imds-session-token-123"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.reply(200, TOKEN)
        self.reply(400, "bad token request")

    def do_GET(self):
        if self.path == "/creds":
            if self.headers.get("Authorization") != "container-auth-token":
                return self.reply(401, "no")
            return self.reply(200, json.dumps({
                "AccessKeyId": "AKIDCONTAINER", "SecretAccessKey": "container-secret",
                "Token": "container-session", "Expiration": "2030-01-01T00:00:00Z"}))
        if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
            return self.reply(401, "IMDSv2 token required")
        if self.path == "/latest/meta-data/iam/security-credentials/":
            return self.reply(200, "lava-role")
        if self.path == "/latest/meta-data/iam/security-credentials/lava-role":
            return self.reply(200, json.dumps({
                "Code": "Success", "AccessKeyId": "AKIDIMDS", "SecretAccessKey": "imds-secret",
                "Token": "imds-session", "Expiration": "2030-01-01T00:00:00Z"}))
        self.reply(404, "not found")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
