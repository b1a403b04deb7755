#!/bin/sh
# Install, enroll and start the Steward agent on a systemd host.
#
#   install-agent.sh --token stw1_... [--name NAME] [--binary PATH] [--policy FILE]
#
# Idempotent: re-running it upgrades the binary and the unit, keeps an existing
# /etc/steward/agent.yaml, and skips enrollment when the host is already enrolled
# (unless --force). Run with --dry-run to see every step without changing anything.
set -eu

PROG=install-agent.sh
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
SERVICE=steward-agent.service

TOKEN=""
NAME=""
BINARY=""
POLICY=""
UNIT_SRC=""
FORCE=0
DRY_RUN=0
ROOT=""

usage() {
    cat <<EOF
Usage: $PROG --token stw1_... [options]

Installs the Steward agent, enrolls it with the controller and starts it under systemd.

Options:
  --token TOKEN   enrollment token from \`steward tokens create\` (stw1_...);
                  not needed when the host is already enrolled
  --name NAME     agent name (default: \`hostname -s\`)
  --binary PATH   steward-agent binary to install (default: ./steward-agent next to
                  this script, then ../.build/release/steward-agent, then the
                  already installed /usr/local/bin/steward-agent)
  --policy FILE   agent policy to install as /etc/steward/agent.yaml (default:
                  config/agent.yaml next to this script); an existing policy is kept
  --unit FILE     systemd unit (default: systemd/steward-agent.service next to this script)
  --force         re-enroll even if already enrolled (the old identity and spool are
                  moved to /var/lib/steward-agent.bak-TIMESTAMP, not deleted)
  --dry-run       print what would be done, change nothing
  --root DIR      install into DIR instead of / (image building and tests): systemd is
                  not contacted, the unit is enabled with \`systemctl --root\`, and
                  --token is optional (without it each clone enrolls at first boot)
  -h, --help      show this help

Files:
  /usr/local/bin/steward-agent                 0755
  /etc/steward/agent.yaml                      0600 (never overwritten)
  /etc/systemd/system/steward-agent.service    0644
  /var/lib/steward-agent/                      0700 (identity, spool)
EOF
}

say() { printf '%s: %s\n' "$PROG" "$*"; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
die() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    exit 1
}

# Prints a command as a shell would need it typed (single-quoting where needed).
show() {
    out="+"
    for arg in "$@"; do
        case $arg in
            '' | *[!A-Za-z0-9_./:=@%+,-]*)
                arg="'$(printf '%s' "$arg" | sed "s/'/'\\\\''/g")'"
                ;;
        esac
        out="$out $arg"
    done
    printf '%s\n' "$out"
}

# Runs a command, or only shows it under --dry-run.
run() {
    if [ "$DRY_RUN" -eq 1 ]; then
        show "$@"
    else
        "$@"
    fi
}

# Option values must be present and must not look like the next option.
need_value() {
    if [ "$2" -lt 2 ]; then die "$1 needs a value"; fi
    case $3 in
        -*) die "$1 needs a value (got option '$3')" ;;
    esac
}

while [ $# -gt 0 ]; do
    case $1 in
        --token | --name | --binary | --policy | --unit | --root)
            need_value "$1" "$#" "${2-}"
            case $1 in
                --token) TOKEN=$2 ;;
                --name) NAME=$2 ;;
                --binary) BINARY=$2 ;;
                --policy) POLICY=$2 ;;
                --unit) UNIT_SRC=$2 ;;
                --root) ROOT=$2 ;;
            esac
            shift 2
            ;;
        --token=*) TOKEN=${1#*=}; shift ;;
        --name=*) NAME=${1#*=}; shift ;;
        --binary=*) BINARY=${1#*=}; shift ;;
        --policy=*) POLICY=${1#*=}; shift ;;
        --unit=*) UNIT_SRC=${1#*=}; shift ;;
        --root=*) ROOT=${1#*=}; shift ;;
        --force) FORCE=1; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

# --- Preconditions: everything is checked before anything is changed ---------------------

if [ "$(id -u)" -ne 0 ]; then
    if [ "$DRY_RUN" -eq 1 ]; then
        warn "not running as root; a real run must be started as root"
    else
        die "must run as root (try: sudo $0 ...)"
    fi
fi

if [ -n "$ROOT" ]; then
    [ -d "$ROOT" ] || die "--root $ROOT is not a directory"
    ROOT=$(CDPATH='' cd -- "$ROOT" && pwd)
    [ "$ROOT" != "/" ] || ROOT=""
fi

BIN_DST=$ROOT/usr/local/bin/steward-agent
POLICY_DST=$ROOT/etc/steward/agent.yaml
UNIT_DST=$ROOT/etc/systemd/system/$SERVICE
STATE_DIR=$ROOT/var/lib/steward-agent

# First existing candidate wins.
first_file() {
    for candidate in "$@"; do
        if [ -f "$candidate" ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

if [ -z "$BINARY" ]; then
    BINARY=$(first_file "$SCRIPT_DIR/steward-agent" "$SCRIPT_DIR/../.build/release/steward-agent" "$BIN_DST") ||
        die "no steward-agent binary found; pass --binary PATH"
fi
[ -f "$BINARY" ] || die "binary $BINARY does not exist"
[ -x "$BINARY" ] || die "binary $BINARY is not executable"

if [ -z "$UNIT_SRC" ]; then
    UNIT_SRC=$(first_file "$SCRIPT_DIR/systemd/$SERVICE" "$SCRIPT_DIR/$SERVICE") ||
        die "systemd unit $SERVICE not found next to this script; pass --unit FILE"
fi
[ -f "$UNIT_SRC" ] || die "unit file $UNIT_SRC does not exist"

POLICY_GIVEN=0
if [ -n "$POLICY" ]; then
    POLICY_GIVEN=1
    [ -f "$POLICY" ] || die "policy file $POLICY does not exist"
elif [ ! -f "$POLICY_DST" ]; then
    POLICY=$(first_file "$SCRIPT_DIR/config/agent.yaml" "$SCRIPT_DIR/agent.yaml") ||
        die "no policy: pass --policy FILE (see config/agent.yaml for the format)"
fi
if [ -n "$POLICY" ] && [ ! -s "$POLICY" ]; then
    die "policy file $POLICY is empty"
fi

if [ -z "$NAME" ]; then
    NAME=$(hostname -s 2>/dev/null || hostname)
fi
case $NAME in
    '' | [!A-Za-z0-9]* | *[!A-Za-z0-9._-]*)
        die "invalid agent name '$NAME': use letters, digits, '.', '_' and '-', starting with a letter or digit"
        ;;
esac
if [ "${#NAME}" -gt 63 ]; then die "agent name '$NAME' is longer than 63 characters"; fi

# Enrolled means `steward-agent enroll` has written its identity into the state dir; the
# unit uses the same test (ConditionDirectoryNotEmpty).
is_enrolled() {
    [ -d "$STATE_DIR" ] && [ -n "$(ls -A "$STATE_DIR" 2>/dev/null)" ]
}

if [ "$FORCE" -eq 1 ]; then
    ENROLL=1
elif is_enrolled; then
    ENROLL=0
elif [ -n "$ROOT" ] && [ -z "$TOKEN" ]; then
    # Image building: every VM cloned from the image must enroll with its own identity.
    ENROLL=0
else
    ENROLL=1
fi
if [ "$ENROLL" -eq 1 ]; then
    [ -n "$TOKEN" ] || die "--token is required to enroll this host (create one with: steward tokens create --ttl 1h)"
    case $TOKEN in
        stw1_?*) ;;
        *) die "token must start with 'stw1_' (copy it from \`steward tokens create\`)" ;;
    esac
    case $TOKEN in
        *[!A-Za-z0-9_.~=+/-]*) die "token contains characters a Steward token never has (whitespace or quotes?)" ;;
    esac
fi

command -v systemctl >/dev/null 2>&1 || die "systemctl not found: this installer needs systemd"
if [ -z "$ROOT" ] && [ ! -d /run/systemd/system ]; then
    if [ "$DRY_RUN" -eq 1 ]; then
        warn "systemd is not running as init here; a real run would stop at this point"
    else
        die "systemd is not running as init (no /run/systemd/system); use --root DIR to prepare an image"
    fi
fi

[ "$DRY_RUN" -eq 0 ] || say "dry run: nothing will be changed"

# --- Files ----------------------------------------------------------------------------------

TMP_FILE=""
cleanup() {
    if [ -n "$TMP_FILE" ]; then rm -f "$TMP_FILE"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# install_file SRC DST MODE: copies only when the content differs, and sets RESTART=1 when
# it does. The copy is renamed into place so a running binary is never rewritten in place
# ("Text file busy"). Called as a plain command, never in a condition, so `set -e` still
# stops the script on a failed step.
install_file() {
    if [ -f "$2" ] && cmp -s "$1" "$2"; then
        say "unchanged: $2"
        return 0
    fi
    say "installing $2 (mode $3)"
    run install -d -m 0755 "$(dirname -- "$2")"
    TMP_FILE="$2.new.$$"
    run install -m "$3" -o root -g root "$1" "$TMP_FILE"
    run mv -f "$TMP_FILE" "$2"
    TMP_FILE=""
    RESTART=1
}

RESTART=0
install_file "$BINARY" "$BIN_DST" 0755
install_file "$UNIT_SRC" "$UNIT_DST" 0644

if [ -f "$POLICY_DST" ]; then
    if [ "$POLICY_GIVEN" -eq 1 ] && ! cmp -s "$POLICY" "$POLICY_DST"; then
        warn "keeping existing $POLICY_DST; it differs from $POLICY (edit or remove it, then re-run)"
    else
        say "keeping existing policy: $POLICY_DST"
    fi
else
    say "installing $POLICY_DST (mode 0600) from $POLICY"
    run install -d -m 0755 "$(dirname -- "$POLICY_DST")"
    run install -m 0600 -o root -g root "$POLICY" "$POLICY_DST"
    RESTART=1
fi

# --- Enrollment -----------------------------------------------------------------------------

# Read-only query, so it is also asked under --dry-run.
service_active() {
    [ -z "$ROOT" ] && systemctl is-active --quiet "$SERVICE" 2>/dev/null
}

if [ "$ENROLL" -eq 0 ] && ! is_enrolled; then
    say "not enrolling (no --token with --root): enroll each machine at first boot with steward-agent enroll"
elif [ "$ENROLL" -eq 0 ]; then
    say "already enrolled ($STATE_DIR is not empty): skipping enrollment (use --force to re-enroll)"
else
    if is_enrolled; then
        # --force: keep the old identity and spooled results recoverable.
        backup="$STATE_DIR.bak-$(date +%Y%m%d%H%M%S)"
        say "re-enrolling: moving the previous identity to $backup"
        if service_active; then run systemctl stop "$SERVICE"; fi
        run mv "$STATE_DIR" "$backup"
    fi
    run install -d -m 0700 -o root -g root "$STATE_DIR"
    say "enrolling as '$NAME'"
    if [ "$DRY_RUN" -eq 1 ]; then
        # Never echo the secret.
        show "$BIN_DST" enroll --token "stw1_<redacted>" --name "$NAME" --state-dir "$STATE_DIR"
    elif ! "$BIN_DST" enroll --token "$TOKEN" --name "$NAME" --state-dir "$STATE_DIR"; then
        # A half-written identity would make the next run believe it is enrolled.
        rm -rf "$STATE_DIR"
        install -d -m 0700 -o root -g root "$STATE_DIR"
        die "enrollment failed (see the message above); nothing was started. Check the token (single use, expires) and that the controller address in it is reachable on port 7443"
    fi
    RESTART=1
fi

# --- systemd --------------------------------------------------------------------------------

if [ -n "$ROOT" ]; then
    run systemctl --root="$ROOT" enable "$SERVICE"
    if [ "$DRY_RUN" -eq 1 ]; then
        say "dry run complete"
    else
        say "done: $SERVICE enabled in $ROOT (it starts once the state dir holds an enrollment)"
    fi
    exit 0
fi

run systemctl daemon-reload
if service_active && [ "$RESTART" -eq 1 ]; then
    run systemctl enable "$SERVICE"
    run systemctl restart "$SERVICE"
else
    run systemctl enable --now "$SERVICE"
fi

if [ "$DRY_RUN" -eq 1 ]; then
    say "dry run complete"
    exit 0
fi

# Restart=always hides a crash loop as "activating": require "active" for a few seconds.
state=unknown
i=0
while [ "$i" -lt 10 ]; do
    state=$(systemctl is-active "$SERVICE" 2>/dev/null || true)
    [ "$state" = active ] && break
    sleep 1
    i=$((i + 1))
done
if [ "$state" != active ]; then
    die "$SERVICE is '$state' after 10 s; see: journalctl -u $SERVICE -n 50"
fi
say "done: $SERVICE is running as '$NAME' (check with: steward-agent status)"
