#!/usr/bin/env bash
# Faults and concurrency of build (issue 13, issue 16 item 10), with real native builds:
# - a second build of the same project/env waits for the first, saying "waiting for ...";
# - litter of runs that died (.NAME.context-PID, cache .tmp-PID-* blobs, native/tmp/pip-PID-*)
#   is swept by the next build and by clean, while a live process's temporaries are kept;
# - SIGTERM and SIGINT while pip runs: exit 143 / 130, one line, no temporaries left;
# - kill -9 at random moments of build and install: the next run succeeds, dist/ holds a consistent
#   result (NAME.dockerimg absent or naming the layout's index), every cache blob matches
#   its digest.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$(lava_demo_project)"
lava_demo_config "$proj" "lava-conc-$$" "$LAVA_TEST_BASE_LAYOUT_REF"
lava_native_env
cache="$XDG_CACHE_HOME/lava-docker"
dist="$proj/dist/test/lava-payloads"
lock="$proj/dist/.test.lock"
build() { lava -C "$proj" build --env test --engine native "$@" hello; }

# Every blob in the cache hashes to its name.
check_cache_blobs() {
  local f
  for f in "$cache"/blobs/sha256/*; do
    [[ -f "$f" ]] || continue
    [[ "$(basename "$f")" == .* ]] && continue
    assert_eq "$(basename "$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "cache blob $f"
  done
}

# dist/ holds either nothing for hello or a complete, consistent result.
check_dist() {
  if [[ -f "$dist/hello.dockerimg" ]]; then
    assert_eq "$(cat "$dist/hello.dockerimg")" "$(jq -r '.manifests[0].digest' "$dist/hello.oci/index.json")" \
      ".dockerimg names the layout's index"
    skopeo inspect --raw "oci:$dist/hello.oci:latest" >/dev/null || fail "the layout is unreadable"
  fi
}

# ---- 1. the lock: a held lock makes build wait and say so, then it proceeds
assert_status 0 build
first="$(cat "$dist/hello.dockerimg")"
mkdir -p "$proj/dist"
holder_log="$LAVA_TEST_TMP/holder.log"
flock "$lock" -c "echo locked >'$holder_log'; while [ ! -e '$LAVA_TEST_TMP/release' ] && [ -d '$LAVA_TEST_TMP' ]; do sleep 0.1; done" &
holder=$!
lava_wait_for "$holder_log" locked
build_err="$LAVA_TEST_TMP/waiting.err"
build --force >/dev/null 2>"$build_err" &
builder=$!
lava_wait_for "$build_err" "waiting for $proj/dist/test"
assert_no_file "$dist/.hello.oci.tmp-$builder"  # blocked before any work
touch "$LAVA_TEST_TMP/release"
wait "$holder"
wait "$builder" || fail "the waiting build failed: $(cat "$build_err")"
assert_eq "$first" "$(cat "$dist/hello.dockerimg")" "the build after waiting"

# ---- 2. litter of dead runs is swept by build and by clean; a live run's is kept
dead=99999999  # above any pid_max: never a live process
mkdir -p "$dist/.hello.context-$dead/sub" "$cache/native/tmp/pip-$dead-12345/work" "$dist/.hello.context-$$"
echo half >"$cache/blobs/sha256/.tmp-$dead-777"
echo half >"$cache/blobs/sha256/.layer-$dead-778"
echo half >"$dist/hello.dockerimg.tmp-$dead-5"
echo mine >"$cache/blobs/sha256/.tmp-$$-1"
assert_status 0 build
assert_no_file "$dist/.hello.context-$dead"
assert_no_file "$cache/native/tmp/pip-$dead-12345"
assert_no_file "$cache/blobs/sha256/.tmp-$dead-777"
assert_no_file "$cache/blobs/sha256/.layer-$dead-778"
assert_no_file "$dist/hello.dockerimg.tmp-$dead-5"
assert_file "$cache/blobs/sha256/.tmp-$$-1"
[[ -d "$dist/.hello.context-$$" ]] || fail "a live process's context dir was removed"
rm -rf "$dist/.hello.context-$$" "$cache/blobs/sha256/.tmp-$$-1"
mkdir -p "$dist/.hello.context-$dead"
echo half >"$cache/blobs/sha256/.tmp-$dead-9"
assert_status 0 lava -C "$proj" clean --env test hello
assert_no_file "$dist/.hello.context-$dead"
assert_no_file "$cache/blobs/sha256/.tmp-$dead-9"

# ---- 3. SIGTERM / SIGINT while pip waits on an index that never answers
port_file="$LAVA_TEST_TMP/stall.port"
python3 "$LAVA_SOURCE_DIR/tests/registry/stall_server.py" stall "$port_file" &
stall=$!
lava_on_exit kill "$stall"
for ((i = 0; i < 600; ++i)); do [[ -s "$port_file" ]] && break; sleep 0.1; done
for sig in TERM INT; do
  rm -f "$port_file.log"
  err="$LAVA_TEST_TMP/sig-$sig.err"
  # Only pip's rebuild of the requirements layer would ask the index: a fresh cache.
  PIP_INDEX_URL="http://127.0.0.1:$(cat "$port_file")/simple/" XDG_CACHE_HOME="$LAVA_TEST_TMP/cache-$sig" \
    "$LAVA_BIN" -C "$proj" build --env test --engine native --force -q hello >/dev/null 2>"$err" &
  pid=$!
  lava_wait_for "$port_file.log" "GET"  # pip is waiting for the index now
  kill -s "$sig" "$pid"
  status=0
  wait "$pid" || status=$?
  want=$((128 + $([[ $sig == TERM ]] && echo 15 || echo 2)))
  assert_eq "$want" "$status" "exit status after SIG$sig ($(cat "$err"))"
  assert_contains "$(cat "$err")" "interrupted by SIG$sig" "SIG$sig message"
  assert_eq 1 "$(grep -c . "$err" | tr -d ' ')" "one line after SIG$sig: $(cat "$err")"
  leftovers="$(find "$dist" "$LAVA_TEST_TMP/cache-$sig" \( -name "*-$pid" -o -name "*-$pid-*" -o -name "*-$pid.*" \) -print | head -5)"
  assert_eq "" "$leftovers" "temporaries after SIG$sig"
  check_dist
done

# ---- 4. kill -9 at random moments of build --force and install --force; the next run
# always recovers
for round in 1 2 3 4 5 6; do
  cmd=build
  ((round > 3)) && cmd=install
  rm -rf "$cache/native/layers"  # make the pip layer be built again: more moments to hit
  lava -C "$proj" "$cmd" --env test --engine native --force hello >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_dist
  assert_status 0 lava -C "$proj" "$cmd" --env test --engine native hello
  assert_eq "$first" "$(cat "$dist/hello.dockerimg")" "$cmd after kill -9 (round $round)"
  check_dist
  check_cache_blobs
done
pushed="$(skopeo inspect --tls-verify=false --raw "docker://$LAVA_TEST_REGISTRY/lava-conc-$$/test/demo/hello:latest" | sha256sum | cut -d' ' -f1)"
assert_eq "$first" "sha256:$pushed" "the pushed index after the killed installs"
# Whatever the killed runs left is gone after the next run.
assert_eq "" "$(find "$dist" "$cache" -path "$cache/pip" -prune -o \( -name '.tmp-*' -o -name '*.tmp-*' -o -name '.layer-*' -o -name '*.context-*' -o -name 'pip-*' \) -print | head -5)" "litter after the kill -9 rounds"
