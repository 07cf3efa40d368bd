#!/usr/bin/env bash
# The main job: install, import the base tree, apply the series, build the
# patched kernel (ARCH=um, KASAN), run the KUnit suites, then boot it and run
# the rmdir-versus-poll scenario from user space; then the same scenario on
# an x86_64 build (KASAN, lockdep, debugobjects, kmemleak) booted under qemu -smp 2.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$TOP/scripts/install-deps.sh"
"$TOP/scripts/prepare-tree.sh"
mkdir -p "$BUILD/results"
rc=0
# quiet STEP CMD...: CMD's output to build/results/demo-STEP.txt.
quiet() {
	local f=$BUILD/results/demo-$1.txt
	shift
	"$@" > "$f" 2>&1
}
timed "build the patched kernel (ARCH=um, KASAN) and run the KUnit suites" \
	quiet kunit "$TOP/scripts/kunit.sh" kasan || rc=$?
cat <<MSG

Series: $(git -C "$TREE" rev-list --count base..HEAD) patches on $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION (base $(git -C "$TREE" rev-parse --short base)), tree in ${TREE#"$TOP"/}
Kernel: ARCH=um with KASAN, ${BUILD#"$TOP"/}/kunit-kasan/linux

KUnit suites inside the patched kernel (one line per test case):
MSG
sed -n 's/^ok   kasan: /  passed: /p; s/^FAIL kasan: /  FAILED: /p; s/^skip kasan: /  skipped: /p' \
	"$BUILD/results/kunit-kasan.tally"
echo
echo "Booting it with scenarios/rmdir_poll.c as init: a thread in select(), poll()"
echo "or epoll_wait() on an armed cpu.pressure trigger while the cgroup is removed:"
quiet uml "$TOP/scripts/scenarios.sh" uml rmdir_poll || rc=$?
sed -n 's/^ok   uml: rmdir_poll: /  passed: /p; s/^FAIL uml: rmdir_poll: /  FAILED: /p' \
	"$BUILD/results/demo-uml.txt"
echo
echo "The same on x86_64 (KASAN, lockdep, debugobjects, kmemleak) under qemu-system-x86_64 -smp 2:"
timed "build the x86_64 kernel and boot it" \
	quiet qemu "$TOP/scripts/scenarios.sh" qemu rmdir_poll || rc=$?
grep -c '^ok   qemu: rmdir_poll: ' "$BUILD/results/demo-qemu.txt" | sed 's/$/ checks passed: those above, and kmemleak found nothing/;s/^/  /'
sed -n 's/^FAIL qemu: rmdir_poll: /  FAILED: /p; s/^ok   qemu: rmdir_poll: \(kernel log.*\)/  passed: \1/p' \
	"$BUILD/results/demo-qemu.txt"
echo
if [ "$rc" -eq 0 ]; then
	echo "All good: severed files wake their waiters, ->free() runs only at the last fput, KASAN is silent."
else
	echo "Something failed: see build/results/ (kunit-kasan.log, uml-rmdir_poll.log, qemu-rmdir_poll.log)."
fi
exit "$rc"
