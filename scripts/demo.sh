#!/usr/bin/env bash
# The main job: install, import the base tree, apply the series, build the
# patched kernel (ARCH=um, KASAN) and run the rmdir-versus-poll suites.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$TOP/scripts/install-deps.sh"
"$TOP/scripts/prepare-tree.sh"
rc=0
timed "build the patched kernel and run the suites" "$TOP/scripts/kunit.sh" kasan \
	> "$BUILD/results/demo.txt" 2>&1 || rc=$?
cat <<MSG

Series: $(git -C "$TREE" rev-list --count base..HEAD) patches on $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION (base $(git -C "$TREE" rev-parse --short base)), tree in ${TREE#"$TOP"/}
Kernel: ARCH=um with KASAN, ${BUILD#"$TOP"/}/kunit-kasan/linux

What the suites showed (each line is one test case in the patched kernel):
MSG
sed -n 's/^ok   kasan: /  passed: /p; s/^FAIL kasan: /  FAILED: /p' "$BUILD/results/kunit-kasan.tally"
echo
if [ "$rc" -eq 0 ]; then
	echo "Files severed by kernfs_remove() while polled: waiters woken, ->free() only at the last fput, KASAN silent."
else
	echo "Some checks failed: kernel log in build/results/kunit-kasan.log"
fi
exit "$rc"
