# shellcheck shell=bash
# Shared settings and helpers for the kernfs-free scripts.  Sourced, not run.

# Debian's own python3 first: the kernel's helper scripts (spdxcheck.py) use
# Debian packages such as python3-ply, which a python3 of another
# installation earlier in PATH would not see.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# The base the scripts work on, and what goes on top of it:
#   BASE=6.12 (default)  the series, patches/, on Debian's linux-source-6.12,
#                        in build/linux
#   BASE=6.1             its backport, patches-6.1/, on Debian's
#                        linux-source-6.1, in build/linux-6.1
#   STABLE=1             the stable fix alone instead, stable/BASE/ (6.1
#                        only), in build/linux-BASE-stable
# Each base pins its Debian package version (LINUX_SOURCE_VERSION=... overrides
# it, see README).  SFX names the base's build directories and results: the
# 6.12 ones keep their names, the others get "-BASE" ("-BASE-stable").
BASE=${BASE:-6.12}
case $BASE in
6.12)	LINUX_SOURCE_VERSION=${LINUX_SOURCE_VERSION:-6.12.117-1~deb12u1}
	PATCHES=${PATCHES:-$TOP/patches}
	SFX= ;;
6.1)	LINUX_SOURCE_VERSION=${LINUX_SOURCE_VERSION:-6.1.192-2}
	PATCHES=${PATCHES:-$TOP/patches-6.1}
	SFX=-6.1 ;;
*)	printf 'error: BASE=%s: no such base (6.12, 6.1)\n' "$BASE" >&2
	exit 1 ;;
esac
if [ "${STABLE:-0}" = 1 ]; then
	[ -f "$TOP/stable/$BASE/series" ] || {
		printf 'error: STABLE=1: no stable/%s/series\n' "$BASE" >&2
		exit 1
	}
	PATCHES=$TOP/stable/$BASE
	SFX=$SFX-stable
fi
LINUX_SOURCE_PKG=${LINUX_SOURCE_PKG:-linux-source-$BASE}
TREE=${TREE:-$BUILD/linux$SFX}
TREE=${TREE%/}
# Where bisect and bad variants (scripts/intree.sh) keep the branch of the
# tree while they check out other states.
INTREE_HOME=$BUILD/.intree-home-${TREE##*/}
JOBS=${JOBS:-$(nproc)}

# Fixed identity and date of the imported base commit, so that its id is
# the same on every machine for a given package version.
BASE_NAME="kernfs-free"
BASE_EMAIL="kernfs-free@example.org"
BASE_DATE="2025-01-01T00:00:00+0000"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# timed LABEL CMD...: run CMD, then print how long it took.
timed() {
	local label=$1 start rc=0
	shift
	start=$(date +%s)
	log "$label"
	"$@" || rc=$?
	if [ "$rc" -eq 0 ]; then log "$label: done in $(( $(date +%s) - start ))s"; else log "$label: FAILED (exit $rc) after $(( $(date +%s) - start ))s"; fi
	return "$rc"
}

# tree_state DIR: the commit and local changes of a tree, to tell whether a
# kernel was built from what the tree holds now.
tree_state() {
	printf '%s %s\n' "$(git -C "$1" rev-parse HEAD)" \
		"$(git -C "$1" diff HEAD | sha1sum | cut -c1-16)"
}

# tree_lock shared|exclusive: hold the lock of $TREE (build/.tree-lock-NAME,
# one per tree) until this script and the children that inherit it end.
# Bisect and bad variants (scripts/intree.sh) change the tree and rebuild
# build/kunit-kasan in place (bad variants build/x86-debug too), and
# scripts/prepare-tree.sh changes it: they hold it exclusive.  Every script
# that builds from the tree or boots those builds holds it shared, so that no
# kernel is built from a tree another run is changing (a KCSAN build made
# while a bad variant was applied once failed that variant's cases).  It
# keeps tree changes apart from builds, not two builds of one directory.
# A child of a holder uses its lock (TREE_LOCKED); one that needs it
# exclusive under a shared holder dies.  A shared holder also refuses a tree
# that a killed bisect or bad-variants run left elsewhere.
tree_lock() {
	local mode fd f pids
	case $1 in
	shared)		mode=-s ;;
	exclusive)	mode=-x ;;
	*)		die "tree_lock shared|exclusive, not $1" ;;
	esac
	f=$BUILD/.tree-lock-${TREE##*/}
	case ${TREE_LOCKED:-} in
	"$TREE -x")	return 0 ;;
	"$TREE -s")	[ "$mode" = -s ] && return 0
		die "$TREE is locked shared by a parent of this script: it cannot change the tree" ;;
	esac
	mkdir -p "$BUILD"
	exec {fd}>> "$f"
	if ! flock -n "$mode" "$fd"; then
		pids=$(fuser "$f" 2> /dev/null | xargs) || true
		log "waiting for $TREE: processes ${pids:-?} change or build from it (${f#"$TOP"/})"
		flock "$mode" "$fd"
	fi
	export TREE_LOCKED="$TREE $mode"
	if [ "$mode" = -s ] && [ -f "$INTREE_HOME" ]; then
		die "a killed bisect or bad-variants run left $TREE at $(git -C "$TREE" rev-parse --short HEAD): make tree puts it back"
	fi
}

