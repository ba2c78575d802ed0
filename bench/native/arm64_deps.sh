#!/usr/bin/env bash
# A linux/arm64 build of the example payload, dependencies included, on this (amd64) host:
# native engine (pip for arm64 wheels on the host, no emulation) vs the Docker engine running
# the default Dockerfile's RUN steps under QEMU. Both start with the base image local and
# nothing else cached: docker builds with --no-cache, native with --force and an empty pip
# download cache.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${RUNS:-3}"
harness_up
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
make_project "$BENCH/arm64" linux/arm64
CACHE="$BENCH/arm64-cache"
rm -rf "$CACHE"
native_build "$BENCH/arm64" "$CACHE" >/dev/null # base blobs and facts in the cache
docker pull -q --platform linux/arm64 "$LAVA_TEST_BASE_IMAGE" >/dev/null

native=() dock=()
for ((i = 1; i <= RUNS; i++)); do
  rm -rf "$CACHE/lava-docker/pip"
  t="$(now)"; native_build "$BENCH/arm64" "$CACHE" --force >/dev/null; native+=("$(elapsed "$t")")
  t="$(now)"; docker_build "$BENCH/arm64/ctx" linux/arm64 lava-bench/hello:arm64 --no-cache; dock+=("$(elapsed "$t")")
done
docker rmi -f lava-bench/hello:arm64 >/dev/null 2>&1 || true
n="$(printf '%s\n' "${native[@]}" | median)"
d="$(printf '%s\n' "${dock[@]}" | median)"
echo "linux/arm64 build with dependencies on $(uname -m), median of $RUNS"
echo "  native engine:           ${n}s   (runs: ${native[*]})"
echo "  docker engine with QEMU: ${d}s   (runs: ${dock[*]})"
echo "  native is $(ratio "$d" "$n")x faster (target: 10x)"
