#!/usr/bin/env bash
# The native engine end to end: a payload with dependencies, nodeps requirements and an
# architecture-specific wheel is built with no Docker for linux/amd64 and linux/arm64 from the
# harness's multi-platform base (registry and oci: layout), then
#  - skopeo and umoci read the layout;
#  - each platform's image loads into the harness's Docker engine and runs (arm64 through
#    QEMU) with the default Dockerfile's observable result: /lava content root-owned with
#    normalised modes, user lava 99999 with home /lava, requirements importable from any
#    working directory (the right wheel per architecture), ENV and USER;
#  - the PIP_INDEX_URL credential appears nowhere: image, history, labels, layers, layout;
#  - two builds of the same inputs (cold caches, another copy of the project) give the
#    same index digest; a code-only change rebuilds the payload layer only;
#  - a base lacking arm64, and a requirement with no wheel, fail clearly and leave dist/
#    untouched.
# Until `lava-docker build --engine native` is wired, the test drives build_payload through
# tests/native/native_build_tool.cc (LAVA_NATIVE_BUILD) on a context prepared as the build
# command would (a copy of the payload plus the default Dockerfile).
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

[[ -x "${LAVA_NATIVE_BUILD:-}" ]] || fail "LAVA_NATIVE_BUILD is not set to the lava-native-build driver"
PASSWORD="$LAVA_TEST_INDEX_PASSWORD"
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL_AUTH" # carries the index credential
unset SOURCE_DATE_EPOCH

# --- a project like the bundled example
make_project() { # DIR BASE PLATFORMS
  local dir="$1" base="$2" platforms="$3" p="$1/lava-payloads/hello.docker"
  mkdir -p "$dir/config" "$p/sub/deeper"
  cat >"$dir/config/dev.yaml" <<YAML
realm: dev
prefix:
  docker_repo: lava-native-test/dev
  job: native
docker:
  platform: $platforms
  base_img: $base
  os_upgrade: false
YAML
  cat >"$p/main.py" <<'PY'
import platform, sys
import lavatest_native, lavatest_withdeps, lavatest_nodeps_only
print(platform.machine(), lavatest_native.ARCH, lavatest_withdeps.DEP_VERSION, sys.path[0])
PY
  chmod 0700 "$p/main.py"        # user-executable only: executable by all in the image
  echo "settings" >"$p/sub/data.txt"
  chmod 0600 "$p/sub/data.txt"   # private on the host: readable by all in the image
  echo "deep" >"$p/sub/deeper/x.txt"
  chmod 0700 "$p/sub"
  chown -R 1234:1234 "$p/sub"    # someone else's files: root's in the image
  printf 'lavatest-withdeps\nlavatest-native\n' >"$p/requirements.txt"
  printf 'lavatest-nodeps-only\n' >"$p/requirements-nodeps.txt"
}

make_context() { # PROJECT DEST: what the build command hands the engine
  rm -rf "$2"
  cp -a "$1/lava-payloads/hello.docker" "$2"
  cp "$LAVA_SOURCE_DIR/src/context/default.Dockerfile" "$2/Dockerfile"
}

build() { # PROJECT CONTEXT CACHE [extra args]: JSON result on stdout
  local project="$1" context="$2" cache="$3"
  shift 3
  XDG_CACHE_HOME="$cache" "$LAVA_NATIVE_BUILD" --project "$project" --env dev --payload hello \
    --context "$context" --quiet "$@"
}

T="$LAVA_TEST_TMP"
make_project "$T/p1" "$LAVA_TEST_BASE_IMAGE" "linux/amd64,linux/arm64"
make_context "$T/p1" "$T/ctx1"
LAYOUT="$T/p1/dist/dev/lava-payloads/hello.oci"

note "building natively for linux/amd64 and linux/arm64"
assert_status 0 build "$T/p1" "$T/ctx1" "$T/cache1"
RESULT="$LAVA_OUT"
INDEX="$(jq -r .index_digest <<<"$RESULT")"
assert_match "$INDEX" '^sha256:[0-9a-f]{64}$' "index digest"
assert_eq "[]" "$(jq -c .notices <<<"$RESULT")" "notices with os_upgrade off"
assert_not_contains "$LAVA_ERR$LAVA_OUT" "$PASSWORD" "build output"

