#!/usr/bin/env bash
# Each stage of the series, measured in one run on the same config:
#   base    tag base, the imported Debian source
#   gp      base plus the series up to "sched/psi: split trigger teardown
#           into disarm and free" (no grace period per trigger at teardown),
#           looked up by its subject, built from a detached worktree
#           (build/stage-tree-gp)
#   series  build/linux HEAD
# Build each as a small x86_64 kernel (configs/x86_64.config plus
# bench/x86_64-bench.config, no debug options), boot each under
# qemu-system-x86_64 -smp 2 with -icount shift=1,sleep=off and bench/bench.c
# as init, then print the table (median and spread over the repeats, ratios
# gp/base and series/base) and check the series' goals.
#   scripts/bench.sh            BENCH_REPEATS=N (default 5)
# Output: build/results/bench.md (the table and method), bench-*.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"
tree_lock shared

repeats=${BENCH_REPEATS:-5}
out=$BUILD/results
root=$BUILD/bench-root
frags=(x86_64 ../bench/x86_64-bench)	# configs/NAME.config, relative to configs/
gp_subject='sched/psi: split trigger teardown into disarm and free'
mkdir -p "$out" "$root"
command -v qemu-system-x86_64 > /dev/null || die "qemu-system-x86_64 missing: make deps"

# The gp stage: its commit by subject (any case), since the series may be
# reordered.
gp=$(git -C "$TREE" log -i --format=%H --grep="^${gp_subject%% into*}" base..HEAD)
[ -n "$gp" ] || die "no commit with subject '$gp_subject' in base..HEAD of $TREE: the gp stage cannot be built"
[ "$(wc -l <<< "$gp")" -eq 1 ] || die "several commits with subject '$gp_subject' in base..HEAD of $TREE"
series=$(git -C "$TREE" rev-parse HEAD)
gp_tree=$BUILD/stage-tree-gp
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
# reading of this (shared) machine.
run() {
	qemu_boot "$BUILD/x86-$1/arch/x86/boot/bzImage" "$root/bench.cpio" "$repeats" \
		-icount shift=1,sleep=off > "$out/bench-$1.log" 2>&1
}
for k in base gp series; do
	timed "bench: boot the $k kernel, $repeats repeats (qemu -smp 2 -icount shift=1,sleep=off)" \
		run "$k" || die "the $k kernel did not finish: see build/results/bench-$k.log"
done

# --stage NAME LOG COMMIT PATCHES SUBJECT: PATCHES is how many patches of
# the series the stage holds.
table=(--repeats "$repeats" --source "$LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION"
	--patches "$(git -C "$TREE" rev-list --count "base..$series")"
	--qemu "$(qemu-system-x86_64 --version | head -n1)")
for s in base:base "gp:$gp" "series:$series"; do
	table+=(--stage "${s%%:*}" "$out/bench-${s%%:*}.log"
		"$(git -C "$TREE" rev-parse --short=12 "${s#*:}")"
		"$(git -C "$TREE" rev-list --count "base..${s#*:}")"
		"$(git -C "$TREE" log -1 --format=%s "${s#*:}")")
done
rc=0
python3 "$TOP/scripts/bench-table.py" "${table[@]}" > "$out/bench.md" || rc=$?
cat "$out/bench.md"
exit "$rc"
