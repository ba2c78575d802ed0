#!/usr/bin/env bash
# No-op install: pushing a natively built layout (linux/amd64 + linux/arm64) to the harness
# registry a second time, as install does, uploads no blob. The first push mounts the base
# layers from the base image's repository instead of uploading them.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
harness_up
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
make_project "$BENCH/install" linux/amd64,linux/arm64
CACHE="$BENCH/install-cache"
TARGET="$LAVA_TEST_REGISTRY/lava-bench/hello-$$:latest"
BASE_REPO="${LAVA_TEST_BASE_IMAGE#*/}"
BASE_REPO="${BASE_REPO%:*}"
first="$(native_build "$BENCH/install" "$CACHE" --push "$TARGET" --mount-from "$BASE_REPO")"
t="$(now)"
second="$(native_build "$BENCH/install" "$CACHE" --push "$TARGET" --mount-from "$BASE_REPO")"
s="$(elapsed "$t")"
echo "install of a natively built 2-platform payload to $LAVA_TEST_REGISTRY"
echo "  first push:  $(jq -c .push <<<"$first")"
echo "  second push: $(jq -c .push <<<"$second")  (${s}s, rebuild from cache included)"
echo "  blobs uploaded by the no-op install: $(jq .push.blobs_uploaded <<<"$second") (target: 0)"
