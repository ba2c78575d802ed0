#!/usr/bin/env bash
# The harness base image is a real multi-platform image: an OCI index with
# linux/amd64 and linux/arm64 in the registry, and containers of each platform
# run (arm64 through QEMU) with python3 and pip. The amd64-only variant is a
# single manifest.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

# --- what the registry holds
raw="$(skopeo_inspect_raw "$LAVA_TEST_BASE_IMAGE")"
assert_eq application/vnd.oci.image.index.v1+json "$(jq -r .mediaType <<<"$raw")" \
  "media type of $LAVA_TEST_BASE_IMAGE"
platforms="$(jq -r '[.manifests[].platform | "\(.os)/\(.architecture)"] | sort | join(",")' <<<"$raw")"
assert_eq linux/amd64,linux/arm64 "$platforms" "platforms of $LAVA_TEST_BASE_IMAGE"

raw="$(skopeo_inspect_raw "$LAVA_TEST_BASE_IMAGE_AMD64_ONLY")"
assert_eq application/vnd.oci.image.manifest.v1+json "$(jq -r .mediaType <<<"$raw")" \
  "media type of $LAVA_TEST_BASE_IMAGE_AMD64_ONLY"
config="$(skopeo inspect --config --tls-verify=false "docker://$LAVA_TEST_BASE_IMAGE_AMD64_ONLY")"
assert_eq linux/amd64 "$(jq -r '"\(.os)/\(.architecture)"' <<<"$config")" \
  "platform of $LAVA_TEST_BASE_IMAGE_AMD64_ONLY"

# The local layout is the same image as the registry's.
layout_digest="$(skopeo inspect --raw "$LAVA_TEST_BASE_LAYOUT_REF" | sha256sum | cut -d' ' -f1)"
registry_digest="$(skopeo_inspect_raw "$LAVA_TEST_BASE_IMAGE" | sha256sum | cut -d' ' -f1)"
assert_eq "$registry_digest" "$layout_digest" "index digest of $LAVA_TEST_BASE_LAYOUT_REF"

# --- containers of each platform on the harness engine
check_platform() {
  local platform="$1" machine="$2" out
  # Pull explicitly: the engine keeps one image per tag, whatever ran last.
  docker pull -q --platform "$platform" "$LAVA_TEST_BASE_IMAGE" >/dev/null
  assert_eq "${platform#linux/}" "$(docker image inspect --format '{{.Architecture}}' "$LAVA_TEST_BASE_IMAGE")" \
    "architecture of the pulled $platform image"
  out="$(docker run --rm --platform "$platform" "$LAVA_TEST_BASE_IMAGE" sh -c \
    'uname -m; python3 -c "import platform, sys; print(platform.machine(), sys.version_info[:2])"; python3 -m pip --version')"
  note "$platform: $(tr '\n' ' ' <<<"$out")"
  assert_eq "$machine" "$(sed -n 1p <<<"$out")" "uname -m on $platform"
  assert_eq "$machine (3, 11)" "$(sed -n 2p <<<"$out")" "python3 on $platform"
  assert_match "$(sed -n 3p <<<"$out")" '^pip [0-9]' "pip on $platform"
}
check_platform linux/amd64 x86_64
check_platform linux/arm64 aarch64
