#!/usr/bin/env bash
# Installs Salt (the peer system Benchmarks/salt_bench.py measures) into a venv: .build-salt-venv under
# the repo root, or $STEWARD_SALT_VENV. Idempotent: a venv whose Salt imports at the pinned version,
# with pyzmq and the salt-master/salt-minion scripts, is left alone. Needs python3 (>= 3.10) with venv;
# installs it from Debian when missing and run as root. Everything else comes from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${STEWARD_SALT_VENV:-$PWD/.build-salt-venv}
VERSION=${SALT_VERSION:-3008.4}

check='import salt.version, zmq, tornado, looseversion, packaging; print(salt.version.__version__)'
if [ -x "$VENV/bin/salt-master" ] && [ -x "$VENV/bin/salt-minion" ] &&
   installed=$("$VENV/bin/python" -c "$check" 2>/dev/null) && [ "$installed" = "$VERSION" ]; then
  echo "salt already installed in $VENV ($installed)"
  exit 0
fi

missing=()
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then echo "install-salt: missing ${missing[*]} (run as root or install them)" >&2; exit 1; fi
  echo "install-salt: installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

start=$(date +%s)
echo "install-salt: creating $VENV with $(python3 --version)"
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q -U pip
# Salt's sdist builds with its own backend, which needs these at build time; the ZeroMQ transport needs
# pyzmq and the daemons tornado, which salt's requirements also list; naming them keeps a resolver
# change from leaving them out.
echo "install-salt: pip install salt==$VERSION"
"$VENV/bin/pip" install -q "salt==$VERSION" pyzmq tornado looseversion packaging
"$VENV/bin/python" -c "$check" | sed "s|^|salt |; s|\$| installed in $VENV|"
echo "install-salt: $(($(date +%s) - start)) s"
