#!/usr/bin/env bash
# Real-browser test of the web console: starts a controller and two agents from the already built
# .build/debug binaries, then drives the console with headless Chromium (Tests/Browser/test_console.py).
# Installs Chromium + chromedriver (apt) and a Python venv with selenium if they are missing.
# Screenshots go to artifacts/browser/. Exits non-zero if any check fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${STEWARD_BIN:-$ROOT/.build/debug}
ARTIFACTS=${ARTIFACTS:-$ROOT/artifacts/browser}
VENV=${BROWSER_VENV:-$ROOT/.build-browser-venv}
AGENTS=(web-01 web-02)

for tool in steward steward-agent; do
  [[ -x $BIN/$tool ]] || { echo "missing $BIN/$tool: run 'swift build' first" >&2; exit 2; }
done

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "== installing chromium and chromium-driver"
  as_root apt-get install -y chromium chromium-driver >/dev/null \
    || { as_root apt-get update >/dev/null && as_root apt-get install -y chromium chromium-driver >/dev/null; }
fi
if ! "$VENV/bin/python" -c 'import selenium' 2>/dev/null; then
  echo "== creating $VENV with selenium"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$ROOT/Tests/Browser/requirements.txt"
fi

WORK=$(mktemp -d /tmp/steward-browser.XXXXXX)
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $status -ne 0 ]]; then
    mkdir -p "$ARTIFACTS/logs" && cp "$WORK"/*.log "$ARTIFACTS/logs/" 2>/dev/null || true
    echo "logs kept in $ARTIFACTS/logs" >&2
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 0.2
  done
}

echo "== starting controller in $WORK/controller"
"$BIN/steward" serve --state-dir "$WORK/controller" --agent-listen 127.0.0.1:0 --api-listen 127.0.0.1:0 \
  >"$WORK/controller.log" 2>&1 &
PIDS+=($!)
wait_for 30 "controller.json" test -s "$WORK/controller/controller.json"
API=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["api"])' "$WORK/controller/controller.json")
[[ $API == http* ]] || API="http://$API"
wait_for 30 "$API/healthz" python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$API/healthz"
TOKEN=$(cat "$WORK/controller/admin.token")

for name in "${AGENTS[@]}"; do
  enroll=$("$BIN/steward" tokens create --state-dir "$WORK/controller" --labels role=web)
  join=$(grep -o -- '--token [^ ]*' <<<"$enroll" | cut -d' ' -f2)
  [[ -n $join ]] || { echo "no join token in: $enroll" >&2; exit 1; }
  "$BIN/steward-agent" enroll --token "$join" --name "$name" --state-dir "$WORK/$name" >>"$WORK/$name.log" 2>&1
  # An absent policy file allows ping, facts and metrics only: all this test needs.
  "$BIN/steward-agent" run --state-dir "$WORK/$name" --policy "$WORK/$name/no-policy.yaml" >>"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
done
online() {
  curl -sf -H "Authorization: Bearer $TOKEN" "$API/api/v1/agents" 2>/dev/null \
    | python3 -c 'import json,sys; sys.exit(0 if sum(a["state"]=="online" for a in json.load(sys.stdin)) >= int(sys.argv[1]) else 1)' "$1"
}
wait_for 30 "${#AGENTS[@]} agents online" online "${#AGENTS[@]}"
echo "== controller $API, agents ${AGENTS[*]} online"

mkdir -p "$ARTIFACTS"
rm -rf "$ARTIFACTS"/*.png "$ARTIFACTS/logs"
STEWARD_URL=$API STEWARD_TOKEN=$TOKEN STEWARD_AGENTS=$(IFS=,; echo "${AGENTS[*]}") ARTIFACTS=$ARTIFACTS \
  "$VENV/bin/python" "$ROOT/Tests/Browser/test_console.py"
