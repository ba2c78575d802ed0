#!/usr/bin/env bash
# The main job on the bundled example, with nothing but Debian packages and no Docker
# daemon: install the build dependencies, build the tool, then build the default-Dockerfile
# payloads of examples/demo for the "local" environment natively, for linux/amd64 and
# linux/arm64 at once, into OCI image layouts under examples/demo/dist/local/lava-payloads/.
# The base image (Debian bookworm with python3 and pip) is made here with mmdebstrap and
# cached per user (first run: a few minutes, arm64 under QEMU); the requirements come from
# a local wheel index that the test harness's script writes. No network beyond Debian's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DLAVA_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)" --target lava-docker

# The base image layout and the wheel index, as the test harness makes them.
source tests/harness/common.sh
source tests/harness/base_layout.sh
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/lava-docker-tests"
LOGS="$root/build/demo-logs"
mkdir -p "$LOGS" "$CACHE" examples/demo/.base
ensure_binfmt
ln -sfn "$(base_layout)" examples/demo/.base/bookworm-python
[[ -s build/demo-index/simple/index.html ]] || "$PY" tests/harness/make_index.py build/demo-index >/dev/null
export PIP_INDEX_URL="file://$root/build/demo-index/simple"

# The demo's etc/Dockerfile stands in for the framework's stock one: register its digest.
# shellcheck disable=SC2046
export $(/usr/bin/python3 tests/harness/stand_in_digests.py examples/demo)
demo=(./build/lava-docker -C examples/demo)
"${demo[@]}" list --env local
"${demo[@]}" build --env local --engine native hello linked
layout=examples/demo/dist/local/lava-payloads/hello.oci
echo "--- $layout/index.json"
cat "$layout/index.json"; echo
echo "--- examples/demo/dist/local/lava-payloads/hello.dockerimg"
cat examples/demo/dist/local/lava-payloads/hello.dockerimg
echo
echo "Run it: ./build/lava-docker -C examples/demo run --env local hello (needs a Docker engine)"
echo "Push it: set docker.registry in examples/demo/config/local.yaml, then install --env local"