# kunit_build_current CFG: make sure build/kunit-CFG is of the tree as it
# is now (its .tree-state stamp, which scripts/kunit.sh writes), running
# scripts/kunit.sh CFG if it is not; dies if that does not give one.
# Bisect and bad-variants leave other states in build/kunit-kasan.
kunit_build_current() {
	local stamp=$BUILD/kunit-$1$SFX/.tree-state
	[ "$(cat "$stamp" 2> /dev/null)" != "$(tree_state "$TREE")" ] || return 0
	log "build/kunit-$1$SFX is not of $TREE as it is now: scripts/kunit.sh $1"
	"$TOP/scripts/kunit.sh" "$1" > /dev/null || true
	[ "$(cat "$stamp" 2> /dev/null)" = "$(tree_state "$TREE")" ] ||
		die "build/kunit-$1$SFX did not build: see build/results/kunit-$1$SFX.out"
}

# x86_kunit_fragment DIR: write the config fragment that adds KUnit and the
# suites DIR holds (configs/suites) to an x86_64 kernel, and print its path;
# print nothing if DIR holds no suite.  KUnit is off at boot unless
# kunit.enable=1 (kunit.py exec passes it), so the scenarios boot the same
# kernel that make kunit-smp runs the suites on.
x86_kunit_fragment() {
	local tree=$1 f=$BUILD/x86-kunit$SFX.config d conf more kc lines=""
	while read -r d conf more; do
		[ -z "$more" ] || die "configs/suites: '$d $conf $more': one path and at most one config"
		kc=
		if [ -n "$conf" ]; then
			[ -f "$TOP/configs/$conf" ] || die "configs/suites names configs/$conf, which is missing"
			[ ! -e "$tree/$d" ] || kc=$TOP/configs/$conf
		elif [ -f "$tree/$d/.kunitconfig" ]; then
			kc=$tree/$d/.kunitconfig
		fi
		[ -n "$kc" ] || continue
		# kunitconfig style: '# CONFIG_X is not set' means CONFIG_X=n.
		lines+=$(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1=n/p; /^CONFIG_/p' "$kc")$'\n'
	done < <(grep -v '^#' "$TOP/configs/suites" | grep .)
	[ -n "$lines" ] || return 0
	mkdir -p "$BUILD"
	{
		echo "# KUnit and the series' suites (scripts/common.sh x86_kunit_fragment)"
		echo "CONFIG_KUNIT_DEFAULT_ENABLED=n"
		# Lines the x86_64 configs already have would only be reassigned.
		printf '%s' "$lines" | grep -vxF -f <(cat "$TOP/configs/x86_64.config" \
			"$TOP/configs/x86_64-debug.config") | awk '!seen[$0]++'
	} > "$f"
	echo "$f"
}

# Base commit of the series tree: the root commit.
base_commit() { git -C "$TREE" rev-list --max-parents=0 HEAD; }

# The patch files of the series, in order, without the cover letter.
series_patches() {
	find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-cover-letter.patch' | sort
}

# static_prog SRC OUT: a test program, static, warnings as errors, to run as init.
static_prog() {
	gcc -static -O2 -Wall -Wextra -Werror -pthread -o "$2" "$1"
}

# initramfs BINARY CPIO: an initramfs with BINARY as /init and a console node,
# made by the kernel's own gen_init_cpio (any x86 build directory has one).
initramfs() {
	local gen
	gen=$(ls "$BUILD"/x86-*/usr/gen_init_cpio 2> /dev/null | head -n1 || true)
	[ -n "$gen" ] || die "no gen_init_cpio: build an x86_64 kernel first (scripts/x86-kernel.sh)"
	printf '%s\n' "dir /dev 0755 0 0" "nod /dev/console 0600 0 0 c 5 1" \
		"dir /proc 0755 0 0" "dir /sys 0755 0 0" "file /init $1 0755 0 0" \
		> "$2.list"
	"$gen" "$2.list" > "$2"
}

# qemu_boot KERNEL CPIO INIT_ARGS [QEMU_OPTION...]: boot under
# qemu-system-x86_64 -smp 2 (TCG; QEMU_SMP=N for another count), console
# on stdout.  No ACPI power-off
# is needed: scenario_reboot=1 makes init reboot, and -no-reboot ends qemu.
qemu_boot() {
	local kernel=$1 cpio=$2 args=$3
	shift 3
	timeout "${QEMU_TIMEOUT:-1800}" qemu-system-x86_64 -machine pc -smp "${QEMU_SMP:-2}" -m 1G \
		-no-reboot -display none -monitor none -serial stdio "$@" \
		-kernel "$kernel" -initrd "$cpio" \
		-append "console=ttyS0 panic=-1 scenario_reboot=1 -- $args" < /dev/null
}
