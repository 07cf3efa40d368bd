#!/usr/bin/env bash
# Apply each deliberately broken variant (tests/bad/*.patch) on top of the
# series and check that it goes red where its header says it must:
#   Red-in: kunit:SUITE.CASE   that case FAILs in the KASAN suites (ARCH=um)
#   Red-in: report:REGEX       the kernel log of that run has a matching line
#   Red-in: uml:NAME           the UML scenario NAME fails on that kernel
#   Red-in: smp:SUITE.CASE     that case FAILs on x86_64 under qemu -smp 2
# A variant passes when every Red-in line holds.  A variant that does not
# apply, does not build, or whose named case did not run or crashed or timed
# out (KUnit's ERROR, not a failed check) is an error of the harness and
# fails, whatever else went red; a crash counts only through a report: line.
#   scripts/bad-variants.sh [NAME...]   (default: every tests/bad/*.patch)
# SCENARIOS=1 also boots the UML scenarios on each broken kernel, QEMU=1 an
# x86_64 debug build of it with the qemu scenarios (about 5 minutes more per
# variant); what they say is reported, not counted.  Ends with
# 'N passed, N failed'.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/intree.sh"

if [ $# -gt 0 ]; then
	variants=("$@")
else
	mapfile -t variants < <(cd "$TOP/tests/bad" && ls ./*.patch | sed 's|^\./||; s|\.patch$||')
fi

# ran TALLY CASE: whether the KUnit tally has a result line for CASE.
ran() { grep -qE "^(ok  |FAIL|skip) [^:]+: $2\$" "$1"; }
# failed TALLY CASE: whether CASE failed in that tally.
failed_case() { grep -qE "^FAIL [^:]+: $2\$" "$1"; }

# Each variant goes into the series tree (scripts/intree.sh), so that its
# UML kernel and, for smp: lines, its x86_64 one are incremental builds of
# build/kunit-kasan and build/x86-debug; the tree is put back at the end.
intree_begin
head=$(git -C "$TREE" rev-parse HEAD)
passed=0 failed=0
for v in "${variants[@]}"; do
	p=$TOP/tests/bad/$v.patch
	# A base whose series differs there has its own copy (tests/bad/6.1/).
	[ ! -f "$TOP/tests/bad/$BASE/$v.patch" ] || p=$TOP/tests/bad/$BASE/$v.patch
	start=$(date +%s)
	mapfile -t reds < <(sed -n 's/^Red-in: //p' "$p")
	if [ ${#reds[@]} -eq 0 ]; then
		failed=$((failed + 1))
		printf 'FAIL bad variant %s: no Red-in: line says where it must go red\n' "$v"
		continue
	fi
	intree_checkout "$head"
	if ! git -C "$TREE" apply --index "$p"; then
		failed=$((failed + 1))
		printf 'FAIL bad variant %s: does not apply to the series; refresh %s\n' "$v" "${p#"$TOP"/}"
		continue
	fi
	# The KASAN suites on ARCH=um: every variant builds and runs them, for
	# its kunit:/report:/uml: lines or, for smp: ones, to show what one CPU
	# sees.
	tally=$BUILD/results/bad$SFX-$v.tally
	intree_kunit "bad$SFX-$v" > /dev/null 2>&1 || true
	if ! grep -q 'Starting KUnit Kernel' "$BUILD/results/bad$SFX-$v.out" 2>/dev/null; then
		failed=$((failed + 1))
		printf 'FAIL bad variant %s: harness error: the kernel did not build, see build/results/bad%s-%s.out\n' "$v" "$SFX" "$v"
		continue
	fi
	# A variant that crashes the suites names the report it must cause.
	if ! printf '%s\n' "${reds[@]}" | grep -q '^report:' &&
		! grep -qE '^(ok  |FAIL|skip) [^:]+: [a-z_0-9]+\.[a-z_0-9]+$' "$tally" 2>/dev/null; then
		failed=$((failed + 1))
		printf 'FAIL bad variant %s: harness error: no KUnit case ran (crash at boot?), see build/results/bad%s-%s.log\n' "$v" "$SFX" "$v"
		continue
	fi
	um=$(grep -qE '^FAIL' "$tally" && echo "UML suites red" || echo "UML suites green")
	ok=1 why=()
	for r in "${reds[@]}"; do
		kind=${r%%:*} what=${r#*:}
		case $kind in
		kunit)
			if ! ran "$tally" "$what"; then
				ok=0 why+=("harness error: $what did not run")
			elif failed_case "$tally" "$what"; then
				why+=("$what red")
			else
				ok=0 why+=("$what stayed green")
			fi ;;
		report)
			if grep -qE "$what" "$BUILD/results/bad$SFX-$v.log"; then
				why+=("report '$what'")
			else
				ok=0 why+=("no report '$what'")
			fi ;;
		uml)
			t=$BUILD/results/bad$SFX-$v-uml-$what.tally
			rm -f "$t"
			KERNEL=$INTREE_BUILD/linux RESULT=bad$SFX-$v-uml UML_TIMEOUT=120 \
				"$TOP/scripts/scenarios.sh" uml "$what" > /dev/null 2>&1 || true
			if grep -q '^FAIL' "$t" 2>/dev/null; then
				why+=("UML scenario $what red: $(grep -m1 '^FAIL' "$t" | cut -c1-70)")
			elif [ -f "$t" ]; then
				ok=0 why+=("UML scenario $what stayed green")
			else
				ok=0 why+=("harness error: UML scenario $what did not run")
			fi ;;
		smp)
			# The x86_64 suites build in build/x86-debug from the series
			# tree, which holds the variant (scripts/kunit.sh smp).
			t=$BUILD/results/bad$SFX-$v-smp.tally
			rm -f "$t"
			RESULT_NAME=bad$SFX-$v-smp QUIET=1 \
				"$TOP/scripts/kunit.sh" smp > /dev/null 2>&1 || true
			if ! ran "$t" "$what"; then
				ok=0 why+=("harness error: $what did not run on x86_64 -smp 2")
			elif failed_case "$t" "$what"; then
				why+=("$what red on x86_64 -smp 2: $(grep -m1 -o "${what#*.}: race: [0-9]* of [0-9]* iterations overlapped" \
					"$BUILD/results/bad$SFX-$v-smp.log" || echo 'no overlap count')")
			else
				ok=0 why+=("$what stayed green on x86_64 -smp 2")
			fi ;;
		*)
			ok=0 why+=("harness error: unknown Red-in kind '$kind'") ;;
		esac
	done
	if [ "${SCENARIOS:-0}" = 1 ]; then
		if KERNEL=$INTREE_BUILD/linux RESULT=bad$SFX-$v-uml UML_TIMEOUT=120 \
			"$TOP/scripts/scenarios.sh" uml > /dev/null 2>&1; then
			um="$um, UML scenarios green"
		else
			um="$um, UML scenarios red"
		fi
	fi
	if [ "${QEMU:-0}" = 1 ]; then
		kfrag=$(x86_kunit_fragment "$TREE")
		if ! "$TOP/scripts/x86-kernel.sh" scratch "$TREE" x86_64 x86_64-debug \
			${kfrag:+"$kfrag"} > /dev/null 2>&1; then
			um="$um, x86_64 build failed"
		elif KERNEL=$BUILD/x86-scratch/arch/x86/boot/bzImage RESULT=bad$SFX-$v-qemu \
			"$TOP/scripts/scenarios.sh" qemu > /dev/null 2>&1; then
			um="$um, qemu scenarios green"
		else
			um="$um, qemu scenarios red"
		fi
	fi
	msg=$(printf '%s; ' "${why[@]}")
	if [ "$ok" = 1 ]; then
		passed=$((passed + 1))
		printf 'ok   bad variant %s: red in %ss: %s(%s)\n' "$v" "$(( $(date +%s) - start ))" "$msg" "$um"
	else
		failed=$((failed + 1))
		printf 'FAIL bad variant %s: %s(%s)\n' "$v" "$msg" "$um"
	fi
done
intree_end
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
