#!/usr/bin/env python3
"""Tally of one scenario program's boot, from its console log.

    scenario-tally.py LABEL PROGRAM LOG EXIT SECONDS

Prints the program's "ok"/"FAIL" lines as "ok   LABEL: PROGRAM: ...", one
check line for the scan of the kernel log (KASAN, lockdep, WARN, BUG,
hung task, kmemleak), and "N passed, N failed".  Shared by the UML and qemu
paths (scripts/scenarios.sh uml|qemu).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logscan import is_report  # noqa: E402


def main():
    label, prog, path, rc, secs = sys.argv[1:6]
    passed = failed = 0
    tally = None
    started = False
    reports = []
    for line in open(path, errors='replace'):
        line = line.rstrip('\r\n')
        # The console interleaves kernel messages with the program's output,
        # even inside one of its lines: look for reports on every line.
        if is_report(line):
            reports.append(line.strip())
        started = started or 'as init process' in line
        if not started:
            continue
        m = re.match(r'^(ok  |FAIL) (.*)', line)
        if m:
            print(f'{m.group(1)} {label}: {prog}: {m.group(2)}')
        elif re.match(r'^\d+ passed, \d+ failed$', line):
            tally = [int(x) for x in re.findall(r'\d+', line)]
    if tally is None:
        print(f'FAIL {label}: {prog}: no result (exit {rc} after {secs}s), see {path}')
        failed += 1
    else:
        passed += tally[0]
        failed += tally[1]
    if reports:
        print(f'FAIL {label}: {prog}: kernel log has {len(reports)} report(s), '
              f'first: {reports[0]}')
        failed += 1
    else:
        print(f'ok   {label}: {prog}: kernel log free of KASAN/lockdep/WARN/BUG/'
              f'hung-task/kmemleak reports ({secs}s)')
        passed += 1
    print(f'{passed} passed, {failed} failed')


if __name__ == '__main__':
    main()
