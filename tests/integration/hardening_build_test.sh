#!/usr/bin/env bash
# Issues 13 and 16, end to end on the harness: payload files with non-ASCII and invalid
# UTF-8 names build with both engines and reach the image byte for byte; with no engine
# reachable a build names the payloads that need it and still builds the native ones
# (exit 1); without SOURCE_DATE_EPOCH a native image is "created" at the project's last
# commit; the build summary and --json give the index digest NAME.dockerimg holds and the
# per-platform digests.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$LAVA_TEST_TMP/proj"
repo="lava-hardening-$$"
mkdir -p "$proj/config" "$proj/lava-payloads/names.docker" "$proj/lava-payloads/custom.docker"
cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: $repo/test
docker:
  platform: linux/amd64
  base_img: $LAVA_TEST_BASE_IMAGE
  registry: $LAVA_TEST_REGISTRY
  os_upgrade: false
YAML
bad_name="$(printf 'bad\xff.py')"
printf 'print("cafe")\n' >"$proj/lava-payloads/names.docker/café.py"
printf 'print("bad")\n' >"$proj/lava-payloads/names.docker/$bad_name"
printf 'print("custom")\n' >"$proj/lava-payloads/custom.docker/app.py"
printf 'ARG BASE_IMG\nFROM ${BASE_IMG}\nCOPY . /lava/\n' >"$proj/lava-payloads/custom.docker/Dockerfile"
cleanup_images() { docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$repo/" | xargs -r docker rmi -f >/dev/null 2>&1 || true; }
lava_on_exit cleanup_images
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"
unset SOURCE_DATE_EPOCH

# The project is a git repository whose last commit has a known time.
commit_time=1650000000
git -C "$proj" init -q
git -C "$proj" add -A
GIT_COMMITTER_DATE="@$commit_time +0000" git -C "$proj" -c user.name=t -c user.email=t@example.com \
  commit -q -m one
dist="$proj/dist/test/lava-payloads"

# ---- no engine: custom is named, names is built natively, exit 1
assert_status 1 env DOCKER_HOST="unix://$LAVA_TEST_TMP/no-engine.sock" \
  "$LAVA_BIN" -C "$proj" build --env test --json
assert_contains "$LAVA_ERR" "lava-docker: custom needs the Docker engine and will not be built" "no-engine error"
assert_eq 1 "$(grep -c '^lava-docker:' <<<"$LAVA_ERR")" "one error line"
assert_eq "not-built" "$(jq -r '.payloads[] | select(.payload == "custom") | .status' <<<"$LAVA_OUT")" "custom status"
assert_eq "built" "$(jq -r '.payloads[] | select(.payload == "names") | .status' <<<"$LAVA_OUT")" "names status"
assert_no_file "$dist/custom.dockerimg"
index="$(cat "$dist/names.dockerimg")"
assert_eq "$index" "$(jq -r '.payloads[] | select(.payload == "names") | .index_digest' <<<"$LAVA_OUT")" "json index digest"
assert_eq "$repo/test/names:latest" "$(jq -r '.payloads[] | select(.payload == "names") | .reference' <<<"$LAVA_OUT")" "json reference"
raw_index="$(skopeo inspect --raw "oci:$dist/names.oci:latest")"
assert_eq "$(jq -r '.manifests[0].digest' <<<"$raw_index")" \
  "$(jq -r '.payloads[] | select(.payload == "names") | .platforms[0].manifest_digest' <<<"$LAVA_OUT")" "json manifest digest"

# ---- the native image: created at the commit, both names in the payload layer
created="$(skopeo inspect --override-arch amd64 "oci:$dist/names.oci:latest" | jq -r .Created)"
assert_eq "$(date -u -d "@$commit_time" +%Y-%m-%dT%H:%M:%SZ)" "$created" "created = last commit time"
names_in_layers="$(/usr/bin/python3 - "$dist/names.oci" <<'PY'
import json, os, sys, tarfile
layout = sys.argv[1]
def blob(d): return os.path.join(layout, "blobs", *d.split(":"))
index = json.load(open(blob(json.load(open(os.path.join(layout, "index.json")))["manifests"][0]["digest"])))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    with tarfile.open(blob(layer["digest"]), encoding="utf-8", errors="surrogateescape") as t:
        for m in t:
            if m.name.startswith("lava/") and m.name.endswith(".py"):
                print(os.fsencode(m.name).hex())
PY
)"
assert_contains "$names_in_layers" "$(printf 'lava/café.py' | od -An -tx1 | tr -d ' \n')" "café.py in the native image"
assert_contains "$names_in_layers" "$(printf 'lava/bad\xff.py' | od -An -tx1 | tr -d ' \n')" "bad\\xff.py in the native image"
[[ -z "$(find "$dist" -maxdepth 1 -name '.*context-*')" ]] || fail "temp dirs left in $dist"

# ---- the summary line: labelled index and per-platform digests
assert_status 0 lava -C "$proj" build --env test --engine native names
assert_match "$LAVA_OUT" $'^names\tup-to-date\tindex=sha256:[0-9a-f]{64}\tlinux/amd64=sha256:[0-9a-f]{64}\t[0-9.]+s$' "summary line"
assert_contains "$LAVA_OUT" "index=$index" "summary index = NAME.dockerimg"

# ---- the Docker engine builds the same names (the context tar used to refuse them)
assert_status 0 lava -C "$proj" build --env test --engine docker --network host names
listing="$(docker run --rm --network host "$repo/test/names:latest" python3 -c \
  'import os; print(sorted(n.hex() for n in os.listdir(b"/lava") if n.endswith(b".py")))')"
assert_contains "$listing" "$(printf 'café.py' | od -An -tx1 | tr -d ' \n')" "café.py in the docker image"
assert_contains "$listing" "$(printf 'bad\xff.py' | od -An -tx1 | tr -d ' \n')" "bad\\xff.py in the docker image"
