#!/usr/bin/env bash
# Run the series' KUnit suites with kunit.py in one debug config, on ARCH=um
# or, with KUNIT_ARCH=x86_64, under qemu-system-x86_64 -smp 2.
#   scripts/kunit.sh [CONFIG] [SUITE_DIR...]
# CONFIG names configs/CONFIG.config (default: kasan); SUITE_DIRs default to
# the entries of configs/suites.  CONFIG smp is the x86_64 debug kernel that
# the qemu scenarios boot (scripts/x86-kernel.sh debug: configs/x86_64 +
# x86_64-debug, and KUnit with the suites, off at boot): one build for both,
# its suites run with kunit.py exec under qemu -smp 2.  Results: build/results/kunit-CONFIG.{out,log,json,tally}:
# kunit.py's output, the kernel log, parsed results, and the summary.
# KUNIT_EXTRA adds kunit.py arguments (e.g. --kernel_args=psi=0), RESULT_NAME
# names the results, KUNIT_BUILD_DIR and TREE select another tree.
# KUNIT_EXPECTED names the file of cases the run must have (kunit-tally.py);
# by default tests/expected/kunit.txt for every suite of the whole series
# (build/linux, or build/linux-6.1 with the 6.1 backport, which has the same
# cases; no filter glob), none for another tree or the stable fix alone.
set -euo pipefail
. "$(dirname "$0")/common.sh"

