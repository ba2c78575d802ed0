#!/usr/bin/env bash
# Benchmark: `lava-docker nb2py` against nbconvert on a generated 1,000-cell notebook,
# whole processes (start-up included), as the payload build runs them.
#   bench/notebook/run.sh [path/to/lava-docker]     (default: build/lava-docker)
# Needs hyperfine and Debian's python3-nbconvert. Prints hyperfine's table and writes
# bench/notebook/results.md (markdown export).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lava="$(realpath "${1:-$here/../../build/lava-docker}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 "$here/gen_notebook.py" "$work/bench.ipynb" 1000
tpl="$here/../../tests/notebook/comment_magics.py.j2"

# Same bytes first, or the timing means nothing.
"$lava" nb2py --comment-magics -o "$work/ours" "$work/bench.ipynb"
/usr/bin/python3 -m nbconvert --to python --template-file "$tpl" --stdout "$work/bench.ipynb" \
  2>/dev/null | sed -e '1s?^ *#!.*?#!/usr/bin/env python3?' > "$work/ref.py"
cmp "$work/ours/bench.py" "$work/ref.py"
echo "outputs identical ($(wc -l < "$work/ref.py") lines)"

hyperfine --warmup 2 --min-runs 10 --export-markdown "$here/results.md" \
  -n "lava-docker nb2py --comment-magics" \
  "$lava nb2py --comment-magics -o $work/ours $work/bench.ipynb" \
  -n "nbconvert --to python (framework template)" \
  "/usr/bin/python3 -m nbconvert --to python --template-file $tpl --stdout $work/bench.ipynb > $work/ref.py 2>/dev/null"
