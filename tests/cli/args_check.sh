#!/usr/bin/env bash
# Command-line behaviour that needs no engine, registry or base image (issues 13 and 16):
# one value per option occurrence, --build-arg NAME from the environment, reworded parse
# errors with suggestions, -C checks, bare usage, names and config shapes checked when the
# project is read, clean without an engine, --json of prepare and clean, and payload links
# that leave the project or loop back into it.
#   tests/cli/args_check.sh BUILD_DIR
set -uo pipefail
build="$(cd "$1" && pwd)"
bin="$build/lava-docker"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
export DOCKER_HOST="unix://$work/no-engine.sock"  # no engine anywhere near

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# run EXPECTED_STATUS ARGS...: leaves stdout in $out, stderr in $err
run() {
  local want="$1" rc=0
  shift
  "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
  out="$(cat "$work/out")" err="$(cat "$work/err")"
  [[ $rc -eq $want ]] || fail "lava-docker $*: status $rc, expected $want; stderr: $err"
}
has() { [[ "$1" == *"$2"* ]] || fail "${3:-output} lacks '$2': $1"; }
one_line() { [[ $(printf '%s\n' "$1" | wc -l) -eq 1 ]] || fail "${2:-stderr} is not one line: $1"; }

proj="$work/proj"
mkdir -p "$proj/config" "$proj/lava-payloads/hello.docker" "$proj/lava-payloads/linked.docker"
printf 'print("hi")\n' >"$proj/lava-payloads/hello.docker/main.py"
printf 'print("linked")\n' >"$proj/lava-payloads/linked.docker/main.py"
cat >"$proj/config/dev.yaml" <<'YAML'
realm: r1
prefix:
  docker_repo: lava/dev/proj
docker:
  platform: linux/amd64
  base_img: oci:/nonexistent/layout
  registry: "127.0.0.1:9"
  os_upgrade: false
YAML

