#!/usr/bin/env bash
# .pyc files come out the same whichever interpreter of the target's version writes them.
# One payload with requirements from the harness index is built natively for linux/amd64 and
# linux/arm64 on the harness's bookworm base (Python 3.11.2), each build from an empty cache:
#   - by the build host's /usr/bin/python3 (also 3.11.2: the host path);
#   - with LAVA_PYC_COMPILER=sandbox: the base's own python3 in a bubblewrap sandbox over its
#     unpacked root, the amd64 variant's for arm64 too (bytecode does not depend on the CPU);
#   - with LAVA_PYC_COMPILER=target: arm64's own python3 under QEMU in the sandbox (a notice);
#   - with LAVA_PYTHON pointing at a CPython of another micro version, when this machine has
#     one (pyenv): the host's interpreter no longer counts, the sandbox takes over by itself;
# and every build must give the same image index digest, byte for byte. Then: the unpacked
# root is reused and cached layers need no compiling, the image's python3 loads the .pyc
# files, and the failures are one line each (no bwrap, a bad LAVA_PYC_COMPILER).
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

T="$LAVA_TEST_TMP"
proj="$T/proj"
mkdir -p "$proj/config" "$proj/lava-payloads/hello.docker"
cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: lava-native-pyc-$$
docker:
  platform: linux/amd64,linux/arm64
  base_img: $LAVA_TEST_BASE_IMAGE
  os_upgrade: false
YAML
p="$proj/lava-payloads/hello.docker"
echo 'import lavatest_data.sub.mod, lavatest_withdeps; print("ok", lavatest_data.sub.mod.VALUE)' >"$p/main.py"
printf 'lavatest-data\nlavatest-withdeps\nlavatest-ns-one\nlavatest-native\n' >"$p/requirements.txt"
echo "lavatest-nodeps-only" >"$p/requirements-nodeps.txt"
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
export SOURCE_DATE_EPOCH=1700000000
dist="$proj/dist/test/lava-payloads"

build() { # CACHE-NAME [ENV=VALUE...]: a build from that cache; its digest in $digest
  local cache="$1"
  shift
  assert_status 0 env "$@" XDG_CACHE_HOME="$T/$cache" "$LAVA_BIN" -C "$proj" build --env test --engine native --force
  digest="$(cat "$dist/hello.dockerimg")"
}

note "the host's python3 compiles"
build host
host_digest="$digest"
assert_contains "$LAVA_ERR" "byte-compiling" "progress"
assert_contains "$LAVA_ERR" "with the build host's /usr/bin/python3 (CPython 3.11.2)" "host path"
assert_not_contains "$LAVA_ERR" "sandbox" "host path"

