#!/usr/bin/env bash
# End to end: `lava-docker build` on the harness Docker engine turns the demo project's
# payloads into images that behave as the seed's default Dockerfile promises, for amd64 and
# (under QEMU) arm64, without leaking PIP_INDEX_URL's credentials; unchanged payloads are
# not rebuilt; bad inputs fail clearly and leave dist/ and tags alone.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$(lava_demo_project)"
repo="lava-e2e-$$"
lava_demo_config "$proj" "$repo" "$LAVA_TEST_BASE_IMAGE"
lava_auth_index
secret_pw="$LAVA_INDEX_SECRET"
lava_remove_images_on_exit "$repo"

# ---- list
assert_status 0 lava -C "$proj" list --env test
assert_eq "custom	$repo/test/demo/custom	linux/amd64" "$(sed -n 1p <<<"$LAVA_OUT")" "list line 1"
assert_eq 3 "$(wc -l <<<"$LAVA_OUT")" "payload count (report.pkg and cleanup.sql are not ours)"

# ---- amd64 build of everything
assert_status 0 lava -C "$proj" build --engine docker --env test --network host
assert_not_contains "$LAVA_OUT$LAVA_ERR" "$secret_pw" "build output"
for p in hello custom linked; do assert_file "$proj/dist/test/lava-payloads/$p.dockerimg"; done
hello="$repo/test/demo/hello:latest"
assert_eq "$(docker image inspect -f '{{.Id}}' "$hello")" "$(cat "$proj/dist/test/lava-payloads/hello.dockerimg")" ".dockerimg holds the image id"
assert_eq "linux/amd64" "$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$hello")" "hello's platform"

check_image() { # PLATFORM MACHINE
  local out
  out="$(docker run --rm --platform "$1" --user 4242:4343 --workdir /tmp "$repo/test/demo/hello:${3:-latest}" sh -c '
    set -e
    stat -c "%U:%G %a %n" /lava /lava/main.py /lava/yaml_free_settings.py /lava/bin /lava/bin/run.sh /lava/notebooks/report.py /lava/env/settings.txt
    echo "---"
    cat /lava/env/settings.txt
    echo "---"
    head -1 /lava/notebooks/report.py; grep -c "^#get_ipython" /lava/notebooks/report.py
    ls /lava/notebooks
    echo "---"
    python3 -c "import lavatest_withdeps, lavatest_dep, lavatest_native, lavatest_nodeps_only; print(lavatest_native.ARCH, lavatest_withdeps.DEP_VERSION, lavatest_nodeps_only.VERSION)"
    uname -m; id -u; getent passwd lava; getent group lava
    python3 /lava/main.py
    echo "PATH=$PATH PYTHONPATH=${PYTHONPATH:-}"
  ')" || fail "container checks failed on $1: $out"
  note "$1 container said: $(tr '\n' '|' <<<"$out")"
  assert_contains "$out" "root:root 755 /lava" "ownership/mode of /lava"
  assert_contains "$out" "root:root 755 /lava/main.py" "executable source stays executable by all"
  assert_contains "$out" "root:root 644 /lava/yaml_free_settings.py" "plain file readable by all"
  assert_contains "$out" "root:root 755 /lava/bin/run.sh" "bin/run.sh"
  assert_contains "$out" "root:root 755 /lava/notebooks/report.py" "converted notebook is executable"
  assert_contains "$out" "realm: test-realm" "rendered env file"
  assert_contains "$out" "env: test" "env parameter"
  assert_contains "$out" "retries: 4" "expression in env file"
  assert_contains "$out" "job_prefix: DEMO" "filter in env file"
  assert_contains "$out" "log_level: INFO" "if/else on a YAML boolean"
  assert_contains "$out" "s3_out: {{ globals.s3 }}/out" "lava run-time template passes through"
  assert_contains "$out" "#!/usr/bin/env python3" "notebook shebang"
  assert_not_contains "$out" "report.ipynb" "notebook removed"
  assert_contains "$out" "$2 2.0.0 1.0.0" "imports from another cwd, right native wheel"
  assert_contains "$out" "lava:x:99999:99999::/lava:" "lava user"
  assert_contains "$out" "lava:x:99999:" "lava group"
  assert_contains "$out" "hello from test-realm (test), bucket bucket-test" "payload runs"
  assert_not_contains "$(grep '^PATH=' <<<"$out")" "/lava" "PATH-like variables"
}
check_image linux/amd64 x86_64

cfg="$(docker image inspect -f '{{json .Config}}' "$hello")"
assert_contains "$cfg" '"User":"lava"' "image user"
for e in LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1; do assert_contains "$cfg" "$e" "image env"; done
assert_not_contains "$cfg" PIP_INDEX_URL "image config"

