#!/bin/bash
# The `bash -c '...' _ ARG` checks below expand $1 inside the child shell on purpose.
# shellcheck disable=SC2016
# Checks everything in packaging/ without touching this machine: syntax and shellcheck of the
# scripts, systemd-analyze on the units, both installers against a scratch --root with a stub
# systemctl and a stub agent, and the .deb built from a dummy binary and installed,
# upgraded, removed and purged in a scratch dpkg database.
#
#   packaging/test-packaging.sh        (needs root for chown/dpkg; exits non-zero on failure)
set -eu

HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/steward-packaging-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

FAILURES=0
# Each check's output goes to its own file; $LAST names the previous check's output, so a
# check can inspect what the command before it printed.
N=0
LAST=/dev/null
pass() { printf 'ok    %s\n' "$1"; }
fail() {
    printf 'FAIL  %s\n' "$1"
    FAILURES=$((FAILURES + 1))
}
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
    local what=$1 out
    shift
    N=$((N + 1))
    out=$WORK/out.$N
    if "$@" >"$out" 2>&1; then pass "$what"; else
        fail "$what"
        sed 's/^/      /' "$out"
    fi
    LAST=$out
}
# check_fails DESCRIPTION EXPECTED_MESSAGE COMMAND...: the command must fail and say why.
check_fails() {
    local what=$1 message=$2 out
    shift 2
    N=$((N + 1))
    out=$WORK/out.$N
    if "$@" >"$out" 2>&1; then
        fail "$what (succeeded)"
    elif grep -qF -- "$message" "$out"; then
        pass "$what"
    else
        fail "$what (message missing: $message)"
        sed 's/^/      /' "$out"
    fi
    LAST=$out
}
mode_of() { stat -c '%a' "$1"; }
is_mode() { [ "$(mode_of "$1")" = "$2" ]; }

[ "$(id -u)" -eq 0 ] || {
    echo "run as root (the installers chown to root and dpkg needs it)" >&2
    exit 2
}

SCRIPTS=("$HERE/install-agent.sh" "$HERE/install-controller.sh" "$HERE/deb/build-deb.sh")

# --- 1. Script syntax and lint ----------------------------------------------------------------
for s in "${SCRIPTS[@]}" "$HERE/test-packaging.sh"; do
    check "bash -n $(basename "$s")" bash -n "$s"
done
for s in "${SCRIPTS[@]}"; do
    check "dash -n $(basename "$s") (POSIX sh)" sh -n "$s"
done
if command -v shellcheck >/dev/null 2>&1; then
    for s in "${SCRIPTS[@]}"; do check "shellcheck $(basename "$s")" shellcheck -s sh "$s"; done
    check "shellcheck test-packaging.sh" shellcheck "$HERE/test-packaging.sh"
else
    echo "skip  shellcheck not installed (apt-get install shellcheck)"
fi

# --- 2. Units ---------------------------------------------------------------------------------
UNITS=$WORK/units
mkdir -p "$UNITS"
printf '#!/bin/sh\nexit 0\n' >"$UNITS/bin"
chmod 755 "$UNITS/bin"
for u in steward.service steward-agent.service; do
    # verify insists that ExecStart exists: point it at a dummy, keep every other line.
    sed "s|^ExecStart=/usr/local/bin/[a-z-]*|ExecStart=$UNITS/bin|" "$HERE/systemd/$u" >"$UNITS/$u"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    check "systemd-analyze verify both units" systemd-analyze verify --man=no "$UNITS/steward.service" "$UNITS/steward-agent.service"
    score=$(systemd-analyze security --offline=yes "$UNITS/steward.service" 2>/dev/null | sed -n 's/.*exposure level for steward.service: \([0-9.]*\).*/\1/p')
    check "controller exposure score <= 2.0 (got ${score:-none})" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
else
    echo "skip  systemd-analyze not installed"
fi
unit_has() { grep -qx -- "$2" "$HERE/systemd/$1"; }
for line in Type=simple User=steward Restart=on-failure LimitNOFILE=1048576 UMask=0077 \
    ProtectSystem=strict ReadWritePaths=/var/lib/steward StateDirectory=steward StateDirectoryMode=0700 \
    NoNewPrivileges=yes MemoryDenyWriteExecute=yes SystemCallArchitectures=native \
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK" \
    "ExecStart=/usr/local/bin/steward serve --state-dir /var/lib/steward --config /etc/steward/controller.yaml"; do
    check "steward.service has $line" unit_has steward.service "$line"
