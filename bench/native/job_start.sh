#!/usr/bin/env bash
# A job's start in the image: python3 importing the realistic arm64 dependency set
# (realistic_project in common.sh, the same as arm64_deps.sh), in the linux/arm64 image the
# native engine builds against the one the Docker engine builds, and for reference a native
# image without .pyc files (LAVA_PYC_COMPILER=none, as native images were before they had
# them). Two commands, as a job starts:
#   top-level   python3 -c 'import boto3, botocore, ..., urllib3'  (every top_level.txt name)
#   every       python3 -c '...import_module(m) for m in <every module of the set>'
#               (3,050 modules: what a job that uses most of pandas and boto3 imports)
# Each image runs in a container of its own (started once, `sleep`), on this amd64 host
# under QEMU as the arm64 worker's CPU is not here; every command is `docker exec` into it,
# timed by hyperfine (WARMUP=1, RUNS=5; the image without .pyc: NOPYC_RUNS=2), images as
# built: USER lava, PYTHONDONTWRITEBYTECODE=1, so no run writes a .pyc for the next.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
WARMUP="${WARMUP:-1}"
RUNS="${RUNS:-5}"
NOPYC_RUNS="${NOPYC_RUNS:-2}"
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine" >&2; exit 1; }
harness_up
realistic_index_up

DIR="$BENCH/job-start"
realistic_project "$DIR" linux/arm64
CACHE="$BENCH/job-start-cache"
layout="$DIR/dist/dev/lava-payloads/hello.oci"
NATIVE=lava-bench/job-start:native DOCKER=lava-bench/job-start:docker NOPYC=lava-bench/job-start:nopyc

echo "building the native images (with and without .pyc) and the docker one (QEMU, a few minutes) ..."
load_native() { # TAG: the layout's arm64 image into the engine
  skopeo copy --quiet --override-arch arm64 "oci:$layout:latest" "docker-daemon:$1" --dest-daemon-host "$DOCKER_HOST"
}
LAVA_PYC_COMPILER=none native_build "$DIR" "$CACHE" --force >/dev/null
load_native "$NOPYC"
native_build "$DIR" "$CACHE" --force >/dev/null
load_native "$NATIVE"
docker pull -q --platform linux/arm64 "$LAVA_TEST_BASE_IMAGE" >/dev/null
docker_build "$DIR/ctx" linux/arm64 "$DOCKER"

containers=()
cleanup() {
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  docker rmi "$NATIVE" "$NOPYC" "$DOCKER" >/dev/null 2>&1 || true
}
at_exit cleanup
start() { # TAG: a running container of it, its id printed
  docker run -d --platform linux/arm64 --entrypoint sleep "$1" infinity
}
cn="$(start "$NATIVE")" cd="$(start "$DOCKER")" c0="$(start "$NOPYC")"
containers=("$cn" "$cd" "$c0")

# The module lists, from the native image's site directory (the same distributions as the
# docker image's: arm64_deps.sh checks that): every top_level.txt name, and every module
# (packages' __init__ and .py files under packages, not those an extension module of the
# same name shadows), into /tmp/modules.txt of each container.
lister='import glob, importlib.machinery as m, os, sys
site = "/usr/local/lib/python3.11/dist-packages"
top = sorted({l.strip() for t in glob.glob(site + "/*.dist-info/top_level.txt") for l in open(t) if l.strip()})
print(",".join(top))
shadows = [s for s in m.all_suffixes() if s not in (".py", ".pyc")]
for root, dirs, files in os.walk(site):
    dirs[:] = sorted(d for d in dirs if d.isidentifier())
    rel = os.path.relpath(root, site)
    parts = [] if rel == "." else rel.split(os.sep)
    if parts and not os.path.exists(os.path.join(root, "__init__.py")):
        dirs[:] = []
        continue
    for f in sorted(files):
        name = f[:-3]
        if not f.endswith(".py") or not name.isidentifier() and name != "__init__":
            continue
        if name == "__init__":
            mod = parts
        elif any(os.path.exists(os.path.join(root, name + s)) for s in shadows):
            continue
        else:
            mod = parts + [name]
        if mod:
            print(".".join(mod))'
lists="$(docker exec "$cn" python3 -c "$lister")"
top="$(head -n 1 <<<"$lists")"
tail -n +2 <<<"$lists" >"$BENCH/job-start-modules.txt"
count="$(wc -l <"$BENCH/job-start-modules.txt")"
for c in "${containers[@]}"; do docker exec -i "$c" sh -c 'cat >/tmp/modules.txt' <"$BENCH/job-start-modules.txt"; done
every='import importlib; [importlib.import_module(m) for m in open("/tmp/modules.txt").read().split()]'
# Every one must import, in each image.
for c in "${containers[@]}"; do docker exec "$c" python3 -c "import $top; $every"; done
echo "modules: $count, top-level: ${top//,/, }"

bench() { # NAME RUNS [-n LABEL COMMAND]...: hyperfine's table and JSON under $BENCH
  local name="$1" runs="$2"
  shift 2
  hyperfine --warmup "$WARMUP" --runs "$runs" --export-json "$BENCH/job-start-$name.json" \
    --export-markdown "$BENCH/job-start-$name.md" "$@"
}
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mean() { /usr/bin/python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"]; print("%.3f" % r[int(sys.argv[2])]["mean"])' "$@"; }

bench top "$RUNS" -n "native: import top-level" "docker exec $cn python3 -c 'import $top'" \
  -n "docker-built: import top-level" "docker exec $cd python3 -c 'import $top'"
bench every "$RUNS" -n "native: import every module" "docker exec $cn python3 -c '$every'" \
  -n "docker-built: import every module" "docker exec $cd python3 -c '$every'"
bench nopyc "$NOPYC_RUNS" -n "native without .pyc: import top-level" "docker exec $c0 python3 -c 'import $top'" \
  -n "native without .pyc: import every module" "docker exec $c0 python3 -c '$every'"
exec_only="$(hyperfine --warmup 1 --runs "$RUNS" --export-json "$BENCH/job-start-exec.json" \
  "docker exec $cn true" >/dev/null && mean "$BENCH/job-start-exec.json" 0)"

nt="$(mean "$BENCH/job-start-top.json" 0)" dt="$(mean "$BENCH/job-start-top.json" 1)"
ne="$(mean "$BENCH/job-start-every.json" 0)" de="$(mean "$BENCH/job-start-every.json" 1)"
zt="$(mean "$BENCH/job-start-nopyc.json" 0)" ze="$(mean "$BENCH/job-start-nopyc.json" 1)"
echo
echo "job start in the linux/arm64 image (under QEMU), hyperfine means; docker exec alone ${exec_only}s"
echo "  import top-level ($(tr ',' '\n' <<<"$top" | wc -l) names): native ${nt}s, docker-built ${dt}s: native/docker = $(ratio2 "$nt" "$dt") (target: <= 1.1); without .pyc ${zt}s"
echo "  import every module ($count):  native ${ne}s, docker-built ${de}s: native/docker = $(ratio2 "$ne" "$de") (target: <= 1.1); without .pyc ${ze}s"
