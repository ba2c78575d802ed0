#!/usr/bin/env bash
# Payload layer of 1 GiB: the native layer writer (sorted tar + gzip -6 + both digests in one
# pass, written to a blob store) against `tar | gzip | sha256sum` on the same files, and the
# writer's peak memory (target: under 64 MiB).
#   SIZE_MIB  payload size (default 1024)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIZE_MIB="${SIZE_MIB:-1024}"
DATA="$BENCH/payload-${SIZE_MIB}m"
if [[ ! -s "$DATA/.complete" ]]; then
  # Text-like content (base64 of random bytes: gzip gets it to ~76%), 4 MiB files, plus
  # many small ones as a code base has.
  rm -rf "$DATA"
  mkdir -p "$DATA/big" "$DATA/small"
  n=$(((SIZE_MIB - 16) / 4))
  for ((i = 0; i < n; i++)); do head -c 3145728 /dev/urandom | base64 -w 76 >"$DATA/big/f$i.txt"; done
  for ((i = 0; i < 4096; i++)); do head -c 3000 /dev/urandom | base64 -w 76 >"$DATA/small/s$i.py"; done
  touch "$DATA/.complete"
fi
bytes="$(du -sb "$DATA" | cut -f1)"
cat "$DATA"/big/* "$DATA"/small/* >/dev/null # same page cache for both

t="$(now)"
tar -C "$DATA" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - . | gzip -6 | sha256sum >/dev/null
base="$(elapsed "$t")"

run_ours() { # THREADS
  rm -rf "$BENCH/layer-blobs"
  /usr/bin/time -f '%M' -o "$BENCH/layer.mem" "$NATIVE_LAYER" "$DATA" "$BENCH/layer-blobs" --threads "$1" >"$BENCH/layer.json"
  echo "$(jq -r '.seconds * 1000 | round / 1000' "$BENCH/layer.json") $(cat "$BENCH/layer.mem")"
}
read -r ours mem <<<"$(run_ours 0)"
read -r ours1 mem1 <<<"$(run_ours 1)"
rm -rf "$BENCH/layer-blobs"
mb() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f MB/s", b / s / 1e6 }'; }
echo "payload layer of $((bytes / 1048576)) MiB ($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg))"
echo "  tar | gzip -6 | sha256sum:        ${base}s  $(mb "$base")  (compressed digest only)"
echo "  native writer, all cores:        ${ours}s  $(mb "$ours")  peak RSS $((mem / 1024)) MiB"
echo "  native writer, one thread:       ${ours1}s  $(mb "$ours1")  peak RSS $((mem1 / 1024)) MiB"
echo "  (native = sorted tar + gzip + diff_id + digest + blob file; target peak under 64 MiB)"