done
for line in Type=simple Restart=always RestartSec=2 StateDirectory=steward-agent StateDirectoryMode=0700 \
    KillSignal=SIGTERM "ConditionDirectoryNotEmpty=/var/lib/steward-agent" \
    "ExecStart=/usr/local/bin/steward-agent run --state-dir /var/lib/steward-agent --policy /etc/steward/agent.yaml"; do
    check "steward-agent.service has $line" unit_has steward-agent.service "$line"
done
check "steward-agent.service runs as root (no User=)" bash -c '! grep -q "^User=" "$1"' _ "$HERE/systemd/steward-agent.service"

# --- 3. Example configuration parses as YAML --------------------------------------------------
if python3 -c 'import yaml' 2>/dev/null; then
    for f in controller agent; do
        check "config/$f.yaml is valid YAML" python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$HERE/config/$f.yaml"
    done
    check "agent.yaml has the documented keys" python3 -c '
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))
assert set(p) == {"services", "reboot", "commands", "shell", "limits", "system"}, p.keys()
assert p["reboot"] is False and p["shell"] is False
assert p["commands"]["disk-usage"]["argv"] == ["/usr/bin/df", "-h"]
assert p["limits"]["output_max_bytes"] == 1048576' "$HERE/config/agent.yaml"
fi

