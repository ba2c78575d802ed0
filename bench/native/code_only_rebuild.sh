#!/usr/bin/env bash
# Code-only rebuild of the example payload (linux/amd64): `lava-docker build --engine native`
# vs the Docker engine's classic builder with the default Dockerfile, each warmed once, then RUNS rebuilds after editing main.py.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${RUNS:-5}"
harness_up
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
make_project "$BENCH/rebuild-native" linux/amd64
make_project "$BENCH/rebuild-docker" linux/amd64
CACHE="$BENCH/rebuild-cache"
rm -rf "$CACHE"

native_build "$BENCH/rebuild-native" "$CACHE" >/dev/null
docker pull -q --platform linux/amd64 "$LAVA_TEST_BASE_IMAGE" >/dev/null
docker_build "$BENCH/rebuild-docker/ctx" linux/amd64 lava-bench/hello:docker

native=() dock=()
for ((i = 1; i <= RUNS; i++)); do
  echo "# edit $i" >>"$BENCH/rebuild-native/lava-payloads/hello.docker/main.py"
  echo "# edit $i" >>"$BENCH/rebuild-docker/ctx/main.py"
  t="$(now)"; native_build "$BENCH/rebuild-native" "$CACHE" >/dev/null; native+=("$(elapsed "$t")")
  t="$(now)"; docker_build "$BENCH/rebuild-docker/ctx" linux/amd64 lava-bench/hello:docker; dock+=("$(elapsed "$t")")
done
docker rmi -f lava-bench/hello:docker >/dev/null 2>&1 || true
n="$(printf '%s\n' "${native[@]}" | median)"
d="$(printf '%s\n' "${dock[@]}" | median)"
echo "code-only rebuild, example payload, linux/amd64, median of $RUNS"
echo "  native engine: ${n}s   (runs: ${native[*]})"
echo "  docker engine: ${d}s   (runs: ${dock[*]})"
echo "  native is $(ratio "$d" "$n")x faster (target: 20x)"
