#!/usr/bin/env bash
# No credentials in the Docker engine (issue 16 item 5). Docker-engine builds of a
# default-Dockerfile payload with PIP_INDEX_URL holding a password, watched through a
# recording proxy on the Engine API (tests/harness/engine_recorder.py):
# - no build request carries PIP_INDEX_URL or the password, and the password reaches the
#   engine only in the copy of the requirements step's inputs into its container, where
#   pip used it (the index's auth log);
# - with image removals refused by the proxy, so that every image the build made stays,
#   none holds the password in its history, metadata or layers;
# - no step container, image or volume is left after a build, a failing pip or Ctrl-C;
# - a payload's own Dockerfile still gets PIP_INDEX_URL as a build arg (its choice);
# - a changed PIP_INDEX_URL makes the payload out of date, the same one does not.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$(lava_demo_project)"
repo="lava-secrets-$$"
lava_demo_config "$proj" "$repo" "$LAVA_TEST_BASE_IMAGE"
lava_auth_index
lava_remove_images_on_exit "$repo"
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
secret="$LAVA_INDEX_SECRET"
label=lava-docker.stage=lava-requirements

build() { lava -C "$proj" build --env test --engine docker --network "$LAVA_TEST_DOCKER_NETWORK" "$@"; }
# The request lines of the recorded requests in DIR that hold TEXT.
requests_with() { # DIR TEXT
  local f
  for f in "$1"/*.req; do
    if grep -q -a -F -- "$2" "$f"; then head -n1 "$f" | tr -d '\r'; fi
  done
}
build_requests() { grep -E '^POST /v[0-9.]+/build\?' "$1/requests.log" || true; }
# What the requirements step leaves in the engine: nothing, once a build has ended.
no_step_litter() { # WHAT
  assert_eq "" "$(docker ps -a -q --filter "label=$label")" "step containers after $1"
  assert_eq "" "$(docker images -a -q --filter "label=$label")" "step images after $1"
  assert_eq "$volumes" "$(docker volume ls -q | sort)" "volumes after $1"
}
volumes="$(docker volume ls -q | sort)"

# ---- 1. what the engine is sent, with every image the build makes kept for inspection
rec="$LAVA_TEST_TMP/rec-keep"
lava_start_engine_recorder "$rec" --refuse-image-deletes
auth_before="$(grep -c 'auth=ok' "$LAVA_TEST_INDEX_AUTH_LOG" || true)"
docker images -a -q --no-trunc | sort -u >"$LAVA_TEST_TMP/before"
assert_status 0 env DOCKER_HOST="$LAVA_RECORDER_HOST" "$LAVA_BIN" -C "$proj" build --env test \
  --engine docker --network "$LAVA_TEST_DOCKER_NETWORK" --force hello
assert_not_contains "$LAVA_OUT$LAVA_ERR" "$secret" "build output"
docker images -a -q --no-trunc | sort -u >"$LAVA_TEST_TMP/after"

[[ -n "$(build_requests "$rec")" ]] || fail "no build request recorded: $(cat "$rec/requests.log")"
assert_not_contains "$(build_requests "$rec")" PIP_INDEX_URL "build requests (build args)"
holders="$(requests_with "$rec" "$secret")"
[[ -n "$holders" ]] || fail "the index password never reached the engine: pip cannot have used it"
while read -r line; do
  assert_match "$line" '^PUT /v[0-9.]+/containers/[0-9a-f]+/archive\?path=' \
    "a request holding the index password"
done <<<"$holders"
auth_after="$(grep -c 'auth=ok' "$LAVA_TEST_INDEX_AUTH_LOG" || true)"
((auth_after > auth_before)) || fail "pip never asked the index with the password"

mapfile -t created < <(comm -13 "$LAVA_TEST_TMP/before" "$LAVA_TEST_TMP/after")
((${#created[@]} > 0)) || fail "the build created no image"
step_images="$(docker images -a -q --no-trunc --filter "label=$label")"
[[ -n "$step_images" ]] || fail "no requirements step image kept (removals were refused)"
lava_on_exit eval "docker rmi -f $(tr '\n' ' ' <<<"$step_images")"
docker image inspect "$repo/test/demo/hello:latest" >/dev/null || fail "no tagged image"
for id in "${created[@]}"; do
  text="$(docker history --no-trunc "$id"; docker image inspect "$id")"
  assert_not_contains "$text" "$secret" "image $id (history and metadata)"
done
saved="$(lava_tmpdir)"
docker save "${created[@]}" | tar -x -C "$saved"
for layer in "$saved"/*/layer.tar; do
  if tar -xOf "$layer" | grep -a -q -F -- "$secret"; then fail "the index password is in layer $layer"; fi
done
if grep -r -a -q -F -- "$secret" "$saved"; then fail "the index password is in a saved image"; fi
if grep -r -a -q -F -- "$secret" "$proj/dist"; then fail "the index password is in dist/"; fi
note "checked ${#created[@]} image(s) the build created, the requirements step's included"
docker rmi -f $step_images >/dev/null
assert_eq "" "$(docker ps -a -q --filter "label=$label")" "step containers after the build"
assert_eq "$volumes" "$(docker volume ls -q | sort)" "volumes after the build"

# ---- 2. the build removes the step's image itself; the stamp sees PIP_INDEX_URL, hashed
assert_status 0 build --force hello
no_step_litter "a build"
assert_status 0 build hello
assert_contains "$LAVA_OUT" "up-to-date" "the same PIP_INDEX_URL"
assert_status 0 env PIP_INDEX_URL="$LAVA_TEST_INDEX_URL" "$LAVA_BIN" -C "$proj" build --env test \
  --engine docker --network "$LAVA_TEST_DOCKER_NETWORK" hello
assert_contains "$LAVA_OUT" "built" "another PIP_INDEX_URL rebuilds"
assert_not_contains "$LAVA_OUT" "up-to-date" "another PIP_INDEX_URL rebuilds"
if grep -r -a -q -F -- "$secret" "$proj/dist"; then fail "the index password is in dist/ (the stamp)"; fi

# ---- 3. a payload's own Dockerfile gets PIP_INDEX_URL as a build arg, as it always did
rec="$LAVA_TEST_TMP/rec-custom"
lava_start_engine_recorder "$rec"
assert_status 0 env DOCKER_HOST="$LAVA_RECORDER_HOST" "$LAVA_BIN" -C "$proj" build --env test \
  --engine docker --network "$LAVA_TEST_DOCKER_NETWORK" --force custom
assert_contains "$(build_requests "$rec")" PIP_INDEX_URL "the custom Dockerfile's build args"

# ---- 4. a failing pip: one line naming the payload and pip's complaint, nothing left
cp "$proj/lava-payloads/hello.docker/requirements.txt" "$LAVA_TEST_TMP/requirements.saved"
echo "lavatest-no-such-project" >>"$proj/lava-payloads/hello.docker/requirements.txt"
assert_status 1 build --force -q hello
assert_eq 1 "$(grep -c . <<<"$LAVA_ERR")" "one line for a failing pip: $LAVA_ERR"
assert_contains "$LAVA_ERR" "hello" "a failing pip"
assert_contains "$LAVA_ERR" "lavatest-no-such-project" "a failing pip"
assert_not_contains "$LAVA_ERR" "$secret" "a failing pip"
no_step_litter "a failing pip"
cp "$LAVA_TEST_TMP/requirements.saved" "$proj/lava-payloads/hello.docker/requirements.txt"

# ---- 5. Ctrl-C while pip waits for an index that never answers
port_file="$LAVA_TEST_TMP/stall.port"
/usr/bin/python3 "$LAVA_SOURCE_DIR/tests/registry/stall_server.py" stall "$port_file" &
lava_on_exit kill "$!"
for ((i = 0; i < 600; ++i)); do [[ -s "$port_file" ]] && break; sleep 0.1; done
err="$LAVA_TEST_TMP/sigint.err"
PIP_INDEX_URL="http://stall:$secret@127.0.0.1:$(cat "$port_file")/simple/" \
  "$LAVA_BIN" -C "$proj" build --env test --engine docker --network "$LAVA_TEST_DOCKER_NETWORK" \
  --force -q hello >/dev/null 2>"$err" &
pid=$!
lava_wait_for "$port_file.log" "GET"  # pip, in the step's container, waits for the index
kill -INT "$pid"
status=0
wait "$pid" || status=$?
assert_eq 130 "$status" "exit status after SIGINT ($(cat "$err"))"
assert_contains "$(cat "$err")" "interrupted by SIGINT" "SIGINT message"
assert_eq 1 "$(grep -c . "$err")" "one line after SIGINT: $(cat "$err")"
no_step_litter "Ctrl-C"

# ---- 6. kill -9 while pip waits: the step's container (and its volume) stays behind, and
# the next requirements step, or `clean`, removes it. Step containers of a live process, or
# of another machine sharing the engine, are kept.
gets() { grep -c GET "$port_file.log" || true; }
# Starts a build whose pip stalls on the index, waits until pip asks, kills it with SIGKILL.
killed_build() {
  local before
  before="$(gets)"
  PIP_INDEX_URL="http://stall:$secret@127.0.0.1:$(cat "$port_file")/simple/" \
    "$LAVA_BIN" -C "$proj" build --env test --engine docker --network "$LAVA_TEST_DOCKER_NETWORK" \
    --force -q hello >/dev/null 2>&1 &
  local pid=$! i
  for ((i = 0; i < 1200; ++i)); do (($(gets) > before)) && break; sleep 0.1; done
  (($(gets) > before)) || fail "pip never asked the stalled index"
  kill -KILL "$pid"
  wait "$pid" || true
  [[ -n "$(docker ps -a -q --filter "label=$label")" ]] || fail "no step container left by kill -9"
}
killed_build
assert_status 0 build --force -q hello
no_step_litter "kill -9, then a build"

# The owner tags as lava-docker writes them (machine/boot/pid/start time), for the kept ones.
machine="$(cat /etc/machine-id 2>/dev/null || true)"
[[ -n "$machine" ]] || machine="host-$(hostname)"
boot="$(cat /proc/sys/kernel/random/boot_id)"
start="$(sed 's/.*) //' /proc/$$/stat | awk '{ print $20 }')"
live="$(docker create --label "$label" --label "lava-docker.owner=$machine/$boot/$$/$start" \
  "$LAVA_TEST_BASE_IMAGE" true)"
lava_on_exit docker rm -f "$live"
elsewhere="$(docker create --label "$label" --label "lava-docker.owner=another-machine/$boot/1/1" \
  "$LAVA_TEST_BASE_IMAGE" true)"
lava_on_exit docker rm -f "$elsewhere"
killed_build
assert_status 0 lava -C "$proj" clean --env test --json
assert_eq 1 "$(jq .abandoned_steps_removed <<<"$LAVA_OUT")" "abandoned steps removed by clean"
assert_eq "$(printf '%s\n' "${live:0:12}" "${elsewhere:0:12}" | sort)" \
  "$(docker ps -a -q --filter "label=$label" | sort)" "step containers kept by clean"
docker rm -f "$live" "$elsewhere" >/dev/null
no_step_litter "kill -9, then clean"
