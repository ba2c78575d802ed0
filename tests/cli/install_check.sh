#!/usr/bin/env bash
# `cmake --install` puts one self-sufficient binary in PREFIX/bin: copied alone to a fresh
# directory it answers --help (listing every command), --version and a render, and,
# stripped, stays under the size budget (issue 14: 30 MB).
#   tests/cli/install_check.sh BUILD_DIR [SANITIZED]
# SANITIZED=ON (an ASan/UBSan build) skips the size budget: instrumentation triples the code.
set -uo pipefail
build="$(cd "$1" && pwd)"
sanitized="${2:-OFF}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cmake --install "$build" --prefix "$work/prefix" --strip >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; echo "FAIL: cmake --install"; exit 1; }
bin="$work/prefix/bin/lava-docker"
[[ -x "$bin" ]] || { echo "FAIL: no $bin"; exit 1; }
# Nothing else is installed beside it, and it needs nothing from the build tree.
others=$(find "$work/prefix" -type f ! -path "$bin" | wc -l)
((others == 0)) || fail "install wrote $others files besides bin/lava-docker"
mkdir "$work/alone" && cp "$bin" "$work/alone/" && bin="$work/alone/lava-docker"

help=$(cd "$work" && "$bin" --help 2>&1) || fail "--help exited non-zero"
for c in list migrate render nb2py prepare build clean install uninstall run; do
  grep -qE "^  $c( |$)" <<<"$help" || fail "--help does not list '$c'"
done
version=$("$bin" --version 2>&1) || fail "--version exited non-zero"
[[ "$version" == "lava-docker "* ]] || fail "--version printed '$version'"
out=$(echo 'x=<{ a }>' | "$bin" render -d '<' -p a=1 2>&1) || fail "render exited non-zero: $out"
[[ "$out" == "x=1" ]] || fail "render printed '$out'"
size=$(stat -c %s "$bin")
if [[ "$sanitized" != ON ]]; then
  ((size < 30 * 1024 * 1024)) || fail "stripped binary is $((size / 1024 / 1024)) MB (budget 30 MB)"
fi
echo "installed binary: $((size / 1024)) KiB stripped"

((failures == 0)) && echo "install check passed" || exit 1
