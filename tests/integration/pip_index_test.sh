#!/usr/bin/env bash
# The harness PEP 503 index serves the test wheels as pip expects: pip inside
# the base image (host network, to reach loopback) resolves dependencies,
# refuses a wheel whose dependency is missing unless --no-deps, and picks the
# right architecture's wheel; the authenticated index needs its credentials;
# the host's pip can fetch a wheel for another platform.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

pip_in_base() { # PLATFORM SCRIPT
  docker run --rm --network host --platform "$1" -e PIP_INDEX_URL="$LAVA_TEST_INDEX_URL" \
    -e PIP_BREAK_SYSTEM_PACKAGES=1 -e PIP_ROOT_USER_ACTION=ignore -e PIP_NO_CACHE_DIR=1 \
    -e PIP_DISABLE_PIP_VERSION_CHECK=1 "$LAVA_TEST_BASE_IMAGE" sh -c "$2"
}

# --- amd64: dependencies, --no-deps, native wheel
docker pull -q --platform linux/amd64 "$LAVA_TEST_BASE_IMAGE" >/dev/null
out="$(pip_in_base linux/amd64 '
  set -e
  pip install -q lavatest-withdeps lavatest-pure lavatest-native
  if pip install -q lavatest-nodeps-only 2>/dev/null; then echo nodeps-installed-with-deps; fi
  pip install -q --no-deps lavatest-nodeps-only
  cd /tmp
  python3 -c "import lavatest_withdeps, lavatest_pure, lavatest_native, lavatest_nodeps_only
print(lavatest_withdeps.DEP_VERSION)
print(lavatest_pure.hello())
print(lavatest_native.ARCH)
print(lavatest_nodeps_only.VERSION)"
')"
note "amd64: $(tr '\n' ' ' <<<"$out")"
assert_not_contains "$out" nodeps-installed-with-deps "pip output"
assert_eq "2.0.0" "$(sed -n 1p <<<"$out")" "lavatest-withdeps's dependency version"
assert_eq "hello from lavatest-pure" "$(sed -n 2p <<<"$out")" "lavatest_pure.hello()"
assert_eq x86_64 "$(sed -n 3p <<<"$out")" "lavatest_native.ARCH on amd64"
assert_eq 1.0.0 "$(sed -n 4p <<<"$out")" "lavatest_nodeps_only.VERSION"

# --- arm64 (QEMU): the aarch64 wheel
docker pull -q --platform linux/arm64 "$LAVA_TEST_BASE_IMAGE" >/dev/null
out="$(pip_in_base linux/arm64 'set -e; pip install -q lavatest-native; cd /tmp; python3 -c "import lavatest_native; print(lavatest_native.ARCH)"')"
assert_eq aarch64 "$out" "lavatest_native.ARCH on arm64"

# --- authenticated index: 401 without credentials, pip gets in with them
assert_status 0 curl -s -o /dev/null -w '%{http_code}' "http://${LAVA_TEST_INDEX_URL_AUTH#*@}lavatest-pure/"
assert_eq 401 "$LAVA_OUT" "status of the auth index without credentials"
auth_log_before="$(wc -l <"$LAVA_TEST_INDEX_AUTH_LOG")"
out="$(docker run --rm --network host --platform linux/arm64 -e PIP_INDEX_URL="$LAVA_TEST_INDEX_URL_AUTH" \
  -e PIP_BREAK_SYSTEM_PACKAGES=1 -e PIP_ROOT_USER_ACTION=ignore -e PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$LAVA_TEST_BASE_IMAGE" sh -c 'set -e; pip install -q lavatest-pure; python3 -c "import lavatest_pure; print(lavatest_pure.VERSION)"')"
assert_eq 1.0.0 "$out" "lavatest-pure from the authenticated index"
new_requests="$(tail -n +"$((auth_log_before + 1))" "$LAVA_TEST_INDEX_AUTH_LOG")"
assert_contains "$new_requests" "GET /simple/lavatest-pure/ 200 auth=ok" "auth index log"

# --- host pip downloads the wheel of another platform (what a daemonless
# engine does)
dest="$(lava_tmpdir)"
/usr/bin/python3 -m pip download -q --disable-pip-version-check --no-cache-dir \
  --index-url "$LAVA_TEST_INDEX_URL" --dest "$dest" --only-binary=:all: \
  --platform manylinux2014_aarch64 --python-version 3.11 --implementation cp --abi cp311 \
  lavatest-native lavatest-withdeps
assert_eq "lavatest_dep-2.0.0-py3-none-any.whl lavatest_native-1.0.0-cp311-cp311-manylinux2014_aarch64.whl lavatest_withdeps-1.0.0-py3-none-any.whl" \
  "$(cd "$dest" && ls | sort | tr '\n' ' ' | sed 's/ $//')" "wheels downloaded for linux/arm64"