# --- 4. install-agent.sh ----------------------------------------------------------------------
STUBS=$WORK/stubs
mkdir -p "$STUBS"
export STUB_LOG=$WORK/calls.log
cat >"$STUBS/systemctl" <<'EOF'
#!/bin/sh
echo "systemctl $*" >>"$STUB_LOG"
[ "$1" != is-active ] || exit 3
EOF
# Stub agent: enroll writes an identity into --state-dir, or fails half-way (FAIL_ENROLL).
cat >"$WORK/agent" <<'EOF'
#!/bin/sh
echo "agent $*" >>"$STUB_LOG"
[ "$1" = enroll ] || exit 0
while [ $# -gt 0 ]; do [ "$1" = --state-dir ] && dir=$2; shift; done
echo partial >"$dir/agent.key"
if [ -n "${FAIL_ENROLL:-}" ]; then echo "enroll: connection refused" >&2; exit 1; fi
echo cert >"$dir/agent.crt"
EOF
chmod 755 "$STUBS/systemctl" "$WORK/agent"
export PATH="$STUBS:$PATH"
IA=$HERE/install-agent.sh
A=$WORK/agent-root
mkdir -p "$A"

snapshot() { find "$1" -printf '%p %m %s\n' | sort; }
snapshot "$A" >"$WORK/before"
check "agent --dry-run succeeds" "$IA" --root "$A" --binary "$WORK/agent" --token stw1_secret --dry-run
check "agent --dry-run never prints the token" bash -c '! grep -q stw1_secret "$1"' _ "$LAST"
snapshot "$A" >"$WORK/after"
check "agent --dry-run changes nothing" cmp -s "$WORK/before" "$WORK/after"

check_fails "agent refuses a token without stw1_" "must start with 'stw1_'" "$IA" --root "$A" --binary "$WORK/agent" --token abc
check_fails "agent refuses a token with spaces" "never has" "$IA" --root "$A" --binary "$WORK/agent" --token 'stw1_a b'
check_fails "agent refuses a bad name" "invalid agent name" "$IA" --root "$A" --binary "$WORK/agent" --token stw1_x --name 'a;b'
check_fails "agent needs a token when not enrolled" "--token is required" "$IA" --binary "$WORK/agent"
check_fails "agent rejects unknown options" "unknown argument" "$IA" --tokn stw1_x
check_fails "agent reports a missing binary" "does not exist" "$IA" --root "$A" --binary "$WORK/nope" --token stw1_x

: >"$STUB_LOG"
check_fails "agent: failed enrollment is reported" "enrollment failed" env FAIL_ENROLL=1 "$IA" --root "$A" --binary "$WORK/agent" --token stw1_x --name web-1
check "agent: failed enrollment leaves an empty state dir" bash -c '[ -z "$(ls -A "$1")" ]' _ "$A/var/lib/steward-agent"
check "agent: failed enrollment does not enable the unit" bash -c '! grep -q enable "$1"' _ "$STUB_LOG"

: >"$STUB_LOG"
check "agent: install + enroll" "$IA" --root "$A" --binary "$WORK/agent" --token stw1_x --name web-1
check "agent: enroll called with name and state dir" grep -qx "agent enroll --token stw1_x --name web-1 --state-dir $A/var/lib/steward-agent" "$STUB_LOG"
check "agent: unit enabled" grep -qx "systemctl --root=$A enable steward-agent.service" "$STUB_LOG"
check "agent: binary 0755" is_mode "$A/usr/local/bin/steward-agent" 755
check "agent: policy 0600" is_mode "$A/etc/steward/agent.yaml" 600
check "agent: unit 0644" is_mode "$A/etc/systemd/system/steward-agent.service" 644
check "agent: state dir 0700" is_mode "$A/var/lib/steward-agent" 700

echo "# operator edit" >>"$A/etc/steward/agent.yaml"
: >"$STUB_LOG"
check "agent: re-run succeeds without a token" "$IA" --root "$A" --binary "$WORK/agent"
check "agent: re-run skips enrollment" bash -c '! grep -q "agent enroll" "$1"' _ "$STUB_LOG"
check "agent: re-run keeps the edited policy" grep -q '^# operator edit' "$A/etc/steward/agent.yaml"

check_fails "agent: --force needs a token" "--token is required" "$IA" --root "$A" --binary "$WORK/agent" --force
check "agent: --force re-enrolls" "$IA" --root "$A" --binary "$WORK/agent" --token stw1_y --force
check "agent: --force keeps a backup of the old identity" bash -c 'ls -d "$1"/var/lib/steward-agent.bak-* >/dev/null' _ "$A"
check "agent: --force wrote a new identity" test -f "$A/var/lib/steward-agent/agent.crt"

# --- 5. install-controller.sh -----------------------------------------------------------------
C=$WORK/controller-root
mkdir -p "$C/etc"
for f in passwd group shadow gshadow; do cp "/etc/$f" "$C/etc/$f"; done
# A user of that name on this host must not make the installer skip creating it in --root.
sed -i '/^steward:/d' "$C/etc/passwd" "$C/etc/group" "$C/etc/shadow" "$C/etc/gshadow"
printf '#!/bin/sh\nexit 0\n' >"$WORK/steward"
chmod 755 "$WORK/steward"
IC=$HERE/install-controller.sh
host_passwd=$(cksum </etc/passwd)

snapshot "$C" >"$WORK/before"
check "controller --dry-run succeeds" "$IC" --root "$C" --binary "$WORK/steward" --dry-run
snapshot "$C" >"$WORK/after"
check "controller --dry-run changes nothing" cmp -s "$WORK/before" "$WORK/after"

: >"$STUB_LOG"
check "controller: install" "$IC" --root "$C" --binary "$WORK/steward"
INSTALL_OUT=$LAST
check "controller: steward user created in the root" grep -q '^steward:x:[0-9]*:[0-9]*:Steward controller:/var/lib/steward:/usr/sbin/nologin$' "$C/etc/passwd"
check "controller: host /etc/passwd untouched" test "$host_passwd" = "$(cksum </etc/passwd)"
gid=$(awk -F: '$1 == "steward" { print $3 }' "$C/etc/group")
uid=$(awk -F: '$1 == "steward" { print $3 }' "$C/etc/passwd")
check "controller: config 0640 root:steward" test "$(stat -c '%a %u %g' "$C/etc/steward/controller.yaml")" = "640 0 $gid"
check "controller: state dir 0700 steward" test "$(stat -c '%a %u %g' "$C/var/lib/steward")" = "700 $uid $gid"
check "controller: binary 0755" is_mode "$C/usr/local/bin/steward" 755
check "controller: unit enabled" grep -qx "systemctl --root=$C enable steward.service" "$STUB_LOG"
check "controller: warns about the example advertise address" grep -q 'steward.example.com' "$INSTALL_OUT"
touch "$C/var/lib/steward/root-owned.db"
check "controller: re-run succeeds" "$IC" --root "$C" --binary "$WORK/steward"
RERUN_OUT=$LAST
check "controller: re-run does not create a second user" test "$(grep -c '^steward:' "$C/etc/passwd")" = 1
check "controller: re-run reports nothing changed" grep -q 'unchanged: .*/usr/local/bin/steward$' "$RERUN_OUT"
check "controller: re-run repairs state ownership" test "$(stat -c '%u' "$C/var/lib/steward/root-owned.db")" = "$uid"

# --- 6. .deb ----------------------------------------------------------------------------------
BD=$HERE/deb/build-deb.sh
OUT=$WORK/debs
mkdir -p "$OUT"
cp /bin/true "$WORK/dummy-agent"
check "deb: build 0.1.0 from a dummy ELF binary" "$BD" --binary "$WORK/dummy-agent" --version 0.1.0 --output "$OUT"
ARCH=$(dpkg --print-architecture)
DEB=$OUT/steward-agent_0.1.0_${ARCH}.deb
check "deb: file name steward-agent_0.1.0_${ARCH}.deb" test -f "$DEB"
check "deb: dpkg-deb --info" dpkg-deb --info "$DEB"
check "deb: Package/Version/Architecture" test "$(dpkg-deb -f "$DEB" Package Version Architecture | tr '\n' ' ')" = "Package: steward-agent Version: 0.1.0 Architecture: $ARCH "
check "deb: Depends computed from the binary" bash -c 'dpkg-deb -f "$1" Depends | grep -q "^libc6"' _ "$DEB"
dpkg-deb --contents "$DEB" >"$WORK/contents"
for entry in '-rwxr-xr-x root/root .* ./usr/bin/steward-agent$' \
    '-rw-r--r-- root/root .* ./lib/systemd/system/steward-agent.service$' \
    '-rw------- root/root .* ./etc/steward/agent.yaml$' \
    '-rw-r--r-- root/root .* ./usr/share/doc/steward-agent/README.md$'; do
    check "deb: contents has $entry" grep -q -- "$entry" "$WORK/contents"
done
check "deb: conffiles lists agent.yaml" test "$(dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles)" = /etc/steward/agent.yaml
check "deb: unit runs /usr/bin/steward-agent" bash -c 'dpkg-deb --fsys-tarfile "$1" | tar -xO ./lib/systemd/system/steward-agent.service | grep -qx "ExecStart=/usr/bin/steward-agent run --state-dir /var/lib/steward-agent --policy /etc/steward/agent.yaml"' _ "$DEB"
for s in postinst prerm postrm; do
    dpkg-deb --ctrl-tarfile "$DEB" | tar -xO "./$s" >"$WORK/$s"
    check "deb: $s passes sh -n" sh -n "$WORK/$s"
    if command -v shellcheck >/dev/null 2>&1; then check "deb: shellcheck $s" shellcheck -s sh "$WORK/$s"; fi
done
check_fails "deb: refuses a version not starting with a digit" "must start with a digit" "$BD" --binary "$WORK/dummy-agent" --version v1 --output "$OUT"
check_fails "deb: refuses an --arch that does not match the ELF" "does not match" "$BD" --binary "$WORK/dummy-agent" --version 1 --arch s390x --output "$OUT"
check_fails "deb: requires --binary" "--binary is required" "$BD" --version 1

# Install, upgrade, remove, purge in a scratch dpkg database (scripts run chroot-less with
# DPKG_ROOT; systemd is never contacted).
R=$WORK/dpkg-root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
touch "$R/var/lib/dpkg/status" "$R/var/lib/dpkg/available"
dpkg_r() { dpkg --root="$R" --force-script-chrootless --force-depends "$@"; }
check "deb: dpkg -i" dpkg_r -i "$DEB"
check "deb: postinst does not start the agent and says how to enroll" grep -q 'steward-agent enroll --token' "$LAST"
check "deb: postinst created the state dir 0700" is_mode "$R/var/lib/steward-agent" 700
systemctl --root="$R" enable steward-agent.service >/dev/null 2>&1
echo key >"$R/var/lib/steward-agent/agent.key"
echo "# operator edit" >>"$R/etc/steward/agent.yaml"
printf '#!/bin/sh\necho v2\n' >"$WORK/dummy-agent-v2"
chmod 755 "$WORK/dummy-agent-v2"
check "deb: build 0.2.0" "$BD" --binary "$WORK/dummy-agent-v2" --version 0.2.0 --output "$OUT"
check "deb: upgrade to 0.2.0" dpkg_r -i "$OUT/steward-agent_0.2.0_${ARCH}.deb"
check "deb: upgrade replaced the binary" grep -q v2 "$R/usr/bin/steward-agent"
check "deb: upgrade kept the edited conffile" grep -q '^# operator edit' "$R/etc/steward/agent.yaml"
check "deb: upgrade kept the identity" test -f "$R/var/lib/steward-agent/agent.key"
check "deb: dpkg -r" dpkg_r -r steward-agent
check "deb: remove disabled the unit" test ! -e "$R/etc/systemd/system/multi-user.target.wants/steward-agent.service"
check "deb: remove kept the identity" test -f "$R/var/lib/steward-agent/agent.key"
check "deb: dpkg -P" dpkg_r -P steward-agent
check "deb: purge deleted the identity" test ! -e "$R/var/lib/steward-agent"
check "deb: purge deleted the conffile" test ! -e "$R/etc/steward/agent.yaml"

echo
if [ "$FAILURES" -eq 0 ]; then
    echo "all packaging checks passed"
else
    echo "$FAILURES packaging check(s) FAILED"
    exit 1
fi
