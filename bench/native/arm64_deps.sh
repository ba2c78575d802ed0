#!/usr/bin/env bash
# A linux/arm64 build of the example payload, dependencies included, on this (amd64) host:
# native engine (pip for arm64 wheels on the host, no emulation) vs the Docker engine running
# the default Dockerfile's RUN steps under QEMU. Both start with the base image local and
# nothing else cached: docker builds with --no-cache, native with --force and an empty pip
# download cache. Both byte-compile what pip installs; the native side is measured twice,
# compiling with the host's python3 (as here: it is the base's version) and with the base's
# own in the sandbox (LAVA_PYC_COMPILER=sandbox: as on a host with another Python), and the
# byte-compiling part is taken from the build's progress lines. RUNS (default 3) runs of
# each, alternating; medians.
#
# The dependencies are a data engineer's usual set, as synthetic wheels shaped like the
# real ones (make_realistic_index.py: names, versions, dependency graph, tags, file counts
# and sizes; .py files of real Python source), served on a loopback port for the run by
# `python3 -m http.server`. The payload is the bundled example's hello payload with
#   requirements.txt        pandas, pyarrow, boto3, requests, SQLAlchemy, psycopg2-binary
#                           (pinned; numpy, botocore, s3transfer, ... come as dependencies)
#   requirements-nodeps.txt empty (so neither engine runs a --no-deps pip)
# The index is generated once into $BENCH/realistic-index (about half a minute) and
# regenerated when the generator changes.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${RUNS:-3}"
PY=/usr/bin/python3
harness_up

realistic_index_up

# The dependency set as installed for linux/arm64: the newest version of each project,
# aarch64 or pure wheels.
"$PY" - "$INDEX/summary.json" <<'PY'
import json, sys
wheels = [w for w in json.load(open(sys.argv[1])) if w["latest"] and w["arch"] in ("any", "aarch64")]
mb = lambda n: f"{n / 1e6:.1f} MB"
print(f"dependency set (synthetic wheels, linux/arm64): {len(wheels)} distributions, "
      f"{mb(sum(w['size'] for w in wheels))} of wheels, {sum(w['files'] for w in wheels):,} files, "
      f"{mb(sum(w['unpacked'] for w in wheels))} unpacked, {sum(w['py_files'] for w in wheels):,} .py files "
      f"({mb(sum(w['py_bytes'] for w in wheels))}), {mb(sum(w['so_bytes'] for w in wheels))} of shared objects")
print("  " + ", ".join(f"{w['name']} {w['version']} ({mb(w['size'])})"
                       for w in sorted(wheels, key=lambda w: -w["size"])))
PY

realistic_project "$BENCH/arm64" linux/arm64
docker_context "$BENCH/arm64"

CACHE="$BENCH/arm64-cache"
rm -rf "$CACHE"
native_build "$BENCH/arm64" "$CACHE" >/dev/null # base blobs and facts in the cache
docker pull -q --platform linux/arm64 "$LAVA_TEST_BASE_IMAGE" >/dev/null
TAG=lava-bench/hello:arm64

# Installed distributions (name==version, from their METADATA under /usr/local) and .pyc
# count: of the docker image, by running its python3 (under QEMU) ...
docker_dists() {
  docker run --rm --platform linux/arm64 --entrypoint python3 "$TAG" -c '
import glob, importlib.metadata as m, re
site = "/usr/local/lib/python3.11/dist-packages"
for d in m.distributions(path=[site]):
    print("%s==%s" % (re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(), d.version))
print("pyc %d" % len(glob.glob(site + "/**/*.pyc", recursive=True)))'
}
# ... and of the native image, from the arm64 image's layers in the OCI layout.
native_dists() {
  "$PY" - "$BENCH/arm64/dist/dev/lava-payloads/hello.oci" <<'PY'
import json, os, re, sys, tarfile
layout = sys.argv[1]
blob = lambda d: os.path.join(layout, "blobs", *d.split(":"))
index = json.load(open(blob(json.load(open(os.path.join(layout, "index.json")))["manifests"][0]["digest"])))
manifest = next(m for m in index["manifests"] if m["platform"]["architecture"] == "arm64")
pyc = 0
dists = []
for layer in json.load(open(blob(manifest["digest"])))["layers"]:
    if not os.path.exists(blob(layer["digest"])):
        continue  # a base layer not kept in the layout
    with tarfile.open(blob(layer["digest"]), "r:*") as tar:
        for member in tar:
            name = member.name.lstrip("./")
            if not name.startswith("usr/local/lib/python3.11/dist-packages/"):
                continue
            pyc += name.endswith(".pyc")
            if re.fullmatch(r"usr/local/lib/python3\.11/dist-packages/[^/]+\.dist-info/METADATA", name):
                meta = dict(line.split(": ", 1) for line in
                            tar.extractfile(member).read().decode().split("\n\n")[0].splitlines()
                            if ": " in line)
                dists.append("%s==%s" % (re.sub(r"[-_.]+", "-", meta["Name"]).lower(), meta["Version"]))
print("\n".join(dists))
print("pyc %d" % pyc)
PY
}

