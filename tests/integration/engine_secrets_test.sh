#!/usr/bin/env bash
# No credentials left in the Docker engine (issue 16 item 5): a docker-engine build of a
# default-Dockerfile payload with PIP_INDEX_URL holding a password leaves no image, tagged
# or not, whose history or metadata holds that password (the requirements stage's
# intermediate images are removed after the build).
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$LAVA_TEST_TMP/demo"
cp -a "$LAVA_SOURCE_DIR/examples/demo" "$proj"
rm -rf "$proj/dist"
repo="lava-secrets-$$"
cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: $repo/test/demo
  job: demo
docker:
  platform: linux/amd64
  base_img: $LAVA_TEST_BASE_IMAGE
  registry: $LAVA_TEST_REGISTRY
  os_upgrade: false
bucket: bucket-test
retries: 3
debug: no
YAML
secret_pw="${LAVA_TEST_INDEX_URL_AUTH#*://}"; secret_pw="${secret_pw%%@*}"; secret_pw="${secret_pw#*:}"
[[ -n "$secret_pw" ]] || fail "no password in LAVA_TEST_INDEX_URL_AUTH"
export PIP_INDEX_URL="$LAVA_TEST_INDEX_URL_AUTH"
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
cleanup_images() { docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$repo/" | xargs -r docker rmi -f >/dev/null 2>&1 || true; }
lava_on_exit cleanup_images

before="$LAVA_TEST_TMP/before" after="$LAVA_TEST_TMP/after"
docker images -a -q --no-trunc | sort -u >"$before"
assert_status 0 lava -C "$proj" build --env test --engine docker --network "$LAVA_TEST_DOCKER_NETWORK" --force hello
assert_not_contains "$LAVA_OUT$LAVA_ERR" "$secret_pw" "build output"
docker images -a -q --no-trunc | sort -u >"$after"
mapfile -t created < <(comm -13 "$before" "$after")
((${#created[@]} > 0)) || fail "the build created no image"
docker image inspect "$repo/test/demo/hello:latest" >/dev/null || fail "no tagged image"
for id in "${created[@]}"; do
  text="$(docker history --no-trunc "$id"; docker image inspect "$id")"
  assert_not_contains "$text" "$secret_pw" "image $id (history and metadata)"
done
note "checked ${#created[@]} image(s) the build created"
