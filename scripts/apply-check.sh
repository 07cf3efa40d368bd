#!/usr/bin/env bash
# What a maintainer does with patches/, checked: `git am` and `quilt push -a`
# on a fresh base give exactly the series tree, exporting again gives no
# diff, and scripts/get_maintainer.pl names the right people and lists for
# each patch.  Ends with 'N passed, N failed'.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/scratch.sh"
tree_lock shared

passed=0 failed=0
result() {
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   apply: $2"
	else
		failed=$((failed + 1))
		echo "FAIL apply: $2"
	fi
}
want=$(git -C "$TREE" rev-parse 'HEAD^{tree}')
mapfile -t patches < <(sed "s|^|$PATCHES/|" "$PATCHES/series")

# git am, as b4 am output is applied.
scratch_checkout base
rc=0
git -C "$SCRATCH" -c user.name="$BASE_NAME" -c user.email="$BASE_EMAIL" \
	am -q --whitespace=error-all "${patches[@]}" > /dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || [ "$(git -C "$SCRATCH" rev-parse 'HEAD^{tree}')" = "$want" ] || rc=1
git -C "$SCRATCH" am --abort > /dev/null 2>&1 || true
result "$rc" "git am of the ${#patches[@]} patches in series order on a fresh base: the series tree"

# quilt, no fuzz, from the top of a plain base tree.
scratch_checkout base
rc=0
(cd "$SCRATCH" && QUILT_PATCHES=$PATCHES quilt push -a -q --fuzz=0 > /dev/null) || rc=$?
if [ "$rc" -eq 0 ]; then
	git -C "$SCRATCH" add -A -f -- . ':!.pc'
	git -C "$SCRATCH" diff --cached --quiet "$want" || rc=1
fi
result "$rc" "quilt push -a --fuzz=0 on a fresh base: the series tree"
scratch_checkout "$(git -C "$TREE" rev-parse HEAD)"

# Export again: no diff.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
PATCHES=$tmp "$TOP/scripts/export-series.sh" > /dev/null 2>&1 &&
	diff -r "$tmp" "$PATCHES" > "$BUILD/results/apply-reexport$SFX.diff" || rc=1
result "$rc" "export of the tree again gives patches/ byte for byte"

# get_maintainer.pl: who each touched path must reach.
rules=(
	"^(fs/kernfs/|include/linux/kernfs\.h)	tj@kernel.org gregkh@linuxfoundation.org"
	"^(kernel/sched/psi\.c|include/linux/psi|kernel/sched/tests/psi)	hannes@cmpxchg.org surenb@google.com"
	"^(kernel/cgroup/|include/linux/cgroup)	tj@kernel.org cgroups@vger.kernel.org"
	"^Documentation/	linux-doc@vger.kernel.org"
	"^(lib/kunit/|include/kunit/|Documentation/dev-tools/kunit/)	davidgow@google.com kunit-dev@googlegroups.com"
)
for p in "${patches[@]}"; do
	got=$(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
		--no-rolestats "$p" 2> /dev/null)
	missing=()
	while IFS= read -r f; do
		for r in "${rules[@]}"; do
			[[ $f =~ ${r%%	*} ]] || continue
			for a in ${r#*	}; do
				grep -qF "$a" <<< "$got" || missing+=("$a (for $f)")
			done
		done
	done < <(grep -E '^\+\+\+ b/' "$p" | sed 's|^+++ b/||')
	rc=0
	[ ${#missing[@]} -eq 0 ] || rc=1
	result "$rc" "get_maintainer.pl $(basename "$p"): $(grep -c . <<< "$got") addresses${missing:+, missing ${missing[*]}}"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
