#!/usr/bin/env bash
# Bring up the test services on loopback and write $LAVA_HARNESS_DIR/env:
#   a Docker engine of our own, two registries (open / htpasswd), a PEP 503
#   index of generated wheels (open / basic auth), and a multi-platform Debian
#   bookworm base image with python3 and pip, pushed as an OCI image index.
# Idempotent: services already up and healthy are kept. On failure, everything
# is stopped again (LAVA_HARNESS_KEEP=1 keeps it for debugging).
# Environment: LAVA_HARNESS_DIR (default build/harness), XDG_CACHE_HOME,
# LAVA_HARNESS_STORAGE_DRIVER (force overlay2 or vfs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/base_layout.sh"

DIR="$(harness_dir)"
RUN="$(harness_run_dir "$DIR")"
STATE="$DIR/state"
LOGS="$DIR/logs"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/lava-docker-tests"
MARKER="$DIR/.lava-harness"

if [[ ! -e "$MARKER" ]] && [[ -n "$(ls -A "$DIR")" ]]; then
  die "$DIR is not empty and is not a harness directory; refusing to use it"
fi
touch "$MARKER"
mkdir -p "$STATE" "$LOGS" "$RUN" "$CACHE"
exec 8>"$DIR.lock"
flock -w 900 8 || die "another up.sh or down.sh holds $DIR.lock"

