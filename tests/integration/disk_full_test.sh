#!/usr/bin/env bash
# Disk full (issue 13, issue 16 item 11): a small tmpfs as the project's dist/ and, in
# turn, as the per-user cache (a registry base, whose layers are fetched there). The build fails with one line saying "No space left on
# device" (never "Input/output error"), and leaves no temporary behind; a later build with
# space succeeds.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

[[ "$(id -u)" == 0 ]] || { note "SKIP: needs root to mount a tmpfs"; exit 0; }
proj="$(lava_demo_project)"
write_config() { lava_demo_config "$proj" "lava-full-$$" "$1"; } # BASE
lava_native_env  # XDG_CACHE_HOME is set per case below
build() { lava -C "$proj" build --env test --engine native --force -q hello; }
litter() { find "$@" \( -name '.tmp-*' -o -name '*.tmp-*' -o -name '.layer-*' -o -name '*.context-*' -o -name 'pip-*' \) -print | head -5; }

for where in dist cache; do
  small="$LAVA_TEST_TMP/small-$where"
  mkdir -p "$small"
  mount -t tmpfs -o size=3m tmpfs "$small"
  lava_on_exit umount -l "$small"
  if [[ $where == dist ]]; then
    write_config "$LAVA_TEST_BASE_LAYOUT_REF"  # its layers are copied into dist/
    export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
    rm -rf "$proj/dist" && ln -s "$small" "$proj/dist"
  else
    write_config "$LAVA_TEST_BASE_IMAGE"  # its layers are fetched into the cache
    export XDG_CACHE_HOME="$small"
    rm -rf "$proj/dist" && mkdir "$proj/dist"
  fi
  assert_status 1 build
  assert_eq 1 "$(grep -c . <<<"$LAVA_ERR")" "$where full: one line: $LAVA_ERR"
  assert_contains "$LAVA_ERR" "No space left on device" "$where full"
  assert_not_contains "$LAVA_ERR" "Input/output error" "$where full"
  assert_eq "" "$(litter "$small" "$proj/dist/")" "$where full: temporaries left"
  assert_no_file "$proj/dist/test/lava-payloads/hello.dockerimg"
  umount -l "$small"
done
rm -rf "$proj/dist"
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
assert_status 0 build
