#!/bin/sh
# Whole-process benchmark: `lava-docker render` vs the Python reference (Debian's
# python3-jinja2 via tests/template/jinja_ref.py) on bench.j2 (5,000 lines of loops,
# macros and filters) with params.yaml. Usage: bench/template/run.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
bin=$build/lava-docker
ref="/usr/bin/python3 $root/tests/template/jinja_ref.py"
cd "$here"
# Both must print the same before timing means anything.
"$bin" render -f params.yaml bench.j2 > /tmp/bench-ours.$$
$ref -f params.yaml bench.j2 > /tmp/bench-python.$$
if ! cmp -s /tmp/bench-ours.$$ /tmp/bench-python.$$; then
  echo "outputs differ" >&2
  rm -f /tmp/bench-ours.$$ /tmp/bench-python.$$
  exit 1
fi
rm -f /tmp/bench-ours.$$ /tmp/bench-python.$$
hyperfine --warmup 3 --min-runs 20 --export-markdown "$here/results.md" \
  -n lava-docker "$bin render -f params.yaml bench.j2" \
  -n python-jinja2 "$ref -f params.yaml bench.j2"
