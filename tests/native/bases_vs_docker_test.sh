#!/usr/bin/env bash
# bases_vs_docker_test.sh BASE: the native engine's image holds what the Docker engine's holds
# on one of the bases beyond bookworm (tests/harness/extra_base.sh):
#   bullseye  python 3.9, linux/amd64 + linux/arm64 in one image (arm64's oracle under QEMU)
#   trixie    python 3.13
#   venv      a virtualenv first on PATH: packages, scripts and data go into it
#   lava      /usr/local/bin/python3 -> python3.13 while /usr/bin/python3 is 3.9
#   nopython  no python at all: a payload without requirements builds with both engines
#             and matches; with requirements the native build fails with one line
# One payload whose requirements pick packages by markers (platform_machine, python_version
# on requirement lines and in a dependency's Requires-Dist, an extra) and carry every part of
# a wheel (.data scripts/data/headers/purelib/platlib, entry points, a namespace package),
# plus a --no-deps file, is built by both engines. The Docker build (the base's own pip) is
# the oracle. Per platform, image_inventory.py lists what each image adds to the base, from
# `docker export` (no python needed in the image): the distributions and versions, every
# added or changed file with type, mode, owner and content hash, the "#!" lines, RECORD, the
# .pyc files (presence) and the lava user; each part must match, and both images run the
# payload the same way. Then a second cold native build from another cache directory and
# TMPDIR (two hosts, as far as one machine can be two) must give the same digest; when it
# does not, the two images' differences are printed. The inventories (and, on a digest
# mismatch, both images) stay in $LAVA_HARNESS_DIR/logs/<test name>/.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

BASE="${1:?usage: bases_vs_docker_test.sh bullseye|trixie|venv|lava|nopython}"
HERE="$LAVA_SOURCE_DIR/tests/native"
note "base $BASE"
base_image="$(bash "$LAVA_SOURCE_DIR/tests/harness/extra_base.sh" "$BASE")"

# What the base is, for the explicit checks beside the comparison.
platforms=linux/amd64
prefix=/usr/local
case "$BASE" in
bullseye) platforms=linux/amd64,linux/arm64 py=3.9 site=usr/local/lib/python3.9/dist-packages ;;
trixie | lava) py=3.13 site=usr/local/lib/python3.13/dist-packages ;;
venv) py=3.11 site=opt/venv/lib/python3.11/site-packages prefix=/opt/venv ;;
nopython) py='' site='' ;;
*) fail "unknown base $BASE" ;;
esac

T="$LAVA_TEST_TMP"
proj="$T/proj"
repo="lava-bases-$BASE-$$"
mkdir -p "$proj/config" "$proj/lava-payloads/hello.docker"
cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: $repo
  job: demo
docker:
  platform: $platforms
  base_img: $base_image
  os_upgrade: false
YAML
p="$proj/lava-payloads/hello.docker"
if [[ -n "$py" ]]; then
  cat >"$p/main.py" <<'PY'
import platform, sys
import lavatest_data.sub.mod, lavatest_ns.one, lavatest_ns.two, lavatest_markers
import lavatest_data_pure, lavatest_data_plat, lavatest_extra_only, lavatest_nodeps_only
__import__("lavatest_arm" if platform.machine() == "aarch64" else "lavatest_x86")
if sys.version_info < (3, 10):
    import lavatest_old, lavatest_dep
    assert lavatest_dep.VERSION == "1.0.0"
if sys.version_info >= (3, 12):
    import lavatest_new, lavatest_withdeps
    assert lavatest_withdeps.DEP_VERSION == "2.0.0"
print("ok", platform.machine(), "%d.%d" % sys.version_info[:2], sys.prefix, lavatest_data.sub.mod.VALUE)
PY
  cat >"$p/requirements.txt" <<'REQ'
lavatest-markers[more]
lavatest-data
lavatest-ns-one
lavatest-ns-two
lavatest-pure; platform_machine == "aarch64"
lavatest-dep==1.0.0; python_version < "3.10"
lavatest-withdeps; python_version >= "3.12"
REQ
  echo "lavatest-nodeps-only" >"$p/requirements-nodeps.txt"
else
  # shellcheck disable=SC2016 # run in the image
  printf '#!/bin/sh\necho "ok $(uname -m)"\n' >"$p/main.sh"
  chmod 755 "$p/main.sh"
