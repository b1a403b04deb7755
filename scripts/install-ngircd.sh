#!/usr/bin/env bash
# Installs ngIRCd (Debian's package) for the IRC end-to-end tests; does nothing when it is already there.
# apt does not start the packaged daemon here (policy-rc.d), and the tests start their own on free ports.
set -euo pipefail
if command -v ngircd >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then
    exit 0
fi
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
as_root apt-get install -y -qq --no-install-recommends ngircd openssl >/dev/null \
    || { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends ngircd openssl >/dev/null; }
# The package's own daemon is not wanted: stop it if an init system started it anyway.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet ngircd 2>/dev/null; then
    as_root systemctl disable --now ngircd || true
fi
command -v ngircd >/dev/null
