# shellcheck shell=bash
# Sourced by integration test scripts (bash). Loads the harness environment
# and gives small assertion and clean-up helpers.
#
#   source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"
#
# Inputs (set by lava_integration_test in tests/CMakeLists.txt):
#   LAVA_HARNESS_ENV  the env file written by tests/harness/up.sh
#   LAVA_BIN          the lava-docker binary (when the build has one)
#   LAVA_SOURCE_DIR   the source tree
# Every KEY=value of the env file is exported (DOCKER_HOST, LAVA_TEST_*...).

set -euo pipefail
shopt -s inherit_errexit

LAVA_TEST_NAME="${LAVA_TEST_NAME:-$(basename "$0" .sh)}"

fail() {
  printf 'FAIL [%s]: %s\n' "$LAVA_TEST_NAME" "$*" >&2
  exit 1
}

note() { printf '[%s] %s\n' "$LAVA_TEST_NAME" "$*" >&2; }

if [[ -z "${LAVA_HARNESS_ENV:-}" ]]; then
  LAVA_HARNESS_ENV="${LAVA_HARNESS_DIR:-build/harness}/env"
fi
[[ -r "$LAVA_HARNESS_ENV" ]] ||
  fail "harness environment $LAVA_HARNESS_ENV not found: run tests/harness/up.sh (ctest does it through the 'harness' fixture)"
set -a
# shellcheck disable=SC1090
source "$LAVA_HARNESS_ENV"
# examples/demo's stand-ins for the framework's stock etc/Dockerfile and notebook template
# count as released versions, as a framework project's real files do.
# shellcheck disable=SC2046
[[ -z "${LAVA_SOURCE_DIR:-}" ]] ||
  export $(/usr/bin/python3 "$LAVA_SOURCE_DIR/tests/harness/stand_in_digests.py" "$LAVA_SOURCE_DIR/examples/demo")
set +a

# Debian's client, pointed at the harness engine (DOCKER_HOST from the env
# file). /usr/local/bin/docker, when present, is a different client.
docker() { /usr/bin/docker "$@"; }

# The tool under test.
lava() {
  [[ -n "${LAVA_BIN:-}" && -x "$LAVA_BIN" ]] || fail "LAVA_BIN is not set to the lava-docker binary"
  "$LAVA_BIN" "$@"
}

# ---------------------------------------------------------------- clean-up
# lava_on_exit CMD...: run CMD at exit (last registered runs first).
_LAVA_ON_EXIT=()
lava_on_exit() {
  local quoted
  printf -v quoted '%q ' "$@"
  _LAVA_ON_EXIT=("$quoted" "${_LAVA_ON_EXIT[@]}")
}
_lava_run_on_exit() {
  local status=$? cmd
  for cmd in "${_LAVA_ON_EXIT[@]}"; do
    eval "$cmd" >/dev/null 2>&1 || true
  done
  if ((status == 0)); then
    printf 'PASS [%s]\n' "$LAVA_TEST_NAME" >&2
  fi
  return "$status"
}
trap _lava_run_on_exit EXIT

# LAVA_TEST_TMP: this test's own directory under the harness, removed at
# exit. lava_tmpdir prints a fresh directory inside it (safe in $(...)).
mkdir -p "$LAVA_HARNESS_TMP"
LAVA_TEST_TMP="$(mktemp -d "$LAVA_HARNESS_TMP/$LAVA_TEST_NAME.XXXXXX")"
lava_on_exit rm -rf "$LAVA_TEST_TMP"
lava_tmpdir() { mktemp -d "$LAVA_TEST_TMP/tmp.XXXXXX"; }

# ---------------------------------------------------------------- assertions
assert_eq() { # EXPECTED ACTUAL [WHAT]
  [[ "$1" == "$2" ]] || fail "${3:-value}: expected '$1', got '$2'"
}
assert_ne() { # UNEXPECTED ACTUAL [WHAT]
  [[ "$1" != "$2" ]] || fail "${3:-value}: should not be '$1'"
}
assert_contains() { # HAYSTACK NEEDLE [WHAT]
  [[ "$1" == *"$2"* ]] || fail "${3:-output} does not contain '$2': $1"
}
assert_not_contains() { # HAYSTACK NEEDLE [WHAT]
  [[ "$1" != *"$2"* ]] || fail "${3:-output} contains '$2'"
}
assert_match() { # STRING ERE [WHAT]
  [[ "$1" =~ $2 ]] || fail "${3:-value} '$1' does not match /$2/"
}
assert_file() { [[ -f "$1" ]] || fail "file $1 does not exist"; }
assert_no_file() { [[ ! -e "$1" ]] || fail "$1 exists but should not"; }

# assert_status EXPECTED CMD...: run CMD, check its exit status; its stdout
# and stderr are left in $LAVA_OUT and $LAVA_ERR.
assert_status() {
  local expected="$1" status=0 out err
  shift
  out="$(mktemp)" err="$(mktemp)"
  "$@" >"$out" 2>"$err" || status=$?
  LAVA_OUT="$(cat "$out")" LAVA_ERR="$(cat "$err")"
  rm -f "$out" "$err"
  ((status == expected)) ||
    fail "'$*' exited $status, expected $expected; stderr: $LAVA_ERR; stdout: $LAVA_OUT"
}

