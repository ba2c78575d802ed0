"""A loopback stand-in for the Amazon ECR API that checks every request's SigV4 signature
independently (Python's hmac/hashlib, written from the AWS documentation, sharing nothing
with the C++ signer) and answers the calls lava-docker makes. Repositories live in memory;
their repositoryUri points at a real docker-registry (with htpasswd user AWS), whose
password GetAuthorizationToken hands out; DeleteRepository with force deletes the
repository's manifests there.

    fake_ecr.py --access-key AKID --secret SECRET --region R --account ID
                --registry HOST:PORT --registry-password PW

It also answers STS GetCallerIdentity (Query protocol, form body, XML answer, signed for
service "sts") with --account and --caller-arn, so AWS_ENDPOINT_URL_STS can point here too.
--registry and --registry-password may be left out when no repository URI is used.

GET /__log: one line per request: "<Action> <verdict>".
Repository names containing "forbidden" get AccessDeniedException; the session token
"expired-token" gets ExpiredTokenException.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.parse
import urllib.request
import urllib.error

ap = argparse.ArgumentParser()
ap.add_argument("--access-key", required=True)
ap.add_argument("--secret", required=True)
ap.add_argument("--region", required=True)
ap.add_argument("--account", required=True)
ap.add_argument("--registry", default="127.0.0.1:9")
ap.add_argument("--registry-password", default="")
ap.add_argument("--caller-arn", default=None)
args = ap.parse_args()
caller_arn = args.caller_arn or f"arn:aws:iam::{args.account}:user/lava-test"

lock = threading.Lock()
repos = {}
log = []
TARGET = "AmazonEC2ContainerRegistry_V20150921."


def uri_encode(s, keep_slash=False):
    safe = "-_.~" + ("/" if keep_slash else "")
    return urllib.parse.quote(s, safe=safe)


def canonical_path(path):
    out = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(uri_encode(urllib.parse.unquote(seg)))
    p = "/" + "/".join(out)
    if path.endswith("/") and out:
        p += "/"
    return p


def canonical_query(query):
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        k, _, v = part.partition("=")
        pairs.append((uri_encode(urllib.parse.unquote(k)), uri_encode(urllib.parse.unquote(v))))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def hmac256(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


class AwsFault(Exception):
    def __init__(self, status, code, message):
        self.status, self.code, self.message = status, code, message


def verify(handler, body, expected_service="ecr"):
    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        raise AwsFault(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
    fields = dict(f.strip().split("=", 1) for f in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    akid, date, region, service, term = fields["Credential"].split("/")
    if akid != args.access_key:
        raise AwsFault(400, "UnrecognizedClientException", "The security token included in the request is invalid.")
    if region != args.region:
        raise AwsFault(400, "UnrecognizedClientException", "The security token included in the request is invalid.")
    if service != expected_service or term != "aws4_request":
        raise AwsFault(403, "InvalidSignatureException", "Credential should be scoped to a valid service.")
    amz_date = handler.headers.get("X-Amz-Date", "")
    when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    if abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) > 300:
        raise AwsFault(403, "InvalidSignatureException", "Signature expired")
    if date != amz_date[:8]:
        raise AwsFault(403, "InvalidSignatureException", "Credential date does not match X-Amz-Date")
    signed = fields["SignedHeaders"].split(";")
    for required in ("host", "x-amz-date"):
        if required not in signed:
            raise AwsFault(403, "InvalidSignatureException", f"{required} must be signed")
    if handler.headers.get("X-Amz-Security-Token") and "x-amz-security-token" not in signed:
        raise AwsFault(403, "InvalidSignatureException", "x-amz-security-token must be signed")
    lines = []
    for name in signed:
        values = handler.headers.get_all(name) or []
        values = [" ".join(v.split()) for v in values]
        lines.append(f"{name}:{','.join(values)}\n")
    url = urllib.parse.urlsplit(handler.path)
    creq = "\n".join([handler.command, canonical_path(url.path), canonical_query(url.query),
                      "".join(lines), ";".join(signed), hashlib.sha256(body).hexdigest()])
    scope = f"{date}/{region}/{service}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])
    key = hmac256(("AWS4" + args.secret).encode(), date)
    for part in (region, service, "aws4_request"):
        key = hmac256(key, part)
    expected = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise AwsFault(403, "InvalidSignatureException",
                       "The request signature we calculated does not match the signature you provided.")
    if handler.headers.get("X-Amz-Security-Token") == "expired-token":
        raise AwsFault(403, "ExpiredTokenException", "The security token included in the request is expired")


def registry_call(method, path, headers=None):
    req = urllib.request.Request(f"http://{args.registry}{path}", method=method, headers=headers or {})
    cred = base64.b64encode(f"AWS:{args.registry_password}".encode()).decode()
    req.add_header("Authorization", "Basic " + cred)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def delete_images(name):
    status, _, body = registry_call("GET", f"/v2/{name}/tags/list")
    if status != 200:
        return
    accept = ", ".join(["application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                        "application/vnd.docker.distribution.manifest.list.v2+json",
                        "application/vnd.docker.distribution.manifest.v2+json"])
    for tag in json.loads(body).get("tags") or []:
        status, headers, _ = registry_call("HEAD", f"/v2/{name}/manifests/{tag}", {"Accept": accept})
        digest = headers.get("Docker-Content-Digest")
        if status == 200 and digest:
            registry_call("DELETE", f"/v2/{name}/manifests/{digest}")


def repo_json(name):
    return {"repositoryName": name, "registryId": args.account,
            "repositoryArn": f"arn:aws:ecr:{args.region}:{args.account}:repository/{name}",
            "repositoryUri": f"{args.registry}/{name}", "imageTagMutability": "MUTABLE",
            "createdAt": time.time()}


def check_registry_id(req):
    rid = req.get("registryId")
    ids = req.get("registryIds")
    for r in ([rid] if rid else []) + (ids or []):
        if r != args.account:
            raise AwsFault(400, "AccessDeniedException", f"not authorized to access registry {r}")


def act(action, req):
    check_registry_id(req)
    name = req.get("repositoryName") or (req.get("repositoryNames") or [""])[0]
    if "forbidden" in name:
        raise AwsFault(400, "AccessDeniedException",
                       f"User: arn:aws:iam::{args.account}:user/test is not authorized to perform: ecr:{action}")
    with lock:
        if action == "DescribeRepositories":
            names = req.get("repositoryNames")
            if names:
                missing = [n for n in names if n not in repos]
                if missing:
                    raise AwsFault(400, "RepositoryNotFoundException",
                                   f"The repository with name '{missing[0]}' does not exist in the registry with id '{args.account}'")
                return {"repositories": [repos[n] for n in names]}
            return {"repositories": list(repos.values())}
        if action == "CreateRepository":
            if name in repos:
                raise AwsFault(400, "RepositoryAlreadyExistsException", f"The repository with name '{name}' already exists")
            repos[name] = repo_json(name)
            return {"repository": repos[name]}
        if action == "DeleteRepository":
            if name not in repos:
                raise AwsFault(400, "RepositoryNotFoundException",
                               f"The repository with name '{name}' does not exist in the registry with id '{args.account}'")
            if not req.get("force"):
                raise AwsFault(400, "RepositoryNotEmptyException", "The repository cannot be deleted because it still contains images")
            delete_images(name)
            return {"repository": repos.pop(name)}
        if action == "GetAuthorizationToken":
            token = base64.b64encode(f"AWS:{args.registry_password}".encode()).decode()
            return {"authorizationData": [{"authorizationToken": token, "expiresAt": time.time() + 43200,
                                           "proxyEndpoint": f"http://{args.registry}"}]}
        if action == "DescribeRegistry":
            return {"registryId": args.account, "replicationConfiguration": {"rules": []}}
    raise AwsFault(400, "UnknownOperationException", f"unknown operation {action}")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, obj, headers=()):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/__log":
            with lock:
                data = "\n".join(log).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.reply(404, {"message": "not found"})

    def sts(self, body):
        form = urllib.parse.parse_qs(body.decode())
        action = (form.get("Action") or [""])[0]
        try:
            verify(self, body, "sts")
            if action != "GetCallerIdentity" or (form.get("Version") or [""])[0] != "2011-06-15":
                raise AwsFault(400, "InvalidAction", f"Could not find operation {action}")
            with lock:
                log.append(f"{action} signature-ok")
            xml = ('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                   f"<GetCallerIdentityResult><Arn>{caller_arn}</Arn><UserId>AIDALAVATEST</UserId>"
                   f"<Account>{args.account}</Account></GetCallerIdentityResult>"
                   "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                   "</GetCallerIdentityResponse>")
            status = 200
        except AwsFault as f:
            with lock:
                log.append(f"{action} {f.code}")
            # STS names these differently from the JSON services.
            code = {"UnrecognizedClientException": "InvalidClientTokenId",
                    "InvalidSignatureException": "SignatureDoesNotMatch",
                    "ExpiredTokenException": "ExpiredToken"}.get(f.code, f.code)
            xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                   f"<Message>{f.message}</Message></Error><RequestId>1</RequestId></ErrorResponse>")
            status = f.status
        data = xml.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            return self.sts(body)
        target = self.headers.get("X-Amz-Target", "")
        action = target[len(TARGET):] if target.startswith(TARGET) else target
        try:
            if self.headers.get("Content-Type") != "application/x-amz-json-1.1":
                raise AwsFault(400, "SerializationException", "wrong content type")
            verify(self, body)
            result = act(action, json.loads(body or b"{}"))
            with lock:
                log.append(f"{action} signature-ok")
            self.reply(200, result)
        except AwsFault as f:
            with lock:
                log.append(f"{action} {f.code}")
            self.reply(f.status, {"__type": f.code, "message": f.message}, [("x-amzn-ErrorType", f.code)])


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
