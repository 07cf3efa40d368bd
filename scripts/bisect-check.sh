#!/usr/bin/env bash
# Every prefix of the series builds and passes the suites it contains (KASAN
# config), in a scratch worktree, and each of those UML kernels boots
# scenarios/pressure_write_race.c clean: the stable fix holds from the first
# patch on.  Ends with 'N passed, N failed'.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/scratch.sh"

passed=0 failed=0
mapfile -t commits < <(git -C "$TREE" rev-list --reverse "$(base_commit)"..HEAD)
n=${#commits[@]}
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	subj=$(git -C "$TREE" log -1 --format=%s "$c")
	scratch_checkout "$c"
	if scratch_kunit "bisect-$i" > /dev/null 2>&1; then
		passed=$((passed + 1))
		printf 'ok   bisect: %d/%d builds, %s: %s\n' "$i" "$n" \
			"$(tail -n1 "$BUILD/results/bisect-$i.tally")" "$subj"
	else
		failed=$((failed + 1))
		printf 'FAIL bisect: %d/%d %s (see build/results/bisect-%d.*)\n' "$i" "$n" "$subj" "$i"
		grep '^FAIL' "$BUILD/results/bisect-$i.tally" | sed 's/^/     /' | head -n 5
		continue
	fi
	t=$BUILD/results/bisect-$i-uml-pressure_write_race.tally
	if KERNEL=$SCRATCH_BUILD/linux RESULT=bisect-$i-uml \
		"$TOP/scripts/scenarios.sh" uml pressure_write_race > /dev/null 2>&1; then
		passed=$((passed + 1))
		printf 'ok   bisect: %d/%d pressure_write_race clean on UML (%s)\n' "$i" "$n" \
			"$(tail -n1 "$t")"
	else
		failed=$((failed + 1))
		printf 'FAIL bisect: %d/%d pressure_write_race on UML (see %s)\n' "$i" "$n" "${t#"$TOP"/}"
		grep '^FAIL' "$t" | sed 's/^/     /' | head -n 3
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
