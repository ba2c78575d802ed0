#!/usr/bin/env bash
# End to end: `lava-docker run --job` runs project job specs (tests/integration/run_job/)
# as the lava worker's docker handler does, on the harness engine: both template delimiters,
# args with numbers, vars and globals merged from the spec and the command line, the job's
# env, host_config hostname and mem_limit seen inside the container, refusals before any
# container exists, the worker's timeout status 28, jinja: false, a payload of another
# project, connections, --json, --platform, Ctrl-C; and never a container left behind.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$LAVA_TEST_TMP/proj"
cp -a "$LAVA_SOURCE_DIR/tests/integration/run_job" "$proj"
realm="rj-$$"
mkdir -p "$proj/config"
repo="lava-runjob-$$/test"
cat >"$proj/config/test.yaml" <<YAML
realm: $realm
prefix:
  docker_repo: $repo
  job: rj
docker:
  platform: linux/amd64,linux/arm64
  base_img: $LAVA_TEST_BASE_LAYOUT_REF
  os_upgrade: false
team: data-team
greeting: hello-from-config
test_registry: $LAVA_TEST_REGISTRY
YAML
mkdir -p "$proj/dist/test"
cat >"$proj/dist/test/.realm.json" <<JSON
{"realm": "$realm", "s3_payloads": "s3://realm-bucket/payloads", "s3_temp": "s3://realm-bucket/tmp",
 "registry_host": "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com"}
JSON
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
export SOURCE_DATE_EPOCH=1700000000
cleanup() {
  docker ps -aq --filter "label=lava.realm=$realm" | xargs -r docker rm -f
  docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$repo/" | xargs -r docker rmi -f
}
lava_on_exit cleanup
run_job() { lava -C "$proj" run --env test "$@"; }
no_container_left() { # WHAT
  local left
  left="$(docker ps -aq --filter "label=lava.realm=$realm")"
  [[ -z "$left" ]] || fail "$1: container(s) left behind: $left"
}
line() { grep -Fx -- "$1" <<<"$LAVA_OUT" >/dev/null || fail "output lacks line '$1': $LAVA_OUT"; }

# ---- rendering: both delimiters, args with numbers, vars and globals merged
assert_status 0 run_job --job lava-jobs/render.yaml --var v1=cli-v1 --global g2=cli-g2
assert_contains "$LAVA_ERR" "hello: built" "first run builds the payload"
line "arg=cli-v1"
line "arg=hello-from-config spec-g1"
line "arg=1"
line "arg=2.5"
line "arg=cli-g2"
line "arg=rj/render|Rendered test"
line "env JOB_V2=spec-v2"
line "env JOB_REALM=$realm/$realm/core"
line "env JOB_NUMBER=42"
line "env LAVA_WORKER=core"
line "env LAVA_OWNER=data-team"
line "env LAVA_JOB_ID=rj/render"
line "env LAVA_REALM=$realm"
line "env LAVA_S3_PAYLOAD=s3://realm-bucket/payloads/123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/$repo/hello"
run_id="$(sed -n 's/^env LAVA_RUN_ID=//p' <<<"$LAVA_OUT")"
assert_match "$run_id" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "run id"
line "env LAVA_S3_TMP=s3://realm-bucket/tmp/rj/render/$run_id"
line "hostname=lava-$realm-core-$run_id"
line "uid=$(id -u) cwd=$(sed -n 's/^env LAVA_TMP=//p' <<<"$LAVA_OUT")"
no_container_left "render"

# ---- host_config hostname and mem_limit, inside the container; no rebuild this time
assert_status 0 run_job --job lava-jobs/limits.yaml
assert_contains "$LAVA_ERR" "hello: up to date"
line "hostname=box-test"
line "memory=268435456"
no_container_left "limits"

# ---- refused before anything starts: exit 2, no container created
assert_status 2 run_job --job lava-jobs/bad-param.yaml
assert_contains "$LAVA_ERR" "lava-jobs/bad-param.yaml: Bad job parameters: Unexpected keys: image"
assert_eq 1 "$(wc -l <<<"$LAVA_ERR")" "one line"
assert_status 2 run_job --job lava-jobs/bad-host.yaml
assert_contains "$LAVA_ERR" "lava-jobs/bad-host.yaml: Bad host_config parameters: Unexpected keys: privileged"
for job in bad-param bad-host; do
  created="$(docker events --since 0 --until "$(date +%s)" --filter type=container \
    --filter event=create --filter "label=lava.job_id=rj/$job" --format '{{.ID}}')"
  assert_eq "" "$created" "containers created for the refused job $job"
done

# ---- the worker's timeout status
assert_status 28 run_job --job lava-jobs/timeout.yaml --stop-timeout 1s
line "started"
assert_contains "$LAVA_ERR" "timed out after 2s"
no_container_left "timeout"

