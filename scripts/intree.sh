# shellcheck shell=bash
# Checks that build other states of the series (bisect, bad variants) in the
# series tree itself, build/linux, and its KASAN build, build/kunit-kasan:
# that build is already there when make check gets to them, so they rebuild
# only what each state changes, never a whole kernel.  They start only when
# the tree has no local changes, and put it back on its branch (or commit)
# when they end, however they end; the KASAN build then holds the last state
# they built, and the next make kunit or make scenarios-uml rebuilds it (its
# .tree-state stamp tells).  Sourced after common.sh.
# shellcheck disable=SC2034 # used by the scripts that source this
INTREE_BUILD=$BUILD/kunit-kasan$SFX
intree_home=

intree_end() {
	[ -n "$intree_home" ] || return 0
	git -C "$TREE" reset -q --hard
	git -C "$TREE" checkout -q -f "$intree_home"
	intree_home=
}

# intree_begin: refuse a tree with local changes; restore it at exit.
intree_begin() {
	[ -z "$(git -C "$TREE" status --porcelain)" ] ||
		die "$TREE has local changes: commit or stash them first (git -C $TREE status)"
	intree_home=$(git -C "$TREE" symbolic-ref -q --short HEAD ||
		git -C "$TREE" rev-parse HEAD)
	trap intree_end EXIT
}

# intree_checkout REV: put the tree at REV, clean (files a variant added
# with git apply --index go too).
intree_checkout() {
	git -C "$TREE" reset -q --hard
	git -C "$TREE" checkout -q --detach -f "$1"
}

# intree_kunit NAME: the kasan suites the tree holds now, in the KASAN build;
# results NAME.*.  No expected-case list: a prefix or a variant has its own.
intree_kunit() {
	KUNIT_EXPECTED='' RESULT_NAME=$1 QUIET=1 "$TOP/scripts/kunit.sh" kasan
}
