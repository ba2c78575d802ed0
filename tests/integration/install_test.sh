#!/usr/bin/env bash
# End to end: `lava-docker install` builds, exports and pushes a two-platform payload to the
# harness registry as one OCI index; skopeo and umoci read it independently, the engine
# pulls and runs both platforms, a second install uploads nothing, uninstall removes the tag.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$LAVA_TEST_TMP/demo"
cp -a "$LAVA_SOURCE_DIR/examples/demo" "$proj"
rm -rf "$proj/dist" "$proj/lava-payloads/custom.docker" "$proj/lava-payloads/linked.docker"
repo="lava-install-$$"
cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: $repo/demo
docker:
  platform: linux/amd64,linux/arm64
  base_img: $LAVA_TEST_BASE_IMAGE
  registry: $LAVA_TEST_REGISTRY
  os_upgrade: false
bucket: b
retries: 1
debug: no
YAML
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
lava_on_exit sh -c "/usr/bin/docker images --format '{{.Repository}}:{{.Tag}}' | grep '$repo/' | xargs -r /usr/bin/docker rmi -f"
ref="$LAVA_TEST_REGISTRY/$repo/demo/hello:latest"

assert_status 0 lava -C "$proj" install --engine docker --env test --network host --quiet --json
json="$LAVA_OUT"
# One document like build's, prepare's and clean's: command, env, payloads.
assert_eq "install test hello" "$(jq -r '[.command, .env, (.payloads | map(.payload) | join(","))] | join(" ")' <<<"$json")" \
  "install --json document"
digest="$(jq -r '.payloads[0].digest' <<<"$json")"
assert_match "$digest" '^sha256:[0-9a-f]{64}$' "pushed digest"
assert_eq "application/vnd.oci.image.index.v1+json" "$(jq -r '.payloads[0].media_type' <<<"$json")" "pushed an index"
[[ "$(jq -r '.payloads[0].blobs_uploaded' <<<"$json")" -gt 0 ]] || fail "first install uploaded no blobs: $json"

raw="$(skopeo_inspect_raw "$ref")"
assert_eq "$digest" "sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)" "tag points at the pushed digest"
assert_eq "amd64 arm64" "$(jq -r '[.manifests[].platform.architecture] | sort | join(" ")' <<<"$raw")" "index platforms"

# umoci reads a copy made by skopeo (independent of our client).
skopeo copy -q --all --src-tls-verify=false "docker://$ref" "oci:$LAVA_TEST_TMP/copy:latest" >/dev/null
umoci ls --layout "$LAVA_TEST_TMP/copy" | grep -qx latest || fail "umoci does not see the tag"

for pa in "linux/amd64 x86_64" "linux/arm64 aarch64"; do
  set -- $pa
  docker rmi -f "$ref" >/dev/null 2>&1 || true
  docker pull -q --platform "$1" "$ref" >/dev/null
  out="$(docker run --rm --platform "$1" --user 4242 "$ref" sh -c 'cd /tmp && python3 -c "import lavatest_native; print(lavatest_native.ARCH)"; python3 /lava/main.py | head -1')"
  assert_eq "$2" "$(sed -n 1p <<<"$out")" "native wheel on $1"
  assert_eq "hello from test-realm (test), bucket b" "$(sed -n 2p <<<"$out")" "payload on $1"
done

# Nothing changed: nothing rebuilt, nothing uploaded, same digest.
assert_status 0 lava -C "$proj" install --engine docker --env test --network host --quiet --json
assert_eq 0 "$(jq -r '.payloads[0].blobs_uploaded' <<<"$LAVA_OUT")" "blobs uploaded by a no-op install"
assert_eq "$digest" "$(jq -r '.payloads[0].digest' <<<"$LAVA_OUT")" "digest of a no-op install"
# The human summary, as the README shows it: one tab-separated line per payload.
assert_status 0 lava -C "$proj" install --engine docker --env test --network host --quiet
assert_match "$LAVA_OUT" "^hello	pushed	$ref@$digest	0 uploaded \(0 B\), [0-9]+ present, 0 mounted$" "install summary"

# Uninstall: the tag is gone; a second uninstall is a notice, not an error.
assert_status 0 lava -C "$proj" uninstall --env test
if skopeo_inspect_raw "$ref" >/dev/null 2>&1; then fail "tag still resolves after uninstall"; fi
assert_status 0 lava -C "$proj" uninstall --env test
assert_contains "$LAVA_ERR" "notice" "second uninstall"
