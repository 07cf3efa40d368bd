#!/usr/bin/env bash
# Install what building and testing the series needs, from Debian's archive.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PKGS=(
	"$LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION"
	build-essential flex bison bc libelf-dev libssl-dev dwarves kmod cpio
	xz-utils rsync python3 python3-ply python3-git git perl
	sparse coccinelle qemu-system-x86 quilt
)

# The stamp names the package list, so that a longer list installs again.
stamp=$BUILD/.deps-$(printf '%s\n' "${PKGS[@]}" | md5sum | cut -c1-12)
if [ -f "$stamp" ] && [ -f "/usr/src/$LINUX_SOURCE_PKG.tar.xz" ] &&
   dpkg-query -W -f='${Version}' "$LINUX_SOURCE_PKG" 2>/dev/null |
	grep -qxF "$LINUX_SOURCE_VERSION"; then
	log "dependencies already installed ($LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION)"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "installing packages needs root (apt-get)"
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$BUILD/results"
aptlog=$BUILD/results/apt.log
quiet() { "$@" >> "$aptlog" 2>&1 || { tail -n 20 "$aptlog" >&2; return 1; }; }
timed "apt-get update" quiet apt-get update -q
if ! apt-cache madison "$LINUX_SOURCE_PKG" | awk -F'|' '{gsub(/ /,"",$2); print $2}' |
	grep -qxF "$LINUX_SOURCE_VERSION"; then
	printf 'error: %s version %s is not in the configured archive.\n' \
		"$LINUX_SOURCE_PKG" "$LINUX_SOURCE_VERSION" >&2
	printf 'Versions available:\n' >&2
	apt-cache madison "$LINUX_SOURCE_PKG" >&2 || true
	printf 'Pick one with: make LINUX_SOURCE_VERSION=<version> ...\n' >&2
	exit 1
fi
timed "apt-get install (${#PKGS[@]} packages, log in ${aptlog#"$TOP"/})" \
	quiet apt-get install -y -q --no-install-recommends "${PKGS[@]}"
mkdir -p "$BUILD"
touch "$stamp"
