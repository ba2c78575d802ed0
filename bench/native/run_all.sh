#!/usr/bin/env bash
# Every native-engine figure of bench/README.md, one after the other.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
for b in code_only_rebuild arm64_deps job_start noop_install layer_throughput; do
  bash "$here/$b.sh"
  echo
done
