#!/usr/bin/env bash
# install fails early and clearly when it cannot publish (issue 13 "Bugs" and "Faults",
# issue 16 item 7):
# - an unreachable registry, missing AWS credentials or region, and credentials ECR
#   rejects all fail before anything is built: one line, dist/ not even created;
# - a registry that accepts connections and never answers, or trickles a byte a second,
#   is given up on (connect, request and low-speed limits), retried as a 5xx would be,
#   then reported in one line: with small limits from the environment, and once with the
#   defaults (which must end it too; ctest's timeout catches a hang).
source "$LAVA_SOURCE_DIR/tests/harness/lib.sh"

proj="$(lava_demo_project)"
write_config() { lava_demo_config "$proj" "lava-faults-$$" "$LAVA_TEST_BASE_LAYOUT_REF" "$1"; } # REGISTRY
lava_native_env
install() { lava -C "$proj" install --env test --engine native hello; }
no_dist() { assert_no_file "$proj/dist/test/lava-payloads"; }
one_line() { assert_eq 1 "$(grep -c . <<<"$LAVA_ERR")" "$1: one line expected: $LAVA_ERR"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- unreachable registry (nothing listens on the port)
write_config "127.0.0.1:$(free_port)"
assert_status 1 install
one_line "unreachable registry"
assert_contains "$LAVA_ERR" "cannot publish to 127.0.0.1:" "unreachable registry"
no_dist

# ---- ECR without credentials, without a region, with credentials ECR rejects
write_config ecr
no_aws=(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE
  -u AWS_CONTAINER_CREDENTIALS_FULL_URI -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_DEFAULT_REGION
  -u AWS_REGION AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_EC2_METADATA_DISABLED=true)
assert_status 1 "${no_aws[@]}" AWS_REGION=eu-west-1 "$LAVA_BIN" -C "$proj" install --env test --engine native hello
one_line "ECR without credentials"
assert_contains "$LAVA_ERR" "cannot publish to ECR" "ECR without credentials"
no_dist
assert_status 1 "${no_aws[@]}" AWS_ACCESS_KEY_ID=AKIDX AWS_SECRET_ACCESS_KEY=x \
  "$LAVA_BIN" -C "$proj" install --env test --engine native hello
one_line "ECR without a region"
assert_contains "$LAVA_ERR" "no AWS region" "ECR without a region"
no_dist
ecr_out="$LAVA_TEST_TMP/fake_ecr.out"
python3 "$LAVA_SOURCE_DIR/tests/registry/fake_ecr.py" --access-key AKIDLAVATEST --secret right-secret \
  --region eu-west-1 --account 123456789012 --registry "$LAVA_TEST_REGISTRY" --registry-password x >"$ecr_out" &
lava_on_exit kill $!
for ((i = 0; i < 300; ++i)); do grep -q PORT "$ecr_out" && break; sleep 0.1; done
ecr_port="$(awk '/PORT/ {print $2}' "$ecr_out")"
[[ -n "$ecr_port" ]] || fail "fake ECR did not start"
assert_status 1 "${no_aws[@]}" AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=AKIDLAVATEST AWS_SECRET_ACCESS_KEY=wrong-secret \
  AWS_ENDPOINT_URL_ECR="http://127.0.0.1:$ecr_port" "$LAVA_BIN" -C "$proj" install --env test --engine native hello
one_line "ECR rejecting the credentials"
assert_contains "$LAVA_ERR" "cannot publish to ECR" "ECR rejecting the credentials"
no_dist

# ---- a registry that stalls, and one that trickles
for mode in stall trickle; do
  port_file="$LAVA_TEST_TMP/$mode.port"
  python3 "$LAVA_SOURCE_DIR/tests/registry/stall_server.py" "$mode" "$port_file" &
  lava_on_exit kill $!
  for ((i = 0; i < 300; ++i)); do [[ -s "$port_file" ]] && break; sleep 0.1; done
  write_config "127.0.0.1:$(cat "$port_file")"
  # The retry window outlasts one attempt (up to the 2 s request timeout, more on a loaded
  # machine), so a second attempt is always made.
  assert_status 1 env LAVA_HTTP_CONNECT_TIMEOUT=1 LAVA_HTTP_STALL_TIMEOUT=1 LAVA_HTTP_REQUEST_TIMEOUT=2 \
    LAVA_HTTP_RETRY_WINDOW=5 "$LAVA_BIN" -C "$proj" install --env test --engine native hello
  one_line "$mode"
  assert_contains "$LAVA_ERR" "cannot publish to 127.0.0.1:$(cat "$port_file")" "$mode"
  assert_match "$LAVA_ERR" "timed out|too slow" "$mode"
  attempts="$(grep -c GET "$port_file.log" || true)"
  ((attempts >= 2)) || fail "$mode: GET /v2/ was not retried ($attempts attempts)"
  no_dist
done
assert_status 1 env LAVA_HTTP_LOW_SPEED_LIMIT=x "$LAVA_BIN" -C "$proj" install --env test --engine native hello
assert_contains "$LAVA_ERR" "LAVA_HTTP_LOW_SPEED_LIMIT=x: not a whole number" "a bad limit"

# The defaults end a stall too (in about 25 s).
write_config "127.0.0.1:$(cat "$LAVA_TEST_TMP/stall.port")"
assert_status 1 install
one_line "stall with the default limits"
no_dist
