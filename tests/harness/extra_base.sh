#!/usr/bin/env bash
# extra_base.sh NAME: make one of the bases beyond bookworm (on first use), push it to the
# harness registry and print its reference. For tests that compare the two engines on other
# Python layouts; harness.up never waits for these.
#
#   bullseye  Debian 11, python3 3.9 + pip, linux/amd64 and linux/arm64 (one image index)
#   trixie    Debian 13, python3 3.13 + pip, linux/amd64
#   venv      Debian 12 with a virtualenv at /opt/venv first on PATH, linux/amd64
#   nopython  Debian 12 minbase without any python, linux/amd64
#   lava      the lava base images' layout: /usr/local/bin/python3 is a symlink to
#             /usr/bin/python3.13 (with pip) while /usr/bin/python3 is 3.9, linux/amd64
#
# Each is made with mmdebstrap from the Debian mirror the machine's own apt sources name,
# with the suite's main archive only (no updates or security suites, so the image changes
# only when that suite does), and cached like bookworm's: root filesystem tarballs and an
# OCI layout under ${XDG_CACHE_HOME:-~/.cache}/lava-docker-tests, keyed by the recipe.
# Cold: 0.5-3 minutes per amd64 root filesystem, 6-13 for bullseye's arm64 (QEMU); warm,
# seconds. Needs the harness up (LAVA_HARNESS_ENV or LAVA_HARNESS_DIR, for the registry).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

NAME="${1:-}"
env_file="${LAVA_HARNESS_ENV:-${LAVA_HARNESS_DIR:-build/harness}/env}"
[[ -r "$env_file" ]] || die "harness environment $env_file not found: run tests/harness/up.sh"
REGISTRY="$(sed -n 's/^LAVA_TEST_REGISTRY=//p' "$env_file")"
DIR="$(sed -n 's/^LAVA_HARNESS_DIR=//p' "$env_file")"
LOGS="$DIR/logs"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/lava-docker-tests"
mkdir -p "$LOGS" "$CACHE/rootfs" "$CACHE/layout"

# The machine's Debian mirror: the URI its apt sources use for its own release's main.
host_mirror() {
  local codename uri
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  # shellcheck disable=SC2016 # apt's own $(...) fields
  uri="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null |
    awk -v c="$codename" '$2 == c && $3 == "main" { print $1; exit }')"
  printf '%s\n' "${uri:-http://deb.debian.org/debian/}"
}
MIRROR="$(host_mirror)"
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The recipe: SUITE, ARCHES, MMDEBSTRAP options (the suite and its sources line come last),
# and the image's PATH.
IMAGE_PATH="$DEFAULT_PATH"
OPTIONS=(--variant=minbase)
case "$NAME" in
bullseye | trixie)
  SUITE="$NAME"
  ARCHES=(amd64)
  [[ "$NAME" == bullseye ]] && ARCHES=(amd64 arm64)
  OPTIONS+=("--include=python3,python3-pip")
  ;;
venv)
  SUITE=bookworm
  ARCHES=(amd64)
  # shellcheck disable=SC2016 # the hook's $1 is mmdebstrap's (the root being made)
  OPTIONS+=("--include=python3,python3-venv" --customize-hook='chroot "$1" python3 -m venv /opt/venv')
  IMAGE_PATH="/opt/venv/bin:$DEFAULT_PATH"
  ;;
nopython)
  SUITE=bookworm
  ARCHES=(amd64)
  ;;
lava)
  # Debian has no suite with two python3 versions, so the older one comes from bullseye's
  # main archive (its python3 runs on trixie's newer C library; apt takes every other
  # package from trixie), and /usr/local/bin/python3 points at trixie's python3.13, whose
  # pip is trixie's python3-pip (Debian's pythons all read /usr/lib/python3/dist-packages).
  SUITE=trixie
  ARCHES=(amd64)
  # shellcheck disable=SC2016 # the hook's $1 is mmdebstrap's (the root being made)
  OPTIONS+=("--include=python3/bullseye,python3-minimal/bullseye,libpython3-stdlib/bullseye,python3.13,python3-pip/trixie"
    --customize-hook='ln -s /usr/bin/python3.13 "$1/usr/local/bin/python3"')
  ;;
*) die "usage: extra_base.sh bullseye|trixie|venv|nopython|lava" ;;
esac
SOURCES=("deb $MIRROR $SUITE main")
[[ "$NAME" == lava ]] && SOURCES+=("deb $MIRROR bullseye main")

