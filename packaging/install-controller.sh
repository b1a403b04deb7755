#!/bin/sh
# Install and start the Steward controller on a systemd host.
#
#   install-controller.sh [--binary PATH] [--config FILE]
#
# Creates the `steward` system user, installs the binary, the example configuration (only
# if none exists) and the unit, then starts the service. Idempotent: re-running it upgrades
# the binary and unit and restarts the service only when something changed.
set -eu

PROG=install-controller.sh
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
SERVICE=steward.service
USER_NAME=steward

BINARY=""
CONFIG=""
UNIT_SRC=""
DRY_RUN=0
ROOT=""

usage() {
    cat <<EOF
Usage: $PROG [options]

Installs the Steward controller and starts it under systemd as the '$USER_NAME' user.

Options:
  --binary PATH   steward binary to install (default: ./steward next to this script, then
                  ../.build/release/steward, then the installed /usr/local/bin/steward)
  --config FILE   configuration to install as /etc/steward/controller.yaml (default:
                  config/controller.yaml next to this script); an existing one is kept
  --unit FILE     systemd unit (default: systemd/steward.service next to this script)
  --dry-run       print what would be done, change nothing
  --root DIR      install into DIR instead of / (image building and tests): systemd is
                  not contacted, the unit is enabled with \`systemctl --root\`
  -h, --help      show this help

Files:
  /usr/local/bin/steward                       0755
  /etc/steward/controller.yaml                 0640 root:steward (never overwritten)
  /etc/systemd/system/steward.service          0644
  /var/lib/steward/                            0700 steward (CA, keys, SQLite, admin.token)
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

need_value() {
    if [ "$2" -lt 2 ]; then die "$1 needs a value"; fi
    case $3 in
        -*) die "$1 needs a value (got option '$3')" ;;
    esac
}

while [ $# -gt 0 ]; do
    case $1 in
        --binary | --config | --unit | --root)
            need_value "$1" "$#" "${2-}"
            case $1 in
                --binary) BINARY=$2 ;;
                --config) CONFIG=$2 ;;
                --unit) UNIT_SRC=$2 ;;
                --root) ROOT=$2 ;;
            esac
            shift 2
            ;;
        --binary=*) BINARY=${1#*=}; shift ;;
        --config=*) CONFIG=${1#*=}; shift ;;
        --unit=*) UNIT_SRC=${1#*=}; shift ;;
        --root=*) ROOT=${1#*=}; shift ;;
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

BIN_DST=$ROOT/usr/local/bin/steward
CONFIG_DST=$ROOT/etc/steward/controller.yaml
UNIT_DST=$ROOT/etc/systemd/system/$SERVICE
STATE_DIR=$ROOT/var/lib/steward

command -v systemctl >/dev/null 2>&1 || die "systemctl not found: this installer needs systemd"
command -v useradd >/dev/null 2>&1 || die "useradd not found (package 'passwd')"
if [ -z "$ROOT" ] && [ ! -d /run/systemd/system ]; then
    if [ "$DRY_RUN" -eq 1 ]; then
        warn "systemd is not running as init here; a real run would stop at this point"
    else
        die "systemd is not running as init (no /run/systemd/system); use --root DIR to prepare an image"
    fi
fi

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
    BINARY=$(first_file "$SCRIPT_DIR/steward" "$SCRIPT_DIR/../.build/release/steward" "$BIN_DST") ||
        die "no steward binary found; pass --binary PATH"
fi
[ -f "$BINARY" ] || die "binary $BINARY does not exist"
[ -x "$BINARY" ] || die "binary $BINARY is not executable"

if [ -z "$UNIT_SRC" ]; then
    UNIT_SRC=$(first_file "$SCRIPT_DIR/systemd/$SERVICE" "$SCRIPT_DIR/$SERVICE") ||
        die "systemd unit $SERVICE not found next to this script; pass --unit FILE"
fi
[ -f "$UNIT_SRC" ] || die "unit file $UNIT_SRC does not exist"

CONFIG_GIVEN=0
if [ -n "$CONFIG" ]; then
    CONFIG_GIVEN=1
    [ -f "$CONFIG" ] || die "config file $CONFIG does not exist"
elif [ ! -f "$CONFIG_DST" ]; then
    CONFIG=$(first_file "$SCRIPT_DIR/config/controller.yaml" "$SCRIPT_DIR/controller.yaml") ||
        die "no configuration: pass --config FILE (see config/controller.yaml)"
fi

[ "$DRY_RUN" -eq 0 ] || say "dry run: nothing will be changed"

TMP_FILE=""
cleanup() {
    if [ -n "$TMP_FILE" ]; then rm -f "$TMP_FILE"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- User -----------------------------------------------------------------------------------

# Looks up a field of the steward entry in passwd or group, inside --root when given (so
# ownership is numeric and right for that tree, not for this host's databases).
lookup_id() {
    if [ -n "$ROOT" ]; then
        awk -F: -v n="$USER_NAME" '$1 == n { print $3 }' "$ROOT/etc/$1" 2>/dev/null
    else
        getent "$1" "$USER_NAME" | cut -d: -f3
    fi
}

if [ -n "$(lookup_id passwd)" ]; then
    say "user '$USER_NAME' exists"
else
    say "creating system user '$USER_NAME'"
    if [ -n "$ROOT" ]; then set -- --root "$ROOT"; else set --; fi
    run useradd "$@" --system --user-group --home-dir /var/lib/steward --no-create-home \
        --shell /usr/sbin/nologin --comment "Steward controller" "$USER_NAME"
fi
STEWARD_UID=$(lookup_id passwd)
STEWARD_GID=$(lookup_id group)
# Only empty under --dry-run before the user exists.
: "${STEWARD_UID:=$USER_NAME}" "${STEWARD_GID:=$USER_NAME}"

# --- Files ----------------------------------------------------------------------------------

# install_file SRC DST MODE: copies only when the content differs and sets RESTART=1 when it
# does; renamed into place so a running binary is never rewritten ("Text file busy").
# Called as a plain command so `set -e` still stops the script on a failed step.
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

if [ -f "$CONFIG_DST" ]; then
    if [ "$CONFIG_GIVEN" -eq 1 ] && ! cmp -s "$CONFIG" "$CONFIG_DST"; then
        warn "keeping existing $CONFIG_DST; it differs from $CONFIG (edit or remove it, then re-run)"
    else
        say "keeping existing configuration: $CONFIG_DST"
    fi
else
    # Group-readable by the service user, writable by root only: a compromised controller
    # cannot rewrite its own configuration.
    say "installing $CONFIG_DST (mode 0640 root:$USER_NAME) from $CONFIG"
    run install -d -m 0755 "$(dirname -- "$CONFIG_DST")"
    run install -m 0640 -o root -g "$STEWARD_GID" "$CONFIG" "$CONFIG_DST"
    RESTART=1
fi

# systemd (StateDirectory=) would create it too; creating it here lets the admin CLI be used
# before the first start. chown -R repairs files left root-owned by running the CLI as root.
say "state directory $STATE_DIR (mode 0700, owner $USER_NAME)"
run install -d -m 0700 -o "$STEWARD_UID" -g "$STEWARD_GID" "$STATE_DIR"
run chown -R "$STEWARD_UID:$STEWARD_GID" "$STATE_DIR"

if [ -f "$CONFIG_DST" ] && grep -q 'steward\.example\.com' "$CONFIG_DST"; then
    warn "$CONFIG_DST still uses the example address steward.example.com: set agents.advertise to the name agents resolve, then: systemctl restart steward"
fi

# --- systemd --------------------------------------------------------------------------------

if [ -n "$ROOT" ]; then
    run systemctl --root="$ROOT" enable "$SERVICE"
    if [ "$DRY_RUN" -eq 1 ]; then say "dry run complete"; else say "done: $SERVICE enabled in $ROOT"; fi
    exit 0
fi

run systemctl daemon-reload
if systemctl is-active --quiet "$SERVICE" 2>/dev/null && [ "$RESTART" -eq 1 ]; then
    run systemctl enable "$SERVICE"
    run systemctl restart "$SERVICE"
else
    run systemctl enable --now "$SERVICE"
fi

if [ "$DRY_RUN" -eq 1 ]; then
    say "dry run complete"
    exit 0
fi

# Restart=on-failure: a crash right after start shows as "activating"/"failed", not "active".
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

say "done: $SERVICE is running"
cat <<EOF

Next: create an enrollment token (as the $USER_NAME user, so the state stays owned by it):
  runuser -u $USER_NAME -- steward tokens create --labels role=web --ttl 1h
and run the printed command on each host, or: install-agent.sh --token stw1_...
EOF
