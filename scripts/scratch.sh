# shellcheck shell=bash
# A second worktree of the series tree, for checks that need another commit
# or a modified tree (bisect, bad variants) without touching build/linux.
# Sourced after common.sh.
SCRATCH=$BUILD/scratch$SFX
SCRATCH_BUILD=$BUILD/kunit-scratch$SFX

# scratch_checkout REV: put the scratch worktree at REV, clean.
scratch_checkout() {
	if [ ! -e "$SCRATCH/.git" ]; then
		rm -rf "$SCRATCH"
		git -C "$TREE" worktree prune
		timed "git worktree add $SCRATCH" \
			git -C "$TREE" worktree add -q --detach "$SCRATCH" "$1"
	fi
	git -C "$SCRATCH" checkout -q --detach -f "$1"
	git -C "$SCRATCH" reset -q --hard
	git -C "$SCRATCH" clean -q -fdx
}

# scratch_kunit NAME: the kasan suites in the scratch tree; results NAME.*
scratch_kunit() {
	TREE=$SCRATCH KUNIT_BUILD_DIR=$SCRATCH_BUILD RESULT_NAME=$1 QUIET=1 \
		"$TOP/scripts/kunit.sh" kasan
}