# --- the layout, as skopeo and umoci read it
raw="$(skopeo inspect --raw "oci:$LAYOUT:latest")"
assert_eq "$INDEX" "sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)" "digest of the layout's root"
assert_eq application/vnd.oci.image.index.v1+json "$(jq -r .mediaType <<<"$raw")" "root media type"
assert_eq "linux/amd64 linux/arm64" \
  "$(jq -r '[.manifests[].platform | "\(.os)/\(.architecture)"] | sort | join(" ")' <<<"$raw")" "platforms"
assert_eq 1 "$(jq '.manifests | length' "$LAYOUT/index.json")" "entries in index.json"
assert_eq latest "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$LAYOUT/index.json")" "ref name"
for arch in amd64 arm64; do
  cfg="$(skopeo inspect --config --override-arch "$arch" "oci:$LAYOUT:latest")"
  assert_eq "$arch" "$(jq -r .architecture <<<"$cfg")" "config architecture"
  assert_eq lava "$(jq -r .config.User <<<"$cfg")" "USER"
  assert_eq "1970-01-01T00:00:00Z" "$(jq -r .created <<<"$cfg")" "created (no SOURCE_DATE_EPOCH)"
  # umoci reads single images: a one-platform copy of the layout, unpacked as root.
  skopeo copy --quiet --override-arch "$arch" "oci:$LAYOUT:latest" "oci:$T/umoci-$arch:img"
  umoci unpack --image "$T/umoci-$arch:img" "$T/bundle-$arch" >/dev/null
  root="$T/bundle-$arch/rootfs"
  assert_eq "0:0 755 0:0 755 0:0 644 0:0 755" \
    "$(stat -c '%u:%g %a' "$root/lava" "$root/lava/main.py" "$root/lava/sub/data.txt" "$root/lava/sub" | tr '\n' ' ' | sed 's/ $//')" \
    "owners and modes unpacked by umoci ($arch)"
  assert_contains "$(cat "$root/etc/passwd")" "lava:x:99999:99999::/lava:/bin/sh" "/etc/passwd ($arch)"
  assert_contains "$(cat "$root/etc/group")" "lava:x:99999:" "/etc/group ($arch)"
  assert_file "$root/usr/local/lib/python3.11/dist-packages/lavatest_native/__init__.py"
done