# The credential is nowhere in the image: config, history, or any layer's files.
assert_not_contains "$(docker history --no-trunc "$hello")" "$secret_pw" "image history"
assert_not_contains "$(docker image inspect "$hello")" "$secret_pw" "image inspect"
save_dir="$(lava_tmpdir)"
docker save "$hello" | tar -x -C "$save_dir"
for layer in "$save_dir"/*/layer.tar; do
  if tar -xOf "$layer" 2>/dev/null | grep -a -q -F "$secret_pw"; then fail "credential found in layer $layer"; fi
done
if grep -r -a -q -F "$secret_pw" "$save_dir"; then fail "credential found in the saved image"; fi
if grep -r -a -q -F "$secret_pw" "$proj/dist"; then fail "credential found in dist/"; fi

# The payload with its own templated Dockerfile.
assert_eq "test-realm test bucket-test" \
  "$(docker image inspect -f '{{index .Config.Labels "lava.demo.realm"}} {{index .Config.Labels "lava.demo.env"}}' "$repo/test/demo/custom:latest") $(docker run --rm "$repo/test/demo/custom:latest" sh -c 'echo $DEMO_BUCKET')" \
  "custom Dockerfile rendered"
assert_eq "linked payload: its directory is a symlink under lava-payloads/" \
  "$(docker run --rm "$repo/test/demo/linked:latest" python3 /lava/main.py)" "symlinked payload"

# ---- unchanged inputs: nothing rebuilt; a code change rebuilds that payload only
assert_status 0 lava -C "$proj" build --engine docker --env test --network host
assert_eq 3 "$(grep -c 'up-to-date' <<<"$LAVA_OUT")" "second build rebuilds nothing: $LAVA_OUT"
echo "# changed" >>"$proj/lava-payloads/hello.docker/yaml_free_settings.py"
assert_status 0 lava -C "$proj" build --engine docker --env test --network host
assert_contains "$(grep '^hello' <<<"$LAVA_OUT")" "built" "hello rebuilt after a change"
assert_contains "$(grep '^custom' <<<"$LAVA_OUT")" "up-to-date" "custom untouched"

# ---- arm64 under QEMU, then both platforms at once
assert_status 0 lava -C "$proj" build --engine docker --env test --network host --platform linux/arm64 hello
assert_eq "linux/arm64" "$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$hello")" "arm64 build"
check_image linux/arm64 aarch64
assert_status 0 lava -C "$proj" build --engine docker --env test --network host --platform linux/amd64,linux/arm64 hello
assert_eq "linux/amd64" "$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$repo/test/demo/hello:latest-amd64")" "multi: amd64 tag"
assert_eq "linux/arm64" "$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$repo/test/demo/hello:latest-arm64")" "multi: arm64 tag"
assert_eq 2 "$(wc -l <"$proj/dist/test/lava-payloads/hello.dockerimg")" "one id per platform"

# ---- bad inputs leave dist/ and tags alone
before_id="$(cat "$proj/dist/test/lava-payloads/custom.dockerimg")"
before_tag="$(docker image inspect -f '{{.Id}}' "$repo/test/demo/custom:latest")"
sed -i "s|base_img: .*|base_img: $LAVA_TEST_BASE_IMAGE_AMD64_ONLY|" "$proj/config/test.yaml"
assert_status 1 lava -C "$proj" build --engine docker --env test --network host --platform linux/arm64 custom
assert_contains "$LAVA_ERR" "$LAVA_TEST_BASE_IMAGE_AMD64_ONLY" "missing-platform error names the base"
assert_contains "$LAVA_ERR" "linux/arm64" "missing-platform error names the platform"
assert_eq 1 "$(wc -l <<<"$LAVA_ERR")" "one line"
sed -i "s|base_img: .*|base_img: $LAVA_TEST_BASE_IMAGE|" "$proj/config/test.yaml"

printf 'FROM %s\nRUN exit 3\n' "$LAVA_TEST_BASE_IMAGE" >"$proj/lava-payloads/custom.docker/Dockerfile"
assert_status 1 lava -C "$proj" build --engine docker --env test --network host custom
assert_contains "$LAVA_ERR" "custom" "failing RUN names the payload"
printf 'FROM %s\nBOGUS instruction\n' "$LAVA_TEST_BASE_IMAGE" >"$proj/lava-payloads/custom.docker/Dockerfile"
assert_status 1 lava -C "$proj" build --engine docker --env test --network host custom
assert_contains "$LAVA_ERR" "BOGUS" "syntax error message from the engine"
assert_eq "$before_id" "$(cat "$proj/dist/test/lava-payloads/custom.dockerimg")" ".dockerimg untouched by failures"
assert_eq "$before_tag" "$(docker image inspect -f '{{.Id}}' "$repo/test/demo/custom:latest")" "tag untouched by failures"
assert_status 1 lava -C "$proj" build --engine docker --env test nosuch
assert_contains "$LAVA_ERR" "no docker payload named 'nosuch'" "unknown payload"
assert_status 1 env DOCKER_HOST=unix:///nonexistent/docker.sock "$LAVA_BIN" -C "$proj" build --engine docker --env test hello
assert_contains "$LAVA_ERR" "DOCKER_HOST" "unreachable engine says how to fix it"

# ---- clean removes our outputs and tags only
assert_status 0 lava -C "$proj" clean --env test
assert_no_file "$proj/dist/test/lava-payloads/hello.dockerimg"
if docker image inspect "$hello" >/dev/null 2>&1; then fail "clean left $hello"; fi
docker image inspect "$LAVA_TEST_BASE_IMAGE" >/dev/null 2>&1 || true
