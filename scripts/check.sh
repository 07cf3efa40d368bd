#!/usr/bin/env bash
# Everything but the benchmarks (make bench), the base-kernel runs of the
# reproducer (make reproduce) and the UML lockdep run (make kunit-lockdep):
# install, import and apply, KUnit suites in the KASAN config on UML and in
# the KASAN + lockdep + debugobjects one on x86_64 under qemu -smp 2, the
# user-space scenarios (with the stress run and the pressure_write() race)
# in the booted UML and qemu -smp 2 kernels, lint, applying patches/ as a
# maintainer would, bisect and bad variants; then the stable fix on 6.1.  Each
# step prints one line per test case or check; the last line sums them up
# as 'N passed, N failed' (', N skipped' when cases skipped).
set -euo pipefail
. "$(dirname "$0")/common.sh"

total_start=$(date +%s)
passed=0 failed=0 skipped=0
mkdir -p "$BUILD/results"

setup() {
	"$TOP/scripts/install-deps.sh"
	"$TOP/scripts/prepare-tree.sh"
	BASE=6.1 "$TOP/scripts/install-deps.sh"
	BASE=6.1 "$TOP/scripts/prepare-tree.sh"
}
if ! timed "setup: packages, base tree, series" setup; then
	echo "setup failed: see the messages above"
	echo "0 passed, 1 failed"
	exit 1
fi

# step NAME CMD...: run a step, show its lines, add up its closing tally.
step() {
	local name=$1 file=$BUILD/results/check-$1.txt start tally rc=0
	shift
	start=$(date +%s)
	log "$name"
	"$@" > "$file" 2>&1 || rc=$?
	grep -E '^(ok|FAIL|note|skip) ' "$file" || true
	tally=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$file" | tail -n1 || true)
	if [ -z "$tally" ]; then
		printf 'FAIL %s: no result (exit %d), see %s\n' "$name" "$rc" "${file#"$TOP"/}"
		tail -n 15 "$file" | sed 's/^/     /'
		failed=$((failed + 1))
	else
		local n_pass n_fail n_skip=0
		read -r n_pass _ n_fail _ n_skip _ <<< "${tally//,/}"
		passed=$((passed + n_pass))
		failed=$((failed + n_fail))
		skipped=$((skipped + ${n_skip:-0}))
		if [ "$rc" -ne 0 ] && [ "$n_fail" -eq 0 ]; then
			printf 'FAIL %s: exit %d\n' "$name" "$rc"
			failed=$((failed + 1))
		fi
	fi
	log "$name: $(( $(date +%s) - start ))s"
}

step kunit-kasan "$TOP/scripts/kunit.sh" kasan
step uml-scenarios "$TOP/scripts/scenarios.sh" uml
step qemu-scenarios "$TOP/scripts/scenarios.sh" qemu
# The x86_64 debug kernel that qemu-scenarios built, suites and all: KASAN,
# lockdep, debugobjects and the rest of configs/lockdep.config on two CPUs,
# so the UML lockdep run (make kunit-lockdep) is not repeated here.
# Booted with panic_on_warn=1, as syzbot and many CI systems boot: no case
# may provoke a WARN, not even on purpose.  (UML cannot: its virtio PCI
# driver warns at every boot.)
step kunit-smp env KUNIT_EXTRA=--kernel_args=panic_on_warn=1 \
	"$TOP/scripts/kunit.sh" smp
# The same KASAN kernel booted with psi=0: the case that needs PSI disabled.
step kunit-psi0 env RESULT_NAME=kunit-kasan-psi0 RESULT_LABEL=kasan,psi=0 \
	KUNIT_EXPECTED="$TOP/tests/expected/kunit-psi0.txt" \
	KUNIT_EXTRA="--kernel_args=psi=0 psi_trigger*" \
	"$TOP/scripts/kunit.sh" kasan
step lint "$TOP/scripts/lint.sh"
step apply-check "$TOP/scripts/apply-check.sh"
# Both build other states of the series in build/linux and its KASAN build
# (scripts/intree.sh): the variants, each one small change of the whole
# series, first; then the prefixes, from the whole series down.
step bad-variants "$TOP/scripts/bad-variants.sh"
step bisect "$TOP/scripts/bisect-check.sh"
# The stable fix on Debian's 6.1 (stable/6.1/): it applies, lints clean, and
# the pressure_write() race reproducer finds nothing on its UML KASAN kernel.
# The x86_64 -smp 2 run of the reproducer (a second 6.1 build, some 7 to 12
# minutes) is left to make stable-check and make reproduce, to keep make
# check near 60 minutes on 2 cores on a slow day.
step stable-6.1 env STABLE_QEMU=0 "$TOP/scripts/stable-check.sh" 6.1

log "check: $(( $(date +%s) - total_start ))s in all"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
