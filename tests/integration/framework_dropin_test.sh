#!/usr/bin/env bash
# The lava framework's own build path, end to end on examples/demo (a framework-shaped
# project): bin/lava-docker is a symlink to our binary and is run exactly as the framework's
# lava-payloads/Makefile runs it. The stock etc/Dockerfile is replaced by the built-in
# default (native build, no PIP_INDEX_URL in the image), the image is tagged in the engine
# with the -t name, the iidfile holds the id docker inspect shows; a payload's own Dockerfile
# wins and builds on the engine. Bad input: one line, status 1, dist/ untouched. Then the
# job spec in lava-jobs/ renders with lava.aws.* against the fake STS/ECR.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$LAVA_TEST_TMP/demo"
cp -a "$LAVA_SOURCE_DIR/examples/demo" "$proj"
rm -rf "$proj/dist"
repo="lava-dropin-$$"
cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  job: app/demo
  docker_repo: $repo/test/demo
docker:
  base_img: $LAVA_TEST_BASE_IMAGE
  platform: linux/amd64
  registry: ""
  os_upgrade: false
owner: "data-team"
worker:
  main: core
bucket: bucket-test
retries: 3
debug: no
YAML
mkdir -p "$proj/bin"
ln -s "$LAVA_BIN" "$proj/bin/lava-docker"
secret_pw="${LAVA_TEST_INDEX_URL_AUTH#*://}"; secret_pw="${secret_pw%%@*}"; secret_pw="${secret_pw#*:}"
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL_AUTH"
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
cleanup_images() { docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$repo/" | xargs -r docker rmi -f >/dev/null 2>&1 || true; }
lava_on_exit cleanup_images

# The Makefile's recipe, run from lava-payloads/ with its relative paths.
dropin() { # NAME [EXTRA ARGS BEFORE THE OPERANDS...]
  local name="$1"; shift
  (cd "$proj/lava-payloads" && "$proj/bin/lava-docker" -c ../config/test.yaml -p env="test" \
    -P "linux/amd64" -b PIP_INDEX_URL -b BASE_IMG="$LAVA_TEST_BASE_IMAGE" -t "$repo/test/demo/$name" \
    -T ../etc/sagemakertopython.tpl -i "../dist/test/lava-payloads/$name.dockerimg" "$@" \
    "$name.docker" ../etc/Dockerfile)
}
mkdir -p "$proj/dist/test/lava-payloads"  # the Makefile's mkdir -p $(@D)
dist="$proj/dist/test/lava-payloads"

# ---- the stock fallback: built-in default, natively, loaded into the engine and tagged
assert_status 0 dropin hello
assert_not_contains "$LAVA_OUT$LAVA_ERR" "$secret_pw" "output redacted"
assert_contains "$LAVA_ERR" "stock Dockerfile" "one notice about the stock etc/Dockerfile"
assert_eq 1 "$(grep -c 'stock Dockerfile' <<<"$LAVA_ERR")" "the notice once"
assert_eq native "$(jq -r .engine "$dist/hello.state/build.json")" "stock fallback built natively"
iid="$(cat "$dist/hello.dockerimg")"
assert_match "$iid" '^sha256:[0-9a-f]{64}$' "iidfile holds an image id"
assert_eq "$iid" "$(docker image inspect -f '{{.Id}}' "$repo/test/demo/hello:latest")" "engine tag = iidfile"
env_of_image="$(docker image inspect -f '{{json .Config.Env}}' "$repo/test/demo/hello:latest")"
assert_not_contains "$env_of_image" "PIP_INDEX_URL" "no index URL in the image env"
assert_contains "$(docker run --rm "$repo/test/demo/hello:latest" head -1 /lava/notebooks/report.py)" "python3" "notebook converted"
if docker run --rm "$repo/test/demo/hello:latest" grep -q '^get_ipython' /lava/notebooks/report.py; then
  fail "magics left uncommented"
fi
# Again: nothing to rebuild, the same id, still tagged.
assert_status 0 dropin hello
assert_contains "$LAVA_OUT" "up-to-date" "second run is up to date"
assert_eq "$iid" "$(cat "$dist/hello.dockerimg")" "same id"

# ---- a payload's own Dockerfile wins over the fallback: Docker engine
assert_status 0 dropin custom
assert_eq docker "$(jq -r .engine "$dist/custom.state/build.json")" "own Dockerfile on the engine"
assert_eq "$(cat "$dist/custom.dockerimg")" "$(docker image inspect -f '{{.Id}}' "$repo/test/demo/custom:latest")" "custom tag = iidfile"

# ---- docker.dockerfile: stock builds the file as it is (on the engine), with one warning
sed -i 's/^docker:$/docker:\n  dockerfile: stock/' "$proj/config/test.yaml"
assert_status 0 lava -C "$proj" prepare --env test hello
assert_contains "$LAVA_OUT" "etc/Dockerfile" "docker.dockerfile: stock uses the file"
assert_contains "$LAVA_ERR" "warning: etc/Dockerfile sets PIP_INDEX_URL in ENV" "one warning"
assert_eq 1 "$(grep -c '^warning:' <<<"$LAVA_ERR")" "the warning once"
sed -i '/^  dockerfile: stock$/d' "$proj/config/test.yaml"

# ---- bad input: one line, status 1, dist/ untouched
snapshot() { (cd "$proj/dist" && find . -printf '%p %s %T@\n' | sort); }
before="$(snapshot)"
bad() { # WHAT EXPECTED-TEXT CMD...
  local what="$1" text="$2"; shift 2
  assert_status 1 "$@"
  assert_contains "$LAVA_ERR" "$text" "$what"
  assert_eq 1 "$(wc -l <<<"$LAVA_ERR")" "$what: one line ($LAVA_ERR)"
  assert_eq "$before" "$(snapshot)" "$what: dist/ untouched"
}
bad_platform() { (cd "$proj/lava-payloads" && "$proj/bin/lava-docker" -c ../config/test.yaml -p env=test -P windows/amd64 -t x/y -i ../dist/test/lava-payloads/hello.dockerimg hello.docker ../etc/Dockerfile); }
bad "bad platform" "windows/amd64" bad_platform
bad "missing dir" "nosuch.docker: no such directory" dropin nosuch
mkdir -p "$proj/lava-payloads/bare.docker" && echo 'print(1)' >"$proj/lava-payloads/bare.docker/main.py"
no_dockerfile() { (cd "$proj/lava-payloads" && "$proj/bin/lava-docker" -c ../config/test.yaml -p env=test -t x/bare -i ../dist/test/lava-payloads/bare.dockerimg bare.docker ../etc/Nothing); }
bad "no Dockerfile" "no Dockerfile" no_dockerfile
printf '{%% extends "python.tpl" %%}\n' >"$proj/etc/other.tpl"
other_template() { (cd "$proj/lava-payloads" && "$proj/bin/lava-docker" -c ../config/test.yaml -p env=test -t x/y -T ../etc/other.tpl hello.docker ../etc/Dockerfile); }
bad "other nbconvert template" "../etc/other.tpl" other_template
no_engine() { DOCKER_HOST=unix:///nonexistent/lava-dropin.sock dropin hello; }
bad "no engine" "Docker engine" no_engine

# ---- -h prints usage
assert_status 0 "$proj/bin/lava-docker" -h -c x
assert_contains "$LAVA_OUT" "Usage: lava-docker" "-h usage"

# ---- render: the job spec's lava.aws.ecr_uri through the fake ECR (SigV4 checked there)
account=123456789012
fake_out="$LAVA_TEST_TMP/fake_ecr.out"
/usr/bin/python3 "$LAVA_SOURCE_DIR/tests/registry/fake_ecr.py" --access-key AKIDDROPIN \
  --secret 'dropin/secret+KEY' --region eu-west-2 --account "$account" >"$fake_out" 2>/dev/null &
fake_pid=$!
lava_on_exit kill "$fake_pid"
for _ in $(seq 100); do grep -q '^PORT ' "$fake_out" 2>/dev/null && break; sleep 0.1; done
fake="http://127.0.0.1:$(awk '/^PORT/ {print $2}' "$fake_out")"
echo '{"lava": {"realm": {"s3_payloads": "s3://payloads-bucket/lava"}}}' >"$proj/dist/test/.realm.json"
render_job() {
  (cd "$proj" && env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDDROPIN AWS_SECRET_ACCESS_KEY="$1" \
    AWS_REGION=eu-west-2 AWS_ENDPOINT_URL="$fake" AWS_EC2_METADATA_DISABLED=true \
    AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_CONFIG_FILE=/nonexistent \
    "$LAVA_BIN" render -d '<' --file config/test.yaml --file dist/test/.realm.json -p env=test "${@:2}")
}
assert_status 0 render_job 'dropin/secret+KEY' lava-jobs/hello-daily.yaml
assert_contains "$LAVA_OUT" "payload: \"$account.dkr.ecr.eu-west-2.amazonaws.com/$repo/test/demo/hello\"" "payload rendered"
assert_contains "$LAVA_OUT" 'job_id: "app/demo/hello-daily"' "job id"
assert_eq 1 "$(curl -sf "$fake/__log" | grep -c 'DescribeRegistry signature-ok')" "one ECR call"
assert_eq 0 "$(curl -sf "$fake/__log" | grep -c 'GetCallerIdentity')" "no STS call for ecr_uri"
echo '<{ lava.realm.s3_payloads }> <{ lava.aws.account }> <{ lava.aws.account }> <{ lava.aws.user }>' >"$proj/t.txt"
assert_status 0 render_job 'dropin/secret+KEY' t.txt
assert_eq "s3://payloads-bucket/lava $account $account lava-test" "$LAVA_OUT" "lava.realm and lava.aws.*"
assert_eq 1 "$(curl -sf "$fake/__log" | grep -c 'GetCallerIdentity signature-ok')" "one STS call"
# A refused signature: one line naming the helper, no secret, status 1.
assert_status 1 render_job 'wrong/secret+VALUE' lava-jobs/hello-daily.yaml
assert_contains "$LAVA_ERR" "lava.aws.ecr_uri" "names the helper"
assert_not_contains "$LAVA_ERR" "wrong/secret+VALUE" "no secret"
assert_eq 1 "$(wc -l <<<"$LAVA_ERR")" "one line"
# run --job renders the same spec with lava.aws.* too (every generated docker job's payload
# reads lava.aws.ecr_uri), maps the ECR payload to the project's hello and runs it.
calls="$(curl -sf "$fake/__log" | grep -c 'DescribeRegistry signature-ok')"
run_job() {
  (cd "$proj" && env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDDROPIN AWS_SECRET_ACCESS_KEY="$1" \
    AWS_REGION=eu-west-2 AWS_ENDPOINT_URL="$fake" AWS_EC2_METADATA_DISABLED=true \
    AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_CONFIG_FILE=/nonexistent \
    "$LAVA_BIN" run --env test --job lava-jobs/hello-daily.yaml "${@:2}")
}
assert_status 0 run_job 'dropin/secret+KEY'
assert_contains "$LAVA_OUT" "hello from " "the job ran (its own output)"
assert_eq $((calls + 1)) "$(curl -sf "$fake/__log" | grep -c 'DescribeRegistry signature-ok')" "run --job asked ECR once"
assert_status 1 run_job 'wrong/secret+VALUE'
assert_contains "$LAVA_ERR" "lava.aws.ecr_uri" "run --job names the helper"
assert_not_contains "$LAVA_ERR" "wrong/secret+VALUE" "no secret"
# -B: no built-ins, no AWS call.
calls="$(curl -sf "$fake/__log" | wc -l)"
assert_status 1 render_job 'dropin/secret+KEY' -B lava-jobs/hello-daily.yaml
assert_eq "$calls" "$(curl -sf "$fake/__log" | wc -l)" "-B makes no AWS call"
note "ok"
