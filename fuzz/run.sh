#!/bin/sh
# Runs the template fuzzer for a fixed time budget: fuzz/run.sh BUILD_DIR [SECONDS]
# (BUILD_DIR configured with clang and -DLAVA_FUZZ=ON). Exits non-zero on a crash.
set -eu
build=${1:?build dir}
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/corpus/template/* "$work"/
"$build"/fuzz/template_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=4096 -dict="$here"/template.dict -print_final_stats=1 "$work"
