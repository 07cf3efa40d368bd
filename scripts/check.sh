#!/usr/bin/env bash
# Every test and check of both bases but the benchmarks (make bench), the
# base-kernel runs of the reproducer (make reproduce), the UML lockdep runs
# (make kunit-lockdep), KCSAN (make kcsan), the 6.12.y matrix (make matrix)
# and the 6.1 stable fix's own kernels (make stable-check).  For each base:
# install, import and apply, KUnit suites in the KASAN config on UML and in
# the KASAN + lockdep + debugobjects one on x86_64 under qemu -smp 2, the
# user-space scenarios (with the stress run and the pressure_write() race)
# in the booted UML and qemu -smp 2 kernels, lint, applying the patches as a
# maintainer would, and the bad variants; on 6.12 also bisect, on 6.1 the
# stable fix (stable/6.1/) as patch 1 of the backport.
#   scripts/check.sh           both, 6.12 then 6.1 (make check)
#   scripts/check.sh 6.12      the series, patches/ (make check-6.12)
#   scripts/check.sh 6.1       its 6.1 backport, patches-6.1/ (make check-6.1)
# Each step prints one line per test case or check; the last line sums them
# up as 'N passed, N failed' (', N skipped' when cases skipped).
set -euo pipefail

# add_tally LINE: add 'N passed, N failed[, N skipped]' to the totals.
add_tally() {
	local n_pass n_fail n_skip=0
	read -r n_pass _ n_fail _ n_skip _ <<< "${1//,/}"
	passed=$((passed + n_pass))
	failed=$((failed + n_fail))
	skipped=$((skipped + ${n_skip:-0}))
}
# last_tally FILE: its last 'N passed, N failed...' line, if any.
last_tally() {
	grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$1" | tail -n1 || true
}
finish() {
	log "check${1:+ ($1)}: $(( $(date +%s) - total_start ))s in all"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
}

if [ $# -eq 0 ]; then
	# Both bases, each in a process of its own (common.sh binds one base).
	. "$(dirname "$0")/common.sh"
	total_start=$(date +%s)
	passed=0 failed=0 skipped=0
	mkdir -p "$BUILD/results"
	for b in 6.12 6.1; do
		f=$BUILD/results/check-base-$b.txt
		rc=0
		"$0" "$b" 2>&1 | tee "$f" || rc=$?
		t=$(last_tally "$f")
		if [ -z "$t" ]; then
			echo "FAIL check $b: no result (exit $rc), see ${f#"$TOP"/}"
			failed=$((failed + 1))
			continue
		fi
		before=$failed
		add_tally "$t"
		if [ "$rc" -ne 0 ] && [ "$failed" -eq "$before" ]; then
			echo "FAIL check $b: exit $rc"
			failed=$((failed + 1))
		fi
	done
	finish "6.12 and 6.1"
	exit $?
fi

case $1 in
6.12)	export BASE=6.12 ;;
6.1)	export BASE=6.1 ;;
*)	echo "usage: $0 [6.12|6.1]" >&2; exit 2 ;;
esac
. "$(dirname "$0")/common.sh"

total_start=$(date +%s)
passed=0 failed=0 skipped=0
mkdir -p "$BUILD/results"

setup() {
	"$TOP/scripts/install-deps.sh"
	"$TOP/scripts/prepare-tree.sh"
}
if ! timed "setup ($BASE): packages, base tree, series" setup; then
	echo "setup failed: see the messages above"
	echo "0 passed, 1 failed"
	exit 1
fi

# step NAME CMD...: run a step, show its lines, add up its closing tally.
step() {
	local name=$1 file=$BUILD/results/check$SFX-$1.txt start tally rc=0
	shift
	start=$(date +%s)
	log "$name${SFX:+ ($BASE)}"
	"$@" > "$file" 2>&1 || rc=$?
	grep -E '^(ok|FAIL|note|skip) ' "$file" || true
	tally=$(last_tally "$file")
	if [ -z "$tally" ]; then
		printf 'FAIL %s: no result (exit %d), see %s\n' "$name" "$rc" "${file#"$TOP"/}"
		tail -n 15 "$file" | sed 's/^/     /'
		failed=$((failed + 1))
	else
		local before=$failed
		add_tally "$tally"
		if [ "$rc" -ne 0 ] && [ "$failed" -eq "$before" ]; then
			printf 'FAIL %s: exit %d\n' "$name" "$rc"
			failed=$((failed + 1))
		fi
	fi
	log "$name${SFX:+ ($BASE)}: $(( $(date +%s) - start ))s"
}

