#!/usr/bin/env bash
# Each stage of the series, measured in one run on the same config:
#   base    tag base, the imported Debian source
#   gp      base plus the series up to "sched/psi: split trigger teardown
#           into disarm and free" (no grace period per trigger at teardown),
#           looked up by its subject, built from a detached worktree
#           (build/stage-tree-gp)
#   series  build/linux HEAD
# (BASE=6.1: the same stages of build/linux-6.1, the 6.1 backport; its
# builds, logs and table carry -6.1 in their names.)
# Build each as a small x86_64 kernel (configs/x86_64.config plus
# bench/x86_64-bench.config, no debug options), boot each under
# qemu-system-x86_64 -smp 2 with -icount shift=1,sleep=off (6.1 without,
# see below) and bench/bench.c as init, then print the table (median and
# spread over the repeats, ratios gp/base and series/base) and check the
# series' goals.
#   scripts/bench.sh            BENCH_REPEATS=N (default 5)
# Output: build/results/bench[-BASE].md (the table and method), bench-*.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"
tree_lock shared

repeats=${BENCH_REPEATS:-5}
out=$BUILD/results
root=$BUILD/bench-root
frags=(x86_64 "$TOP/bench/x86_64-bench.config")	# configs/NAME.config, or a path
gp_subject='sched/psi: split trigger teardown into disarm and free'
mkdir -p "$out" "$root"
command -v qemu-system-x86_64 > /dev/null || die "qemu-system-x86_64 missing: make deps"

# The gp stage: its commit by subject (any case), since the series may be
# reordered.
gp=$(git -C "$TREE" log -i --format=%H --grep="^${gp_subject%% into*}" base..HEAD)
[ -n "$gp" ] || die "no commit with subject '$gp_subject' in base..HEAD of $TREE: the gp stage cannot be built"
[ "$(wc -l <<< "$gp")" -eq 1 ] || die "several commits with subject '$gp_subject' in base..HEAD of $TREE"
series=$(git -C "$TREE" rev-parse HEAD)
gp_tree=$BUILD/stage-tree-gp$SFX
if [ ! -e "$gp_tree/.git" ]; then
	rm -rf "$gp_tree"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$gp_tree" "$gp"
fi
git -C "$gp_tree" checkout -q --detach -f "$gp"
git -C "$gp_tree" clean -q -fdx

"$TOP/scripts/x86-kernel.sh" base base "${frags[@]}"
"$TOP/scripts/x86-kernel.sh" gp "$gp_tree" "${frags[@]}"
"$TOP/scripts/x86-kernel.sh" series series "${frags[@]}"
static_prog "$TOP/bench/bench.c" "$root/bench"
initramfs "$root/bench" "$root/bench.cpio"

# -icount: guest time advances with executed instructions (one per 2 ns),
# and sleep=off skips idle time, so a figure is a cost, not a wall-clock
# reading of this (shared) machine.  6.1 does not bring up its second CPU
# under -icount with Debian 12's qemu (7.2), whatever the shift (0, 1, 5,
# auto) or CPU model: CPU 0 loops on schedule() in do_boot_cpu() for CPU 1's
# callin while CPU 1 spins in cpu_init() on cpu_callout_mask, which CPU 0
# has set (seen with qemu's monitor); 6.12, whose CPU 0 sleeps there, boots.
# So on 6.1 the kernels boot without -icount, and the figures are
# wall-clock times of the emulated CPUs: compare them within one run only.
# BENCH_ICOUNT overrides (empty: no -icount).
if [ -z "${BENCH_ICOUNT+set}" ]; then
	BENCH_ICOUNT=shift=1,sleep=off
	[ "$BASE" != 6.1 ] || BENCH_ICOUNT=
fi
qemu_args=()
[ -z "$BENCH_ICOUNT" ] || qemu_args=(-icount "$BENCH_ICOUNT")
run() {
	qemu_boot "$BUILD/x86-$1$SFX/arch/x86/boot/bzImage" "$root/bench.cpio" "$repeats" \
		"${qemu_args[@]}" > "$out/bench-$1$SFX.log" 2>&1
}
# Without -icount, the open/read/close rows vary from boot to boot more than
# between the stages; they need one CPU only, and one CPU boots under
# -icount: a second boot of each stage, -smp 1, runs them (bench.c "loops").
run_loops() {
	QEMU_SMP=1 qemu_boot "$BUILD/x86-$1$SFX/arch/x86/boot/bzImage" "$root/bench.cpio" \
		"$repeats /sys/fs/cgroup loops" -icount shift=1,sleep=off \
		> "$out/bench-$1$SFX-loops.log" 2>&1
}
for k in base gp series; do
	timed "bench: boot the $k kernel, $repeats repeats (qemu -smp 2 ${qemu_args[*]:-without -icount})" \
		run "$k" || die "the $k kernel did not finish: see build/results/bench-$k$SFX.log"
	[ -z "$BENCH_ICOUNT" ] || continue
	timed "bench: boot the $k kernel, open/read/close rows (qemu -smp 1 -icount shift=1,sleep=off)" \
		run_loops "$k" || die "the $k kernel did not finish: see build/results/bench-$k$SFX-loops.log"
done

# --stage NAME LOG COMMIT PATCHES SUBJECT: PATCHES is how many patches of
# the series the stage holds.
table=(--repeats "$repeats" --source "$LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION"
	--patches "$(git -C "$TREE" rev-list --count "base..$series")"
	--qemu "$(qemu-system-x86_64 --version | head -n1)" --icount "$BENCH_ICOUNT")
for s in base:base "gp:$gp" "series:$series"; do
	log=$out/bench-${s%%:*}$SFX.log
	[ -n "$BENCH_ICOUNT" ] || log+=",$out/bench-${s%%:*}$SFX-loops.log"
	table+=(--stage "${s%%:*}" "$log"
		"$(git -C "$TREE" rev-parse --short=12 "${s#*:}")"
		"$(git -C "$TREE" rev-list --count "base..${s#*:}")"
		"$(git -C "$TREE" log -1 --format=%s "${s#*:}")")
done
rc=0
python3 "$TOP/scripts/bench-table.py" "${table[@]}" > "$out/bench$SFX.md" || rc=$?
cat "$out/bench$SFX.md"
exit "$rc"
