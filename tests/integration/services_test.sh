#!/usr/bin/env bash
# The harness services keep their contract: the engine is our own (not the
# machine's), the registry accepts pushes and deletes, the auth registry wants
# its credentials, and a scratch registry can be started and stopped.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

# --- engine: ours, on our socket and data root
assert_match "$DOCKER_HOST" "^unix://$LAVA_HARNESS_DIR/" "DOCKER_HOST"
root_dir="$(docker info --format '{{.DockerRootDir}}')"
assert_eq "$LAVA_HARNESS_DIR/docker-data" "$root_dir" "engine data root"
assert_eq "$LAVA_TEST_DOCKER_STORAGE_DRIVER" "$(docker info --format '{{.Driver}}')" "storage driver"

# --- registry: push, read back, delete the manifest
repo="$LAVA_TEST_REGISTRY/services-test/copy"
skopeo copy -q --dest-tls-verify=false "$LAVA_TEST_BASE_LAYOUT_AMD64_ONLY_REF" "docker://$repo:v1"
digest="sha256:$(skopeo_inspect_raw "$repo:v1" | sha256sum | cut -d' ' -f1)"
status="$(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
  "http://$LAVA_TEST_REGISTRY/v2/services-test/copy/manifests/$digest")"
assert_eq 202 "$status" "DELETE of the manifest (deletion must be enabled)"
assert_status 1 skopeo inspect --raw --tls-verify=false "docker://$repo:v1"
grep -q '"PUT /v2/services-test/copy/manifests/v1 HTTP/1.1" 201' "$LAVA_TEST_REGISTRY_LOG" ||
  fail "the registry access log $LAVA_TEST_REGISTRY_LOG does not show the manifest push"

# --- auth registry: 401 without credentials, push works with them
assert_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' "http://$LAVA_TEST_AUTH_REGISTRY/v2/")" \
  "auth registry without credentials"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -u "$LAVA_TEST_AUTH_USER:$LAVA_TEST_AUTH_PASSWORD" \
  "http://$LAVA_TEST_AUTH_REGISTRY/v2/")" "auth registry with credentials"
assert_status 1 skopeo copy -q --dest-tls-verify=false "$LAVA_TEST_BASE_LAYOUT_AMD64_ONLY_REF" \
  "docker://$LAVA_TEST_AUTH_REGISTRY/services-test/denied:v1"
skopeo copy -q --dest-tls-verify=false --dest-creds "$LAVA_TEST_AUTH_USER:$LAVA_TEST_AUTH_PASSWORD" \
  "$LAVA_TEST_BASE_LAYOUT_AMD64_ONLY_REF" "docker://$LAVA_TEST_AUTH_REGISTRY/services-test/allowed:v1"

# --- the engine pulls from the auth registry after a login
echo "$LAVA_TEST_AUTH_PASSWORD" | docker login -u "$LAVA_TEST_AUTH_USER" --password-stdin \
  "$LAVA_TEST_AUTH_REGISTRY" >/dev/null
lava_on_exit /usr/bin/docker logout "$LAVA_TEST_AUTH_REGISTRY"
docker pull -q "$LAVA_TEST_AUTH_REGISTRY/services-test/allowed:v1" >/dev/null
docker image rm "$LAVA_TEST_AUTH_REGISTRY/services-test/allowed:v1" >/dev/null

# --- a scratch registry for outage tests
lava_start_registry "$(lava_tmpdir)"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://$LAVA_SCRATCH_REGISTRY/v2/")" "scratch registry"
kill "$LAVA_SCRATCH_REGISTRY_PID"
wait "$LAVA_SCRATCH_REGISTRY_PID" 2>/dev/null || true
assert_eq 000 "$(curl -s -o /dev/null -w '%{http_code}' "http://$LAVA_SCRATCH_REGISTRY/v2/" || true)" \
  "scratch registry after it was stopped"
