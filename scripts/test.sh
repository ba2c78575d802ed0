#!/usr/bin/env bash
# Everything CI does, on a fresh Debian 12 machine or a developer's one:
# 1. install the Debian packages, build with warnings as errors, run every
#    test through ctest (unit tests, and integration tests against the
#    services that the ctest "harness" fixture starts and stops) and print
#    ctest's summary; extra arguments go to this ctest (e.g. -L unit);
# 2. sanitizers: build every unit-test executable (target unit_tests, all
#    modules; not lava-docker nor the integration tests) with AddressSanitizer
#    and UBSan in $build-asan and run `ctest -L unit` there;
# 3. fuzzing: build the libFuzzer targets with clang-14 in $build-fuzz and run
#    each for LAVA_FUZZ_SECONDS through `ctest -L fuzz`; a finding fails and
#    its input stays in $build-fuzz/fuzz/<target>.run/ (named in the output).
# Every phase runs even if an earlier one failed; the exit status is that of
# the first phase that failed (ctest's, or cmake's if the build failed).
# Environment: LAVA_BUILD_DIR (default build), CTEST_PARALLEL_LEVEL,
#   LAVA_SKIP_SANITIZE=1 / LAVA_SKIP_FUZZ=1 skip phase 2 / 3 (quick local run),
#   LAVA_FUZZ_SECONDS per fuzz target (default 60).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
# ccache (found by CMake) keys objects by paths relative to the clone, so any clone of
# the repository reuses them.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

build="${LAVA_BUILD_DIR:-build}"
mkdir -p "$build"
build="$(cd "$build" && pwd)"
jobs="${CTEST_PARALLEL_LEVEL:-$(nproc)}"
# The services stop even when the build or a test fails or we are interrupted
# (ctest's own "harness.down" normally does it first; down.sh is idempotent).
export LAVA_HARNESS_DIR="$build/harness"
trap 'bash tests/harness/down.sh >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM

# configure DIR ARGS...: cmake configure, choosing Ninja on the first run only.
configure() {
  local dir="$1"
  shift
  local generator=()
  [[ -f "$dir/CMakeCache.txt" ]] || generator=(-G Ninja)
  cmake -S . -B "$dir" "${generator[@]}" "$@"
}

failed=()
summary=()
exit_status=0

# 1. The main build and every test.
status=0
SECONDS=0
configure "$build" -DLAVA_WERROR=ON -DLAVA_HARNESS_DIR="$LAVA_HARNESS_DIR" &&
  cmake --build "$build" -j "$(nproc)" || status=$?
((status != 0)) ||
  ctest --test-dir "$build" --output-on-failure --output-junit ctest-junit.xml -j "$jobs" "$@" ||
  status=$?
if ((status == 0)); then
  summary+=("tests: passed in ${SECONDS}s")
else
  failed+=(tests)
  ((exit_status != 0)) || exit_status=$status
  summary+=("tests: FAILED (exit status $status) after ${SECONDS}s; JUnit report in $build/ctest-junit.xml")
fi

# 2. Unit tests under AddressSanitizer + UBSan. -O1: the sanitizers' usual
# level, quicker to build than -O2 and still fast to run; -g1 gives line numbers.
if [[ "${LAVA_SKIP_SANITIZE:-}" != 1 ]]; then
  status=0
  SECONDS=0
  configure "$build-asan" -DLAVA_SANITIZE=ON -DLAVA_WERROR=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" &&
    cmake --build "$build-asan" -j "$(nproc)" --target unit_tests || status=$?
  ((status != 0)) ||
    UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir "$build-asan" -L unit --output-on-failure \
      --output-junit ctest-junit.xml -j "$jobs" || status=$?
  if ((status == 0)); then
    summary+=("sanitizers (ASan+UBSan unit tests): passed in ${SECONDS}s")
  else
    failed+=(sanitizers)
    ((exit_status != 0)) || exit_status=$status
    summary+=("sanitizers: FAILED (exit status $status) after ${SECONDS}s; JUnit report in $build-asan/ctest-junit.xml")
  fi
fi

# 3. libFuzzer targets, each for a fixed time budget.
if [[ "${LAVA_SKIP_FUZZ:-}" != 1 ]]; then
  status=0
  SECONDS=0
  CC=clang-14 CXX=clang++-14 configure "$build-fuzz" -DLAVA_FUZZ=ON -DLAVA_WERROR=ON \
    -DLAVA_FUZZ_SECONDS="${LAVA_FUZZ_SECONDS:-60}" &&
    cmake --build "$build-fuzz" -j "$(nproc)" --target fuzz_targets || status=$?
  ((status != 0)) ||
    ctest --test-dir "$build-fuzz" -L fuzz --output-on-failure -j "$jobs" || status=$?
  if ((status == 0)); then
    summary+=("fuzz: passed in ${SECONDS}s")
  else
    failed+=(fuzz)
    ((exit_status != 0)) || exit_status=$status
    summary+=("fuzz: FAILED (exit status $status) after ${SECONDS}s; inputs in $build-fuzz/fuzz/*.run/")
  fi
fi

printf 'test.sh: %s\n' "${summary[@]}"
if ((${#failed[@]} == 0)); then
  echo "test.sh: all tests passed"
  exit 0
fi
echo "test.sh: FAILED: ${failed[*]}" >&2
exit "$exit_status"