# --- each platform in the Docker engine
for arch in amd64 arm64; do
  image="lava-native-test/hello:$arch"
  skopeo copy --quiet --override-arch "$arch" "oci:$LAYOUT:latest" "docker-daemon:$image" \
    --dest-daemon-host "$DOCKER_HOST"
  lava_on_exit docker rmi -f "$image"
  machine="$([[ $arch == amd64 ]] && echo x86_64 || echo aarch64)"
  assert_eq "$arch" "$(docker image inspect --format '{{.Architecture}}' "$image")" "engine's architecture"
  out="$(docker run --rm --platform "linux/$arch" -w /tmp "$image" sh -c '
    id -u; id -g; id -un; getent passwd lava | cut -d: -f6; uname -m
    stat -c "%U:%G %a %n" /lava /lava/main.py /lava/sub /lava/sub/data.txt /lava/sub/deeper/x.txt /lava/Dockerfile
    find /lava ! -user root | wc -l
    python3 /lava/main.py
    cd / && python3 -c "import lavatest_withdeps, lavatest_nodeps_only, lavatest_native; print(lavatest_native.__file__)"
    echo "LANG=$LANG PYTHONDONTWRITEBYTECODE=$PYTHONDONTWRITEBYTECODE PYTHONUNBUFFERED=$PYTHONUNBUFFERED"
    echo "PATH=$PATH"
    test -w /lava/main.py && echo writable || echo read-only')"
  note "linux/$arch: $(tr '\n' '|' <<<"$out")"
  line() { sed -n "${1}p" <<<"$out"; }
  assert_eq 99999 "$(line 1)" "uid ($arch)"
  assert_eq 99999 "$(line 2)" "gid ($arch)"
  assert_eq lava "$(line 3)" "user name ($arch)"
  assert_eq /lava "$(line 4)" "home ($arch)"
  assert_eq "$machine" "$(line 5)" "machine ($arch)"
  assert_eq "root:root 755 /lava" "$(line 6)" "/lava"
  assert_eq "root:root 755 /lava/main.py" "$(line 7)" "main.py"
  assert_eq "root:root 755 /lava/sub" "$(line 8)" "sub/"
  assert_eq "root:root 644 /lava/sub/data.txt" "$(line 9)" "sub/data.txt"
  assert_eq "root:root 644 /lava/sub/deeper/x.txt" "$(line 10)" "sub/deeper/x.txt"
  assert_eq "root:root 644 /lava/Dockerfile" "$(line 11)" "Dockerfile"
  assert_eq 0 "$(line 12)" "files under /lava not owned by root ($arch)"
  assert_eq "$machine $machine 2.0.0 /lava" "$(line 13)" "imports from /lava's script ($arch)"
  assert_eq /usr/local/lib/python3.11/dist-packages/lavatest_native/__init__.py "$(line 14)" "import from / ($arch)"
  assert_eq "LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1" "$(line 15)" "ENV ($arch)"
  assert_not_contains "$(line 16)" "/lava" "PATH ($arch)"
  assert_eq read-only "$(line 17)" "/lava/main.py for lava ($arch)"

  # The credential: not in the config, labels, history or any layer.
  assert_not_contains "$(docker image inspect "$image")" "$PASSWORD" "docker image inspect ($arch)"
  assert_not_contains "$(docker history --no-trunc "$image")" "$PASSWORD" "docker history ($arch)"
  hits="$(docker run --rm --platform "linux/$arch" --user 0 "$image" \
    sh -c "grep -rIl -- '$PASSWORD' /lava /usr/local /etc 2>/dev/null | wc -l")"
  assert_eq 0 "$hits" "files holding the credential ($arch)"
done
for blob in "$LAYOUT"/blobs/sha256/*; do
  if gzip -t "$blob" 2>/dev/null; then
    ! gzip -dc "$blob" | grep -qaF -- "$PASSWORD" || fail "layer $(basename "$blob") holds the credential"
  else
    ! grep -qaF -- "$PASSWORD" "$blob" || fail "blob $(basename "$blob") holds the credential"
  fi
done
! grep -rqaF -- "$PASSWORD" "$T/cache1/lava-docker/native" || fail "the native cache holds the credential"

# --- reproducible: cold caches, another copy of the project, other host mtimes
make_project "$T/p2" "$LAVA_TEST_BASE_IMAGE" "linux/amd64,linux/arm64"
make_context "$T/p2" "$T/ctx2"
touch -d '2001-02-03 04:05:06' "$T/ctx2/main.py" "$T/ctx2/sub/data.txt"
assert_status 0 build "$T/p2" "$T/ctx2" "$T/cache2"
assert_eq "$INDEX" "$(jq -r .index_digest <<<"$LAVA_OUT")" "index digest of a second, cold build"
# ...and warm, from the first build's cache.
assert_status 0 build "$T/p1" "$T/ctx1" "$T/cache1"
assert_eq "$INDEX" "$(jq -r .index_digest <<<"$LAVA_OUT")" "index digest of a warm rebuild"
assert_eq 4 "$(jq .layers_reused <<<"$LAVA_OUT")" "layers reused by a warm rebuild"

# --- pushed as install will push it: base layers mounted from the base's repository, never
# uploaded; a second push of the same image uploads nothing. Then pulled and run.
# A repository of this run's own: the harness registry keeps what earlier runs pushed.
TARGET="$LAVA_TEST_REGISTRY/lava-native-test/hello-$$-$RANDOM:latest"
BASE_REPO="${LAVA_TEST_BASE_IMAGE#*/}"
BASE_REPO="${BASE_REPO%:*}"
assert_status 0 build "$T/p1" "$T/ctx1" "$T/cache1" --push "$TARGET" --mount-from "$BASE_REPO"
assert_eq "$INDEX" "$(jq -r .push.digest <<<"$LAVA_OUT")" "pushed digest"
assert_eq 2 "$(jq .push.blobs_mounted <<<"$LAVA_OUT")" "base layers mounted, not uploaded"
assert_status 0 build "$T/p1" "$T/ctx1" "$T/cache1" --push "$TARGET" --mount-from "$BASE_REPO"
assert_eq 0 "$(jq .push.blobs_uploaded <<<"$LAVA_OUT")" "blobs uploaded by a second push"
docker pull -q --platform linux/arm64 "$TARGET" >/dev/null
lava_on_exit docker rmi -f "$TARGET"
assert_eq "aarch64 aarch64 2.0.0 /lava" \
  "$(docker run --rm --platform linux/arm64 -w / "$TARGET" python3 /lava/main.py)" "pulled arm64 image"

