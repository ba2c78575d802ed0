#!/usr/bin/env bash
# The light front (build/lava-docker) must answer exactly as the full binary
# (build/lava-docker-full) for every command, for help, version and usage errors, and
# must not load the libraries only the full binary needs.
#   tests/cli/front_check.sh BUILD_DIR
set -uo pipefail
build="$(cd "$1" && pwd)"
front="$build/lava-docker"
full="$build/lava-docker-full"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

same() {  # same ARGS...: identical stdout, stderr and exit status from both binaries
  (cd "$work" && "$front" "$@" >"$work/a.out" 2>"$work/a.err" </dev/null; echo $? >"$work/a.rc")
  (cd "$work" && "$full" "$@" >"$work/b.out" 2>"$work/b.err" </dev/null; echo $? >"$work/b.rc")
  for f in out err rc; do
    if ! cmp -s "$work/a.$f" "$work/b.$f"; then
      echo "FAIL: lava-docker $* differs from lava-docker-full ($f):"
      diff "$work/b.$f" "$work/a.$f" | head -10
      failures=$((failures + 1))
      return
    fi
  done
}

# Every command the full binary lists, with --help and with no arguments.
commands=$("$full" --help | awk '/^Subcommands:/ {on = 1; next} on && NF {print $1}')
[[ -n "$commands" ]] || { echo "FAIL: no commands in lava-docker-full --help"; exit 1; }
for c in $commands; do
  same "$c" --help
  same "$c"
  same -C "$work" "$c" --no-such-option
done
same
same --help
same -h
same --version
same no-such-command
same -C
same -C "$work"
same --directory="$work" list
same -C "$work" list --env dev
same render --delimiter
same render -p novalue
same nb2py missing.ipynb
same -- render

# The quick commands run in the front itself (same result as above, without the exec).
printf '{{ 1 + 2 }}\n' >"$work/t.j2"
out=$(cd "$work" && "$front" render t.j2) || { echo "FAIL: render in the front"; failures=$((failures + 1)); }
[[ "$out" == "3" ]] || { echo "FAIL: render printed '$out'"; failures=$((failures + 1)); }

# No library of the full binary's network/archive/crypto stack is needed by the front.
if readelf -d "$front" | grep -E 'NEEDED.*(curl|archive|crypto|ssl|gnutls)'; then
  echo "FAIL: the front links libraries it does not use"
  failures=$((failures + 1))
fi

# Without the full binary beside it, other commands fail with one line naming it.
cp "$front" "$work/lava-docker"
err=$("$work/lava-docker" build 2>&1 >/dev/null)
rc=$?
if [[ $rc -eq 0 || $(printf '%s\n' "$err" | wc -l) -ne 1 || "$err" != *lava-docker-full* ]]; then
  echo "FAIL: missing lava-docker-full: status $rc, message: $err"
  failures=$((failures + 1))
fi

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "front and full binaries agree"