# The docker build's log (for the image ids it made and whether it pulled the base).
LOG="$BENCH/arm64-docker-build.log"
remove_docker_images() {
  docker rmi "$TAG" >/dev/null 2>&1 || true
  # Then what is left of the build's intermediate images, newest first: the ids the log
  # shows after each step but FROM (the base), and only when untagged.
  [[ -s "$LOG" ]] || return 0
  awk '/^Step [0-9]+\/[0-9]+ : /{ from = ($4 == "FROM") } /^ ---> [0-9a-f]+$/ && !from { print $2 }' "$LOG" |
    tac | while read -r id; do
      [[ "$(docker image inspect -f '{{len .RepoTags}}' "$id" 2>/dev/null)" == 0 ]] || continue
      docker rmi "$id" >/dev/null 2>&1 || true
    done
}
at_exit remove_docker_images

# Native twice per run: as it builds here (the host's /usr/bin/python3 is the base's 3.11.2,
# so it byte-compiles), and with LAVA_PYC_COMPILER=sandbox, as it builds when the host's
# Python is another one (the base's own python3 in the sandbox; its unpacked root is made
# by the first, untimed build below and kept in the cache, as docker keeps the base).
XDG_CACHE_HOME="$CACHE" LAVA_PYC_COMPILER=sandbox "$LAVA" -C "$BENCH/arm64" build --engine native --env dev --quiet --force hello
native=() sandbox=() dock=() pulls=0 compile=() sandbox_compile=()
for ((i = 1; i <= RUNS; i++)); do
  rm -rf "$CACHE/lava-docker/pip"
  t="$(now)"; timed_native_build "$BENCH/arm64-native.log" "$BENCH/arm64" "$CACHE" --force; native+=("$(elapsed "$t")")
  compile+=("$(compile_seconds "$BENCH/arm64-native.log")")
  rm -rf "$CACHE/lava-docker/pip"
  t="$(now)"; LAVA_PYC_COMPILER=sandbox timed_native_build "$BENCH/arm64-sandbox.log" "$BENCH/arm64" "$CACHE" --force; sandbox+=("$(elapsed "$t")")
  sandbox_compile+=("$(compile_seconds "$BENCH/arm64-sandbox.log")")
  remove_docker_images
  t="$(now)"; DOCKER_BUILD_LOG="$LOG" docker_build "$BENCH/arm64/ctx" linux/arm64 "$TAG" --no-cache; dock+=("$(elapsed "$t")")
  if grep -q "Downloaded newer image\|Pull complete" "$LOG"; then pulls=$((pulls + 1)); fi
  echo "run $i/$RUNS: native ${native[-1]}s (compiling ${compile[-1]}s), native with the sandbox ${sandbox[-1]}s (compiling ${sandbox_compile[-1]}s), docker ${dock[-1]}s" >&2
  if ((i == 1)); then
    docker_dists | sort >"$BENCH/arm64-docker-dists.txt"
    native_dists | sort >"$BENCH/arm64-native-dists.txt"
  fi
done
n="$(printf '%s\n' "${native[@]}" | median)"
nc="$(printf '%s\n' "${compile[@]}" | median)"
sb="$(printf '%s\n' "${sandbox[@]}" | median)"
sc="$(printf '%s\n' "${sandbox_compile[@]}" | median)"
d="$(printf '%s\n' "${dock[@]}" | median)"
echo "linux/arm64 build with dependencies on $(uname -m), median of $RUNS"
echo "  native engine:           ${n}s   (runs: ${native[*]}; byte-compiling: ${compile[*]})"
echo "  native, sandbox .pyc:    ${sb}s   (runs: ${sandbox[*]}; byte-compiling: ${sandbox_compile[*]})"
echo "  docker engine with QEMU: ${d}s   (runs: ${dock[*]})"
echo "  native is $(ratio "$d" "$n")x faster (target: 10x); ${nc}s of its ${n}s is byte-compiling"
echo "  with the sandbox: $(ratio "$d" "$sb")x; ${sc}s of its ${sb}s is byte-compiling"
if ((pulls)); then
  echo "  note: in $pulls docker run(s) --pull fetched the arm64 base again (another user of the engine had it switched to another platform): that time is included"
fi

nd="$(grep -vc '^pyc ' "$BENCH/arm64-native-dists.txt" || true)"
dpyc="$(sed -n 's/^pyc //p' "$BENCH/arm64-docker-dists.txt")"
npyc="$(sed -n 's/^pyc //p' "$BENCH/arm64-native-dists.txt")"
if diff <(grep -v '^pyc ' "$BENCH/arm64-native-dists.txt") <(grep -v '^pyc ' "$BENCH/arm64-docker-dists.txt") >/dev/null; then
  echo "  check: both images hold the same $nd distributions under /usr/local/lib/python3.11/dist-packages"
else
  echo "  check FAILED: the images hold different distributions (< native, > docker):"
  diff <(grep -v '^pyc ' "$BENCH/arm64-native-dists.txt") <(grep -v '^pyc ' "$BENCH/arm64-docker-dists.txt") | sed -n 's/^[<>]/    &/p'
  exit 1
fi
if [[ "$dpyc" == "$npyc" ]]; then
  echo "  check: both images hold the same number of .pyc files ($npyc)"
else
  echo "  check FAILED: $npyc .pyc files in the native image, $dpyc in the docker one"
  exit 1
fi
