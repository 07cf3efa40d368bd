#!/usr/bin/env bash
# Unpack the Debian kernel source under build/, import it as a reproducible
# base commit, and apply patches/ with git am.  Idempotent: does nothing when
# the tree already holds exactly patches/.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/intree.sh"

# TARBALL: another copy of the source (scripts/matrix.sh).
tarball=${TARBALL:-/usr/src/$LINUX_SOURCE_PKG.tar.xz}
base_subject="Import $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION"
state=$TREE/.git/kernfs-free-state

import_base() {
	local tmp
	[ -f "$tarball" ] || die "$tarball missing: run 'make deps' first"
	rm -rf "$TREE" "$TREE.tmp"
	mkdir -p "$TREE.tmp"
	timed "unpack $tarball" tar -xaf "$tarball" -C "$TREE.tmp"
	tmp=$(find "$TREE.tmp" -mindepth 1 -maxdepth 1 -type d)
	mv "$tmp" "$TREE"
	rmdir "$TREE.tmp"
	# Debian's tarball appends rules to the top-level .gitignore that
	# ignore everything at the top level ("/*").  In a git tree that
	# silently keeps new files (tests, .kunitconfig) out of commits, so
	# drop that block: the base then matches upstream's .gitignore.
	python3 - "$TREE/.gitignore" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().split('\n')
for i, l in enumerate(lines):
    if 'Debian packaging' in l:
        while i > 0 and lines[i - 1].strip() in ('#', ''):
            i -= 1
        lines = lines[:i]
        break
open(p, 'w').write('\n'.join(lines).rstrip('\n') + '\n')
PY
	grep -qx '/\*' "$TREE/.gitignore" && die ".gitignore still ignores the top level"
	git -C "$TREE" init -q -b series
	git -C "$TREE" config user.name "$BASE_NAME"
	git -C "$TREE" config user.email "$BASE_EMAIL"
	git -C "$TREE" config core.abbrev 12
	git -C "$TREE" config gc.auto 0
	timed "git add (base tree)" git -C "$TREE" add -A -f .
	GIT_AUTHOR_NAME=$BASE_NAME GIT_AUTHOR_EMAIL=$BASE_EMAIL \
	GIT_AUTHOR_DATE=$BASE_DATE GIT_COMMITTER_NAME=$BASE_NAME \
	GIT_COMMITTER_EMAIL=$BASE_EMAIL GIT_COMMITTER_DATE=$BASE_DATE \
		timed "git commit (base)" git -C "$TREE" commit -q --no-verify \
		-m "$base_subject" \
		-m "Unpacked from $tarball of Debian package $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION; the Debian-only rules at the end of the top-level .gitignore are dropped."
	git -C "$TREE" tag -f base >/dev/null
	log "base commit $(base_commit)"
}

patches_hash() {
	{ cat "$PATCHES/series" "$PATCHES"/*.patch 2>/dev/null || true; } |
		sha256sum | cut -d' ' -f1
}

# The cover letter's subject and body become the branch description, which
# export-series.sh turns back into the cover letter.
set_description() {
	local cover=$PATCHES/0000-cover-letter.patch
	[ -f "$cover" ] || return 0
	python3 - "$cover" > "$TREE/.git/cover-description" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
head, _, body = text.partition('\n\n')
subj = re.search(r'^Subject: (.*(?:\n .*)*)', head, re.M).group(1)
subj = re.sub(r'\n ', ' ', subj)
subj = re.sub(r'^\[[^]]*\] ', '', subj)
out = []
for line in body.split('\n'):
    if re.match(r'^\S.* \(\d+\):$', line):
        break
    out.append(line)
print(subj + '\n\n' + '\n'.join(out).strip('\n'))
PY
	git -C "$TREE" config branch.series.description \
		"$(cat "$TREE/.git/cover-description")"
}

have_base() {
	[ -d "$TREE/.git" ] &&
	[ "$(git -C "$TREE" log -1 --format=%s "$(base_commit)" 2>/dev/null)" = "$base_subject" ]
}

# up_to_date: the tree is the base with exactly patches/ applied, on its branch.
up_to_date() {
	local have_hash have_head
	[ ! -f "$INTREE_HOME" ] && [ -f "$state" ] && have_base || return 1
	read -r have_hash have_head < "$state"
	[ "$have_hash" = "$(patches_hash)" ] &&
	[ "$have_head" = "$(git -C "$TREE" rev-parse HEAD)" ] &&
	git -C "$TREE" diff --quiet HEAD
}

exit_if_up_to_date() {
	up_to_date || return 0
	log "tree up to date: $TREE ($(git -C "$TREE" rev-list --count base..HEAD) patches on $(git -C "$TREE" rev-parse --short base))"
	exit 0
}

# The usual case, told without waiting for the lock, which a long shared
# run (make kcsan) may hold; a bisect or bad-variants run under way is not
# up to date (INTREE_HOME), so that case waits for it below.
exit_if_up_to_date
tree_lock exclusive
have_base || import_base

# A bisect or bad-variants run that was killed leaves the tree elsewhere.
intree_restore || die "could not put $TREE back on $(cat "$INTREE_HOME")"
exit_if_up_to_date
want=$(patches_hash)
head=$(git -C "$TREE" rev-parse HEAD)
if [ -f "$state" ]; then
	read -r _ have_head < "$state"
	if [ "$have_head" != "$head" ] || ! git -C "$TREE" diff --quiet HEAD; then
		[ "${FORCE:-0}" = 1 ] ||
			die "$TREE holds work that is not in patches/ (run 'make export' first, or FORCE=1 to discard it)"
	fi
elif [ "$head" != "$(base_commit)" ] && [ "${FORCE:-0}" != 1 ]; then
	die "$TREE has commits of unknown origin (FORCE=1 to reset it to patches/)"
fi

git -C "$TREE" am --abort >/dev/null 2>&1 || true
git -C "$TREE" checkout -q -B series base
git -C "$TREE" reset -q --hard base
mapfile -t list < <(series_patches)
if [ "${#list[@]}" -gt 0 ]; then
	timed "git am ${#list[@]} patches" \
		git -C "$TREE" am -q --committer-date-is-author-date "${list[@]}"
fi
set_description
echo "$want $(git -C "$TREE" rev-parse HEAD)" > "$state"
log "tree ready: $TREE"