fi
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL"
export XDG_CACHE_HOME="$T/cache"
export SOURCE_DATE_EPOCH=1700000000
cleanup_images() { docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$repo" | xargs -r docker rmi -f >/dev/null 2>&1 || true; }
lava_on_exit cleanup_images
dist="$proj/dist/test/lava-payloads"
keep="$LAVA_HARNESS_DIR/logs/$LAVA_TEST_NAME"
rm -rf "$keep"

note "building with the Docker engine$([[ $platforms == *arm64* ]] && echo ' (arm64 under QEMU)')"
assert_status 0 lava -C "$proj" build --env test --engine docker --network host --quiet
note "building with the native engine"
assert_status 0 lava -C "$proj" build --env test --engine native --quiet
digest="$(cat "$dist/hello.dockerimg")"

# The differences found, as "<platform> <section>"; the test fails at the end, after every
# comparison has run, so that one failure does not hide another.
differences=()
section() { awk -v s="== $1" '$0 == s { on = 1; next } /^== / { on = 0 } on' "$2"; }
compare() { # PLATFORM DOCKER_INVENTORY NATIVE_INVENTORY
  local s want got
  for s in distributions files scripts record pyc users; do
    want="$(section "$s" "$2")" got="$(section "$s" "$3")"
    # bullseye's pip 20.3 records a rewritten script's hash from before the rewrite
    # (pypa/pip#10744; image_inventory.py marks it "<...>"); ours is the installed file's
    # (a wrong one would be marked too, and is checked below): those entries by path only.
    [[ $s != record ]] || got="$(awk -F, 'NR == FNR { if ($2 ~ /^</) stale[$1] = $0; next }
      ($1 in stale) { print stale[$1]; next } { print }' <(echo "$want") <(echo "$got"))"
    [[ "$want" == "$got" ]] && continue
    differences+=("$1 $s")
    echo "--- $1: $s differs (< docker, > native)" >&2
    diff <(echo "$want") <(echo "$got") | head -n 80 >&2 || true
  done
  mkdir -p "$keep"
  cp "$2" "$keep/${1//\//-}-docker.txt"
  cp "$3" "$keep/${1//\//-}-native.txt"
}
rootfs() { # IMAGE ARCH OUT: the image's file system as `docker export` writes it
  local cid
  cid="$(docker create --platform "linux/$2" "$1")"
  docker export -o "$3" "$cid"
  docker rm "$cid" >/dev/null
}

for platform in ${platforms//,/ }; do
  arch="${platform#linux/}"
  machine="$([[ $arch == amd64 ]] && echo x86_64 || echo aarch64)"
  base="$repo/base:$arch" native="$repo/native:$arch" oracle="$repo/hello:latest"
  [[ "$platforms" == *,* ]] && oracle="$repo/hello:latest-$arch"
  docker image inspect "$oracle" >/dev/null 2>&1 || fail "the Docker build left no $oracle"
  skopeo copy --quiet --src-tls-verify=false --override-arch "$arch" "docker://$base_image" \
    "docker-daemon:$base" --dest-daemon-host "$DOCKER_HOST"
  skopeo copy --quiet --override-arch "$arch" "oci:$dist/hello.oci:latest" "docker-daemon:$native" \
    --dest-daemon-host "$DOCKER_HOST"
  rootfs "$base" "$arch" "$T/base.tar"
  rootfs "$oracle" "$arch" "$T/docker.tar"
  rootfs "$native" "$arch" "$T/native.tar"
  /usr/bin/python3 "$HERE/image_inventory.py" "$T/base.tar" "$T/docker.tar" >"$T/docker.txt"
  /usr/bin/python3 "$HERE/image_inventory.py" "$T/base.tar" "$T/native.tar" >"$T/native.txt"
  rm -f "$T"/{base,docker,native}.tar
  compare "$platform" "$T/docker.txt" "$T/native.txt"

  [[ "$(section record "$T/native.txt")" != *",<"* ]] ||
    differences+=("$platform RECORD hashes that are not the files' in the native image")

  # The oracle itself is what the markers and the layout say (a wrong oracle would make
  # the comparison vacuous), checked on the Docker image's inventory.
  want="$(section users "$T/docker.txt")"
  assert_contains "$want" "etc/passwd: lava:x:99999:99999::/lava:/bin/sh" "lava user ($platform)"
  if [[ -n "$py" ]]; then
    names=(lavatest-data lavatest-extra-only lavatest-markers lavatest-nodeps-only lavatest-ns-one lavatest-ns-two)
    if [[ $arch == arm64 ]]; then names+=(lavatest-arm lavatest-pure); else names+=(lavatest-x86); fi
    [[ "$py" != 3.9 ]] || names+=(lavatest-dep==1.0.0 lavatest-old)
    [[ "$py" != 3.13 ]] || names+=(lavatest-dep==2.0.0 lavatest-new lavatest-withdeps)
    expected="$(for n in "${names[@]}"; do [[ $n == *==* ]] && echo "$site $n" || echo "$site $n==1.0.0"; done | LC_ALL=C sort)"
    assert_eq "$expected" "$(section distributions "$T/docker.txt" | LC_ALL=C sort)" "the Docker build's distributions ($platform)"
    files="$(section files "$T/docker.txt")"
    assert_contains "$files" "${prefix#/}/share/lavatest-data/hello.txt f 0644" ".data/data ($platform)"
    assert_contains "$files" "${prefix#/}/bin/lavatest-data-cli f 0755" "console entry point ($platform)"
    assert_contains "$(section pyc "$T/docker.txt")" "$site/lavatest_data/sub/__pycache__/mod.cpython-${py/./}.pyc" ".pyc ($platform)"
    assert_contains "$(section scripts "$T/docker.txt")" "${prefix#/}/bin/lavatest-data-script: #!" ".data/scripts ($platform)"

    # Both images run the payload, its entry point and its .data script the same way.
    run='python3 /lava/main.py && lavatest-data-cli && lavatest-data-script'
    sys_prefix="$([[ $BASE == venv ]] && echo /opt/venv || echo /usr)"
    want="ok $machine $py $sys_prefix 42
lavatest-data
lavatest-data"
  else
    run='/lava/main.sh'
    want="ok $machine"
  fi
  assert_eq "$want" "$(docker run --rm --platform "$platform" -w / "$oracle" sh -c "$run")" "the Docker image runs ($platform)"
  got="$(docker run --rm --platform "$platform" -w / "$native" sh -c "$run" 2>&1)" ||
    differences+=("$platform run")
  [[ "$got" == "$want" ]] || { differences+=("$platform run") && echo "--- $platform: the native image printed: $got" >&2; }
done

note "reproducible: a cold build from another cache directory and TMPDIR"
mkdir -p "$T/tmp2"
cp -a "$proj" "$T/proj2"
rm -rf "$T/proj2/dist"
assert_status 0 env XDG_CACHE_HOME="$T/cache2" TMPDIR="$T/tmp2" "$LAVA_BIN" -C "$T/proj2" build --env test --engine native --quiet
digest2="$(cat "$T/proj2/dist/test/lava-payloads/hello.dockerimg")"
if [[ "$digest" != "$digest2" ]]; then
  mkdir -p "$keep"
  cp -a "$dist/hello.oci" "$keep/first.oci"
  cp -a "$T/proj2/dist/test/lava-payloads/hello.oci" "$keep/second.oci"
  /usr/bin/python3 "$HERE/oci_layout_diff.py" "$keep/first.oci" "$keep/second.oci" | tee "$keep/digest-diff.txt" >&2 || true
  differences+=("digest $digest vs $digest2 (the two images and their differences are in $keep)")
fi

if [[ -z "$py" ]]; then
  note "a python-less base with requirements: one line, dist/ untouched"
  for file in requirements.txt requirements-nodeps.txt; do
    rm -f "$p"/requirements*.txt
    echo "lavatest-pure" >"$p/$file"
    assert_status 1 lava -C "$proj" build --env test --engine native --quiet
    assert_eq 1 "$(grep -c . <<<"$LAVA_ERR")" "one line ($file): $LAVA_ERR"
    assert_contains "$LAVA_ERR" "has no python3 on its PATH, so neither engine can install $file" "the reason ($file)"
    assert_not_contains "$LAVA_ERR" "--engine docker" "no hint at an engine that fails too ($file)"
    assert_eq "$digest" "$(cat "$dist/hello.dockerimg")" "dist/ untouched ($file)"
  done
  # The Docker engine fails as well (the requirements stage runs python3 -m pip).
  assert_status 1 lava -C "$proj" build --env test --engine docker --network host --quiet
  assert_eq "$digest" "$(cat "$dist/hello.dockerimg")" "dist/ untouched (--engine docker)"
fi

((${#differences[@]} == 0)) || fail "the native image differs from the Docker engine's: $(printf '%s; ' "${differences[@]}")"
note "ok"