# stable_same: the stable fix kept alone (stable/BASE/) is patch 1 of the
# backport (patches-BASE/) but for its subject prefix and base-commit line,
# and applied alone to the base it gives the tree of the backport's first
# commit, which the other steps build and test in the whole series.  Its
# own kernels, built with nothing on top, are make stable-check's.
stable_same() {
	local s p tmp first np=0 nf=0
	mapfile -t s < "$TOP/stable/$BASE/series"
	p=$PATCHES/$(head -n1 "$PATCHES/series")
	tmp=$(mktemp -d)
	# The patch file without its subject (prefixes differ), its
	# base-commit line and blank lines (outside a diff's context lines).
	norm() { sed -e '/^Subject: /,/^$/d' -e '/^base-commit: /d' -e '/^$/d' "$1"; }
	if [ ${#s[@]} -eq 1 ] && cmp -s <(norm "$TOP/stable/$BASE/${s[0]}") <(norm "$p"); then
		np=$((np + 1))
		echo "ok   stable $BASE: stable/$BASE/${s[0]} is patch 1 of ${PATCHES#"$TOP"/}/"
	else
		nf=$((nf + 1))
		echo "FAIL stable $BASE: stable/$BASE/ is not patch 1 of ${PATCHES#"$TOP"/}/ (one patch, same message and diff)"
	fi
	first=$(git -C "$TREE" rev-list --reverse base..HEAD | head -n1)
	if GIT_INDEX_FILE=$tmp/index git -C "$TREE" read-tree base &&
		GIT_INDEX_FILE=$tmp/index git -C "$TREE" apply --cached --whitespace=error-all \
			"$TOP/stable/$BASE/${s[0]}" &&
		[ "$(GIT_INDEX_FILE=$tmp/index git -C "$TREE" write-tree)" = \
			"$(git -C "$TREE" rev-parse "$first^{tree}")" ]; then
		np=$((np + 1))
		echo "ok   stable $BASE: applies alone to the base, giving the tree of the backport's patch 1"
	else
		nf=$((nf + 1))
		echo "FAIL stable $BASE: does not apply alone to the base as the backport's patch 1"
	fi
	rm -rf "$tmp"
	echo "$np passed, $nf failed"
}

# The 6.1 run of make check bounds the x86_64 scenarios that take the most
# time (stress, the pressure_write() races) more tightly than 6.12's, so
# that both bases fit in 75 minutes on 2 cores; make scenarios-qemu BASE=6.1
# runs them as long as 6.12's.
qemu_env=()
[ "$BASE" = 6.12 ] || qemu_env=(STRESS_ITERATIONS="${STRESS_ITERATIONS:-1500}"
	RACE_SECONDS="${RACE_SECONDS:-10}")

step kunit-kasan "$TOP/scripts/kunit.sh" kasan
step uml-scenarios "$TOP/scripts/scenarios.sh" uml
step qemu-scenarios env "${qemu_env[@]}" "$TOP/scripts/scenarios.sh" qemu
# The x86_64 debug kernel that qemu-scenarios built, suites and all: KASAN,
# lockdep, debugobjects and the rest of configs/lockdep.config on two CPUs,
# so the UML lockdep run (make kunit-lockdep) is not repeated here.
# Booted with panic_on_warn=1, as syzbot and many CI systems boot: no case
# may provoke a WARN, not even on purpose.  (UML cannot: its virtio PCI
# driver warns at every boot.)
step kunit-smp env KUNIT_EXTRA=--kernel_args=panic_on_warn=1 \
	"$TOP/scripts/kunit.sh" smp
# The same KASAN kernel booted with psi=0: the case that needs PSI disabled.
step kunit-psi0 env RESULT_NAME=kunit-kasan$SFX-psi0 RESULT_LABEL=kasan,psi=0 \
	KUNIT_EXPECTED="$TOP/tests/expected/kunit-psi0.txt" \
	KUNIT_EXTRA="--kernel_args=psi=0 psi_trigger*" \
	"$TOP/scripts/kunit.sh" kasan
step lint "$TOP/scripts/lint.sh"
step apply-check "$TOP/scripts/apply-check.sh"
[ "$BASE" = 6.12 ] || step stable-same stable_same
# Both build other states of the series in the series tree and its KASAN
# build (scripts/intree.sh): the variants, each one small change of the
# whole series, first; then, on 6.12, the prefixes, from the whole series
# down.  (make bisect BASE=6.1 does it for the backport: 7.5 minutes in
# one run on a fast machine, left out to keep both bases in 75 minutes.)
step bad-variants "$TOP/scripts/bad-variants.sh"
if [ "$BASE" = 6.12 ]; then
	step bisect "$TOP/scripts/bisect-check.sh"
fi

finish "$BASE"
