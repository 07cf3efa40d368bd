#!/usr/bin/env bash
# Every prefix of the series builds and passes the suites it contains (KASAN
# config), and each of those UML kernels boots scenarios/pressure_write_race.c
# clean: the stable fix holds from the first patch on.  The prefixes are
# built in the series tree and its KASAN build (scripts/intree.sh), from the
# whole series down to the first patch: each step back rebuilds only what one
# patch changed, and no prefix needs a kernel built from nothing.  The
# reproducer runs 300 iterations or 5 s per race here
# (BISECT_RACE_ITERATIONS, BISECT_RACE_SECONDS): on the base kernel's UML
# build the two rt races reported within 1 to 3 iterations in every recorded
# run (README; avg/hide never hits on one CPU), while a fixed UML kernel runs
# 2,000 in under 15 s.  This shows the fix stays in every prefix; it cannot
# see a narrower window that a later patch might open, which the full runs
# (2,000 iterations or 15 s per race) of make scenarios-uml and the qemu
# -smp 2 runs look for on the whole series.  A patch that changes no C token
# (comments only, checked token by token) is not rebuilt: its prefix builds
# and runs as the one before it does, if that one passes.
# Ends with 'N passed, N failed'.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/intree.sh"

passed=0 failed=0

# tokens REV:FILE: the C tokens of a source or header, comments and blank
# space dropped.  Continued lines are joined first, as the compiler joins
# them (gcc -fpreprocessed removes comments and expands nothing, but keeps a
# backslash that would make a comment swallow the next line); fails if gcc
# does.
tokens() (
	set -o pipefail
	git -C "$TREE" show "$1" | sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' |
		gcc -fpreprocessed -dD -E -P -x c - |
		sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | { grep -v '^$' || true; }
)
# comment_only COMMIT: it changes only C sources and headers, and no C token
# in them (a kernel-doc patch): its prefix builds and runs as the previous one.
comment_only() {
	local f a b files
	mapfile -t files < <(git -C "$TREE" diff-tree --no-commit-id --name-only -r "$1")
	[ "${#files[@]}" -gt 0 ] || return 1
	for f in "${files[@]}"; do
		case $f in *.c | *.h) ;; *) return 1 ;; esac
		a=$(tokens "$1^:$f" 2> /dev/null) || return 1
		b=$(tokens "$1:$f" 2> /dev/null) || return 1
		[ -n "$a" ] && [ "$a" = "$b" ] || return 1
	done
}

# check_prefix I COMMIT: build prefix I, run its suites and the reproducer.
check_prefix() {
	local i=$1 c=$2 subj t
	subj=$(git -C "$TREE" log -1 --format=%s "$c")
	intree_checkout "$c"
	if intree_kunit "bisect$SFX-$i" > /dev/null 2>&1; then
		passed=$((passed + 1))
		printf 'ok   bisect: %d/%d builds, %s: %s\n' "$i" "$n" \
			"$(tail -n1 "$BUILD/results/bisect$SFX-$i.tally")" "$subj"
	else
		failed=$((failed + 1))
		printf 'FAIL bisect: %d/%d %s (see build/results/bisect%s-%d.*)\n' "$i" "$n" "$subj" "$SFX" "$i"
		grep '^FAIL' "$BUILD/results/bisect$SFX-$i.tally" | sed 's/^/     /' | head -n 5
		return 1
	fi
	t=$BUILD/results/bisect$SFX-$i-uml-pressure_write_race.tally
	if KERNEL=$INTREE_BUILD/linux RESULT=bisect$SFX-$i-uml \
		RACE_ITERATIONS=${BISECT_RACE_ITERATIONS:-300} \
		RACE_SECONDS=${BISECT_RACE_SECONDS:-5} \
		"$TOP/scripts/scenarios.sh" uml pressure_write_race > /dev/null 2>&1; then
		passed=$((passed + 1))
		printf 'ok   bisect: %d/%d pressure_write_race clean on UML (%s)\n' "$i" "$n" \
			"$(tail -n1 "$t")"
	else
		failed=$((failed + 1))
		printf 'FAIL bisect: %d/%d pressure_write_race on UML (see %s)\n' "$i" "$n" "${t#"$TOP"/}"
		grep '^FAIL' "$t" | sed 's/^/     /' | head -n 3
		return 1
	fi
}

intree_begin
mapfile -t commits < <(git -C "$TREE" rev-list --reverse "$(base_commit)"..HEAD)
n=${#commits[@]}
# Comment-only patches wait for the prefix before them: pending holds their
# numbers until that prefix has run.
pending=()
for ((i = n; i >= 1; i--)); do
	c=${commits[i - 1]}
	if [ "$i" -gt 1 ] && comment_only "$c"; then
		pending+=("$i")
		continue
	fi
	if check_prefix "$i" "$c"; then
		for p in "${pending[@]}"; do
			passed=$((passed + 1))
			printf 'ok   bisect: %d/%d changes comments only, no C token (%s): builds and runs as %d/%d, not rebuilt: %s\n' \
				"$p" "$n" \
				"$(git -C "$TREE" diff-tree --no-commit-id --name-only -r "${commits[p - 1]}" | paste -sd' ')" \
				"$i" "$n" "$(git -C "$TREE" log -1 --format=%s "${commits[p - 1]}")"
		done
	else
		# The prefix before them failed: build the comment-only ones too.
		for p in "${pending[@]}"; do
			check_prefix "$p" "${commits[p - 1]}" || true
		done
	fi
	pending=()
done
intree_end
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
