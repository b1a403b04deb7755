#!/usr/bin/env bash
# Installs Synapse (the Matrix homeserver the Matrix end-to-end tests run against) into a venv:
# .build-synapse-venv under the repo root, or $STEWARD_SYNAPSE_VENV. Idempotent: a venv whose Synapse
# imports is left alone. Needs python3 (>= 3.10) with venv, curl, jq and openssl (the test helpers'
# tools); installs the missing ones from Debian when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${STEWARD_SYNAPSE_VENV:-$PWD/.build-synapse-venv}
VERSION=${SYNAPSE_VERSION:-1.163.2}

if "$VENV/bin/python" -c 'import synapse' >/dev/null 2>&1; then
  echo "synapse already installed in $VENV ($("$VENV/bin/python" -c 'import synapse; print(synapse.__version__)'))"
  exit 0
fi

missing=()
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
command -v openssl >/dev/null || missing+=(openssl)
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then echo "install-synapse: missing ${missing[*]} (run as root or install them)" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

start=$(date +%s)
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q -U pip
"$VENV/bin/pip" install -q "matrix-synapse==$VERSION"
"$VENV/bin/python" -c 'import synapse; print("synapse", synapse.__version__, "installed in '"$VENV"'")'
echo "install-synapse: $(($(date +%s) - start)) s"
