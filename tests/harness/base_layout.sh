# Sourced by up.sh and scripts/demo.sh (after common.sh): the multi-platform Debian
# bookworm base image with python3 and pip, made with mmdebstrap and cached per user as
# root filesystem tarballs and an OCI layout. Needs CACHE and LOGS set.

# ---------------------------------------------------------------- binfmt
ensure_binfmt() {
  local entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
  if [[ ! -e /proc/sys/fs/binfmt_misc/status ]]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
  fi
  if [[ ! -e "$entry" ]] || ! grep -q '^enabled' "$entry"; then
    update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  fi
  if [[ ! -e "$entry" ]] || ! grep -q '^enabled' "$entry"; then
    die "qemu-aarch64 is not registered with binfmt_misc; install qemu-user-static and binfmt-support (scripts/install-deps.sh)"
  fi
  grep -q '^flags:.*F' "$entry" ||
    log "warning: qemu-aarch64 binfmt entry lacks the F flag; arm64 containers may not run"
}

# ---------------------------------------------------------------- base image
MMDEBSTRAP_CMD='mmdebstrap --variant=minbase --include=python3,python3-pip --architectures=ARCH bookworm'
ROOTFS_KEY="$(printf 'v1 %s' "$MMDEBSTRAP_CMD" | sha256sum | cut -c1-12)"

# rootfs_tarball ARCH: path of the cached tarball, building it when absent.
rootfs_tarball() {
  local arch="$1" out="$CACHE/rootfs/bookworm-python-$1-$ROOTFS_KEY.tar"
  if [[ ! -s "$out" ]]; then
    mkdir -p "$CACHE/rootfs"
    exec 7>"$CACHE/rootfs/$arch.lock"
    flock 7 # another harness may be building the same one
    if [[ ! -s "$out" ]]; then
      log "building the $arch root filesystem with mmdebstrap (first run only: minutes; arm64 runs under QEMU)"
      local tmp="$CACHE/rootfs/partial-$arch-$$.tar"
      # shellcheck disable=SC2086 # the command is a fixed word list
      if ! ${MMDEBSTRAP_CMD//ARCH/$arch} "$tmp" </dev/null >"$LOGS/mmdebstrap-$arch.log" 2>&1; then
        rm -f "$tmp"
        die "mmdebstrap for $arch failed; see $LOGS/mmdebstrap-$arch.log"
      fi
      mv "$tmp" "$out"
    fi
    exec 7>&-
  fi
  printf '%s\n' "$out"
}

# base_layout: cached OCI layout built from both tarballs; prints its path.
base_layout() {
  local amd64 arm64 key out
  amd64="$(rootfs_tarball amd64)"
  arm64="$(rootfs_tarball arm64)"
  key="$({
    cat "$HARNESS_SRC/make_base_layout.py"
    stat -c '%n %s %Y' "$amd64" "$arm64"
  } | sha256sum | cut -c1-12)"
  out="$CACHE/layout/bookworm-python-$key"
  if [[ ! -s "$out/index.json" ]]; then
    mkdir -p "$CACHE/layout"
    exec 7>"$CACHE/layout/.lock"
    flock 7
    if [[ ! -s "$out/index.json" ]]; then
      log "assembling the base image OCI layout"
      local tmp="$CACHE/layout/partial-$$"
      "$PY" "$HARNESS_SRC/make_base_layout.py" --out "$tmp" \
        --created-by "$MMDEBSTRAP_CMD" amd64="$amd64" arm64="$arm64" >/dev/null
      rm -rf "$out"
      mv "$tmp" "$out"
    fi
    exec 7>&-
  fi
  printf '%s\n' "$out"
}

