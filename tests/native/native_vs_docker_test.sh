#!/usr/bin/env bash
# The native engine's image holds what the Docker engine's holds. One payload whose
# requirements pick packages by environment markers (on requirement lines, in a dependency's
# Requires-Dist, through an extra) and carry every part of a wheel (.data scripts, data,
# headers, purelib/platlib, entry points, a namespace package) is built for linux/amd64 and
# linux/arm64 by both engines from the harness's bookworm base. The Docker build (the base's
# own pip, arm64 under QEMU) is the oracle; per platform we compare the installed
# distributions and versions, every file under /usr/local's site-packages, share, include and
# bin with its mode, the scripts' "#!" lines, every RECORD byte for byte (its .pyc rows too)
# and .pyc presence, and run the native image. Then: the same digest from two cache directories and TMPDIRs (two
# hosts, as far as one machine can be two), and the failures that must be one clear line:
# a package the index does not have, an index that is not there (no wheel for a platform:
# pip_install_test, as the harness has no base without one).
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

T="$LAVA_TEST_TMP"
proj="$T/proj"
repo="lava-native-vs-docker-$$"
mkdir -p "$proj/config" "$proj/lava-payloads/hello.docker"
cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: $repo
  job: demo
docker:
  platform: linux/amd64,linux/arm64
  base_img: $LAVA_TEST_BASE_IMAGE
  os_upgrade: false
