#!/usr/bin/env bash
# The stable fix alone on another base (stable/BASE/): it applies to a fresh
# base as a maintainer applies it, checkpatch --strict, sparse and W=1 are quiet,
# and scenarios/pressure_write_race.c finds nothing on the fixed kernels
# (KASAN on ARCH=um; KASAN, lockdep, debugobjects and kmemleak on x86_64
# under qemu -smp 2, unless STABLE_QEMU=0).  Not part of make check, which
# checks instead that stable/BASE/ is patch 1 of patches-BASE/ and applies
# alone, and tests that patch in the whole backport: the kernels here (some
# 7 minutes for UML, 8 to 12 more for x86_64) have nothing on top of it.
#   scripts/stable-check.sh BASE      (6.1)
# Ends with 'N passed, N failed'.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BASE" >&2; exit 2; }
# Its own tree and builds (build/linux-BASE-stable, SFX -BASE-stable): the
# base's tree holds the whole backport (patches-BASE/).
export BASE=$1 STABLE=1
. "$(dirname "$0")/common.sh"

passed=0 failed=0
# part NAME CMD...: one sub-check; its ok/FAIL lines, tallies added up.
part() {
	local name=$1 f=$BUILD/results/stable$SFX-$1.txt t rc=0
	shift
	"$@" > "$f" 2>&1 || rc=$?
	grep -E '^(ok|FAIL|skip) ' "$f" | sed "s/^\(ok  \|FAIL\|skip\) /\1 $BASE: /" || true
	t=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$f" | tail -n1 || true)
	if [ -z "$t" ]; then
		echo "FAIL $BASE: $name: no result (exit $rc), see ${f#"$TOP"/}"
		failed=$((failed + 1))
		return 0
	fi
	t=${t//,/}
	read -r np _ nf _ <<< "$t"
	passed=$((passed + np)) failed=$((failed + nf))
	if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
		echo "FAIL $BASE: $name: exit $rc"
		failed=$((failed + 1))
	fi
}

"$TOP/scripts/install-deps.sh"
"$TOP/scripts/prepare-tree.sh"
part kunit "$TOP/scripts/kunit.sh" kasan
part apply "$TOP/scripts/apply-check.sh"
part lint "$TOP/scripts/lint.sh"
part uml "$TOP/scripts/scenarios.sh" uml pressure_write_race
if [ "${STABLE_QEMU:-1}" = 1 ]; then
	part qemu "$TOP/scripts/scenarios.sh" qemu pressure_write_race
else
	echo "note $BASE: qemu: the reproducer on the x86_64 -smp 2 kernel is not run here (STABLE_QEMU=0); make stable-check runs it"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