# ---- jinja: false renders nothing and drops the job's env, with one notice
assert_status 0 run_job --job lava-jobs/no-jinja.yaml
line "arg={{ not.rendered }}"
line 'arg=${#x}'
assert_not_contains "$LAVA_OUT" "JOB_DROPPED"
assert_contains "$LAVA_ERR" "jinja is false, so parameters.env is not passed"
line "env LAVA_JOB_ID=rj/no-jinja"

# ---- a payload that is not one of the project's
assert_status 1 run_job --job lava-jobs/elsewhere.yaml
assert_contains "$LAVA_ERR" "payload 'some.registry.example/other/project/hello' is not a payload of this project"
assert_eq 1 "$(wc -l <<<"$LAVA_ERR")" "one line"

# ---- connections: refused without a stand-in, used with one
assert_status 2 run_job --job lava-jobs/connection.yaml
assert_contains "$LAVA_ERR" "give --connection db=EXECUTABLE"
printf '#!/bin/sh\necho "connector got $*"\n' >"$LAVA_TEST_TMP/conn.sh"
chmod +x "$LAVA_TEST_TMP/conn.sh"
assert_status 0 run_job --job lava-jobs/connection.yaml --connection "db=$LAVA_TEST_TMP/conn.sh"
line "id=pg-main"
line "connector got one two"
no_container_left "connection"

# ---- --json: one document on stdout, the container's output on stderr
assert_status 0 run_job --job lava-jobs/arch.yaml --json
assert_eq 0 "$(jq -r .exit_status <<<"$LAVA_OUT")" "json exit_status"
assert_eq "lava-jobs/arch.yaml" "$(jq -r .job <<<"$LAVA_OUT")" "json job"
assert_match "$(jq -r .container_name <<<"$LAVA_OUT")" '^lava-[0-9a-f-]{36}$' "container name"
assert_ne "$(jq -r .run_id <<<"$LAVA_OUT")" "$(jq -r .container_name <<<"$LAVA_OUT" | sed 's/^lava-//')" "name is its own uuid"
assert_eq "$repo/hello:latest-amd64" "$(jq -r .image <<<"$LAVA_OUT")" "json image"
assert_contains "$LAVA_ERR" "x86_64"

# ---- another platform of the multi-platform payload (QEMU through binfmt)
if [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then
  assert_status 0 run_job --job lava-jobs/arch.yaml --platform linux/arm64
  assert_eq "aarch64" "$LAVA_OUT" "uname -m under --platform linux/arm64"
else
  note "no binfmt for arm64 here: --platform run skipped"
fi
assert_status 1 run_job --job lava-jobs/arch.yaml --platform linux/arm/v7
assert_contains "$LAVA_ERR" "unsupported platform"
no_container_left "platform"

# ---- --no-build with nothing built here: the engine pulls the job's payload, as the worker
# does (from the harness registry; its port gets the notice that the worker refuses that)
docker tag "$repo/hello:latest-amd64" "$LAVA_TEST_REGISTRY/$repo/hello:latest" >/dev/null
docker push -q "$LAVA_TEST_REGISTRY/$repo/hello:latest" >/dev/null
docker rmi -f "$repo/hello:latest-amd64" "$LAVA_TEST_REGISTRY/$repo/hello:latest" >/dev/null
rm -rf "$proj/dist/test/lava-payloads"
assert_status 0 run_job --job lava-jobs/pulled.yaml --no-build
assert_contains "$LAVA_ERR" "pulling $LAVA_TEST_REGISTRY/$repo/hello"
assert_contains "$LAVA_ERR" "the lava worker would read this as repository '127.0.0.1'"
assert_not_contains "$LAVA_ERR" "hello: built"
assert_eq "x86_64" "$LAVA_OUT" "the pulled image ran"
assert_no_file "$proj/dist/test/lava-payloads/hello.dockerimg"
no_container_left "no-build"

# ---- Ctrl-C: the container is stopped and removed, exit 130
"$LAVA_BIN" -C "$proj" run --env test --job lava-jobs/sleep.yaml \
  >"$LAVA_TEST_TMP/sleep.out" 2>"$LAVA_TEST_TMP/sleep.err" &
pid=$!
for ((i = 0; i < 600; i++)); do
  [[ -n "$(docker ps -q --filter "label=lava.realm=$realm" --filter "label=lava.job_id=rj/sleep")" ]] && break
  kill -0 "$pid" 2>/dev/null || fail "run ended early: $(cat "$LAVA_TEST_TMP/sleep.err")"
  sleep 0.2
done
[[ -n "$(docker ps -q --filter "label=lava.job_id=rj/sleep")" ]] || fail "the sleep job's container never ran"
kill -INT "$pid"
status=0
wait "$pid" || status=$?
assert_eq 130 "$status" "exit status after SIGINT ($(cat "$LAVA_TEST_TMP/sleep.err"))"
assert_contains "$(cat "$LAVA_TEST_TMP/sleep.err")" "stopped by signal 2"
no_container_left "Ctrl-C"
