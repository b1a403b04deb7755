#!/usr/bin/env bash
# A throwaway Synapse homeserver on 127.0.0.1 for the Matrix end-to-end tests (and for trying the bot by hand).
#
#   scripts/synapse.sh setup DIR PORT         fresh config in DIR (wiped), server name "localhost", rate limits off
#   scripts/synapse.sh run DIR                runs Synapse in the foreground (exec; the caller owns the process)
#   scripts/synapse.sh start DIR              runs it in the background, waits until it serves
#   scripts/synapse.sh wait DIR [SECONDS]     waits until it serves (default 90 s)
#   scripts/synapse.sh stop DIR               stops a server started with `start` or `run`
#   scripts/synapse.sh register DIR USER PASS registers a user (shared-secret admin API); prints its JSON
#                                             ({"user_id", "access_token", "device_id", ...})
#
# The venv comes from scripts/install-synapse.sh (.build-synapse-venv, or $STEWARD_SYNAPSE_VENV).
# Nothing listens beyond 127.0.0.1: no federation listener, no key servers, no stats.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${STEWARD_SYNAPSE_VENV:-$ROOT/.build-synapse-venv}
SECRET=steward-test-shared-secret

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
port_of() { sed -n 's/^  - port: \([0-9]*\)$/\1/p' "$1/homeserver.yaml"; }
url_of() { echo "http://127.0.0.1:$(port_of "$1")"; }
need_venv() {
  [ -x "$VENV/bin/python" ] || { echo "synapse.sh: no Synapse venv at $VENV; run scripts/install-synapse.sh" >&2; exit 1; }
}

setup() {
  local dir=$1 port=$2
  need_venv
  rm -rf "$dir"; mkdir -p "$dir"
  local limits="" key
  for key in rc_message rc_registration rc_joins_per_room rc_room_creation rc_admin_redaction rc_3pid_validation \
             rc_media_create rc_delayed_event_mgmt rc_reports rc_user_directory rc_profile; do
    limits+="$key: {per_second: 10000, burst_count: 10000}"$'\n'
  done
  limits+="rc_login: {address: &big {per_second: 10000, burst_count: 10000}, account: *big, failed_attempts: *big}"$'\n'
  limits+="rc_joins: {local: *big, remote: *big}"$'\n'
  limits+="rc_invites: {per_room: *big, per_user: *big, per_issuer: *big}"$'\n'
  limits+="rc_presence: {per_user: *big}"$'\n'
  cat > "$dir/homeserver.yaml" <<YAML
server_name: "localhost"
pid_file: $dir/homeserver.pid
listeners:
  - port: $port
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: $dir/homeserver.db
media_store_path: $dir/media_store
signing_key_path: $dir/localhost.signing.key
registration_shared_secret: "$SECRET"
macaroon_secret_key: "steward-test-macaroon-secret"
form_secret: "steward-test-form-secret"
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
enable_registration: false
bcrypt_rounds: 4
presence:
  enabled: false
$limits
YAML
  # The signing key Synapse would generate (`--generate-keys`, seconds of Python start-up): an Ed25519 seed.
  echo "ed25519 a_test $(head -c 32 /dev/urandom | base64 | tr -d '=')" > "$dir/localhost.signing.key"
}

run() {
  local dir=$1
  need_venv
  echo $$ > "$dir/synapse.pid"
  exec "$VENV/bin/python" -m synapse.app.homeserver -c "$dir/homeserver.yaml"
}

wait_ready() {
  local dir=$1 seconds=${2:-90} url pid
  url=$(url_of "$dir")
  for _ in $(seq 1 $((seconds * 10))); do
    curl -fsS -m 2 "$url/health" >/dev/null 2>&1 && return 0
    pid=$(cat "$dir/synapse.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "synapse.sh: Synapse exited; last log lines:" >&2; tail -30 "$dir/synapse.log" >&2 2>/dev/null || true; return 1
    fi
    sleep 0.1
  done
  echo "synapse.sh: Synapse did not serve $url/health within $seconds s" >&2; return 1
}

start() {
  local dir=$1
  "$0" run "$dir" > "$dir/synapse.log" 2>&1 &
  echo $! > "$dir/synapse.pid"
  wait_ready "$dir"
}

stop() {
  local dir=$1 pid
  pid=$(cat "$dir/synapse.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  # An orphan is reaped late by PID 1 here: a zombie already counts as stopped.
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null || [ "$(ps -o stat= -p "$pid" | cut -c1)" = Z ]; then return 0; fi
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

register() {
  local dir=$1 user=$2 pass=$3 url nonce mac
  url=$(url_of "$dir")
  nonce=$(curl -fsS -m 10 "$url/_synapse/admin/v1/register" | jq -r .nonce)
  mac=$(printf '%s\0%s\0%s\0%s' "$nonce" "$user" "$pass" notadmin | openssl dgst -sha1 -hmac "$SECRET" | awk '{print $NF}')
  curl -fsS -m 10 -H 'Content-Type: application/json' -X POST "$url/_synapse/admin/v1/register" \
    -d "$(jq -nc --arg n "$nonce" --arg u "$user" --arg p "$pass" --arg m "$mac" '{nonce:$n,username:$u,password:$p,admin:false,mac:$m}')"
  echo
}

case "${1:-}" in
  setup) [ $# -eq 3 ] || usage; setup "$2" "$3" ;;
  run) [ $# -eq 2 ] || usage; run "$2" ;;
  start) [ $# -eq 2 ] || usage; start "$2" ;;
  wait) [ $# -ge 2 ] || usage; wait_ready "$2" "${3:-90}" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  register) [ $# -eq 4 ] || usage; register "$2" "$3" "$4" ;;
  *) usage ;;
esac
