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

# Starts the harness services unless they are up already; stops them at exit when it
# started them.
harness_up() {
  if [[ ! -s "$LAVA_HARNESS_DIR/env" ]]; then
    trap 'bash "$REPO/tests/harness/down.sh" >/dev/null 2>&1 || true' EXIT
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

# The built-in default Dockerfile rendered for docker.os_upgrade=false (the Jinja block
# around the upgrade step dropped), as the docker engine build receives it.
render_default_dockerfile() {
  awk '/^<% if /{ skip = 1; next } /^<% endif %>/{ skip = 0; next } !skip' \
    "$REPO/src/context/default.Dockerfile"
}

# make_project DIR PLATFORMS: the bundled example's hello payload in a one-env project on
# the harness base image; for the docker baseline, its context (payload + rendered
# Dockerfile) in DIR/ctx.
make_project() {
  local dir="$1" platforms="$2"
  rm -rf "$dir"
  mkdir -p "$dir/config" "$dir/lava-payloads"
  cp -rL "$REPO/examples/demo/lava-payloads/hello.docker" "$dir/lava-payloads/"
  cat >"$dir/config/dev.yaml" <<YAML
realm: dev
prefix:
  docker_repo: lava-bench/dev
docker:
  platform: $platforms
  base_img: $LAVA_TEST_BASE_IMAGE
  registry: $LAVA_TEST_REGISTRY
  os_upgrade: false
YAML
  cp -r "$dir/lava-payloads/hello.docker" "$dir/ctx"
  render_default_dockerfile >"$dir/ctx/Dockerfile"
}

# native_build PROJECT CACHE [args...]: `lava-docker build --engine native` of hello.
native_build() {
  local project="$1" cache="$2"
  shift 2
  XDG_CACHE_HOME="$cache" "$LAVA" -C "$project" build --engine native --env dev --quiet "$@" hello
}

# docker_build CONTEXT PLATFORM TAG [args...]: the classic builder with --pull, as
# lava-docker's docker engine builds (it always has the engine check the base's platform).
docker_build() {
  local ctx="$1" platform="$2" tag="$3"
  shift 3
  DOCKER_BUILDKIT=0 docker build -q --pull --network "${LAVA_TEST_DOCKER_NETWORK:-host}" --platform "$platform" --build-arg "BASE_IMG=$LAVA_TEST_BASE_IMAGE" \
    --build-arg "PIP_INDEX_URL=$LAVA_TEST_INDEX_URL" -t "$tag" "$@" "$ctx" >/dev/null
}
