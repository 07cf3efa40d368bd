#!/usr/bin/env bash
# make kcsan (not in make check): the suites and the stress and rmdir_poll
# scenarios on x86_64 kernels with KCSAN under qemu -smp 2, then every data
# race KCSAN reported, sorted by scripts/kcsan-tally.py: a note for each, a
# failure for one in a function the series adds or changes.  Two x86_64
# builds, about 20 minutes cold.  Ends with 'N passed, N failed'.
set -euo pipefail
. "$(dirname "$0")/common.sh"

tree_lock shared
export KCSAN_SEPARATE=1	# logscan.py: kcsan-tally.py sorts KCSAN's reports
out=$BUILD/results
rm -f "$out"/kunit-kcsan.* "$out"/kcsan-qemu* "$out/kcsan.tally"
shopt -s nullglob
passed=0 failed=0 skipped=0
add() {	# add TALLY: show its lines, add up its last line
	local t n_pass n_fail n_skip=0
	grep -E '^(ok|FAIL|note|skip) ' "$1" || true
	t=$(tail -n1 "$1")
	if [[ $t =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
		n_pass=${BASH_REMATCH[1]} n_fail=${BASH_REMATCH[2]} n_skip=${BASH_REMATCH[4]:-0}
	else
		printf 'FAIL kcsan: no result in %s\n' "${1#"$TOP"/}"
		n_pass=0 n_fail=1
	fi
	passed=$((passed + n_pass)) failed=$((failed + n_fail)) skipped=$((skipped + n_skip))
}

KUNIT_ARCH=x86_64 RESULT_NAME=kunit-kcsan RESULT_LABEL=kcsan QUIET=1 \
	"$TOP/scripts/kunit.sh" kcsan || true
add "$out/kunit-kcsan.tally"

if "$TOP/scripts/x86-kernel.sh" kcsan series x86_64 x86_64-kcsan; then
	KERNEL=$BUILD/x86-kcsan/arch/x86/boot/bzImage RESULT=kcsan-qemu \
		"$TOP/scripts/scenarios.sh" qemu stress rmdir_poll > "$out/kcsan-qemu.tally" 2>&1 || true
	add "$out/kcsan-qemu.tally"
else
	echo "FAIL kcsan: the x86_64 KCSAN kernel did not build (build/results/x86-kcsan.out)"
	failed=$((failed + 1))
fi

python3 "$TOP/scripts/kcsan-tally.py" "$TREE" "$(base_commit)" "$out/kunit-kcsan.log" \
	"$out"/kcsan-qemu-*.log > "$out/kcsan.tally" || true
add "$out/kcsan.tally"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