# lava_wait_for FILE TEXT: until FILE holds TEXT (bounded: 120 s, then a failure).
lava_wait_for() {
  local i
  for ((i = 0; i < 1200; ++i)); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "timed out waiting for '$2' in $1: $(cat "$1" 2>/dev/null)"
}

# ---------------------------------------------------------------- the demo project
# lava_demo_project: a fresh copy of examples/demo (no dist/) in $LAVA_TEST_TMP/demo;
# prints its path.
lava_demo_project() {
  local proj="$LAVA_TEST_TMP/demo"
  cp -a "$LAVA_SOURCE_DIR/examples/demo" "$proj"
  rm -rf "$proj/dist"
  printf '%s\n' "$proj"
}

# lava_demo_config PROJECT REPO BASE [REGISTRY [PLATFORMS]]: writes PROJECT's environment
# `test` (config/test.yaml): images REPO/test/demo/NAME from BASE, pushed to REGISTRY
# (default the harness registry), for PLATFORMS (default linux/amd64), no OS upgrade.
lava_demo_config() {
  cat >"$1/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: $2/test/demo
  job: demo
docker:
  platform: ${5:-linux/amd64}
  base_img: $3
  registry: ${4-$LAVA_TEST_REGISTRY}
  os_upgrade: false
bucket: bucket-test
retries: 3
debug: no
YAML
}

# lava_native_env: what the native builds of a test share: the harness index as
# PIP_INDEX_URL, a cache of the test's own, fixed timestamps (reproducible digests).
lava_native_env() {
  export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
  export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
  export SOURCE_DATE_EPOCH=1700000000
}

# lava_auth_index: PIP_INDEX_URL is the index behind basic auth, whose password (set in
# LAVA_INDEX_SECRET) must show up nowhere: output, images, dist/.
lava_auth_index() {
  LAVA_INDEX_SECRET="${LAVA_TEST_INDEX_URL_AUTH#*://}"
  LAVA_INDEX_SECRET="${LAVA_INDEX_SECRET%%@*}"
  LAVA_INDEX_SECRET="${LAVA_INDEX_SECRET#*:}"
  [[ -n "$LAVA_INDEX_SECRET" ]] || fail "no password in LAVA_TEST_INDEX_URL_AUTH"
  export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL_AUTH"
}

# lava_remove_images_on_exit REPO: every image tagged REPO/... is removed at exit.
_lava_remove_images() {
  docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$1/" | xargs -r /usr/bin/docker rmi -f >/dev/null 2>&1 || true
}
lava_remove_images_on_exit() { lava_on_exit _lava_remove_images "$1"; }

# ---------------------------------------------------------------- services
# lava_start_registry DIR: a scratch docker-registry (deletion on) on a free
# loopback port, storage under DIR/data, log DIR/registry.log, stopped at exit.
# Sets LAVA_SCRATCH_REGISTRY (127.0.0.1:PORT) and LAVA_SCRATCH_REGISTRY_PID
# (kill it to simulate an outage). Call it directly, not inside $(...).
lava_start_registry() {
  local dir="$1" port i
  mkdir -p "$dir/data"
  port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log: {level: info, accesslog: {disabled: false}}
storage:
  filesystem: {rootdirectory: $dir/data}
  delete: {enabled: true}
  maintenance: {uploadpurging: {enabled: false}}
http:
  addr: 127.0.0.1:$port
EOF
  docker-registry serve "$dir/config.yml" </dev/null >"$dir/registry.log" 2>&1 &
  LAVA_SCRATCH_REGISTRY_PID=$!
  LAVA_SCRATCH_REGISTRY="127.0.0.1:$port"
  lava_on_exit kill "$LAVA_SCRATCH_REGISTRY_PID"
  for ((i = 0; i < 100; i++)); do
    curl -s -o /dev/null "http://$LAVA_SCRATCH_REGISTRY/v2/" && return 0
    sleep 0.1
  done
  fail "scratch registry did not start; see $dir/registry.log"
}

# skopeo against the harness registries (plain HTTP on loopback).
skopeo_inspect_raw() { skopeo inspect --raw --tls-verify=false "docker://$1"; }

# lava_start_engine_recorder DIR [--refuse-image-deletes]: a recording proxy in front of
# the harness engine (tests/harness/engine_recorder.py), stopped at exit: what a client
# sends through it lands in DIR/N.req, one file per request, and DIR/requests.log lists the
# request lines. Sets LAVA_RECORDER_HOST (a DOCKER_HOST value). Call it directly, not
# inside $(...).
lava_start_engine_recorder() {
  local dir="$1" i pid
  shift
  mkdir -p "$dir"
  /usr/bin/python3 "$LAVA_SOURCE_DIR/tests/harness/engine_recorder.py" "$dir/engine.sock" \
    "${DOCKER_HOST#unix://}" "$dir" "$@" </dev/null >"$dir/recorder.log" 2>&1 &
  pid=$!
  lava_on_exit kill "$pid"
  # shellcheck disable=SC2034 # for the caller
  LAVA_RECORDER_HOST="unix://$dir/engine.sock"
  for ((i = 0; i < 100; i++)); do
    [[ -S "$dir/engine.sock" ]] && return 0
    sleep 0.1
  done
  fail "engine recorder did not start; see $dir/recorder.log"
}
