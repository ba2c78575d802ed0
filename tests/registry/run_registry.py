"""Runs a Debian docker-registry on 127.0.0.1 for the tests: filesystem storage in a temp
dir, deletes enabled (unless --no-delete), optional htpasswd basic auth. Prints
"PORT <n>" once it answers (over a fresh self-signed certificate with --tls), and stops it (and removes the temp dir) on SIGTERM."""
import argparse
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
import urllib.error

ap = argparse.ArgumentParser()
ap.add_argument("--htpasswd")
ap.add_argument("--no-delete", action="store_true")
ap.add_argument("--tls", action="store_true")
args = ap.parse_args()

tmp = tempfile.mkdtemp(prefix="lava-registry-")
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]

auth = ""
if args.htpasswd:
    auth = f"auth:\n  htpasswd:\n    realm: lava-test\n    path: {args.htpasswd}\n"
tls = ""
if args.tls:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", f"{tmp}/key.pem", "-out", f"{tmp}/cert.pem"],
                   check=True, capture_output=True)
    tls = f"  tls:\n    certificate: {tmp}/cert.pem\n    key: {tmp}/key.pem\n"
config = f"""version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: {tmp}/data
  delete:
    enabled: {"false" if args.no_delete else "true"}
http:
  addr: 127.0.0.1:{port}
{tls}{auth}"""
with open(f"{tmp}/config.yml", "w") as f:
    f.write(config)
log = open(f"{tmp}/registry.log", "w")
proc = subprocess.Popen(["docker-registry", "serve", f"{tmp}/config.yml"], stdout=log, stderr=log)


def stop(*_):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
for _ in range(200):
    try:
        scheme = "https" if args.tls else "http"
        urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/v2/", timeout=1,
                               context=ssl._create_unverified_context())
        break
    except urllib.error.HTTPError:
        break  # 401: up, with auth
    except Exception:
        if proc.poll() is not None:
            print(open(f"{tmp}/registry.log").read(), file=sys.stderr)
            shutil.rmtree(tmp, ignore_errors=True)
            sys.exit(1)
        time.sleep(0.05)
print("PORT", port, flush=True)
print("DIR", tmp, flush=True)
signal.pause()
