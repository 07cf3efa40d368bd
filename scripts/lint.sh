#!/usr/bin/env bash
# Lint the series: checkpatch --strict on every patch; sparse (C=2), W=1,
# kernel-doc and coccinelle on the files the series touches.  Only findings
# on lines that the series adds or changes count (new files: every line), so
# the base tree's own warnings are not reported.  Prints one line per check
# and ends with 'N passed, N failed'.  Builds the KASAN KUnit kernel first
# unless it is of the tree as it is now.
set -euo pipefail
. "$(dirname "$0")/common.sh"
tree_lock shared

cfg=${LINT_CONFIG:-kasan}
objdir=$BUILD/kunit-$cfg$SFX
out=$BUILD/results/lint$SFX
rm -rf "$out"
mkdir -p "$out"
# Its objects are what sparse and W=1 rebuild.
kunit_build_current "$cfg"
base=$(base_commit)
passed=0 failed=0
result() { # result OK|FAIL NAME [DETAIL FILE]
	if [ "$1" = ok ]; then
		passed=$((passed + 1)); printf 'ok   lint: %s\n' "$2"
	else
		failed=$((failed + 1)); printf 'FAIL lint: %s\n' "$2"
		[ -n "${3:-}" ] && sed 's/^/     /' "$3" | head -n 20
	fi
	return 0
}

# Lines added or changed by the series, as "path:line" (a new file: all).
git -C "$TREE" diff -U0 --no-renames "$base"..HEAD | awk '
	/^\+\+\+ b\// { file = substr($0, 7); next }
	/^@@/ { split($3, a, ","); start = substr(a[1], 2); n = (a[2] == "") ? 1 : a[2];
		for (i = 0; i < n; i++) print file ":" start + i }' > "$out/added-lines"
# Keep the findings (file:line:...) that fall on an added line.
new_findings() {
	python3 - "$TREE" "$out/added-lines" <<'PY'
import re, sys
tree, added = sys.argv[1].rstrip('/') + '/', set(open(sys.argv[2]).read().split())
for line in sys.stdin:
    m = re.match(r'^(?:\./)?(\S+?):(\d+):', line)
    if not m:
        continue
    path = m.group(1)
    if path.startswith(tree):
        path = path[len(tree):]
    if f'{path}:{m.group(2)}' in added:
        print(line.rstrip())
PY
}

mapfile -t cfiles < <(git -C "$TREE" diff --name-only --diff-filter=AM "$base"..HEAD -- '*.c')
mapfile -t dfiles < <(git -C "$TREE" diff --name-only --diff-filter=AM "$base"..HEAD -- '*.c' '*.h')

# checkpatch --strict, one check per patch.  The base is an unpacked
# tarball with no upstream history, so checkpatch cannot look up the commit
# ids of Fixes: tags (UNKNOWN_COMMIT_ID); their form is still checked, and
# the ids themselves were checked against public archives.  checkpatch
# asks about MAINTAINERS for every new file (FILE_PATH_CHANGES) even when an
# existing F: pattern covers it (fs/kernfs/tests/ under fs/kernfs/): that is
# checked below, per file, with get_maintainer.pl instead.
start=$(date +%s)
while read -r p; do
	name=$(basename "$p")
	if (cd "$TREE" && ./scripts/checkpatch.pl --strict --terse --no-summary --show-types \
		--ignore UNKNOWN_COMMIT_ID,FILE_PATH_CHANGES "$p") \
		> "$out/checkpatch-$name.txt" 2>&1 && [ ! -s "$out/checkpatch-$name.txt" ]; then
		result ok "checkpatch --strict $name"
	else
		result FAIL "checkpatch --strict $name" "$out/checkpatch-$name.txt"
	fi
done < <(series_patches)
log "checkpatch: $(( $(date +%s) - start ))s"

# Every file the series adds has a maintainer in MAINTAINERS.
while read -r f; do
	if (cd "$TREE" && ./scripts/get_maintainer.pl --nogit --nogit-fallback --norolestats \
		--nol -f "$f") 2>/dev/null | grep -q .; then
		result ok "MAINTAINERS covers $f"
	else
		result FAIL "MAINTAINERS covers $f"
	fi
done < <(git -C "$TREE" diff --name-only --diff-filter=A "$base"..HEAD)

