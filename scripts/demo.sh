#!/usr/bin/env bash
# The main job: install, import the base tree, apply the series, build the
# patched kernel (ARCH=um, KASAN), run the KUnit suites, then boot it and run
# the rmdir-versus-poll scenario from user space.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$TOP/scripts/install-deps.sh"
"$TOP/scripts/prepare-tree.sh"
mkdir -p "$BUILD/results"
rc=0
timed "build the patched kernel and run the KUnit suites" "$TOP/scripts/kunit.sh" kasan \
	> "$BUILD/results/demo-kunit.txt" 2>&1 || rc=$?
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
"$TOP/scripts/uml-scenarios.sh" rmdir_poll > "$BUILD/results/demo-uml.txt" 2>&1 || rc=$?
sed -n 's/^ok   uml: rmdir_poll: /  passed: /p; s/^FAIL uml: rmdir_poll: /  FAILED: /p' \
	"$BUILD/results/demo-uml.txt"
echo
if [ "$rc" -eq 0 ]; then
	echo "All good: severed files wake their waiters, ->free() runs only at the last fput, KASAN is silent."
else
	echo "Something failed: see build/results/ (kunit-kasan.log, uml-rmdir_poll.log)."
fi
exit "$rc"
