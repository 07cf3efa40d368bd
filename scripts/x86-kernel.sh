#!/usr/bin/env bash
# Build a small x86_64 kernel for qemu-system-x86_64 from allnoconfig plus
# config fragments, out of tree, and check that every fragment line took.
#   scripts/x86-kernel.sh NAME REV FRAGMENT...
# A FRAGMENT is configs/FRAGMENT.config, or a path (one with a slash).
# REV is "series" (build/linux as it is), "base" (the imported base, in a
# worktree build/base-tree[-BASE]) or the directory of a tree as it is
# (scripts/bad-variants.sh QEMU=1: build/linux holding a variant).
# Output: build/x86-NAME/arch/x86/boot/bzImage
# and build/x86-NAME[-BASE]/usr/gen_init_cpio; the log in build/results/x86-NAME[-BASE].out.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ $# -ge 3 ] || die "usage: $0 NAME series|base FRAGMENT..."
tree_lock shared
name=$1 rev=$2
shift 2
case $rev in
series)	src=$TREE ;;
base)	src=$BUILD/base-tree$SFX
	if [ ! -e "$src/.git" ]; then
		rm -rf "$src"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$src" base
	fi
	git -C "$src" checkout -q --detach -f base
	git -C "$src" clean -q -fdx ;;
*)	[ -f "$rev/Kbuild" ] || die "REV must be series, base or a kernel tree, not $rev"
	src=$rev ;;
esac
out=$BUILD/x86-$name$SFX
mkdir -p "$out" "$BUILD/results"
frag=$out/fragment.config
for f in "$@"; do
	case $f in
	*/*)	cat "$f" ;;	# a generated fragment (x86_kunit_fragment)
	*)	cat "$TOP/configs/$f.config" ;;
	esac
done > "$frag.new"
# Reconfigure only when the fragments changed, so that make stays incremental.
if ! cmp -s "$frag.new" "$frag" || [ ! -f "$out/.config" ]; then
	mv "$frag.new" "$frag"
	make -s -C "$src" ARCH=x86_64 O="$out" KCONFIG_ALLCONFIG="$frag" allnoconfig
else
	rm -f "$frag.new"
fi
bad=0
while IFS= read -r line; do
	k=${line%%=*} v=${line#*=}
	got=$(grep -E "^$k=" "$out/.config" || true)
	if [ "$v" = n ]; then
		[ -z "$got" ] && continue
	elif [ "$got" = "$line" ]; then
		continue
	fi
	echo "config: $line did not take (got '${got:-unset}')" >&2
	bad=1
done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag")
[ "$bad" -eq 0 ] || die "configs ($*) do not apply to the tree at $src"
build() {
	make -C "$src" -j"$JOBS" ARCH=x86_64 O="$out" bzImage \
		> "$BUILD/results/x86-$name$SFX.out" 2>&1
}
timed "build x86_64 kernel $name (${src#"$TOP"/}; configs: ${*##*/})" build ||
	die "build failed: see build/results/x86-$name$SFX.out"
