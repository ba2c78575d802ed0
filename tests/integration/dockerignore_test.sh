#!/usr/bin/env bash
# End to end: a payload's .dockerignore keeps files out of the image exactly as Docker's
# own CLI does (compared with `docker build` of the same directory on the same engine),
# the built-in Dockerfile copes with a .dockerignore listing Dockerfile and .dockerignore,
# and editing an ignored file leaves the payload up to date.
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"
export XDG_CACHE_HOME="$LAVA_TEST_TMP/cache"

proj="$LAVA_TEST_TMP/proj"
repo="lava-e2e-ignore-$$"
mkdir -p "$proj/config"
cat >"$proj/config/test.yaml" <<YAML
realm: test-realm
prefix:
  docker_repo: $repo
docker:
  platform: linux/amd64
  base_img: $LAVA_TEST_BASE_IMAGE
  os_upgrade: false
YAML
cleanup_images() { docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$repo" | xargs -r docker rmi -f >/dev/null 2>&1 || true; }
lava_on_exit cleanup_images

put() { mkdir -p "$(dirname "$1")"; printf '%s\n' "${2:-x}" >"$1"; }

# ---- own Dockerfile: what reaches the image is what Docker's CLI sends
mine="$proj/lava-payloads/mine.docker"
for f in main.py README.md CHANGES.md README-secret.md notes.txt build/out.o src/build/keep.c \
  src/a.pyc src/b/c.pyc deep/x/y/z.tmp top.tmp docs/keep.md docs/other.md docs/sub/deep.md \
  cache/one cache/two/three 'sp ace.txt' file1.txt filex.txt data/report.csv data/raw/big.csv logs/a.log; do
  put "$mine/$f"
done
cat >"$mine/.dockerignore" <<'IGNORE'
# comments and blank lines are skipped

/build/
**/*.pyc
*.tmp
deep/**
*.md
!README*.md
README-secret.md
docs
!docs/keep.md
cache/*
!cache/two
file[0-9].txt
 sp ace.txt 
data/**/*.csv
!data/report.csv
logs
!logs/keep.txt
Dockerfile
IGNORE
printf 'FROM <{ docker.base_img }>\nCOPY . /ctx/\n' >"$mine/Dockerfile"

assert_status 0 lava -C "$proj" build --env test --network host mine
ours="$(docker run --rm "$repo/mine:latest" sh -c 'cd /ctx && find . -mindepth 1 | LC_ALL=C sort')"

oracle="$(lava_tmpdir)"
cp -a "$mine/." "$oracle/"
printf 'FROM %s\nCOPY . /ctx/\n' "$LAVA_TEST_BASE_IMAGE" >"$oracle/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q --network host -t "$repo/oracle:latest" "$oracle" >/dev/null ||
  fail "docker build of the oracle context failed"
theirs="$(docker run --rm "$repo/oracle:latest" sh -c 'cd /ctx && find . -mindepth 1 | LC_ALL=C sort')"
note "docker's context: $(tr '\n' ' ' <<<"$theirs")"
assert_eq "$theirs" "$ours" "files in the image, lava-docker vs docker build"
# And independently of docker's own reading of the rules:
for kept in ./main.py ./README.md ./notes.txt ./src/build/keep.c ./docs/keep.md ./cache/two/three \
  ./filex.txt ./data/report.csv ./.dockerignore; do
  grep -qxF -- "$kept" <<<"$ours" || fail "$kept is missing from the image"
done
for gone in ./build ./src/a.pyc ./src/b/c.pyc ./top.tmp ./deep/x ./CHANGES.md ./README-secret.md \
  ./docs/other.md ./docs/sub ./cache/one ./file1.txt './sp ace.txt' ./data/raw/big.csv ./logs ./Dockerfile; do
  if grep -qxF -- "$gone" <<<"$ours"; then fail "$gone reached the image"; fi
done

# ---- the built-in Dockerfile, with Dockerfile and .dockerignore themselves ignored
dflt="$proj/lava-payloads/dflt.docker"
put "$dflt/main.py" "print('hi')"
put "$dflt/secrets/token" "s3cr3t"
printf 'Dockerfile\n.dockerignore\nsecrets\n' >"$dflt/.dockerignore"
assert_status 0 lava -C "$proj" build --engine docker --env test --network host dflt
listing="$(docker run --rm "$repo/dflt:latest" sh -c 'cd /lava && find . -mindepth 1 | LC_ALL=C sort')"
assert_eq "./main.py" "$listing" "/lava of the default-Dockerfile payload"
# The native engine (auto's choice for this payload) leaves out the same files.
assert_status 0 lava -C "$proj" build --engine native --env test dflt
assert_status 0 lava -C "$proj" run --env test dflt -- sh -c 'cd /lava && find . -mindepth 1 | LC_ALL=C sort'
assert_eq "./main.py" "$LAVA_OUT" "/lava of the natively built payload"

# ---- ignored files do not make a payload out of date; kept ones do
assert_status 0 lava -C "$proj" build --env test --network host
assert_eq 2 "$(grep -c 'up-to-date' <<<"$LAVA_OUT")" "nothing changed: $LAVA_OUT"
put "$mine/CHANGES.md" "edited"
put "$mine/cache/one" "edited"
put "$mine/deep/new/file.tmp" "new"
put "$dflt/secrets/token" "rotated"
assert_status 0 lava -C "$proj" build --env test --network host
assert_eq 2 "$(grep -c 'up-to-date' <<<"$LAVA_OUT")" "only ignored files changed: $LAVA_OUT"
put "$mine/notes.txt" "edited"
assert_status 0 lava -C "$proj" build --env test --network host
assert_contains "$(grep '^mine' <<<"$LAVA_OUT")" "built" "mine rebuilt after a kept file changed"
assert_contains "$(grep '^dflt' <<<"$LAVA_OUT")" "up-to-date" "dflt untouched"
assert_eq "edited" "$(docker run --rm "$repo/mine:latest" cat /ctx/notes.txt)" "the new content is in"

# ---- a bad pattern is one clear line naming the file and line
printf 'ok\nbad[\n' >"$dflt/.dockerignore"
assert_status 1 lava -C "$proj" build --env test --network host dflt
assert_contains "$LAVA_ERR" "lava-payloads/dflt.docker/.dockerignore:2" "bad pattern names file:line"
assert_eq 1 "$(wc -l <<<"$LAVA_ERR")" "one line"
