#!/usr/bin/env python3
"""Summarise one kunit.py run: one line per test case, a line for the scan of
the kernel log for reports that KUnit itself does not turn into failures
(lockdep, WARN, BUG), and a last line 'N passed, N failed'."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logscan import is_report  # noqa: E402

cfg, log_path, json_path, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

passed = failed = skipped = 0
lines = []


def walk(node, prefix):
    global passed, failed, skipped
    name = prefix + node.get('name', '')
    for case in node.get('test_cases', []):
        status = case.get('status')
        if status == 'SKIP':
            lines.append(f"skip {cfg}: {name}.{case['name']}")
            skipped += 1
        elif status == 'PASS':
            lines.append(f"ok   {cfg}: {name}.{case['name']}")
            passed += 1
        else:
            lines.append(f"FAIL {cfg}: {name}.{case['name']}")
            failed += 1
    for sub in node.get('sub_groups', []):
        walk(sub, '' if not node.get('name') or node.get('name') == 'KUnit Test Group' else name + '.')


try:
    walk(json.load(open(json_path)), '')
except (OSError, ValueError) as e:
    lines.append(f'FAIL {cfg}: no kunit.py results ({e})')
    failed += 1

reports = []
try:
    started = False
    for line in open(log_path, errors='replace'):
        # Only what happens once the tests start: boot noise is the base's.
        started = started or 'KTAP version' in line
        if started and is_report(line):
            reports.append(line.strip())
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
