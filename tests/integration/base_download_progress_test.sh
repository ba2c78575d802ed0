#!/usr/bin/env bash
# Base-layer downloads of a native build show as pushes do (issue 13): on a terminal the
# status line carries byte counts and speed; --progress plain (and plain by default when
# stderr is not a terminal) prints one line per fetched layer with no carriage returns and
# no counts; --progress quiet prints nothing about them. Every build starts from a fresh
# cache, so the base layers really come from the harness registry. The terminal is a real
# pseudo-terminal (script(1)).
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$(lava_demo_project)"
lava_demo_config "$proj" "lava-download-$$" "$LAVA_TEST_BASE_IMAGE"
lava_native_env  # each build below has a fresh cache of its own, though
layers="$(skopeo inspect --tls-verify=false --override-arch amd64 "docker://$LAVA_TEST_BASE_IMAGE" | jq -r '.Layers[]' | cut -c8-19)"
[[ -n "$layers" ]] || fail "no layers listed for $LAVA_TEST_BASE_IMAGE"
counts='[0-9.]+ (B|KiB|MiB|GiB) / [0-9.]+ (B|KiB|MiB|GiB) +[0-9.]+ (B|KiB|MiB|GiB)/s'

# fresh_build NAME [OPTIONS...]: a build of hello with an empty cache of its own, output in
# $LAVA_TEST_TMP/NAME.out; on a pseudo-terminal when NAME starts with "tty".
fresh_build() {
  local name="$1" out="$LAVA_TEST_TMP/$1.out"
  shift
  rm -rf "$proj/dist"
  export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache-$name"
  local cmd=("$LAVA_BIN" -C "$proj" build --env test --engine native "$@" hello)
  if [[ "$name" == tty* ]]; then
    # script(1) gives the command a terminal and copies what it writes there to stdout.
    script -qfec "$(printf '%q ' "${cmd[@]}")" /dev/null >"$out" </dev/null ||
      fail "$name: build failed: $(cat -v "$out")"
  else
    "${cmd[@]}" >"$out" 2>&1 </dev/null || fail "$name: build failed: $(cat "$out")"
  fi
}

# ---- a terminal, --progress left to auto: counts and speed on the rewritten status line
fresh_build tty-auto
for l in $layers; do
  grep -aqE "base layer $l +[0-9]+% $counts" "$LAVA_TEST_TMP/tty-auto.out" ||
    fail "no byte counts for base layer $l on a terminal: $(cat -v "$LAVA_TEST_TMP/tty-auto.out")"
done
grep -aq $'\033\[K' "$LAVA_TEST_TMP/tty-auto.out" || fail "the status line was not rewritten in place"

# ---- plain: asked for on a terminal, and chosen when stderr is a file
for name in tty-plain file-auto; do
  if [[ $name == tty-plain ]]; then fresh_build "$name" --progress plain; else fresh_build "$name"; fi
  out="$LAVA_TEST_TMP/$name.out"
  # script(1) ends each line with \r\n (the terminal's doing): only a \r before other text
  # would be a line rewritten in place.
  mid_line="$(sed 's/\r$//' "$out" | grep -c $'\r' || true)"
  [[ "$mid_line" -eq 0 ]] || fail "$name: carriage returns mid-line: $(cat -v "$out")"
  stripped="$(tr -d '\r' <"$out")"
  if grep -qE "$counts" <<<"$stripped"; then fail "$name: byte counts in plain output: $stripped"; fi
  for l in $layers; do
    assert_eq 1 "$(grep -c "^hello: base layer $l fetched$" <<<"$stripped")" "$name: lines for base layer $l"
  done
done

# ---- quiet: nothing about the layers
fresh_build tty-quiet --progress quiet
if grep -aqE "base layer|$counts" "$LAVA_TEST_TMP/tty-quiet.out"; then
  fail "quiet build showed base layers: $(cat -v "$LAVA_TEST_TMP/tty-quiet.out")"
fi

# ---- a cached base fetches nothing, so shows nothing
assert_status 0 lava -C "$proj" build --env test --engine native --progress plain --force hello
assert_not_contains "$LAVA_ERR" "base layer" "a build from the cache"
