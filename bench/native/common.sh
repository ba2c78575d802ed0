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
  # The built-in Dockerfile takes its requirements from lava-docker's requirements step (an
  # image id it passes): the baseline runs them in a build stage instead.
  python3 - "$dir/ctx/Dockerfile" "$REPO/bench/native/requirements_stage.Dockerfile" <<'PY'
import sys
path, stage = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
line = "FROM ${LAVA_REQUIREMENTS_IMAGE} AS lava-requirements\n"
if line not in text:
    sys.exit("bench: " + path + " has no '" + line.strip() + "' line")
open(path, "w").write(text.replace(line, stage))
PY
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

# realistic_index_up: the synthetic wheels of make_realistic_index.py in $BENCH/realistic-index
# ((re)generated when the generator or the standard library it reads changed), served on a
# free loopback port until the script exits; PIP_INDEX_URL points at it.
realistic_index_up() {
  local py=/usr/bin/python3 stamp port i
  INDEX="$BENCH/realistic-index"
  stamp="$(cat "$REPO/bench/native/make_realistic_index.py" <(ls -l /usr/lib/python3.11/*.py) | sha256sum | cut -c1-16)"
  if [[ "$(cat "$INDEX/.stamp" 2>/dev/null)" != "$stamp" ]]; then
    echo "generating the synthetic wheels in $INDEX ..."
    "$py" "$REPO/bench/native/make_realistic_index.py" --quiet "$INDEX"
    echo "$stamp" >"$INDEX/.stamp"
  fi
  port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$py" -m http.server --bind 127.0.0.1 --directory "$INDEX" "$port" >"$BENCH/realistic-index.log" 2>&1 &
  # shellcheck disable=SC2064 # the pid now
  at_exit "kill $! 2>/dev/null"
  export PIP_INDEX_URL="http://127.0.0.1:$port/simple/"
  for ((i = 0; i < 100; i++)); do
    curl -fs "$PIP_INDEX_URL" >/dev/null && break
    sleep 0.1
  done
  curl -fs "$PIP_INDEX_URL" >/dev/null || { echo "bench: the index did not start (see $BENCH/realistic-index.log)" >&2; exit 1; }
}

# realistic_project DIR PLATFORMS: make_project with a data engineer's requirements.txt
# (pandas, pyarrow, boto3, requests, SQLAlchemy, psycopg2-binary, pinned; the synthetic
# wheels) and an empty requirements-nodeps.txt, the docker context made again.
realistic_project() {
  local dir="$1"
  make_project "$dir" "$2"
  cat >"$dir/lava-payloads/hello.docker/requirements.txt" <<'REQ'
# A data engineer's payload (synthetic wheels from make_realistic_index.py)
pandas==2.2.1
pyarrow==15.0.2
boto3==1.34.69
requests==2.31.0
SQLAlchemy==2.0.28
psycopg2-binary==2.9.9
REQ
  : >"$dir/lava-payloads/hello.docker/requirements-nodeps.txt"
  docker_context "$dir"
}

# timed_native_build LOG PROJECT CACHE [args...]: native_build with its progress lines, each
# prefixed by the time it arrived (seconds since the epoch), written to LOG.
timed_native_build() {
  local log="$1" project="$2" cache="$3"
  shift 3
  XDG_CACHE_HOME="$cache" "$LAVA" -C "$project" build --engine native --env dev "$@" hello 2>&1 >/dev/null |
    while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >"$log"
  [[ "${PIPESTATUS[0]}" == 0 ]] || { echo "bench: native build failed, see $log" >&2; exit 1; }
}

# compile_seconds LOG: from a timed_native_build log, the time from the "byte-compiling"
# line to the ".pyc files written" one (0 when there was none).
compile_seconds() {
  awk '/byte-compiling/ { s = $1 } /\.pyc files written/ { e = $1 } END { printf "%.3f", (s && e) ? e - s : 0 }' "$1"
}
