#!/usr/bin/env bash
# Install every Debian 12 package lava-docker needs to build, test, fuzz and
# bench, and make arm64 binaries runnable through QEMU (binfmt_misc).
# Fast when everything is already there: apt is not touched at all then.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev libssl-dev libarchive-dev zlib1g-dev libdeflate-dev
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libfmt-dev
  # unit tests, fuzzing
  libgtest-dev libgmock-dev clang-14 libclang-rt-14-dev ccache
  # test services (tests/harness): engine, registry, image tools, base image
  docker.io docker-registry skopeo umoci mmdebstrap arch-test
  qemu-user-static binfmt-support uidmap iproute2 xz-utils
  apache2-utils ca-certificates curl jq util-linux openssl
  # reference tools the tests compare against, and the test index
  busybox-static python3 python3-jinja2 python3-nbconvert python3-ipython python3-yaml
  python3-pip python3-wheel python3-setuptools
  # benchmarks
  hyperfine time
  # sandbox for the base image's own python3 (native engine .pyc files)
  bubblewrap
)

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || {
    echo "install-deps: run as root (or install sudo)" >&2
    exit 1
  }
  SUDO=(sudo)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q </dev/null
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null
fi

# arm64 through QEMU: binfmt_misc must be mounted and qemu-aarch64 enabled.
# qemu-user-static registers it with the F flag, so it also works inside
# containers and chroots.
binfmt=/proc/sys/fs/binfmt_misc
if [[ ! -e "$binfmt/status" ]]; then
  "${SUDO[@]}" mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null ||
    echo "install-deps: warning: could not mount binfmt_misc at $binfmt" >&2
fi
if [[ ! -e "$binfmt/qemu-aarch64" ]] || ! grep -q '^enabled' "$binfmt/qemu-aarch64"; then
  "${SUDO[@]}" update-binfmts --enable qemu-aarch64 2>/dev/null || true
fi
if [[ -e "$binfmt/qemu-aarch64" ]] && grep -q '^enabled' "$binfmt/qemu-aarch64"; then
  echo "install-deps: qemu-aarch64 binfmt handler enabled ($(grep '^flags' "$binfmt/qemu-aarch64"))"
else
  echo "install-deps: warning: qemu-aarch64 is not enabled in binfmt_misc; arm64 tests will fail" >&2
fi
