# Sourced by the bench/native scripts: the harness services (started if needed), the
# binaries, a scratch directory, and small timing helpers.
#   BUILD_DIR          the CMake build directory (default: build)
#   LAVA_HARNESS_DIR   the harness state (default: $BUILD_DIR/harness)
#   LAVA_BENCH_DIR     scratch space (default: $BUILD_DIR/bench-native)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="$(cd "${BUILD_DIR:-$REPO/build}" && pwd)"
export LAVA_HARNESS_DIR="${LAVA_HARNESS_DIR:-$BUILD_DIR/harness}"
BENCH="${LAVA_BENCH_DIR:-$BUILD_DIR/bench-native}"
LAVA="$BUILD_DIR/lava-docker"
NATIVE_LAYER="$BUILD_DIR/tests/native/lava-native-layer"
mkdir -p "$BENCH"

for tool in "$LAVA" "$NATIVE_LAYER"; do
  [[ -x "$tool" ]] || { echo "bench: $tool missing: cmake --build $BUILD_DIR --target lava-docker lava-native-layer" >&2; exit 1; }
done

# at_exit COMMAND: runs COMMAND (with eval) when the script exits, after the commands
# registered before it.
AT_EXIT=()
at_exit() {
  AT_EXIT+=("$1")
  # shellcheck disable=SC2154 # _cmd is the trap's loop variable
  trap 'for _cmd in "${AT_EXIT[@]}"; do eval "$_cmd" || true; done' EXIT
}

# Starts the harness services unless they are up already; stops them at exit when it
# started them.
harness_up() {
  if [[ ! -s "$LAVA_HARNESS_DIR/env" ]]; then
    # shellcheck disable=SC2016 # expanded when it runs
    at_exit 'bash "$REPO/tests/harness/down.sh" >/dev/null 2>&1'
  fi
  bash "$REPO/tests/harness/up.sh" >/dev/null
  set -a
  # shellcheck disable=SC1091
  source "$LAVA_HARNESS_DIR/env"
  set +a
}

docker() { /usr/bin/docker "$@"; }

# now: seconds since the epoch with nanoseconds.
now() { date +%s.%N; }
# elapsed START: seconds since START, 3 decimals.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
# median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# docker_context DIR: DIR/ctx becomes the hello payload's build context as
# `lava-docker prepare` writes it (rendered env/, converted notebooks, the built-in
# Dockerfile rendered with the project's config and the requirement files present): what
# the docker engine sends. Call it again after changing the payload.
docker_context() {
  local dir="$1"
  "$LAVA" -C "$dir" prepare --env dev hello >/dev/null
  rm -rf "$dir/ctx"
  cp -r "$dir/dist/dev/lava-payloads/hello.context" "$dir/ctx"
}

# make_project DIR PLATFORMS: the bundled example's hello payload in a one-env project on
# the harness base image; for the docker baseline, its context in DIR/ctx (docker_context).
make_project() {
  local dir="$1" platforms="$2"
  rm -rf "$dir"
  mkdir -p "$dir/config" "$dir/lava-payloads"
  cp -rL "$REPO/examples/demo/lava-payloads/hello.docker" "$dir/lava-payloads/"
  cat >"$dir/config/dev.yaml" <<YAML
realm: dev
prefix:
  docker_repo: lava-bench/dev
  job: bench
docker:
  platform: $platforms
  base_img: $LAVA_TEST_BASE_IMAGE
  registry: $LAVA_TEST_REGISTRY
  os_upgrade: false
bucket: bench-bucket
retries: 1
debug: no
YAML
  docker_context "$dir"
}

# native_build PROJECT CACHE [args...]: `lava-docker build --engine native` of hello.
native_build() {
  local project="$1" cache="$2"
  shift 2
  XDG_CACHE_HOME="$cache" "$LAVA" -C "$project" build --engine native --env dev --quiet "$@" hello
}

# docker_build CONTEXT PLATFORM TAG [args...]: the classic builder with --pull, as
# lava-docker's docker engine builds (it always has the engine check the base's platform).
# pip in the build uses PIP_INDEX_URL when set, else the harness index. The output is
# dropped, unless DOCKER_BUILD_LOG names a file: then the build is not -q and its output
# (steps, image ids, pip's) goes there.
docker_build() {
  local ctx="$1" platform="$2" tag="$3" quiet=(-q) out=/dev/null
  shift 3
  if [[ -n "${DOCKER_BUILD_LOG:-}" ]]; then quiet=(); out="$DOCKER_BUILD_LOG"; fi
  DOCKER_BUILDKIT=0 docker build "${quiet[@]}" --pull --network "${LAVA_TEST_DOCKER_NETWORK:-host}" --platform "$platform" --build-arg "BASE_IMG=$LAVA_TEST_BASE_IMAGE" \
    --build-arg "PIP_INDEX_URL=${PIP_INDEX_URL:-$LAVA_TEST_INDEX_URL}" -t "$tag" "$@" "$ctx" >"$out"
}