# --- a code-only change: only the payload layer is new
layers_of() { skopeo inspect --override-arch "$2" "oci:$1:latest" | jq -r '.Layers[]'; }
before="$(layers_of "$LAYOUT" arm64)"
echo "# changed" >>"$T/ctx1/main.py"
assert_status 0 build "$T/p1" "$T/ctx1" "$T/cache1"
assert_eq 1 "$(jq .layers_built <<<"$LAVA_OUT")" "layers built after a code-only change"
assert_ne "$INDEX" "$(jq -r .index_digest <<<"$LAVA_OUT")" "index digest after a code change"
after="$(layers_of "$LAYOUT" arm64)"
assert_eq "$(head -n -1 <<<"$before")" "$(head -n -1 <<<"$after")" "layers below the payload"
assert_ne "$(tail -n 1 <<<"$before")" "$(tail -n 1 <<<"$after")" "payload layer"

# --- the base as an OCI layout gives the same layers as from the registry
make_project "$T/p3" "$LAVA_TEST_BASE_LAYOUT_REF" "linux/amd64,linux/arm64"
assert_status 0 build "$T/p3" "$T/ctx2" "$T/cache1"
assert_eq "$(layers_of "$LAYOUT" amd64 | head -n -1)" \
  "$(layers_of "$T/p3/dist/dev/lava-payloads/hello.oci" amd64 | head -n -1)" "layers from an oci: base"

# --- failures leave dist/ alone
before_index="$(cat "$LAYOUT/index.json")"
sed -i "s#base_img: .*#base_img: $LAVA_TEST_BASE_IMAGE_AMD64_ONLY#" "$T/p1/config/dev.yaml"
assert_status 1 build "$T/p1" "$T/ctx1" "$T/cache1"
assert_contains "$LAVA_ERR" "linux/arm64" "error for a base without arm64"
assert_contains "$LAVA_ERR" "$LAVA_TEST_BASE_IMAGE_AMD64_ONLY" "error for a base without arm64"
assert_eq "$before_index" "$(cat "$LAYOUT/index.json")" "layout after a failed build"
sed -i "s#base_img: .*#base_img: $LAVA_TEST_BASE_LAYOUT_AMD64_ONLY_REF#" "$T/p1/config/dev.yaml"
assert_status 1 build "$T/p1" "$T/ctx1" "$T/cache1"
assert_contains "$LAVA_ERR" "has no linux/arm64 image" "error for an oci: base without arm64"

sed -i "s#base_img: .*#base_img: $LAVA_TEST_BASE_IMAGE#" "$T/p1/config/dev.yaml"
echo "lavatest-absent-dependency" >>"$T/ctx1/requirements.txt"
assert_status 1 build "$T/p1" "$T/ctx1" "$T/cache1"
assert_contains "$LAVA_ERR" "'lavatest-absent-dependency' is not in the package index" "error for a requirement the index lacks"
assert_not_contains "$LAVA_ERR" "--engine docker" "no docker hint for a package that does not exist (issue 16)"
assert_not_contains "$LAVA_ERR" "$PASSWORD" "error output"
assert_eq "$before_index" "$(cat "$LAYOUT/index.json")" "layout after a failed build"
assert_eq "" "$(ls -A "$T/p1/dist/dev/lava-payloads" | grep -v '^hello.oci$' || true)" "leftovers in dist/"
