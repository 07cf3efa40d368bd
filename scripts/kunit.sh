#!/usr/bin/env bash
# Run the series' KUnit suites with kunit.py in one debug config, on ARCH=um
# or, with KUNIT_ARCH=x86_64, under qemu-system-x86_64 -smp 2.
#   scripts/kunit.sh [CONFIG] [SUITE_DIR...]
# CONFIG names configs/CONFIG.config (default: kasan); SUITE_DIRs default to
# configs/suites.  Results: build/results/kunit-CONFIG.{out,log,json,tally}:
# kunit.py's output, the kernel log, parsed results, and the summary.
# KUNIT_EXTRA adds kunit.py arguments (e.g. --kernel_args=psi=0), RESULT_NAME
# names the results, KUNIT_BUILD_DIR and TREE select another tree.
# KUNIT_EXPECTED names the file of cases the run must have (kunit-tally.py);
# by default tests/expected/kunit.txt for every suite of the whole series
# (build/linux, BASE=6.12, no filter glob), none for another tree or base.
set -euo pipefail
. "$(dirname "$0")/common.sh"

cfg=${1:-kasan}
shift || true
[ -f "$TOP/configs/$cfg.config" ] || die "no configs/$cfg.config"
if [ $# -gt 0 ]; then
	suites=("$@")
else
	mapfile -t suites < <(grep -v '^#' "$TOP/configs/suites" | grep .)
fi

if [ -z "${KUNIT_EXPECTED+set}" ]; then
	KUNIT_EXPECTED=
	if [ $# -eq 0 ] && [ "$TREE" = "$BUILD/linux" ] && [ -z "$SFX" ] &&
		! grep -qE '(^| )[^- ]' <<< "${KUNIT_EXTRA:-}"; then
		KUNIT_EXPECTED=$TOP/tests/expected/kunit.txt
	fi
fi

kargs=()
for d in "${suites[@]}"; do
	if [ -f "$TREE/$d/.kunitconfig" ]; then
		kargs+=("--kunitconfig=$d/.kunitconfig")
	else
		log "skipping $d: no .kunitconfig in this tree (suite not in this prefix of the series)"
	fi
done
have_suites=${#kargs[@]}
set -f
# shellcheck disable=SC2206 # split on blanks, no globbing: a filter glob
extra=(${KUNIT_EXTRA:-})
set +f
kargs+=("--kunitconfig=$TOP/configs/$cfg.config")

arch=${KUNIT_ARCH:-um}
if [ "$arch" != um ]; then
	extra+=("--qemu_args=-smp 2 -m 1G")
fi

# Another tree (scripts/bisect-check.sh) uses its own build directory.
bdir=${KUNIT_BUILD_DIR:-$BUILD/kunit-$cfg$SFX}
name=${RESULT_NAME:-kunit-$cfg$SFX}
out=$BUILD/results
mkdir -p "$out"
rm -f "$bdir/test.log" "$bdir/.tree-state" "$out/$name".*
rc=0
# What the tree holds as the build starts: scripts/scenarios.sh boots the
# kernel only if the tree still holds that.
state=$(tree_state "$TREE")
if [ "$have_suites" -eq 0 ]; then
	# An early prefix of the series (bisect): nothing to run, it must build.
	timed "kunit.py build ($cfg, no suite in this tree)" \
		env -C "$TREE" python3 tools/testing/kunit/kunit.py build \
		--arch="$arch" --build_dir="$bdir" --jobs="$JOBS" "${kargs[@]}" \
		> "$out/$name.out" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		printf '%s\n' "$state" > "$bdir/.tree-state"
		printf 'ok   %s: builds (no suite in this tree)\n1 passed, 0 failed\n' "$cfg"
	else
		printf 'FAIL %s: build failed, see %s\n0 passed, 1 failed\n' "$cfg" "$out/$name.out"
	fi > "$out/$name.tally"
	[ "${QUIET:-0}" = 1 ] || cat "$out/$name.tally"
	exit "$rc"
fi
timed "kunit.py run ($cfg: ${suites[*]})" \
	env -C "$TREE" python3 tools/testing/kunit/kunit.py run \
	--arch="$arch" --build_dir="$bdir" --jobs="$JOBS" \
	--timeout=600 --json="$out/$name.json" "${kargs[@]}" "${extra[@]}" \
	> "$out/$name.out" 2>&1 || rc=$?
if grep -q 'Starting KUnit Kernel' "$out/$name.out"; then
	printf '%s\n' "$state" > "$bdir/.tree-state"
fi
# kunit.py keeps the whole kernel log in the build directory.
cp "$bdir/test.log" "$out/$name.log" 2>/dev/null || : > "$out/$name.log"
python3 "$TOP/scripts/kunit-tally.py" "${RESULT_LABEL:-$cfg}" "$out/$name.log" "$out/$name.json" \
	"$rc" "$KUNIT_EXPECTED" > "$out/$name.tally"
[ "${QUIET:-0}" = 1 ] || cat "$out/$name.tally"
tail -n1 "$out/$name.tally" | grep -qE " 0 failed(, [0-9]+ skipped)?$"
