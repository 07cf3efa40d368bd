#!/usr/bin/env bash
# Base versus series, measured in one run on the same config: build both as
# small x86_64 kernels (configs/x86_64.config, no debug options), boot each
# under qemu-system-x86_64 -smp 2 with -icount shift=1,sleep=off and
# bench/bench.c as init, then print the table (median and spread over the
# repeats, ratio series/base) and check the series' goals.
#   scripts/bench.sh            BENCH_REPEATS=N (default 5)
# Output: build/results/bench.md (the table and method), bench-*.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"

repeats=${BENCH_REPEATS:-5}
out=$BUILD/results
root=$BUILD/bench-root
mkdir -p "$out" "$root"
command -v qemu-system-x86_64 > /dev/null || die "qemu-system-x86_64 missing: make deps"
"$TOP/scripts/x86-kernel.sh" base base x86_64
"$TOP/scripts/x86-kernel.sh" series series x86_64
static_prog "$TOP/bench/bench.c" "$root/bench"
initramfs "$root/bench" "$root/bench.cpio"

# -icount: guest time advances with executed instructions (one per 2 ns),
# and sleep=off skips idle time, so a figure is a cost, not a wall-clock
# reading of this (shared) machine.
run() {
	qemu_boot "$BUILD/x86-$1/arch/x86/boot/bzImage" "$root/bench.cpio" "$repeats" \
		-icount shift=1,sleep=off > "$out/bench-$1.log" 2>&1
}
for k in base series; do
	timed "bench: boot the $k kernel, $repeats repeats (qemu -smp 2 -icount shift=1,sleep=off)" \
		run "$k" || die "the $k kernel did not finish: see build/results/bench-$k.log"
done
rc=0
python3 "$TOP/scripts/bench-table.py" "$out/bench-base.log" "$out/bench-series.log" \
	"$repeats" "$(git -C "$TREE" rev-parse --short base)" \
	"$(git -C "$TREE" rev-parse --short HEAD)" "$LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION" \
	"$(qemu-system-x86_64 --version | head -n1)" > "$out/bench.md" || rc=$?
cat "$out/bench.md"
exit "$rc"
