#!/usr/bin/env bash
# Run the series' KUnit suites with kunit.py on ARCH=um in one debug config.
#   scripts/kunit.sh [CONFIG] [SUITE_DIR...]
# CONFIG names configs/CONFIG.config (default: kasan); SUITE_DIRs default to
# configs/suites.  Results: build/results/kunit-CONFIG.{out,log,json,tally}:
# kunit.py's output, the kernel log, parsed results, and the summary.
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

kargs=()
for d in "${suites[@]}"; do
	if [ -f "$TREE/$d/.kunitconfig" ]; then
		kargs+=("--kunitconfig=$d/.kunitconfig")
	else
		log "skipping $d: no .kunitconfig in this tree (suite not in this prefix of the series)"
	fi
done
[ "${#kargs[@]}" -gt 0 ] || kargs=(--kunitconfig=/dev/null)
kargs+=("--kunitconfig=$TOP/configs/$cfg.config")

out=$BUILD/results
mkdir -p "$out"
rc=0
timed "kunit.py run ($cfg: ${suites[*]})" \
	env -C "$TREE" python3 tools/testing/kunit/kunit.py run \
	--arch=um --build_dir="$BUILD/kunit-$cfg" --jobs="$JOBS" \
	--timeout=600 --json="$out/kunit-$cfg.json" "${kargs[@]}" \
	> "$out/kunit-$cfg.out" 2>&1 || rc=$?
# kunit.py keeps the whole kernel log in the build directory.
cp "$BUILD/kunit-$cfg/test.log" "$out/kunit-$cfg.log" 2>/dev/null || : > "$out/kunit-$cfg.log"
python3 "$TOP/scripts/kunit-tally.py" "$cfg" "$out/kunit-$cfg.log" "$out/kunit-$cfg.json" \
	"$rc" > "$out/kunit-$cfg.tally"
cat "$out/kunit-$cfg.tally"
tail -n1 "$out/kunit-$cfg.tally" | grep -q ' 0 failed$'
