#!/usr/bin/env bash
# Two lava-docker binaries on the realistic linux/arm64 build (arm64_deps.sh's project and
# index), alternating, each with a cache of its own (pip's cache emptied before each run):
# OLD_LAVA (another commit's build) without .pyc as it then built, this build without .pyc
# (LAVA_PYC_COMPILER=none) and with them. Tells a change in the code from a change in the
# machine, whose disk moves these wall times by a factor of two from one minute to the next.
#   OLD_LAVA=/path/to/old/build/lava-docker RUNS=4 bash bench/native/arm64_ab.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${RUNS:-4}"
[[ -x "${OLD_LAVA:-}" ]] || { echo "bench: OLD_LAVA must name another lava-docker binary" >&2; exit 1; }
harness_up
realistic_index_up
realistic_project "$BENCH/ab" linux/arm64
build_with() { # BINARY CACHE [env...]
  local bin="$1" cache="$2"
  shift 2
  rm -rf "$cache/lava-docker/pip"
  env XDG_CACHE_HOME="$cache" "$@" "$bin" -C "$BENCH/ab" build --engine native --env dev --quiet --force hello
}
rm -rf "$BENCH/ab-old-cache" "$BENCH/ab-new-cache"
build_with "$OLD_LAVA" "$BENCH/ab-old-cache" # base blobs and facts cached, as in arm64_deps.sh
build_with "$LAVA" "$BENCH/ab-new-cache"
for ((i = 1; i <= RUNS; i++)); do
  t="$(now)"; build_with "$OLD_LAVA" "$BENCH/ab-old-cache"; o="$(elapsed "$t")"
  t="$(now)"; build_with "$LAVA" "$BENCH/ab-new-cache" LAVA_PYC_COMPILER=none; n="$(elapsed "$t")"
  t="$(now)"; build_with "$LAVA" "$BENCH/ab-new-cache"; p="$(elapsed "$t")"
  echo "run $i/$RUNS: old ${o}s, this build without .pyc ${n}s, with .pyc ${p}s"
done