# sparse and W=1 on the touched objects that this config builds.
start=$(date +%s)
for c in "${cfiles[@]}"; do
	o=${c%.c}.o
	# A file included by another one (kernel/sched's unity builds, tests
	# included by the code they test) is checked through the includer.
	f=$c
	for _ in 1 2 3; do
		[ -f "$objdir/$o" ] && break
		f=$(cd "$TREE" && grep -l "^#[[:space:]]*include \"\(tests/\)\?$(basename "$f")\"" \
			"$(dirname "$f")"/*.c "$(dirname "$(dirname "$f")")"/*.c 2>/dev/null |
			head -n1 || true)
		[ -n "$f" ] || break
		o=${f%.c}.o
	done
	if [ ! -f "$objdir/$o" ]; then
		printf 'note lint: %s is not built in the %s config, not checked\n' "$c" "$cfg"
		continue
	fi
	rm -f "$objdir/$o"
	make -C "$TREE" -s ARCH=um O="$objdir" C=2 W=1 "$o" > "$out/build.txt" 2>&1 || true
	new_findings < "$out/build.txt" > "$out/sparse-w1-${c//\//_}.txt"
	via=""
	[ "$o" = "${c%.c}.o" ] || via=" (built as $o)"
	if [ -s "$out/sparse-w1-${c//\//_}.txt" ]; then
		result FAIL "sparse + W=1 $c$via" "$out/sparse-w1-${c//\//_}.txt"
	else
		result ok "sparse + W=1 $c$via"
	fi
done
log "sparse + W=1: $(( $(date +%s) - start ))s"

# kernel-doc on the touched sources and headers.
for f in "${dfiles[@]}"; do
	(cd "$TREE" && ./scripts/kernel-doc -none -Wall "$f") > "$out/kdoc.txt" 2>&1 || true
	new_findings < "$out/kdoc.txt" > "$out/kernel-doc-${f//\//_}.txt"
	if [ -s "$out/kernel-doc-${f//\//_}.txt" ]; then
		result FAIL "kernel-doc $f" "$out/kernel-doc-${f//\//_}.txt"
	else
		result ok "kernel-doc $f"
	fi
done

# coccinelle: every semantic patch with a report mode, as coccicheck runs
# them (its options line), but without the few that need an OCaml compiler.
start=$(date +%s)
mapfile -t coccis < <(cd "$TREE" && grep -rl --include='*.cocci' 'virtual report' scripts/coccinelle |
	xargs grep -L 'script:ocaml' | sort)
incs=(-I "$TREE/arch/um/include" -I "$objdir/arch/um/include/generated"
      -I "$TREE/include" -I "$objdir/include" -I "$TREE/arch/um/include/uapi"
      -I "$objdir/arch/um/include/generated/uapi" -I "$TREE/include/uapi"
      -I "$objdir/include/generated/uapi"
      --include "$TREE/include/linux/compiler-version.h"
      --include "$TREE/include/linux/kconfig.h")
# cocci_one FILE: every semantic patch on FILE, into its own raw report.
cocci_one() {
	local c=$1 s raw=$out/cocci-raw-${1//\//_}.txt
	: > "$raw"
	for s in "${coccis[@]}"; do
		read -r -a opts < <(sed -n 's|^// Options:||p' "$TREE/$s" | head -n1; echo)
		(cd "$TREE" && timeout 120 spatch -D report --no-show-diff --very-quiet \
			--cocci-file "$s" "${opts[@]}" "${incs[@]}" "$c") >> "$raw" 2>&1 || true
	done
}
# spatch is single-threaded: one file per core at a time.
trap 'kill $(jobs -p) 2> /dev/null || true' EXIT
for c in "${cfiles[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n || true
	done
	cocci_one "$c" &
done
wait
for c in "${cfiles[@]}"; do
	if [ ! -f "$out/cocci-raw-${c//\//_}.txt" ]; then
		result FAIL "coccinelle $c: spatch did not run"
		continue
	fi
	new_findings < "$out/cocci-raw-${c//\//_}.txt" > "$out/cocci-${c//\//_}.txt"
	if [ -s "$out/cocci-${c//\//_}.txt" ]; then
		result FAIL "coccinelle (${#coccis[@]} semantic patches) $c" "$out/cocci-${c//\//_}.txt"
	else
		result ok "coccinelle (${#coccis[@]} semantic patches) $c"
	fi
done
log "coccinelle: $(( $(date +%s) - start ))s"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
