#!/usr/bin/env bash
# The series on every linux-source-6.12 version Debian's archive serves (not
# part of make check): for each, whether patches/ applies with git am, whether
# the KASAN UML kernel builds, and whether the suites pass (the expected case
# list of the pinned base).  A version where git am fails is named with the
# first patch that does not apply and with what its changelog says of the two
# stable backports the series builds on.  The installed package is not
# touched: each version's .deb is downloaded and unpacked under build/matrix/.
#   scripts/matrix.sh [VERSION...]    (default: apt-cache madison's list)
# Output: build/results/matrix.md (the table) and one line per check; ends
# with 'N passed, N failed' (a version the series does not apply to counts
# as a failure only if it is the pinned one).
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ "$BASE" = 6.12 ] || die "the matrix is of linux-source-6.12 versions"

m=$BUILD/matrix
mkdir -p "$m/debs" "$BUILD/results"
if [ $# -gt 0 ]; then
	versions=("$@")
else
	mapfile -t versions < <(apt-cache madison linux-source-6.12 |
		awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -uV)
fi
[ "${#versions[@]}" -gt 0 ] || die "no linux-source-6.12 in the archive (apt-get update?)"
pinned=$LINUX_SOURCE_VERSION

# Titles of the stable backports that patch 1 and the PSI patches build on.
race_fix="sched/psi: fix race between file release and pressure write"
psimon="sched/psi: Create the psimon kthread outside of cgroup_mutex"

passed=0 failed=0
table=$BUILD/results/matrix.md
{
	echo "| version | \`git am\` | builds (KASAN, ARCH=um) | suites | changelog has \"${race_fix#sched/psi: }\" / \"${psimon#sched/psi: }\" |"
	echo "| --- | --- | --- | --- | --- |"
} > "$table.new"
for v in "${versions[@]}"; do
	start=$(date +%s)
	deb=$(ls "$m/debs/linux-source-6.12_${v//:/%3a}_"*.deb 2> /dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		(cd "$m/debs" && timed "apt-get download linux-source-6.12=$v" \
			apt-get download -q "linux-source-6.12=$v" > /dev/null)
		deb=$(ls "$m/debs/linux-source-6.12_${v//:/%3a}_"*.deb | head -n1)
	fi
	x=$m/src-$v
	if [ ! -f "$x/usr/src/linux-source-6.12.tar.xz" ]; then
		rm -rf "$x"
		mkdir -p "$x"
		dpkg-deb -x "$deb" "$x"
	fi
	cl=$(zcat "$x/usr/share/doc/linux-source-6.12/changelog.Debian.gz")
	has() { grep -qF -- "$1" <<< "$cl" && echo yes || echo no; }
	backports="$(has "$race_fix") / $(has "$psimon")"

	tree=$m/linux-$v
	am=ok build=- suites=-
	if ! TREE=$tree TARBALL=$x/usr/src/linux-source-6.12.tar.xz LINUX_SOURCE_VERSION=$v \
		FORCE=1 "$TOP/scripts/prepare-tree.sh" > "$m/prepare-$v.log" 2>&1; then
		am="fails at $(sed -n 's/^Patch failed at \([0-9]*\) .*/patch \1/p' "$m/prepare-$v.log" | head -n1)"
		[ "$am" != "fails at " ] || am="fails (see build/matrix/prepare-$v.log)"
		git -C "$tree" am --abort > /dev/null 2>&1 || true
	fi
	if [ "$am" = ok ]; then
		rc=0
		TREE=$tree KUNIT_BUILD_DIR=$m/kunit-$v RESULT_NAME=matrix-$v \
			KUNIT_EXPECTED=$TOP/tests/expected/kunit.txt QUIET=1 \
			"$TOP/scripts/kunit.sh" kasan > /dev/null 2>&1 || rc=$?
		t=$BUILD/results/matrix-$v.tally
		if grep -q 'Starting KUnit Kernel' "$BUILD/results/matrix-$v.out" 2> /dev/null; then
			build=yes
			suites=$(tail -n1 "$t" 2> /dev/null || echo "no result")
		else
			build="no (see build/results/matrix-$v.out)"
		fi
	fi
	echo "| $v$([ "$v" = "$pinned" ] && echo ' (pinned)') | $am | $build | $suites | $backports |" >> "$table.new"
	if [ "$am" = ok ] && [ "$build" = yes ] && grep -qE ' 0 failed(, [0-9]+ skipped)?$' <<< "$suites"; then
		passed=$((passed + 1))
		printf 'ok   matrix: %s: applies, builds, %s (%ss)\n' "$v" "$suites" "$(( $(date +%s) - start ))"
	elif [ "$am" != ok ] && [ "$v" != "$pinned" ]; then
		printf 'note matrix: %s: git am %s; changelog: %s (%ss)\n' "$v" "$am" "$backports" \
			"$(( $(date +%s) - start ))"
	else
		failed=$((failed + 1))
		printf 'FAIL matrix: %s: git am %s, build %s, suites %s\n' "$v" "$am" "$build" "$suites"
	fi
done
mv "$table.new" "$table"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