# ---- bare command, mistyped command and option, -C
run 0
has "$out" "Subcommands:" "bare usage"
run 2 lst
has "$err" "lava-docker: unknown command 'lst'; did you mean 'list'?"
one_line "$err"
run 2 -C "$proj" list --evn dev
has "$err" "lava-docker: list: unknown option '--evn'; did you mean '--env'?"
one_line "$err"
run 2 -C "$proj" list
has "$err" "lava-docker: list: --env is required"
run 2 -C /nonexistent list --env dev
has "$err" "lava-docker: -C /nonexistent: no such directory"
one_line "$err"
# CLI11's own messages in our words (its failure-message hook): the command named, lower
# case, one line, where help is.
run 2 -C "$proj" list --env
has "$err" "lava-docker: list: --env needs a value (see lava-docker list --help)"
run 2 -C "$proj" list --env dev --env prod
has "$err" "lava-docker: list: --env is given 2 times; it takes one value (see lava-docker list --help)"
run 2 -C "$proj" build --env dev --engine diesel
has "$err" "lava-docker: build: --engine: 'diesel' is not one of auto, docker, native (see lava-docker build --help)"
run 2 -C "$proj" run --env dev --stop-timeout
has "$err" "lava-docker: run: --stop-timeout needs a value"
for argv in "list --env" "list --env a --env b" "build --env dev --engine x" "build --env dev --progress x" \
  "run --env dev --timeout" "nb2py" "-C" "render -d" "list --env dev extra" "--bogus" "lst"; do
  # shellcheck disable=SC2086
  run 2 $argv
  one_line "$err" "lava-docker $argv"
  [[ "$err" =~ ^lava-docker:\ ([a-z0-9]+:\ )?[-a-z\'] ]] || fail "lava-docker $argv: not our style: $err"
  for word in Required "At Most" "At least" Expected "The following" "not in {" TEXT; do
    [[ "$err" != *"$word"* ]] || fail "lava-docker $argv: CLI11's wording '$word' left: $err"
  done
done
run 0 --version
has "$out" "lava-docker "
run 0 list --help
has "$out" "--env"

# ---- run: options of the other kind of run are refused before anything starts
run 2 -C "$proj" run --env dev --no-build hello
has "$err" "lava-docker: run: --no-build applies to --job runs only"
run 2 -C "$proj" run --env dev --connection db=/bin/true hello
has "$err" "lava-docker: run: --connection applies to --job runs only"
run 2 -C "$proj" run --env dev --job lava-jobs/x.yaml hello
has "$err" "lava-docker: run --job lava-jobs/x.yaml hello: give a payload name or --job, not both"
for refused in "-e A=1:-e:parameters.env" "--no-jinja:--no-jinja:parameters.jinja: false" \
  "--image x:--image:the job's payload" "--timeout 3s:--timeout:parameters.timeout"; do
  IFS=: read -r given option says <<<"$refused"
  # shellcheck disable=SC2086
  run 2 -C "$proj" run --env dev --job lava-jobs/x.yaml $given
  has "$err" "lava-docker: run --job: $option cannot be used with --job; the job spec says it ($says)"
  one_line "$err"
done
# The first refused option is named when there are several.
run 2 -C "$proj" run --env dev --no-build --connection db=/bin/true hello
has "$err" "run: --no-build applies"
run 2 -C "$proj" run --env dev --job lava-jobs/x.yaml --timeout 3s -e A=1
has "$err" "run --job: -e cannot be used"

# ---- repeatable options take one value per occurrence
# Before: --build-arg swallowed "nosuch", and every payload was built.
run 1 -C "$proj" build --env dev --build-arg A=1 nosuch
has "$err" "no docker payload named 'nosuch'"
run 1 -C "$proj" build --env dev --build-arg A=1 --build-arg B=2 nosuch
has "$err" "no docker payload named 'nosuch'"
printf '{{ a }}-{{ b }}\n' >"$work/t.j2"
run 0 render -p a=1 -p b=2 "$work/t.j2"
[[ "$out" == "1-2" ]] || fail "render -p a=1 -p b=2 FILE printed '$out'"
# --build-arg NAME: the environment's value, or an error when unset
run 2 -C "$proj" build --env dev --build-arg LAVA_TEST_UNSET_ARG hello
has "$err" "--build-arg LAVA_TEST_UNSET_ARG: no '=VALUE' and LAVA_TEST_UNSET_ARG is not set in the environment"
one_line "$err"

# ---- names and config shapes, when the project is read
mkdir -p "$proj/lava-payloads/Bad Name.docker"
run 1 -C "$proj" list --env dev
has "$err" "lava-payloads/Bad Name.docker: payload name 'Bad Name' cannot be part of an image name: 'Bad Name' has an upper-case letter 'B'"
one_line "$err"
rmdir "$proj/lava-payloads/Bad Name.docker"
sed 's|docker_repo: lava/dev/proj|docker_repo: Lava/dev|' "$proj/config/dev.yaml" >"$proj/config/up.yaml"
run 1 -C "$proj" list --env up
has "$err" "config/up.yaml: prefix.docker_repo 'Lava/dev' is not a valid repository name"
printf 'realm: r\nprefix:\n  docker_repo: a\ndocker: []\n' >"$proj/config/list.yaml"
run 1 -C "$proj" list --env list
has "$err" "config/list.yaml: key 'docker' must be a mapping of keys, not a list"
mkdir "$proj/config/dir.yaml"
run 1 -C "$proj" list --env dir
has "$err" "config/dir.yaml: is a directory, not a configuration file"
rm -rf "$proj/config/up.yaml" "$proj/config/list.yaml" "$proj/config/dir.yaml"

# ---- prepare --json; non-ASCII and invalid UTF-8 names are copied as they are
printf 'x = 1\n' >"$proj/lava-payloads/hello.docker/café.py"
printf 'y = 2\n' >"$proj/lava-payloads/hello.docker/$(printf 'bad\xff.py')"
run 0 -C "$proj" prepare --env dev --json
[[ "$(jq -r '.command + " " + (.payloads | map(.payload) | join(","))' <<<"$out")" == "prepare hello,linked" ]] ||
  fail "prepare --json: $out"
[[ "$(jq -r '.payloads[0].reference' <<<"$out")" == "lava/dev/proj/hello:latest" ]] || fail "prepare --json reference: $out"
[[ -f "$proj/dist/dev/lava-payloads/hello.context/café.py" ]] || fail "café.py not in the context"

# ---- links leaving the project: one warning each; refused when configured; loops named
mkdir -p "$work/outside"
head -c 5000 /dev/zero >"$work/outside/blob"
ln -s "$work/outside" "$proj/lava-payloads/linked.docker/data"
run 0 -C "$proj" prepare --env dev linked
has "$err" "warning: lava-payloads/linked.docker/data: link to $work/outside outside the project followed: 4.9 KiB copied into the build context"
[[ $(grep -c '^warning:' <<<"$err") -eq 1 ]] || fail "not one warning: $err"
printf '  follow_external_links: false\n' >>"$proj/config/dev.yaml"
run 1 -C "$proj" prepare --env dev linked
has "$err" "lava-payloads/linked.docker/data: link to $work/outside leaves the project (docker.follow_external_links is false in config/dev.yaml)"
one_line "$err"
rm "$proj/lava-payloads/linked.docker/data"
ln -s .. "$proj/lava-payloads/up.docker"
run 1 -C "$proj" prepare --env dev up
has "$err" "lava-payloads/up.docker: resolves to $proj, which holds the build context being written (a loop)"
one_line "$err"
[[ -z "$(find "$proj/dist" -name '*.tmp-*' -o -name '.up*')" ]] || fail "temp dirs left: $(find "$proj/dist" -name '*tmp*')"
rm "$proj/lava-payloads/up.docker"

# ---- clean without an engine: dist/ removed, one notice, exit 0; --json
run 0 -C "$proj" clean --env dev
has "$err" "notice: local images not removed"
has "$out" "hello	removed 0 image tag(s), 1 dist output(s)"
[[ ! -e "$proj/dist/dev/lava-payloads/hello.context" ]] || fail "clean left hello.context"
run 0 -C "$proj" clean --env dev --json hello
[[ "$(jq -r '[.command, .engine_reachable, .payloads[0].payload] | join(" ")' <<<"$out")" == "clean false hello" ]] ||
  fail "clean --json: $out"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "command-line checks pass"