on_failure() {
  local status=$?
  ((status == 0)) && return 0
  log "bring-up failed (exit $status); logs in $LOGS"
  local f
  for f in "$LOGS"/*.log; do
    [[ -s "$f" ]] || continue
    echo "----- last lines of $f" >&2
    tail -n 15 "$f" >&2 || true
  done
  if [[ "${LAVA_HARNESS_KEEP:-0}" != 1 ]]; then
    LAVA_HARNESS_LOCK_HELD=1 bash "$HARNESS_SRC/down.sh" || true
  fi
  exit "$status"
}
trap on_failure EXIT

# ---------------------------------------------------------------- dockerd
DOCKER_SOCK="$RUN/docker.sock"
DOCKER_PIDFILE="$RUN/docker.pid"
DOCKER_EXEC="$RUN/docker-exec"
DOCKER_DATA="$DIR/docker-data"
# dockerd uses a system containerd when one runs at /run/containerd; a
# namespace of our own keeps our containers apart from other engines' there.
CONTAINERD_NS="lava-harness-$(printf '%s' "$DIR" | sha256sum | cut -c1-8)"

docker_ping() {
  [[ "$(curl -s --max-time 3 --unix-socket "$DOCKER_SOCK" http://docker/_ping 2>/dev/null)" == OK ]]
}

start_dockerd() {
  if pid_alive "$(pid_from_file "$DOCKER_PIDFILE")" && docker_ping; then
    log "dockerd already running ($(cat "$STATE/storage-driver"))"
    return 0
  fi
  local drivers=(overlay2 vfs) driver i
  [[ -n "${LAVA_HARNESS_STORAGE_DRIVER:-}" ]] && drivers=("$LAVA_HARNESS_STORAGE_DRIVER")
  echo '{}' >"$STATE/daemon.json" # keep /etc/docker/daemon.json out of it
  for driver in "${drivers[@]}"; do
    log "starting dockerd (storage driver $driver)"
    rm -rf --one-file-system "$DOCKER_DATA"
    mkdir -p "$DOCKER_DATA" "$DOCKER_EXEC"
    start_daemon dockerd "$LOGS/dockerd.log" dockerd \
      --config-file "$STATE/daemon.json" \
      --storage-driver "$driver" \
      --iptables=false --ip6tables=false --bridge=none \
      --exec-opt native.cgroupdriver=cgroupfs \
      --data-root "$DOCKER_DATA" --exec-root "$DOCKER_EXEC" \
      --pidfile "$DOCKER_PIDFILE" --host "unix://$DOCKER_SOCK" \
      --containerd-namespace "$CONTAINERD_NS" --containerd-plugins-namespace "$CONTAINERD_NS-plugins"
    for ((i = 0; i < 600; i++)); do
      docker_ping && break
      pid_alive "$(pid_from_file "$STATE/dockerd.pid")" || break
      sleep 0.1
    done
    if docker_ping; then
      local actual
      actual="$(DOCKER_HOST="unix://$DOCKER_SOCK" "$DOCKER_CLI" info --format '{{.Driver}}')"
      [[ "$actual" == "$driver" ]] || die "dockerd runs storage driver '$actual', wanted '$driver'"
      echo "$driver" >"$STATE/storage-driver"
      log "dockerd up at unix://$DOCKER_SOCK"
      return 0
    fi
    log "dockerd did not come up with $driver:"
    tail -n 5 "$LOGS/dockerd.log" >&2 || true
    LAVA_HARNESS_LOCK_HELD=1 bash "$HARNESS_SRC/down.sh" --only-dockerd
  done
  die "could not start dockerd; see $LOGS/dockerd.log"
}

# ---------------------------------------------------------------- registries
# write_registry_config FILE PORT DATA [HTPASSWD]
write_registry_config() {
  local file="$1" port="$2" data="$3" htpasswd="${4:-}"
  {
    echo "version: 0.1"
    echo "log: {level: info, accesslog: {disabled: false}}"
    echo "storage:"
    echo "  filesystem: {rootdirectory: $data}"
    echo "  delete: {enabled: true}"
    echo "  maintenance: {uploadpurging: {enabled: false}}"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  headers: {X-Content-Type-Options: [nosniff]}"
    if [[ -n "$htpasswd" ]]; then
      echo "auth:"
      echo "  htpasswd: {realm: lava-test-registry, path: $htpasswd}"
    fi
  } >"$file"
}

# start_registry NAME [HTPASSWD]
start_registry() {
  local name="$1" htpasswd="${2:-}" port attempt
  if pid_alive "$(pid_from_file "$STATE/$name.pid")" && [[ -s "$STATE/$name.port" ]] &&
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$(cat "$STATE/$name.port")/v2/"; then
    log "$name already running on port $(cat "$STATE/$name.port")"
    return 0
  fi
  stop_pid "$(pid_from_file "$STATE/$name.pid")"
  for attempt in 1 2 3; do
    port="$(free_port)"
    mkdir -p "$DIR/$name-data"
    write_registry_config "$STATE/$name.yml" "$port" "$DIR/$name-data" "$htpasswd"
    start_daemon "$name" "$LOGS/$name.log" docker-registry serve "$STATE/$name.yml"
    if wait_http "http://127.0.0.1:$port/v2/" 30 "$STATE/$name.pid"; then
      echo "$port" >"$STATE/$name.port"
      log "$name up on 127.0.0.1:$port"
      return 0
    fi
    stop_pid "$(pid_from_file "$STATE/$name.pid")"
    log "$name failed to start on port $port (attempt $attempt)"
  done
  die "could not start $name; see $LOGS/$name.log"
}

# random_secret PREFIX: kept in state so that a rerun keeps the same value.
secret() {
  local file="$STATE/$1.secret"
  [[ -s "$file" ]] || printf '%s-%s\n' "$1" "$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$file"
  cat "$file"
}

# ---------------------------------------------------------------- index
start_index() {
  local name="$1" port attempt
  shift
  if pid_alive "$(pid_from_file "$STATE/$name.pid")" && [[ -s "$STATE/$name.port" ]] &&
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$(cat "$STATE/$name.port")/"; then
    log "$name already running on port $(cat "$STATE/$name.port")"
    return 0
  fi
  stop_pid "$(pid_from_file "$STATE/$name.pid")"
  for attempt in 1 2 3; do
    port="$(free_port)"
    start_daemon "$name" "$LOGS/$name.log" "$@" "$port"
    if wait_http "http://127.0.0.1:$port/" 30 "$STATE/$name.pid"; then
      echo "$port" >"$STATE/$name.port"
      log "$name up on 127.0.0.1:$port"
      return 0
    fi
    stop_pid "$(pid_from_file "$STATE/$name.pid")"
  done
  die "could not start $name; see $LOGS/$name.log"
}

# Our own copy of the layout (tests may add to it); blobs are immutable, so
# hard links to the cache are safe.
install_layout() {
  local src="$1" dst="$DIR/base-layout"
  rm -rf "$dst"
  mkdir -p "$dst/blobs"
  cp -al "$src/blobs/sha256" "$dst/blobs/sha256" 2>/dev/null || cp -a "$src/blobs/sha256" "$dst/blobs/sha256"
  cp "$src/index.json" "$src/oci-layout" "$dst/"
}

# push_if_needed LAYOUT_TAG IMAGE [--all]: skip when the tag already has that digest.
push_if_needed() {
  local tag="$1" image="$2" all="${3:-}" want have
  want="$(jq -r --arg t "$tag" \
    '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' \
    "$DIR/base-layout/index.json")"
  have="$(skopeo inspect --raw --tls-verify=false "docker://$image" 2>/dev/null | sha256sum | cut -d' ' -f1)" ||
    have=none
  if [[ "sha256:$have" == "$want" ]]; then
    log "$image already pushed ($want)"
    return 0
  fi
  log "pushing $image"
  # shellcheck disable=SC2086 # $all is empty or one flag
  skopeo copy $all --quiet --dest-tls-verify=false "oci:$DIR/base-layout:$tag" "docker://$image" \
    >>"$LOGS/skopeo.log" 2>&1 || die "skopeo could not push $image; see $LOGS/skopeo.log"
  have="$(skopeo inspect --raw --tls-verify=false "docker://$image" | sha256sum | cut -d' ' -f1)"
  [[ "sha256:$have" == "$want" ]] || die "$image has digest sha256:$have after the push, expected $want"
}

# ---------------------------------------------------------------- main
ensure_binfmt
start_dockerd
start_registry registry
AUTH_USER=lava-test-user
AUTH_PASSWORD="$(secret registry-pw)"
htpasswd -Bbc "$STATE/htpasswd" "$AUTH_USER" "$AUTH_PASSWORD" 2>/dev/null
start_registry auth-registry "$STATE/htpasswd"

if [[ ! -s "$DIR/index/simple/index.html" ]] || ! cmp -s "$HARNESS_SRC/make_index.py" "$DIR/index/.made-by"; then
  "$PY" "$HARNESS_SRC/make_index.py" "$DIR/index"
  cp "$HARNESS_SRC/make_index.py" "$DIR/index/.made-by"
fi
INDEX_USER=lava-index-user
INDEX_PASSWORD="$(secret index-pw)"
start_index index "$PY" -m http.server --bind 127.0.0.1 --directory "$DIR/index"
start_index index-auth "$PY" "$HARNESS_SRC/index_server.py" --directory "$DIR/index" \
  --user "$INDEX_USER" --password "$INDEX_PASSWORD" --log "$LOGS/index-auth-requests.log" --port

REGISTRY="127.0.0.1:$(cat "$STATE/registry.port")"
BASE_IMAGE="$REGISTRY/lava-test/bookworm-python:latest"
BASE_IMAGE_AMD64="$REGISTRY/lava-test/bookworm-python-amd64only:latest"
layout="$(base_layout)"
if [[ ! -s "$DIR/base-layout/index.json" ]] || ! cmp -s "$layout/index.json" "$DIR/base-layout/index.json"; then
  install_layout "$layout"
fi
push_if_needed latest "$BASE_IMAGE" --all
push_if_needed amd64 "$BASE_IMAGE_AMD64"

mkdir -p "$DIR/docker-config" "$DIR/tmp"
[[ -s "$DIR/docker-config/config.json" ]] || echo '{}' >"$DIR/docker-config/config.json"

INDEX_PORT="$(cat "$STATE/index.port")"
INDEX_AUTH_PORT="$(cat "$STATE/index-auth.port")"
cat >"$DIR/env.tmp" <<EOF
LAVA_HARNESS_DIR=$DIR
LAVA_HARNESS_TMP=$DIR/tmp
DOCKER_HOST=unix://$DOCKER_SOCK
DOCKER_CONFIG=$DIR/docker-config
LAVA_TEST_DOCKER_CLI=$DOCKER_CLI
LAVA_TEST_DOCKER_NETWORK=host
LAVA_TEST_DOCKER_STORAGE_DRIVER=$(cat "$STATE/storage-driver")
LAVA_TEST_DOCKER_LOG=$LOGS/dockerd.log
LAVA_TEST_REGISTRY=$REGISTRY
LAVA_TEST_REGISTRY_DATA=$DIR/registry-data
LAVA_TEST_REGISTRY_LOG=$LOGS/registry.log
LAVA_TEST_AUTH_REGISTRY=127.0.0.1:$(cat "$STATE/auth-registry.port")
LAVA_TEST_AUTH_USER=$AUTH_USER
LAVA_TEST_AUTH_PASSWORD=$AUTH_PASSWORD
LAVA_TEST_AUTH_REGISTRY_LOG=$LOGS/auth-registry.log
LAVA_TEST_INDEX_URL=http://127.0.0.1:$INDEX_PORT/simple/
LAVA_TEST_INDEX_URL_AUTH=http://$INDEX_USER:$INDEX_PASSWORD@127.0.0.1:$INDEX_AUTH_PORT/simple/
LAVA_TEST_INDEX_USER=$INDEX_USER
LAVA_TEST_INDEX_PASSWORD=$INDEX_PASSWORD
LAVA_TEST_INDEX_AUTH_LOG=$LOGS/index-auth-requests.log
LAVA_TEST_INDEX_DIR=$DIR/index
LAVA_TEST_WHEELS_DIR=$DIR/index/packages
LAVA_TEST_BASE_IMAGE=$BASE_IMAGE
LAVA_TEST_BASE_IMAGE_AMD64_ONLY=$BASE_IMAGE_AMD64
LAVA_TEST_BASE_LAYOUT=$DIR/base-layout
LAVA_TEST_BASE_LAYOUT_REF=oci:$DIR/base-layout:latest
LAVA_TEST_BASE_LAYOUT_AMD64_ONLY_REF=oci:$DIR/base-layout:amd64
LAVA_TEST_BASE_PYTHON_VERSION=3.11
EOF
mv "$DIR/env.tmp" "$DIR/env"
log "up; environment in $DIR/env"
