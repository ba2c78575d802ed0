#!/usr/bin/env bash
# Code-only rebuild of the example payload (linux/amd64): `lava-docker build --engine native`
# vs the Docker engine's classic builder with the default Dockerfile. hyperfine runs each
# RUNS times (after WARMUP runs), editing main.py before every run; all native runs first,
# then all docker runs, so the daemon's after-build work never lands in a native timing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${RUNS:-15}"
WARMUP="${WARMUP:-2}"
command -v hyperfine >/dev/null || { echo "bench: hyperfine missing (apt-get install hyperfine)" >&2; exit 1; }
harness_up
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
make_project "$BENCH/rebuild-native" linux/amd64
make_project "$BENCH/rebuild-docker" linux/amd64
CACHE="$BENCH/rebuild-cache"
rm -rf "$CACHE"

native_build "$BENCH/rebuild-native" "$CACHE" >/dev/null
docker pull -q --platform linux/amd64 "$LAVA_TEST_BASE_IMAGE" >/dev/null

# hyperfine runs every command with bash -c (and subtracts that shell's start-up), so
# export what those commands need.
export LAVA CACHE LAVA_TEST_BASE_IMAGE LAVA_TEST_INDEX_URL
export LAVA_TEST_DOCKER_NETWORK="${LAVA_TEST_DOCKER_NETWORK:-host}"
export -f native_build docker_build docker
n_main="$BENCH/rebuild-native/lava-payloads/hello.docker/main.py"
d_main="$BENCH/rebuild-docker/ctx/main.py"
hyperfine --shell bash --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$BENCH/rebuild.json" \
  -n native --prepare "echo \"# edit \$RANDOM\" >>'$n_main'" \
  "native_build '$BENCH/rebuild-native' '$CACHE' >/dev/null" \
  -n docker --prepare "echo \"# edit \$RANDOM\" >>'$d_main'" \
  "docker_build '$BENCH/rebuild-docker/ctx' linux/amd64 lava-bench/hello:docker" \
  >"$BENCH/rebuild.txt"
docker rmi -f lava-bench/hello:docker >/dev/null 2>&1 || true
read -r n d < <(jq -r '[.results[] | .median] | @tsv' "$BENCH/rebuild.json")
echo "code-only rebuild, example payload, linux/amd64, median of $RUNS (hyperfine; full output in $BENCH/rebuild.txt)"
echo "  native engine: $(awk -v v="$n" 'BEGIN { printf "%.3f", v }')s"
echo "  docker engine: $(awk -v v="$d" 'BEGIN { printf "%.3f", v }')s"
echo "  native is $(ratio "$d" "$n")x faster (target: 20x)"
