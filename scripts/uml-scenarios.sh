#!/usr/bin/env bash
# Boot the patched ARCH=um kernel (the KASAN KUnit build, tests disabled)
# with a host directory as root and each scenarios/*.c program, built
# static, as init.  Prints the programs' "ok"/"FAIL" lines, a line for the
# scan of the kernel log, and "N passed, N failed".
#   scripts/uml-scenarios.sh [PROGRAM...]   (default: every scenarios/*.c)
# UML_KERNEL boots another UML kernel (scripts/bad-variants.sh).
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel=${UML_KERNEL:-$BUILD/kunit-kasan/linux}
root=$BUILD/uml-root
out=$BUILD/results
[ -x "$kernel" ] || "$TOP/scripts/kunit.sh" kasan > /dev/null ||
	die "the KASAN kernel did not build: see build/results/kunit-kasan.out"
mkdir -p "$root/proc" "$root/sys" "$root/dev" "$out"

if [ $# -gt 0 ]; then
	progs=("$@")
else
	mapfile -t progs < <(cd "$TOP/scenarios" && ls ./*.c | sed 's|^\./||; s|\.c$||')
fi
passed=0 failed=0
for p in "${progs[@]}"; do
	gcc -static -O2 -Wall -Wextra -Werror -pthread -o "$root/$p" "$TOP/scenarios/$p.c"
	log="$out/${UML_RESULT:-uml}-$p.log"
	start=$(date +%s)
	rc=0
	# hostfs root; the programs power the machine off when done.
	(cd "$root" && timeout 600 "$kernel" mem=512M root=/dev/root rootfstype=hostfs \
		rootflags="$root" rw init="/$p" console=tty kunit.enable=0 \
		< /dev/null > "$log" 2>&1) || rc=$?
	python3 - "$p" "$log" "$rc" "$(( $(date +%s) - start ))" "$TOP/scripts" \
		> "$out/${UML_RESULT:-uml}-$p.tally" <<'PY'
import re, sys
sys.path.insert(0, sys.argv[5])
from logscan import is_report
prog, path, rc, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
passed = failed = 0
tally = None
started = False
reports = []
for line in open(path, errors='replace'):
    line = line.rstrip('\n')
    started = started or 'as init process' in line
    if not started:
        continue
    m = re.match(r'^(ok  |FAIL) (.*)', line)
    if m:
        print(f'{m.group(1)} uml: {prog}: {m.group(2)}')
    elif re.match(r'^\d+ passed, \d+ failed$', line):
        tally = [int(x) for x in re.findall(r'\d+', line)]
    elif is_report(line):
        reports.append(line.strip())
if tally is None:
    print(f'FAIL uml: {prog}: no result (exit {rc} after {secs}s), see {path}')
    failed += 1
else:
    passed += tally[0]
    failed += tally[1]
if reports:
    print(f'FAIL uml: {prog}: kernel log has {len(reports)} report(s), first: {reports[0]}')
    failed += 1
else:
    print(f'ok   uml: {prog}: kernel log free of KASAN/lockdep/WARN/BUG reports ({secs}s)')
    passed += 1
print(f'{passed} passed, {failed} failed')
PY
	grep -v 'passed, .* failed$' "$out/${UML_RESULT:-uml}-$p.tally"
	t=$(tail -n1 "$out/${UML_RESULT:-uml}-$p.tally")
	passed=$((passed + ${t%% *}))
	t=${t#*, }
	failed=$((failed + ${t%% *}))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
