#!/usr/bin/env bash
# End to end: `lava-docker build` with the default engine (auto) builds the demo project's
# default-Dockerfile payloads natively (no daemon involved) into OCI layouts, and the one
# with its own Dockerfile on the Docker engine. The native images pass the docker-engine
# test's content checks when `lava-docker run` runs them (it loads them into the engine),
# for amd64 and arm64 (no emulation while building); skopeo and umoci read the layouts; two
# builds of the same inputs give the same digest; a code change rebuilds only the payload
# layer; install pushes from the layout and a second one uploads nothing; bad inputs fail
# clearly and leave dist/ alone.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$LAVA_TEST_TMP/demo"
cp -a "$LAVA_SOURCE_DIR/examples/demo" "$proj"
rm -rf "$proj/dist"
repo="lava-native-e2e-$$"
write_config() { # PLATFORMS BASE
  cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: $repo/test/demo
  job: demo
docker:
  platform: $1
  base_img: $2
  registry: $LAVA_TEST_REGISTRY
  os_upgrade: false
bucket: bucket-test
retries: 3
debug: no
YAML
}
write_config linux/amd64 "$LAVA_TEST_BASE_IMAGE"
secret_pw="${LAVA_TEST_INDEX_URL_AUTH#*://}"; secret_pw="${secret_pw%%@*}"; secret_pw="${secret_pw#*:}"
[[ -n "$secret_pw" ]] || fail "no password in LAVA_TEST_INDEX_URL_AUTH"
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL_AUTH"
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
export SOURCE_DATE_EPOCH=1700000000
cleanup_images() { docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$repo/" | xargs -r docker rmi -f >/dev/null 2>&1 || true; }
lava_on_exit cleanup_images
dist="$proj/dist/test/lava-payloads"

# ---- auto: native for hello and linked, docker for custom (its own Dockerfile)
assert_status 0 lava -C "$proj" build --env test --network host
assert_not_contains "$LAVA_OUT$LAVA_ERR" "$secret_pw" "build output"
assert_eq native "$(jq -r .engine "$dist/hello.state/build.json")" "hello built natively"
assert_eq docker "$(jq -r .engine "$dist/custom.state/build.json")" "custom built on Docker"
layout="$dist/hello.oci"
assert_file "$layout/index.json"
index_digest="$(jq -r '.manifests[0].digest' "$layout/index.json")"
assert_eq "$index_digest" "$(cat "$dist/hello.dockerimg")" ".dockerimg holds the index digest"
assert_eq "application/vnd.oci.image.index.v1+json" "$(jq -r '.manifests[0].mediaType' "$layout/index.json")" "root is an index"
if docker image inspect "$repo/test/demo/hello:latest" >/dev/null 2>&1; then
  fail "a native build put an image in the Docker engine"
fi

# Independent readers: skopeo and umoci.
raw="$(skopeo inspect --raw "oci:$layout:latest")"
assert_eq "amd64" "$(jq -r '[.manifests[].platform.architecture] | join(" ")' <<<"$raw")" "index platforms"
unpacked="$(lava_tmpdir)"
skopeo copy -q "oci:$layout:latest" "oci:$unpacked/img:x"
umoci unpack --rootless --image "$unpacked/img:x" "$unpacked/bundle" >/dev/null
assert_file "$unpacked/bundle/rootfs/lava/main.py"
assert_file "$unpacked/bundle/rootfs/usr/local/lib/python3.11/dist-packages/lavatest_withdeps/__init__.py"
assert_contains "$(cat "$unpacked/bundle/rootfs/etc/passwd")" "lava:x:99999:99999::/lava:" "umoci: passwd"

# ---- run loads the image into the engine and runs it as the worker would
checks='set -e
stat -c "%U:%G %a %n" /lava /lava/main.py /lava/yaml_free_settings.py /lava/bin/run.sh /lava/notebooks/report.py /lava/env/settings.txt
cat /lava/env/settings.txt
head -1 /lava/notebooks/report.py; ls /lava/notebooks
cd / && python3 -c "import lavatest_withdeps, lavatest_dep, lavatest_native, lavatest_nodeps_only; print(lavatest_native.ARCH, lavatest_withdeps.DEP_VERSION, lavatest_nodeps_only.VERSION)"
uname -m; getent passwd lava; getent group lava
python3 /lava/main.py
echo "LANG=$LANG PYTHONDONTWRITEBYTECODE=$PYTHONDONTWRITEBYTECODE PYTHONUNBUFFERED=$PYTHONUNBUFFERED"'
check_content() { # OUTPUT MACHINE WHERE
  local out="$1" where="$3"
  note "$where said: $(tr '\n' '|' <<<"$out")"
  assert_contains "$out" "root:root 755 /lava" "/lava ($where)"
  assert_contains "$out" "root:root 755 /lava/main.py" "executable stays executable ($where)"
  assert_contains "$out" "root:root 644 /lava/yaml_free_settings.py" "plain file ($where)"
  assert_contains "$out" "root:root 755 /lava/notebooks/report.py" "converted notebook ($where)"
  assert_contains "$out" "realm: test-realm" "rendered env file ($where)"
  assert_contains "$out" "job_prefix: DEMO" "filter in env file ($where)"
  assert_contains "$out" "s3_out: {{ globals.s3 }}/out" "run-time template passes through ($where)"
  assert_not_contains "$out" "report.ipynb" "notebook removed ($where)"
  assert_contains "$out" "$2 2.0.0 1.0.0" "imports from another cwd, right native wheel ($where)"
  assert_contains "$out" "lava:x:99999:99999::/lava:" "lava user ($where)"
  assert_contains "$out" "hello from test-realm (test), bucket bucket-test" "payload runs ($where)"
  assert_contains "$out" "LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1" "image env ($where)"
}
assert_status 0 lava -C "$proj" run --env test hello -- sh -c "$checks"
check_content "$LAVA_OUT" x86_64 "lava run, amd64"
image_id="$(docker image inspect -f '{{.Id}}' "$repo/test/demo/hello:latest")"
assert_eq "$image_id" "$(jq -r '.images[0].image_id' "$dist/hello.state/build.json")" "loaded image id = the layout's config digest"
assert_eq lava "$(docker image inspect -f '{{.Config.User}}' "$image_id")" "image user"
assert_status 0 lava -C "$proj" run --env test linked -- python3 /lava/main.py
assert_eq "linked payload: its directory is a symlink under lava-payloads/" "$LAVA_OUT" "symlinked payload"

# The credential is nowhere in dist/ (layers decompressed) or the image's history.
for blob in "$layout"/blobs/sha256/*; do
  if { gzip -dc "$blob" 2>/dev/null || cat "$blob"; } | grep -a -q -F "$secret_pw"; then
    fail "credential found in blob $blob"
  fi
done
if grep -r -a -q -F "$secret_pw" "$proj/dist"; then fail "credential found in dist/"; fi
assert_not_contains "$(docker history --no-trunc "$image_id")" "$secret_pw" "image history"

# ---- unchanged: nothing rebuilt; a code change rebuilds only the payload layer
assert_status 0 lava -C "$proj" build --env test --network host hello
assert_contains "$LAVA_OUT" "up-to-date" "second build rebuilds nothing: $LAVA_OUT"
assert_eq "$index_digest" "$(cat "$dist/hello.dockerimg")" "no-op build keeps the digest"
old_layers="$(skopeo inspect --override-arch amd64 "oci:$layout:latest" | jq -r '.Layers | join(" ")')"
echo "# changed" >>"$proj/lava-payloads/hello.docker/yaml_free_settings.py"
assert_status 0 lava -C "$proj" build --env test hello
assert_contains "$LAVA_OUT" "built" "hello rebuilt after a change"
new_layers="$(skopeo inspect --override-arch amd64 "oci:$layout:latest" | jq -r '.Layers | join(" ")')"
read -r -a old_arr <<<"$old_layers"
read -r -a new_arr <<<"$new_layers"
assert_eq "${#old_arr[@]}" "${#new_arr[@]}" "same number of layers"
last=$((${#old_arr[@]} - 1))
assert_eq "${old_arr[*]:0:$last}" "${new_arr[*]:0:$last}" "all but the payload layer unchanged"
assert_ne "${old_arr[$last]}" "${new_arr[$last]}" "payload layer changed"
changed_digest="$(cat "$dist/hello.dockerimg")"

# ---- reproducible: the same inputs elsewhere, from a cold cache, give the same digest
proj2="$LAVA_TEST_TMP/demo-again"
cp -a "$proj" "$proj2"
rm -rf "$proj2/dist"
assert_status 0 env XDG_CACHE_HOME="$LAVA_TEST_TMP/cache2" "$LAVA_BIN" -C "$proj2" build --env test --quiet hello
assert_eq "$changed_digest" "$(cat "$proj2/dist/test/lava-payloads/hello.dockerimg")" "same inputs, same index digest"

# ---- both platforms at once, no emulation while building; arm64 runs under QEMU
assert_status 0 lava -C "$proj" build --env test --platform linux/amd64,linux/arm64 hello
raw="$(skopeo inspect --raw "oci:$layout:latest")"
assert_eq "amd64 arm64" "$(jq -r '[.manifests[].platform.architecture] | sort | join(" ")' <<<"$raw")" "two platforms"
arm_image="$repo/test/demo/hello:arm64-check"
skopeo copy -q --override-arch arm64 "oci:$layout:latest" "docker-daemon:$arm_image" --dest-daemon-host "$DOCKER_HOST"
out="$(docker run --rm --platform linux/arm64 "$arm_image" sh -c "$checks")" || fail "arm64 container checks failed: $out"
check_content "$out" aarch64 "arm64"

# ---- install from the layout: a second push uploads nothing
write_config linux/amd64,linux/arm64 "$LAVA_TEST_BASE_IMAGE"
assert_status 0 lava -C "$proj" install --env test --quiet --json hello
[[ "$(jq -r '.payloads[0].blobs_uploaded' <<<"$LAVA_OUT")" -gt 0 ]] || fail "first install uploaded no blobs: $LAVA_OUT"
[[ "$(jq -r '.payloads[0].blobs_mounted' <<<"$LAVA_OUT")" -gt 0 ]] || fail "the base's layers were not mounted from its repository: $LAVA_OUT"
pushed="$(jq -r '.payloads[0].digest' <<<"$LAVA_OUT")"
assert_eq "$(cat "$dist/hello.dockerimg")" "$pushed" "pushed digest = the layout's index"
assert_status 0 lava -C "$proj" install --env test --quiet --json hello
assert_eq 0 "$(jq -r '.payloads[0].blobs_uploaded' <<<"$LAVA_OUT")" "second install uploads nothing"
assert_eq "$pushed" "$(jq -r '.payloads[0].digest' <<<"$LAVA_OUT")" "second install, same digest"

# ---- bad inputs: one line, dist/ as it was
before="$(cat "$dist/hello.dockerimg")"
assert_status 1 lava -C "$proj" build --engine native --env test custom
assert_contains "$LAVA_ERR" "custom.docker/Dockerfile" "native refuses a payload's own Dockerfile"
assert_eq 1 "$(grep -c '^lava-docker:' <<<"$LAVA_ERR")" "one error line: $LAVA_ERR"
write_config linux/arm64 "$LAVA_TEST_BASE_IMAGE_AMD64_ONLY"
assert_status 1 lava -C "$proj" build --env test hello
assert_contains "$LAVA_ERR" "linux/arm64" "missing platform named"
assert_contains "$LAVA_ERR" "bookworm-python-amd64only" "base named"
assert_eq 1 "$(grep -c '^lava-docker:' <<<"$LAVA_ERR")" "one error line: $LAVA_ERR"
assert_eq "$before" "$(cat "$dist/hello.dockerimg")" "dist/ untouched by the failure"
write_config linux/amd64 "$LAVA_TEST_BASE_IMAGE"
echo "lavatest-no-such-package" >>"$proj/lava-payloads/hello.docker/requirements.txt"
assert_status 1 lava -C "$proj" build --env test hello
assert_contains "$LAVA_ERR" "lavatest-no-such-package" "missing wheel named"
assert_not_contains "$LAVA_ERR" "$secret_pw" "error redacted"
assert_eq "$before" "$(cat "$dist/hello.dockerimg")" "dist/ untouched by a pip failure"
sed -i '/lavatest-no-such-package/d' "$proj/lava-payloads/hello.docker/requirements.txt"

# ---- a base tag that moves: builds reuse the tag's cached answer, --pull asks again
moving="$LAVA_TEST_REGISTRY/$repo-base:latest"
raw_digest() { echo "sha256:$(skopeo inspect --raw --tls-verify=false "docker://$1" | sha256sum | cut -d' ' -f1)"; }
skopeo copy -q --all --dest-tls-verify=false "$LAVA_TEST_BASE_LAYOUT_REF" "docker://$moving"
first_base="$(raw_digest "$moving")"
write_config linux/amd64 "$moving"
assert_status 0 lava -C "$proj" build --env test hello
assert_eq "$first_base" "$(jq -r .base_digest "$dist/hello.state/build.json")" "state records the base's digest"
skopeo copy -q --all --dest-tls-verify=false "$LAVA_TEST_BASE_LAYOUT_AMD64_ONLY_REF" "docker://$moving"
moved_base="$(raw_digest "$moving")"
assert_ne "$first_base" "$moved_base" "the tag moved"
assert_status 0 lava -C "$proj" build --env test hello
assert_contains "$LAVA_OUT" "up-to-date" "without --pull an unchanged payload stays up to date"
echo "# changed again" >>"$proj/lava-payloads/hello.docker/yaml_free_settings.py"
assert_status 0 lava -C "$proj" build --env test hello
assert_contains "$LAVA_ERR" "tag resolved" "the build says the tag's answer came from the cache: $LAVA_ERR"
assert_contains "$LAVA_ERR" "--pull" "and how to ask again"
assert_eq "$first_base" "$(jq -r .base_digest "$dist/hello.state/build.json")" "a rebuild keeps the cached answer"
assert_status 0 lava -C "$proj" build --env test --pull hello
assert_contains "$LAVA_OUT" "built" "--pull rebuilds on the moved base: $LAVA_OUT"
assert_eq "$moved_base" "$(jq -r .base_digest "$dist/hello.state/build.json")" "--pull took the tag's new digest"
assert_status 0 lava -C "$proj" build --env test --pull hello
assert_contains "$LAVA_OUT" "up-to-date" "--pull on an unchanged tag rebuilds nothing"
note "ok"
