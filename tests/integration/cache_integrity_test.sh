#!/usr/bin/env bash
# A damaged cache or base layout never reaches an image (issue 13, issue 16 items 3, 4, 11):
# - a bit flip in a cached base layer: dist/'s copy is not affected (no shared inode), and
#   `build --force --pull` notices it once, fetches it again and builds the same image;
# - a cached built layer truncated to zero bytes: noticed once, built again, same layer;
# - an `oci:` base layout with a same-size tampered layer, or a missing one: one error
#   line naming the blob (no "choose a base image" hint), nothing in dist/, and the
#   genuine layout then builds exactly what a fresh cache builds (base facts not poisoned).
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$(lava_demo_project)"
write_config() { lava_demo_config "$proj" "lava-cache-$$" "$1"; } # BASE
write_config "$LAVA_TEST_BASE_IMAGE"
lava_native_env
cache="$XDG_CACHE_HOME/lava-docker"
dist="$proj/dist/test/lava-payloads"
build() { lava -C "$proj" build --env test --engine native "$@" hello; }
flip_byte() { # FILE: inverts the byte in the middle, in place (same size)
  python3 - "$1" <<'PY'
import os, sys
with open(sys.argv[1], "r+b") as f:
    size = os.fstat(f.fileno()).st_size
    f.seek(size // 2); b = f.read(1); f.seek(size // 2); f.write(bytes([b[0] ^ 0xFF]))
PY
}
manifest_of() { # LAYOUT: the (single-platform) image manifest under the layout's root index
  local root
  root="$(jq -r '.manifests[0].digest' "$1/index.json")"
  jq -r '.manifests[0].digest' "$1/blobs/sha256/${root#sha256:}"
}
layers_of() { jq -r '.layers[].digest' "$dist/hello.oci/blobs/sha256/$(manifest_of "$dist/hello.oci" | cut -d: -f2)"; }

assert_status 0 build
good="$(cat "$dist/hello.dockerimg")"
mapfile -t layers < <(layers_of)
base_layer="${layers[0]#sha256:}"
pip_layer="${layers[${#layers[@]} - 2]#sha256:}"
assert_file "$cache/blobs/sha256/$base_layer"
assert_file "$cache/blobs/sha256/$pip_layer"

# ---- a bit flip in a cached base layer
flip_byte "$cache/blobs/sha256/$base_layer"
assert_eq "$base_layer" "$(sha256sum "$dist/hello.oci/blobs/sha256/$base_layer" | cut -d' ' -f1)" \
  "dist/'s copy after the cache was damaged in place"
assert_status 0 build --force --pull
assert_eq 1 "$(grep -c "was damaged" <<<"$LAVA_ERR")" "one notice for the damaged base layer: $LAVA_ERR"
assert_contains "$LAVA_ERR" "$base_layer" "the notice names the blob"
assert_eq "$good" "$(cat "$dist/hello.dockerimg")" "the image after repairing the cache"
assert_eq "$base_layer" "$(sha256sum "$cache/blobs/sha256/$base_layer" | cut -d' ' -f1)" "the cache blob after repair"
skopeo copy -q "oci:$dist/hello.oci:latest" "oci:$LAVA_TEST_TMP/copy:x" || fail "skopeo cannot copy the repaired layout"

# ---- a cached built layer truncated to zero bytes. A rebuild over dist/'s layout links the
# good copy that layout holds (the cache's is not read); once dist/ is gone, a plain rebuild
# finds the damage (--force would not consult the layer cache at all).
: >"$cache/blobs/sha256/$pip_layer"
echo "# edited" >>"$proj/lava-payloads/hello.docker/main.py"
assert_status 0 build
assert_not_contains "$LAVA_ERR" "was damaged" "dist/'s own copy of the layer is used"
assert_contains "$(layers_of)" "sha256:$pip_layer" "the image keeps the layer"
for f in "$dist"/hello.oci/blobs/sha256/*; do
  assert_eq "$(basename "$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "dist blob $f (linked)"
done
rm -rf "$dist"
echo "# edited again" >>"$proj/lava-payloads/hello.docker/main.py"
assert_status 0 build
assert_eq 1 "$(grep -c "was damaged" <<<"$LAVA_ERR")" "one notice for the truncated layer: $LAVA_ERR"
assert_contains "$LAVA_ERR" "$pip_layer" "the notice names the layer"
assert_eq "$pip_layer" "$(sha256sum "$cache/blobs/sha256/$pip_layer" | cut -d' ' -f1)" "the rebuilt cache layer"
assert_contains "$(layers_of)" "sha256:$pip_layer" "the image has the rebuilt layer"
for f in "$dist"/hello.oci/blobs/sha256/*; do
  assert_eq "$(basename "$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "dist blob $f"
done

# ---- oci: base layouts: tampered and missing blobs
bad="$LAVA_TEST_TMP/bad-layout"
cp -a "$LAVA_TEST_BASE_LAYOUT" "$bad"
bad_manifest="$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "amd64") | .digest' "$bad/index.json")"
bad_layer="$(jq -r '.layers[0].digest' "$bad/blobs/sha256/${bad_manifest#sha256:}")"
bad_layer="${bad_layer#sha256:}"
chmod u+w "$bad/blobs/sha256/$bad_layer"
flip_byte "$bad/blobs/sha256/$bad_layer"
rm -rf "$proj/dist"
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache-oci"
write_config "oci:$bad:amd64"
assert_status 1 build -q
assert_eq 1 "$(grep -c . <<<"$LAVA_ERR")" "one line for the tampered layer: $LAVA_ERR"
assert_contains "$LAVA_ERR" "does not match its digest sha256:$bad_layer" "tampered layer"
assert_not_contains "$LAVA_ERR" "choose a base image" "tampered layer"
assert_no_file "$dist/hello.oci"
assert_no_file "$dist/hello.dockerimg"
rm "$bad/blobs/sha256/$bad_layer"
assert_status 1 build -q
assert_eq 1 "$(grep -c . <<<"$LAVA_ERR")" "one line for the missing layer: $LAVA_ERR"
assert_contains "$LAVA_ERR" "sha256:$bad_layer is missing" "missing layer"
assert_not_contains "$LAVA_ERR" "choose a base image" "missing layer"

# The genuine layout with the same cache builds what a fresh cache builds.
write_config "$LAVA_TEST_BASE_LAYOUT_AMD64_ONLY_REF"
assert_status 0 build
same_cache="$(cat "$dist/hello.dockerimg")"
rm -rf "$proj/dist"
XDG_CACHE_HOME="$LAVA_TEST_TMP/cache-fresh" build >/dev/null 2>&1 || fail "build with a fresh cache failed"
assert_eq "$(cat "$dist/hello.dockerimg")" "$same_cache" "genuine layout after a tampered one vs a fresh cache"
