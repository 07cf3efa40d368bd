# shellcheck shell=bash
# A second worktree of the series tree, for applying patches/ to a fresh
# base without touching build/linux (scripts/apply-check.sh).  Bisect and
# bad variants use build/linux itself (scripts/intree.sh).  Sourced after
# common.sh.
SCRATCH=$BUILD/scratch$SFX

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
