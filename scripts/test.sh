#!/usr/bin/env bash
# Everything CI does, on a fresh Debian 12 machine or a developer's one:
# install the Debian packages, build with warnings as errors, run every test
# through ctest (unit tests, and integration tests against the services that
# the ctest "harness" fixture starts and stops), print ctest's summary, and
# exit non-zero on any failure. Extra arguments go to ctest (e.g. -L unit).
# Environment: LAVA_BUILD_DIR (default build), CTEST_PARALLEL_LEVEL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh

build="${LAVA_BUILD_DIR:-build}"
mkdir -p "$build"
build="$(cd "$build" && pwd)"
# The services stop even when the build or a test fails or we are interrupted
# (ctest's own "harness.down" normally does it first; down.sh is idempotent).
export LAVA_HARNESS_DIR="$build/harness"
trap 'bash tests/harness/down.sh >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM

generator=()
[[ -f "$build/CMakeCache.txt" ]] || generator=(-G Ninja)
cmake -S . -B "$build" "${generator[@]}" -DLAVA_WERROR=ON -DLAVA_HARNESS_DIR="$LAVA_HARNESS_DIR"
cmake --build "$build" -j "$(nproc)"

status=0
ctest --test-dir "$build" --output-on-failure --output-junit ctest-junit.xml \
  -j "${CTEST_PARALLEL_LEVEL:-$(nproc)}" "$@" || status=$?
if ((status == 0)); then
  echo "test.sh: all tests passed"
else
  echo "test.sh: FAILED (ctest exit status $status); JUnit report in $build/ctest-junit.xml" >&2
fi
exit "$status"