note "the base's own python3 in a sandbox (amd64's for arm64)"
build sandbox LAVA_PYC_COMPILER=sandbox
assert_contains "$LAVA_ERR" "unpacking its 1 layer(s) for a sandbox" "rootfs unpacked"
assert_contains "$LAVA_ERR" "linux/amd64, linux/arm64: byte-compiling" "one sandbox run for both"
assert_contains "$LAVA_ERR" "own /usr/bin/python3 (linux/amd64) in a sandbox" "sandbox path"
assert_eq "$host_digest" "$digest" "digest: sandbox against host"
roots=("$T"/sandbox/lava-docker/native/rootfs-v1/*/root)
assert_eq 1 "${#roots[@]}" "one unpacked root"
[[ -x "${roots[0]}/usr/bin/python3" ]] || fail "the unpacked root has no usr/bin/python3"
assert_eq "" "$(ls -A "$T/sandbox/lava-docker/native/rootfs-v1" | grep -v '^[0-9a-f]\{64\}$' || true)" "no temporaries left"

note "again: the unpacked root is reused"
build sandbox LAVA_PYC_COMPILER=sandbox
assert_not_contains "$LAVA_ERR" "unpacking" "rootfs reused"
assert_eq "$host_digest" "$digest" "digest: sandbox, second build"

note "arm64's own python3 under QEMU"
build qemu LAVA_PYC_COMPILER=target
assert_contains "$LAVA_ERR" "own /usr/bin/python3 (linux/arm64) under QEMU in a sandbox" "QEMU path"
assert_eq 1 "$(grep -c 'under QEMU (' <<<"$LAVA_ERR")" "one QEMU notice: $LAVA_ERR"
assert_eq "$host_digest" "$digest" "digest: QEMU against host"
# The layer is cached with its .pyc files: nothing runs under QEMU again.
assert_status 0 env LAVA_PYC_COMPILER=target XDG_CACHE_HOME="$T/qemu" "$LAVA_BIN" -C "$proj" build --env test --engine native
assert_not_contains "$LAVA_ERR" "QEMU" "cached layer"
assert_eq "$host_digest" "$(cat "$dist/hello.dockerimg")" "digest: from the cache"

other=""
for py in /root/.pyenv/versions/3.11.*/bin/python3.11 /usr/local/bin/python3.11; do
  [[ -x "$py" ]] || continue
  v="$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || true)"
  if [[ "$v" == 3.11.* && "$v" != 3.11.2 ]] && "$py" -m pip --version >/dev/null 2>&1; then
    other="$py"
    break
  fi
done
if [[ -n "$other" ]]; then
  note "LAVA_PYTHON=$other (CPython $v): the sandbox takes over by itself"
  build other LAVA_PYTHON="$other"
  assert_contains "$LAVA_ERR" "in a sandbox" "another micro version"
  assert_eq "$host_digest" "$digest" "digest: host python $v"
else
  note "no CPython 3.11 other than 3.11.2 with pip here: that case is left out"
fi

note "the image's python3 loads the .pyc files"
layout="$dist/hello.oci"
for arch in amd64 arm64; do
  skopeo copy --quiet --override-arch "$arch" "oci:$layout:latest" "docker-daemon:lava-native-pyc-$$:$arch" \
    --dest-daemon-host "$DOCKER_HOST"
  out="$(docker run --rm --platform "linux/$arch" -w / "lava-native-pyc-$$:$arch" \
    python3 -v -c 'import lavatest_data.sub.mod' 2>&1)"
  assert_contains "$out" "code object from '/usr/local/lib/python3.11/dist-packages/lavatest_data/sub/__pycache__/mod.cpython-311.pyc'" ".pyc loaded ($arch)"
done
docker rmi -f "lava-native-pyc-$$:amd64" "lava-native-pyc-$$:arm64" >/dev/null 2>&1 || true

note "failures: one line each, dist/ untouched"
fails_clearly() { # WHAT EXPECTED-TEXT ENV...
  local what="$1" expected="$2"
  shift 2
  assert_status 1 env "$@" XDG_CACHE_HOME="$T/fail" "$LAVA_BIN" -C "$proj" build --env test --engine native --force --quiet
  assert_eq 1 "$(grep -c . <<<"$LAVA_ERR")" "one line ($what): $LAVA_ERR"
  assert_contains "$LAVA_ERR" "$expected" "$what"
  assert_eq "$host_digest" "$(cat "$dist/hello.dockerimg")" "dist/ untouched ($what)"
}
nobwrap="$T/nobwrap-bin"
mkdir -p "$nobwrap"
ln -s "$(command -v git)" "$nobwrap/git"
fails_clearly "no bwrap" "needs bubblewrap (no bwrap on PATH: install Debian's bubblewrap package); or set LAVA_PYTHON to a CPython 3.11.2 with pip" \
  PATH="$nobwrap" LAVA_PYC_COMPILER=sandbox
fails_clearly "a bad LAVA_PYC_COMPILER" "LAVA_PYC_COMPILER: 'fast' is not one of auto, sandbox, target, none" \
  LAVA_PYC_COMPILER=fast
note "ok"