YAML
p="$proj/lava-payloads/hello.docker"
cat >"$p/main.py" <<'PY'
import platform
import lavatest_data.sub.mod, lavatest_ns.one, lavatest_ns.two, lavatest_markers
import lavatest_data_pure, lavatest_data_plat
arch = "lavatest_arm" if platform.machine() == "aarch64" else "lavatest_x86"
__import__(arch)
print("ok", platform.machine(), arch, lavatest_data.sub.mod.VALUE, lavatest_ns.one.PART, lavatest_ns.two.PART)
PY
cat >"$p/requirements.txt" <<'REQ'
lavatest-markers[more]
lavatest-native
lavatest-data
lavatest-ns-one
lavatest-ns-two
lavatest-pure; platform_machine == "aarch64"
lavatest-dep==1.0.0; platform_machine == "x86_64"
lavatest-old; python_version < "3.10"
REQ
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
export XDG_CACHE_HOME="$T/cache"
export SOURCE_DATE_EPOCH=1700000000
cleanup_images() { docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$repo" | xargs -r docker rmi -f >/dev/null 2>&1 || true; }
lava_on_exit cleanup_images
dist="$proj/dist/test/lava-payloads"

note "building with the Docker engine (arm64 under QEMU)"
assert_status 0 lava -C "$proj" build --env test --engine docker --network host --quiet
note "building with the native engine"
assert_status 0 lava -C "$proj" build --env test --engine native --quiet
layout="$dist/hello.oci"
digest="$(cat "$dist/hello.dockerimg")"

# What pip put into /usr/local, as one text to compare.
inventory='set -e; cd /usr/local
site=lib/python3.11/dist-packages
echo "== distributions"; python3 -m pip list --format=freeze --path "/usr/local/$site" 2>/dev/null | LC_ALL=C sort
echo "== files"; find "$site" share include bin -mindepth 1 \( -type f -o -type l \) -printf "%p %m\n" 2>/dev/null | LC_ALL=C sort
echo "== headers"; find /usr/include/python3.11 -type f -printf "%p %m\n" 2>/dev/null | LC_ALL=C sort
echo "== directories"; find "$site" share include bin -mindepth 1 -type d -printf "%p/\n" 2>/dev/null | LC_ALL=C sort
echo "== scripts"; for f in bin/*; do [ -f "$f" ] && echo "$f: $(head -n 1 "$f")"; done
echo "== record"; for r in "$site"/*.dist-info/RECORD; do echo "$r"; cat "$r"; done
echo "== installer"; cat "$site"/*.dist-info/INSTALLER | LC_ALL=C sort | uniq -c'

for arch in amd64 arm64; do
  native="$repo/native:$arch"
  skopeo copy --quiet --override-arch "$arch" "oci:$layout:latest" "docker-daemon:$native" \
    --dest-daemon-host "$DOCKER_HOST"
  oracle="$repo/hello:latest-$arch"
  docker image inspect "$oracle" >/dev/null 2>&1 || fail "the Docker build left no $oracle: $(docker images | grep "$repo")"
  want="$(docker run --rm --platform "linux/$arch" --user 0 "$oracle" sh -c "$inventory")"
  got="$(docker run --rm --platform "linux/$arch" --user 0 "$native" sh -c "$inventory")"
  if [[ "$want" != "$got" ]]; then
    diff <(echo "$want") <(echo "$got") >&2 || true
    fail "linux/$arch: the native image's /usr/local differs from the Docker engine's (< docker, > native)"
  fi
  machine="$([[ $arch == amd64 ]] && echo x86_64 || echo aarch64)"
  picked="$([[ $arch == amd64 ]] && echo lavatest_x86 || echo lavatest_arm)"
  # Markers for the target: the right packages per platform, never the host's set.
  if [[ $arch == arm64 ]]; then
    assert_contains "$got" "lavatest-arm==1.0.0" "Requires-Dist marker (arm64)"
    assert_contains "$got" "lavatest-pure==1.0.0" "requirement-line marker (arm64)"
    assert_not_contains "$got" "lavatest-x86==" "x86 package on arm64"
  else
    assert_contains "$got" "lavatest-x86==1.0.0" "Requires-Dist marker (amd64)"
    assert_contains "$got" "lavatest-dep==1.0.0" "requirement-line marker (amd64)"
    assert_not_contains "$got" "lavatest-arm==" "arm package on amd64"
  fi
  assert_contains "$got" "lavatest-extra-only==1.0.0" "extra's dependency ($arch)"
  assert_not_contains "$got" "lavatest-old" "python_version marker ($arch)"
  assert_contains "$got" "share/lavatest-data/hello.txt 644" ".data/data ($arch)"
  assert_contains "$got" "/usr/include/python3.11/lavatest-data/lavatest_data.h 644" ".data/headers ($arch)"
  assert_contains "$got" "bin/lavatest-data-script: #!/usr/bin/python3" ".data/scripts ($arch)"
  assert_contains "$got" "lavatest_data/sub/__pycache__/mod.cpython-311.pyc" ".pyc ($arch)"
  out="$(docker run --rm --platform "linux/$arch" -w / "$native" sh -c 'python3 /lava/main.py && lavatest-data-cli && lavatest-data-script')"
  assert_eq "ok $machine $picked 42 one two
lavatest-data
lavatest-data" "$out" "the native image runs ($arch)"
done
# hash-based .pyc, unchecked: byte 4 of the header is 1.
flags="$(docker run --rm --platform linux/arm64 "$repo/native:arm64" python3 -c 'import lavatest_data, importlib.util as u; print(open(u.cache_from_source(lavatest_data.__file__), "rb").read()[4])')"
assert_eq 1 "$flags" ".pyc flags (unchecked hash)"

note "reproducible: another cache directory and TMPDIR"
mkdir -p "$T/tmp2"
cp -a "$proj" "$T/proj2"
rm -rf "$T/proj2/dist"
assert_status 0 env XDG_CACHE_HOME="$T/cache2" TMPDIR="$T/tmp2" "$LAVA_BIN" -C "$T/proj2" build --env test --engine native --quiet
assert_eq "$digest" "$(cat "$T/proj2/dist/test/lava-payloads/hello.dockerimg")" "digest from another cache and TMPDIR"

note "failures: one line each"
fails_clearly() { # WHAT EXPECTED-TEXT [UNEXPECTED-TEXT]
  assert_status 1 lava -C "$proj" build --env test --engine native --quiet
  assert_eq 1 "$(grep -c . <<<"$LAVA_ERR")" "one line ($1): $LAVA_ERR"
  assert_contains "$LAVA_ERR" "$2" "$1"
  [[ -z "${3:-}" ]] || assert_not_contains "$LAVA_ERR" "$3" "$1"
  assert_not_contains "$LAVA_ERR" "Looking in indexes" "pip's own lines ($1)"
  log="$(grep -o "pip's output: [^)]*" <<<"$LAVA_ERR" | cut -d' ' -f3)"
  assert_file "$log"
  assert_eq "$digest" "$(cat "$dist/hello.dockerimg")" "dist/ untouched ($1)"
}
cp "$p/requirements.txt" "$T/requirements.saved"
echo "lavatest-native; platform_machine == 'aarch64'" >"$p/requirements.txt"
echo "lavatest-absent-dependency" >"$p/requirements-nodeps.txt"
fails_clearly "a package not in the index" "'lavatest-absent-dependency' is not in the package index" "--engine docker"
rm "$p/requirements-nodeps.txt"
PIP_INDEX_URL="${LAVA_TEST_INDEX_URL%/simple/}/no-index/simple/" \
  fails_clearly "an index that is not there" "no package index at PIP_INDEX_URL (HTTP 404" "--engine docker"
note "ok"
