#!/usr/bin/env bash
# Export the commits of the series tree back to patches/ with a cover letter,
# and write the quilt series file.  Stable: exporting twice gives no diff.
set -euo pipefail
. "$(dirname "$0")/common.sh"
tree_lock shared

[ -d "$TREE/.git" ] || die "no tree at $TREE: run 'make tree' first"
git -C "$TREE" diff --quiet HEAD || die "$TREE has uncommitted changes: commit them first"
# A detached HEAD is a prefix or another state of the series (a killed make
# bisect: make tree puts it back), not the series.
git -C "$TREE" symbolic-ref -q HEAD > /dev/null ||
	die "$TREE is not on a branch (detached at $(git -C "$TREE" rev-parse --short HEAD)): 'make tree' or git checkout series first"
base=$(base_commit)
n=$(git -C "$TREE" rev-list --count "$base"..HEAD)
[ "$n" -gt 0 ] || die "no commits on top of the base"
git -C "$TREE" config branch.series.description >/dev/null ||
	git -C "$TREE" config branch.series.description \
		"$(printf 'kernfs: free open-file state at the last fput\n\n*** BLURB HERE ***')"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A fixed committer identity, and as date the newest author date of the
# series (the cover letter's Date:), keep the cover letter's headers stable
# and its date in line with the patches'; --zero-commit keeps a change to one
# patch from touching the others.
# A single patch (the stable fix of another base) goes without a cover letter.
cover=(--cover-letter --cover-from-description=subject --numbered)
what="$n patches and a cover letter"
# The series is posted as its second version, its backport to another base
# with that base in the prefix; a stable backport as is.
prefix="PATCH v2"
[ "$BASE" = 6.12 ] || prefix="PATCH v2 $BASE"
[ "$n" -gt 1 ] || { cover=(--no-numbered); what="1 patch"; prefix=PATCH; }
GIT_COMMITTER_NAME=$BASE_NAME GIT_COMMITTER_EMAIL=$BASE_EMAIL \
GIT_COMMITTER_DATE="@$(git -C "$TREE" log --format=%at "$base"..HEAD | sort -n | tail -n1) +0000" \
git -C "$TREE" -c core.abbrev=12 -c diff.renames=true -c format.signature= \
	format-patch -q -o "$tmp" "${cover[@]}" \
	--zero-commit --base="$base" --no-signature \
	--subject-prefix="$prefix" "$base"..HEAD
rm -f "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch
mkdir -p "$PATCHES"
cp "$tmp"/*.patch "$PATCHES"/
series_patches | xargs -n1 basename > "$PATCHES/series"
# Remember that the tree and patches/ agree.
{ cat "$PATCHES/series"; cat "$PATCHES"/*.patch; } | sha256sum | cut -d' ' -f1 |
	tr '\n' ' ' > "$TREE/.git/kernfs-free-state"
git -C "$TREE" rev-parse HEAD >> "$TREE/.git/kernfs-free-state"
log "exported $what to $PATCHES"