# The binfmt check of base_layout.sh, without the rest of it.
ensure_binfmt() {
  local entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
  if [[ ! -e "$entry" ]] || ! grep -q '^enabled' "$entry"; then
    die "qemu-aarch64 is not registered with binfmt_misc; run tests/harness/up.sh (or scripts/install-deps.sh)"
  fi
}

# rootfs_tarball ARCH: the cached tarball, made when absent.
rootfs_tarball() {
  local arch="$1" key out tmp start
  local cmd=(mmdebstrap "${OPTIONS[@]}" --architectures="$arch" "$SUITE")
  key="$(printf 'v1 %s %s' "${cmd[*]}" "${SOURCES[*]}" | sha256sum | cut -c1-12)"
  out="$CACHE/rootfs/$NAME-$arch-$key.tar"
  if [[ ! -s "$out" ]]; then
    exec 7>"$CACHE/rootfs/$NAME-$arch.lock"
    flock 7 # another harness may be making the same one
    if [[ ! -s "$out" ]]; then
      log "making the $NAME $arch root filesystem with mmdebstrap (first use only$([[ $arch == amd64 ]] || echo '; under QEMU: minutes'))"
      tmp="$CACHE/rootfs/partial-$NAME-$arch-$$.tar"
      start=$SECONDS
      if ! "${cmd[@]}" "$tmp" "${SOURCES[@]}" </dev/null >"$LOGS/mmdebstrap-$NAME-$arch.log" 2>&1; then
        rm -f "$tmp"
        die "mmdebstrap for $NAME $arch failed; see $LOGS/mmdebstrap-$NAME-$arch.log"
      fi
      mv "$tmp" "$out"
      log "$NAME $arch root filesystem made in $((SECONDS - start))s"
    fi
    exec 7>&-
  fi
  printf '%s\n' "$out"
}

# layout: the cached OCI layout over every architecture's tarball.
layout() {
  local specs=() tarballs=() arch key out tmp
  for arch in "${ARCHES[@]}"; do
    [[ "$arch" == amd64 ]] || ensure_binfmt
    tarballs+=("$(rootfs_tarball "$arch")")
    specs+=("$arch=${tarballs[-1]}")
  done
  key="$({
    cat "$HARNESS_SRC/make_base_layout.py"
    echo "$IMAGE_PATH"
    stat -c '%n %s %Y' "${tarballs[@]}"
  } | sha256sum | cut -c1-12)"
  out="$CACHE/layout/$NAME-$key"
  if [[ ! -s "$out/index.json" ]]; then
    exec 7>"$CACHE/layout/.lock"
    flock 7
    if [[ ! -s "$out/index.json" ]]; then
      log "assembling the $NAME OCI layout"
      tmp="$CACHE/layout/partial-$NAME-$$"
      "$PY" "$HARNESS_SRC/make_base_layout.py" --out "$tmp" --env "PATH=$IMAGE_PATH" \
        --created-by "mmdebstrap ${OPTIONS[*]} --architectures=ARCH $SUITE ${SOURCES[*]}" \
        "${specs[@]}" >/dev/null
      rm -rf "$out"
      mv "$tmp" "$out"
    fi
    exec 7>&-
  fi
  printf '%s\n' "$out"
}

LAYOUT="$(layout)"
IMAGE="$REGISTRY/lava-test/$NAME-python:latest"
[[ "$NAME" == nopython ]] && IMAGE="$REGISTRY/lava-test/nopython:latest"
want="$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "latest") | .digest' \
  "$LAYOUT/index.json")"
have="$(skopeo inspect --raw --tls-verify=false "docker://$IMAGE" 2>/dev/null | sha256sum | cut -d' ' -f1)" || true
if [[ "sha256:$have" != "$want" ]]; then
  # The layout is shared by every harness: another may be pushing from it right now.
  exec 7>"$CACHE/layout/.lock"
  flock -s 7
  skopeo copy --all --quiet --dest-tls-verify=false "oci:$LAYOUT:latest" "docker://$IMAGE" \
    >>"$LOGS/skopeo.log" 2>&1 || die "skopeo could not push $IMAGE; see $LOGS/skopeo.log"
  exec 7>&-
  have="$(skopeo inspect --raw --tls-verify=false "docker://$IMAGE" | sha256sum | cut -d' ' -f1)"
  [[ "sha256:$have" == "$want" ]] || die "$IMAGE has digest sha256:$have after the push, expected $want"
  log "pushed $IMAGE ($want)"
fi
printf '%s\n' "$IMAGE"
