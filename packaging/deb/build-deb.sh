#!/bin/sh
# Build steward-agent_<version>_<arch>.deb from an already built binary, with dpkg-deb only
# (no debhelper, no source package):
#
#   packaging/deb/build-deb.sh --binary .build/release/steward-agent --version 0.1.0
#
# Build the binary with the Swift runtime linked in (swift build -c release
# --static-swift-stdlib): Debian has no package providing libswiftCore.so, so a
# dynamically linked binary is refused.
set -eu

PROG=build-deb.sh
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
PACKAGING_DIR=$(dirname -- "$SCRIPT_DIR")
PACKAGE=steward-agent

BINARY=""
VERSION=""
ARCH=""
OUTPUT_DIR="."
MAINTAINER="Steward maintainers <steward@localhost>"
DEPENDS=""
STRIP=1

usage() {
    cat <<EOF
Usage: $PROG --binary PATH --version VERSION [options]

Options:
  --binary PATH        steward-agent executable to package (required)
  --version VERSION    Debian version, e.g. 0.1.0 or 0.1.0-1 (required)
  --arch ARCH          Debian architecture (default: from the binary's ELF header,
                       else \`dpkg --print-architecture\`)
  --output DIR         where to write the .deb (default: current directory)
  --maintainer TEXT    Maintainer field (default: "$MAINTAINER")
  --depends LIST       Depends field (default: computed with dpkg-shlibdeps, else libc6)
  --no-strip           keep debug symbols in the packaged binary
  -h, --help           show this help

Package contents:
  /usr/bin/steward-agent                           0755
  /lib/systemd/system/steward-agent.service        0644 (ExecStart=/usr/bin/steward-agent)
  /etc/steward/agent.yaml                          0600 conffile (example policy)
  /usr/share/doc/steward-agent/README.md           0644
EOF
}

say() { printf '%s: %s\n' "$PROG" "$*"; }
die() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    exit 1
}

need_value() {
    if [ "$2" -lt 2 ]; then die "$1 needs a value"; fi
    case $3 in
        -*) die "$1 needs a value (got option '$3')" ;;
    esac
}

while [ $# -gt 0 ]; do
    case $1 in
        --binary | --version | --arch | --output | --maintainer | --depends)
            need_value "$1" "$#" "${2-}"
            case $1 in
                --binary) BINARY=$2 ;;
                --version) VERSION=$2 ;;
                --arch) ARCH=$2 ;;
                --output) OUTPUT_DIR=$2 ;;
                --maintainer) MAINTAINER=$2 ;;
                --depends) DEPENDS=$2 ;;
            esac
            shift 2
            ;;
        --binary=*) BINARY=${1#*=}; shift ;;
        --version=*) VERSION=${1#*=}; shift ;;
        --arch=*) ARCH=${1#*=}; shift ;;
        --output=*) OUTPUT_DIR=${1#*=}; shift ;;
        --maintainer=*) MAINTAINER=${1#*=}; shift ;;
        --depends=*) DEPENDS=${1#*=}; shift ;;
        --no-strip) STRIP=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

# --- Inputs ---------------------------------------------------------------------------------

[ -n "$BINARY" ] || die "--binary is required (e.g. --binary .build/release/steward-agent)"
[ -n "$VERSION" ] || die "--version is required (e.g. --version 0.1.0)"
[ -f "$BINARY" ] || die "binary $BINARY does not exist"
[ -x "$BINARY" ] || die "binary $BINARY is not executable"

# Debian policy 5.6.12: upstream version starts with a digit; [A-Za-z0-9.+~-] only.
case $VERSION in
    [0-9]*) ;;
    *) die "version '$VERSION' must start with a digit" ;;
esac
case $VERSION in
    *[!A-Za-z0-9.+~-]*) die "version '$VERSION' may only contain letters, digits and . + ~ -" ;;
esac

for tool in dpkg-deb dpkg; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install dpkg)"
done

UNIT_SRC=$PACKAGING_DIR/systemd/$PACKAGE.service
POLICY_SRC=$PACKAGING_DIR/config/agent.yaml
README_SRC=$PACKAGING_DIR/README.md
for f in "$UNIT_SRC" "$POLICY_SRC" "$README_SRC"; do
    [ -f "$f" ] || die "missing packaging file $f"
done

# ELF machine -> Debian architecture. Not ELF (e.g. a script used in tests): unknown.
elf_arch() {
    command -v readelf >/dev/null 2>&1 || return 0
    machine=$(LC_ALL=C readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p')
    case $machine in
        *X86-64*) echo amd64 ;;
        *AArch64*) echo arm64 ;;
        *RISC-V*) echo riscv64 ;;
        *PowerPC64*) echo ppc64el ;;
        *S/390*) echo s390x ;;
        *) ;;
    esac
}

IS_ELF=0
if [ "$(head -c 4 "$BINARY" | od -An -c | tr -d ' ')" = '177ELF' ]; then IS_ELF=1; fi
BINARY_ARCH=""
if [ "$IS_ELF" -eq 1 ]; then BINARY_ARCH=$(elf_arch "$BINARY"); fi

if [ -z "$ARCH" ]; then
    ARCH=${BINARY_ARCH:-$(dpkg --print-architecture)}
elif [ -n "$BINARY_ARCH" ] && [ "$ARCH" != "$BINARY_ARCH" ]; then
    die "--arch $ARCH does not match the binary, which is built for $BINARY_ARCH"
fi
case $ARCH in
    '' | *[!a-z0-9-]*) die "invalid architecture '$ARCH'" ;;
esac

if [ "$IS_ELF" -eq 1 ] && command -v readelf >/dev/null 2>&1; then
    swift_libs=$(LC_ALL=C readelf -d "$BINARY" 2>/dev/null |
        sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
        grep -E '^(libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime)' || true)
    if [ -n "$swift_libs" ]; then
        die "$BINARY links the Swift runtime dynamically ($(echo "$swift_libs" | tr '\n' ' ')); rebuild with: swift build -c release --static-swift-stdlib"
    fi
fi

[ -d "$OUTPUT_DIR" ] || die "output directory $OUTPUT_DIR does not exist"
OUTPUT_DIR=$(CDPATH='' cd -- "$OUTPUT_DIR" && pwd)
DEB=$OUTPUT_DIR/${PACKAGE}_${VERSION}_${ARCH}.deb

# --- Staging tree ---------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/steward-deb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
STAGE=$WORK/root
# dpkg-deb refuses a DEBIAN directory that is group/other writable.
umask 022

install -d "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/lib/systemd/system" \
    "$STAGE/etc/steward" "$STAGE/usr/share/doc/$PACKAGE"

install -m 0755 "$BINARY" "$STAGE/usr/bin/$PACKAGE"
if [ "$STRIP" -eq 1 ] && [ "$IS_ELF" -eq 1 ] && command -v strip >/dev/null 2>&1; then
    strip --strip-unneeded "$STAGE/usr/bin/$PACKAGE"
fi

# Debian packages own /usr/bin, never /usr/local (policy 9.1.2): rewrite ExecStart.
sed 's|^ExecStart=/usr/local/bin/steward-agent |ExecStart=/usr/bin/steward-agent |' \
    "$UNIT_SRC" >"$STAGE/lib/systemd/system/$PACKAGE.service"
grep -q '^ExecStart=/usr/bin/steward-agent run ' "$STAGE/lib/systemd/system/$PACKAGE.service" ||
    die "could not rewrite ExecStart in $UNIT_SRC (expected ExecStart=/usr/local/bin/steward-agent run ...)"
chmod 0644 "$STAGE/lib/systemd/system/$PACKAGE.service"

install -m 0600 "$POLICY_SRC" "$STAGE/etc/steward/agent.yaml"
install -m 0644 "$README_SRC" "$STAGE/usr/share/doc/$PACKAGE/README.md"

# --- Depends --------------------------------------------------------------------------------

if [ -z "$DEPENDS" ]; then
    if [ "$IS_ELF" -eq 1 ] && command -v dpkg-shlibdeps >/dev/null 2>&1; then
        # dpkg-shlibdeps wants a source-package layout: give it a minimal one.
        mkdir -p "$WORK/src/debian"
        printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$PACKAGE" "$PACKAGE" >"$WORK/src/debian/control"
        DEPENDS=$(cd "$WORK/src" && dpkg-shlibdeps -O "$STAGE/usr/bin/$PACKAGE" 2>/dev/null |
            sed -n 's/^shlibs:Depends=//p') || DEPENDS=""
    fi
    : "${DEPENDS:=libc6}"
fi

# --- Control files --------------------------------------------------------------------------

INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)

cat >"$STAGE/DEBIAN/control" <<EOF
Package: $PACKAGE
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $INSTALLED_SIZE
Depends: $DEPENDS
Recommends: systemd
Section: admin
Priority: optional
Description: Steward ChatOps agent
 Connects out to a Steward controller over mutually authenticated TLS 1.3,
 verifies every signed job and runs it only if the local policy in
 /etc/steward/agent.yaml allows it (default deny): ping, facts, metrics,
 systemd service actions, reboot and allowlisted commands.
 .
 Not started on install: enroll first with
 steward-agent enroll --token stw1_... --state-dir /var/lib/steward-agent
 then systemctl enable --now steward-agent.
EOF

printf '/etc/steward/agent.yaml\n' >"$STAGE/DEBIAN/conffiles"

# Maintainer scripts honour DPKG_ROOT (installs into a chroot-less --root tree) and only talk
# to systemd when it is running (containers, image builds).
cat >"$STAGE/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
case "$1" in
    configure)
        # Identity and spool live here; root only.
        if [ ! -d "${DPKG_ROOT:-}/var/lib/steward-agent" ]; then
            install -d -m 0700 "${DPKG_ROOT:-}/var/lib/steward-agent"
        fi
        if [ -z "${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then
            systemctl daemon-reload || true
            # Upgrade: restart a running agent on the new binary. A fresh install is not
            # started: it has no identity until `steward-agent enroll` (the unit's
            # ConditionDirectoryNotEmpty would skip it anyway).
            if [ -n "$2" ]; then
                systemctl try-restart steward-agent.service || true
            fi
        fi
        if [ -z "$2" ]; then
            echo "steward-agent installed. Enroll it, then start it:"
            echo "  steward-agent enroll --token stw1_... --name \"\$(hostname -s)\" --state-dir /var/lib/steward-agent"
            echo "  systemctl enable --now steward-agent"
        fi
        ;;
esac
exit 0
EOF

cat >"$STAGE/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
case "$1" in
    remove)
        if [ -z "${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then
            systemctl stop steward-agent.service || true
        fi
        # Disable while the unit file still exists, so the wants/ symlink goes too.
        if [ -n "${DPKG_ROOT:-}" ]; then
            systemctl --root="$DPKG_ROOT" disable steward-agent.service >/dev/null 2>&1 || true
        else
            systemctl disable steward-agent.service >/dev/null 2>&1 || true
        fi
        ;;
    deconfigure)
        if [ -z "${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then
            systemctl stop steward-agent.service || true
        fi
        ;;
    # upgrade: keep running; dpkg replaces the binary atomically and postinst try-restarts.
esac
exit 0
EOF

cat >"$STAGE/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
case "$1" in
    remove)
        if [ -z "${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then
            systemctl daemon-reload || true
        fi
        ;;
    purge)
        # Purge means the agent's identity (private key, certificate) and result spool go
        # too; `remove` keeps them so a reinstall needs no new enrollment.
        rm -rf "${DPKG_ROOT:-}/var/lib/steward-agent"
        ;;
esac
exit 0
EOF
chmod 0755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/prerm" "$STAGE/DEBIAN/postrm"
chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/conffiles"

# --root-owner-group: every file root:root in the archive, whoever builds it.
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
say "built $DEB"
