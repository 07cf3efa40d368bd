#!/usr/bin/env bash
# Apply each deliberately broken variant (tests/bad/*.patch) on top of the
# series in a scratch worktree and check that the KASAN suites go red.
#   scripts/bad-variants.sh [NAME...]   (default: every tests/bad/*.patch)
# Ends with 'N passed, N failed': a variant passes when the suites FAIL, or,
# for a variant with a "Red-in: uml:NAME" line, when that UML scenario fails.
# Each broken kernel also boots the UML scenarios, and with QEMU=1 an x86_64
# debug build of it boots the qemu ones (about 5 minutes more per variant);
# what they say is reported, not counted.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/scratch.sh"

if [ $# -gt 0 ]; then
	variants=("$@")
else
	mapfile -t variants < <(cd "$TOP/tests/bad" && ls ./*.patch | sed 's|^\./||; s|\.patch$||')
fi
passed=0 failed=0
for v in "${variants[@]}"; do
	p=$TOP/tests/bad/$v.patch
	scratch_checkout "$(git -C "$TREE" rev-parse HEAD)"
	if ! git -C "$SCRATCH" apply "$p"; then
		failed=$((failed + 1))
		printf 'FAIL bad variant %s: does not apply to the series; refresh %s\n' "$v" "${p#"$TOP"/}"
		continue
	fi
	start=$(date +%s)
	# A variant that only user space can see names the UML scenario that
	# must go red: "Red-in: uml:NAME" above its diff.
	red_in=$(sed -n 's/^Red-in: uml://p' "$p" | head -n1)
	if [ -n "$red_in" ]; then
		kunit="suites green"
		scratch_kunit "bad-$v" > /dev/null 2>&1 || kunit="suites red"
		if KERNEL=$SCRATCH_BUILD/linux RESULT=bad-$v-uml UML_TIMEOUT=120 \
			"$TOP/scripts/scenarios.sh" uml "$red_in" > /dev/null 2>&1; then
			failed=$((failed + 1))
			printf 'FAIL bad variant %s: UML scenario %s stayed green (%s)\n' \
				"$v" "$red_in" "$kunit"
		else
			passed=$((passed + 1))
			red=$(grep -h '^FAIL' "$BUILD/results/bad-$v-uml-$red_in.tally" 2>/dev/null |
				head -n2 | cut -c1-80 | paste -sd';' -)
			printf 'ok   bad variant %s: UML scenario %s red in %ss, %s (%s)\n' \
				"$v" "$red_in" "$(( $(date +%s) - start ))" "$kunit" "${red:-no tally}"
		fi
		continue
	fi
	if scratch_kunit "bad-$v" > /dev/null 2>&1; then
		failed=$((failed + 1))
		printf 'FAIL bad variant %s: the suites stayed green\n' "$v"
	else
		passed=$((passed + 1))
		red=$(grep '^FAIL' "$BUILD/results/bad-$v.tally" | sed 's/^FAIL kasan: //' |
			cut -c1-60 | paste -sd';' -)
		# The user-space scenario on the same broken kernel, for the record.
		# A broken kernel may hang a scenario: 2 minutes each (20 s when sound).
		if KERNEL=$SCRATCH_BUILD/linux RESULT=bad-$v-uml UML_TIMEOUT=120 \
			"$TOP/scripts/scenarios.sh" uml > /dev/null 2>&1; then
			uml="UML scenarios green"
		else
			uml="UML scenarios red too"
		fi
		if [ "${QEMU:-0}" = 1 ]; then
			if ! "$TOP/scripts/x86-kernel.sh" scratch "$SCRATCH" x86_64 x86_64-debug \
				> /dev/null 2>&1; then
				uml="$uml, x86_64 build failed"
			elif KERNEL=$BUILD/x86-scratch/arch/x86/boot/bzImage RESULT=bad-$v-qemu \
				"$TOP/scripts/scenarios.sh" qemu > /dev/null 2>&1; then
				uml="$uml, qemu scenarios green"
			else
				uml="$uml, qemu scenarios red too"
			fi
		fi
		printf 'ok   bad variant %s: suites red in %ss, %s (%s)\n' "$v" \
			"$(( $(date +%s) - start ))" "$uml" "$red"
	fi
done
scratch_checkout "$(git -C "$TREE" rev-parse HEAD)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
