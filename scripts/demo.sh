#!/usr/bin/env bash
# The main job on the bundled example, with nothing but Debian packages: install the build
# dependencies, build the tool, then prepare every docker payload of examples/demo for the
# "dev" environment: the clean copy, rendered env/ files, converted notebooks and the
# rendered Dockerfile an engine would build, under examples/demo/dist/dev/lava-payloads/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DLAVA_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)" --target lava-docker
./build/lava-docker -C examples/demo list --env dev
./build/lava-docker -C examples/demo prepare --env dev
echo "--- examples/demo/dist/dev/lava-payloads/hello.context/env/settings.txt"
cat examples/demo/dist/dev/lava-payloads/hello.context/env/settings.txt
echo "--- examples/demo/dist/dev/lava-payloads/hello.context/Dockerfile"
cat examples/demo/dist/dev/lava-payloads/hello.context/Dockerfile