cfg=${1:-kasan}
shift || true
# A base may have its own variant of a config: configs/CONFIG-BASE.config.
cfgfile=$TOP/configs/$cfg.config
[ ! -f "$TOP/configs/$cfg-$BASE.config" ] || cfgfile=$TOP/configs/$cfg-$BASE.config
[ "$cfg" = smp ] || [ -f "$cfgfile" ] || die "no configs/$cfg.config"
if [ "$cfg" = smp ]; then
	# One kernel, build/x86-debug, holds every suite of the series tree.
	[ $# -eq 0 ] || die "smp runs every suite its kernel holds: no SUITE_DIR"
	[ "$TREE" = "$BUILD/linux$SFX" ] && [ -z "${KUNIT_BUILD_DIR:-}" ] ||
		die "smp builds build/x86-debug$SFX from build/linux$SFX only"
fi
tree_lock shared
if [ $# -gt 0 ]; then
	suites=("$@")
else
	mapfile -t suites < <(grep -v '^#' "$TOP/configs/suites" | grep .)
fi

if [ -z "${KUNIT_EXPECTED+set}" ]; then
	KUNIT_EXPECTED=
	if [ $# -eq 0 ] && [ "$TREE" = "$BUILD/linux$SFX" ] && [ "${STABLE:-0}" != 1 ] &&
		! grep -qE '(^| )[^- ]' <<< "${KUNIT_EXTRA:-}"; then
		KUNIT_EXPECTED=$TOP/tests/expected/kunit.txt
	fi
fi

kargs=()
for entry in "${suites[@]}"; do
	# 'DIR' uses DIR/.kunitconfig; 'PATH CONFIG' uses configs/CONFIG when
	# the tree has PATH.
	read -r d conf more <<< "$entry"
	[ -z "$more" ] || die "configs/suites: '$entry': one path and at most one config"
	if [ -n "$conf" ] && [ -e "$TREE/$d" ]; then
		kargs+=("--kunitconfig=$TOP/configs/$conf")
	elif [ -z "$conf" ] && [ -f "$TREE/$d/.kunitconfig" ]; then
		kargs+=("--kunitconfig=$d/.kunitconfig")
	else
		log "skipping $d: not in this tree (suite not in this prefix of the series)"
	fi
done
have_suites=${#kargs[@]}
set -f
# shellcheck disable=SC2206 # split on blanks, no globbing: a filter glob
extra=(${KUNIT_EXTRA:-})
set +f
[ "$cfg" = smp ] || kargs+=("--kunitconfig=$cfgfile")

arch=${KUNIT_ARCH:-um}
[ "$cfg" != smp ] || arch=x86_64
if [ "$arch" != um ]; then
	extra+=("--qemu_args=-smp 2 -m 1G")
fi
# A panic (panic_on_warn=1) ends the run at once, not at the timeout.
[ "$cfg" != smp ] || extra+=("--kernel_args=panic=-1")

# Another tree (scripts/bisect-check.sh) uses its own build directory.
bdir=${KUNIT_BUILD_DIR:-$BUILD/kunit-$cfg$SFX}
[ "$cfg" != smp ] || bdir=$BUILD/x86-debug$SFX
name=${RESULT_NAME:-kunit-$cfg$SFX}
out=$BUILD/results
mkdir -p "$out"
rm -f "$bdir/test.log" "$bdir/.tree-state" "$out/$name".*
rc=0
# What the tree holds as the build starts: scripts/scenarios.sh boots the
# kernel only if the tree still holds that.
state=$(tree_state "$TREE")
# stamp: write $state to the build's .tree-state if the tree still holds it;
# else (a change by hand: the scripts that change it wait for tree_lock) set
# changed, and tally_changed fails the run.
changed=0
stamp() {
	if [ "$(tree_state "$TREE")" = "$state" ]; then
		printf '%s\n' "$state" > "$bdir/.tree-state"
	else
		changed=1
		log "$TREE changed during the build: ${bdir#"$TOP"/} holds no known state"
	fi
}
# tally_changed: if stamp() saw the tree change, fail the tally.
tally_changed() {
	local t=$out/$name.tally last
	[ "$changed" = 1 ] || return 0
	last=$(tail -n1 "$t")
	[[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(.*)$ ]] || return 0
	{
		head -n -1 "$t"
		printf 'FAIL %s: %s changed during the build\n' "${RESULT_LABEL:-$cfg}" "${TREE#"$TOP"/}"
		printf '%s passed, %s failed%s\n' "${BASH_REMATCH[1]}" \
			"$((BASH_REMATCH[2] + 1))" "${BASH_REMATCH[3]}"
	} > "$t.new"
	mv "$t.new" "$t"
}
if [ "$cfg" = smp ]; then
	kfrag=$(x86_kunit_fragment "$TREE")
	"$TOP/scripts/x86-kernel.sh" debug series x86_64 x86_64-debug ${kfrag:+"$kfrag"} \
		> "$out/$name.out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 5 "$out/$name.out" >&2
		printf 'FAIL %s: build failed, see %s\n0 passed, 1 failed\n' "$cfg" "$out/$name.out" \
			> "$out/$name.tally"
		[ "${QUIET:-0}" = 1 ] || cat "$out/$name.tally"
		exit "$rc"
	fi
	if [ "$have_suites" -eq 0 ]; then
		stamp
		printf 'ok   %s: builds (no suite in this tree)\n1 passed, 0 failed\n' "$cfg" > "$out/$name.tally"
		tally_changed
		[ "${QUIET:-0}" = 1 ] || cat "$out/$name.tally"
		exit "$changed"
	fi
fi
if [ "$have_suites" -eq 0 ]; then
	# An early prefix of the series (bisect): nothing to run, it must build.
	timed "kunit.py build ($cfg, no suite in this tree)" \
		env -C "$TREE" python3 tools/testing/kunit/kunit.py build \
		--arch="$arch" --build_dir="$bdir" --jobs="$JOBS" "${kargs[@]}" \
		> "$out/$name.out" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		stamp
		printf 'ok   %s: builds (no suite in this tree)\n1 passed, 0 failed\n' "$cfg"
	else
		printf 'FAIL %s: build failed, see %s\n0 passed, 1 failed\n' "$cfg" "$out/$name.out"
	fi > "$out/$name.tally"
	tally_changed
	[ "${QUIET:-0}" = 1 ] || cat "$out/$name.tally"
	[ "$rc" -ne 0 ] || rc=$changed
	exit "$rc"
fi
if [ "$cfg" = smp ]; then
	timed "kunit.py exec ($cfg: ${suites[*]})" \
		env -C "$TREE" python3 tools/testing/kunit/kunit.py exec \
		--arch="$arch" --build_dir="$bdir" \
		--timeout=600 --json="$out/$name.json" "${extra[@]}" \
		>> "$out/$name.out" 2>&1 || rc=$?
else
	timed "kunit.py run ($cfg: ${suites[*]})" \
		env -C "$TREE" python3 tools/testing/kunit/kunit.py run \
		--arch="$arch" --build_dir="$bdir" --jobs="$JOBS" \
		--timeout=600 --json="$out/$name.json" "${kargs[@]}" "${extra[@]}" \
		> "$out/$name.out" 2>&1 || rc=$?
fi
if grep -q 'Starting KUnit Kernel' "$out/$name.out"; then
	stamp
fi
# kunit.py keeps the whole kernel log in the build directory.
cp "$bdir/test.log" "$out/$name.log" 2>/dev/null || : > "$out/$name.log"
python3 "$TOP/scripts/kunit-tally.py" "${RESULT_LABEL:-$cfg}" "$out/$name.log" "$out/$name.json" \
	"$rc" "$KUNIT_EXPECTED" > "$out/$name.tally"
tally_changed
[ "${QUIET:-0}" = 1 ] || cat "$out/$name.tally"
tail -n1 "$out/$name.tally" | grep -qE " 0 failed(, [0-9]+ skipped)?$"
