#!/usr/bin/env python3
"""Summarise one kunit.py run: one line per test case, a line for the scan of
the whole kernel log, boot included, for reports that KUnit itself does not
turn into failures (lockdep, WARN, BUG), and a last line 'N passed, N failed'.
With a fifth argument, a file of the cases the run must have (tests/expected/),
a case missing from the run, a case not in the file, and a case that skipped
(or did not) against the file each fail, by name.  What a case reports with
'race:' is shown as a note."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logscan import is_report  # noqa: E402

cfg, log_path, json_path, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
expected_path = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
results = {}

passed = failed = skipped = 0
lines = []


def walk(node, prefix):
    global passed, failed, skipped
    name = prefix + node.get('name', '')
    for case in node.get('test_cases', []):
        status = case.get('status')
        results[f"{name}.{case['name']}"] = status
        if status == 'SKIP':
            lines.append(f"skip {cfg}: {name}.{case['name']}")
            skipped += 1
        elif status == 'PASS':
            lines.append(f"ok   {cfg}: {name}.{case['name']}")
            passed += 1
        elif status == 'FAIL':
            lines.append(f"FAIL {cfg}: {name}.{case['name']}")
            failed += 1
        else:
            # Crashed or timed out: it did not get to fail a check.
            lines.append(f"FAIL {cfg}: {name}.{case['name']} ({status}: crashed or timed out)")
            failed += 1
    for sub in node.get('sub_groups', []):
        walk(sub, '' if not node.get('name') or node.get('name') == 'KUnit Test Group' else name + '.')


try:
    walk(json.load(open(json_path)), '')
except (OSError, ValueError) as e:
    lines.append(f'FAIL {cfg}: no kunit.py results ({e})')
    failed += 1

if expected_path:
    expected = {}
    for line in open(expected_path):
        words = line.split('#')[0].split()
        if words:
            expected[words[0]] = words[1] if len(words) > 1 else 'pass'
    where = os.path.relpath(expected_path)
    for case, want in expected.items():
        got = results.get(case)
        if got is None:
            lines.append(f'FAIL {cfg}: {case} did not run (listed in {where})')
            failed += 1
        elif want == 'skip' and got != 'SKIP':
            lines.append(f'FAIL {cfg}: {case} ran, {where} expects it to skip')
            failed += 1
        elif want != 'skip' and got == 'SKIP':
            lines.append(f'FAIL {cfg}: {case} skipped, {where} expects it to run')
            failed += 1
    for case in results:
        if case not in expected:
            lines.append(f'FAIL {cfg}: {case} is not in {where}')
            failed += 1

reports = []
try:
    for line in open(log_path, errors='replace'):
        # The whole log: the series changes file creation, which boot runs.
        if is_report(line):
            reports.append(line.strip())
        m = re.search(r'# (\w+): (race: .*)', line)
        if m:
            lines.append(f'note {cfg}: {m.group(1)}: {m.group(2).strip()}')
except OSError:
    reports.append('no log')
if reports:
    lines.append(f'FAIL {cfg}: kernel log has {len(reports)} report(s), first: {reports[0]}')
    failed += 1
else:
    lines.append(f'ok   {cfg}: kernel log free of KASAN/lockdep/WARN/BUG reports')
    passed += 1
if rc != 0 and failed == 0:
    lines.append(f'FAIL {cfg}: kunit.py exited {rc}')
    failed += 1
if passed + failed <= 1:
    lines.append(f'FAIL {cfg}: no test case ran')
    failed += 1
print('\n'.join(lines))
print(f'{passed} passed, {failed} failed' + (f', {skipped} skipped' if skipped else ''))
