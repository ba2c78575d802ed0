#!/usr/bin/env python3
"""Reports what the container sees, for tests/integration/run_job_test.sh."""

import os
import socket
import sys

for a in sys.argv[1:]:
    print("arg=" + a)
for k in sorted(os.environ):
    if k.startswith(("LAVA_", "JOB_")):
        print(f"env {k}={os.environ[k]}")
print("hostname=" + socket.gethostname())
print(f"uid={os.geteuid()} cwd={os.getcwd()}")
for f in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
    if os.path.exists(f):
        with open(f) as fh:
            print("memory=" + fh.read().strip())
        break
