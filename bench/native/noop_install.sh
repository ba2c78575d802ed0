#!/usr/bin/env bash
# No-op install: `lava-docker install` of a natively built payload (linux/amd64 +
# linux/arm64) to the harness registry a second time uploads no blob.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
harness_up
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
make_project "$BENCH/install" linux/amd64,linux/arm64
CACHE="$BENCH/install-cache"
install() { XDG_CACHE_HOME="$CACHE" "$LAVA" -C "$BENCH/install" install --engine native --env dev --quiet --json hello; }
first="$(install)"
t="$(now)"
second="$(install)"
s="$(elapsed "$t")"
echo "lava-docker install of a natively built 2-platform payload to $LAVA_TEST_REGISTRY"
echo "  first install:  $(jq -c '.payloads[0]' <<<"$first")"
echo "  second install: $(jq -c '.payloads[0]' <<<"$second")  (${s}s, up-to-date check included)"
echo "  blobs uploaded by the no-op install: $(jq '.payloads[0].blobs_uploaded' <<<"$second") (target: 0)"
