#!/bin/sh
# Runs one libFuzzer target for a fixed time budget; ctest runs it for every
# fuzz target (label "fuzz", see fuzz/CMakeLists.txt). By hand:
#   fuzz/run.sh FUZZER WORKDIR SECONDS [libFuzzer flags...] -- SEED...
# WORKDIR/corpus is the working corpus: the seeds are copied in, the fuzzer
# adds what it finds and it is kept for the next run. A crash, sanitizer
# report, leak, hang (-timeout) or running out of memory (-rss_limit_mb) exits
# non-zero and leaves the input in WORKDIR/crash-*, timeout-*, oom-* or leak-*;
# reproduce with `FUZZER THAT_FILE`. The next run deletes them.
set -eu
fuzzer=${1:?fuzzer binary}
work=${2:?work dir}
seconds=${3:?seconds}
shift 3
flags=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  flags="$flags $1"
  shift
done
[ $# -gt 0 ] && shift
mkdir -p "$work/corpus"
for seed in "$@"; do
  if [ -d "$seed" ]; then cp -r -- "$seed"/. "$work/corpus/"; else cp -- "$seed" "$work/corpus/"; fi
done
rm -f "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*
status=0
# shellcheck disable=SC2086  # $flags is a list of words
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" $flags "$work/corpus" || status=$?
found=$(ls "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-* 2>/dev/null || true)
if [ "$status" -ne 0 ] || [ -n "$found" ]; then
  echo "fuzz: $(basename "$fuzzer") FAILED (exit status $status); input(s) left in: ${found:-none written}" >&2
  [ "$status" -ne 0 ] || status=1
  exit "$status"
fi
echo "fuzz: $(basename "$fuzzer") ran ${seconds}s without a finding; corpus $work/corpus ($(ls "$work/corpus" | wc -l) inputs)"
