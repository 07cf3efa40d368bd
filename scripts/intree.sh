# shellcheck shell=bash
# Checks that build other states of the series (bisect, bad variants) in the
# series tree itself, build/linux, and its KASAN build, build/kunit-kasan:
# that build is already there when make check gets to them, so they rebuild
# only what each state changes, never a whole kernel.  They start only when
# the tree has no local changes, and put it back on its branch (or commit)
# when they end, on an error or on SIGINT, SIGTERM or SIGHUP too; where they
# could not (SIGKILL, a crash), the next one, and make tree, put it back
# first (the branch is kept in build/.intree-home-NAME meanwhile).  The
# KASAN build then holds the last state they built, and the next make kunit,
# make lint or make scenarios-uml rebuilds it (its .tree-state stamp tells).
# Sourced after common.sh.
# shellcheck disable=SC2034 # used by the scripts that source this
INTREE_BUILD=$BUILD/kunit-kasan$SFX
intree_active=0

# intree_restore [end]: if a run left the tree elsewhere, put it back on
# the branch it recorded (quietly at the end of this run).  Also called by
# scripts/prepare-tree.sh.
intree_restore() {
	local home
	[ -f "$INTREE_HOME" ] || return 0
	home=$(cat "$INTREE_HOME")
	[ "${1:-}" = end ] ||
		log "putting $TREE back on $home (a killed bisect or bad-variants run left it elsewhere)"
	git -C "$TREE" reset -q --hard || return 1
	git -C "$TREE" checkout -q -f "$home" || return 1
	rm -f "$INTREE_HOME"
}

intree_end() {
	[ "$intree_active" = 1 ] || return 0
	trap '' INT TERM HUP
	intree_restore end || log "could not put $TREE back on $(cat "$INTREE_HOME"): see git -C $TREE status"
	intree_active=0
	trap - INT TERM HUP
}

# intree_begin: take the tree's lock exclusive; refuse a tree with local
# changes; restore it at exit.
intree_begin() {
	tree_lock exclusive
	intree_restore || die "could not put $TREE back on $(cat "$INTREE_HOME")"
	[ -z "$(git -C "$TREE" status --porcelain)" ] ||
		die "$TREE has local changes: commit or stash them first (git -C $TREE status)"
	mkdir -p "$BUILD"
	{ git -C "$TREE" symbolic-ref -q --short HEAD || git -C "$TREE" rev-parse HEAD; } > "$INTREE_HOME"
	intree_active=1
	trap intree_end EXIT
	# kunit.py catches SIGINT and exits normally: without these the script
	# would go on to the next state.
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
}

# intree_checkout REV: put the tree at REV, clean (files a variant added
# with git apply --index go too); dies if it cannot.
intree_checkout() {
	if ! git -C "$TREE" reset -q --hard ||
		! git -C "$TREE" checkout -q --detach -f "$1"; then
		die "cannot check out $1 in $TREE"
	fi
}

# intree_kunit NAME: the kasan suites the tree holds now, in the KASAN build;
# results NAME.*.  No expected-case list: a prefix or a variant has its own.
intree_kunit() {
	KUNIT_EXPECTED='' RESULT_NAME=$1 QUIET=1 "$TOP/scripts/kunit.sh" kasan
}
