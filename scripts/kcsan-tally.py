#!/usr/bin/env python3
"""Sort the KCSAN data-race reports of kernel logs: one note per distinct
report (its functions), a failure for each with a function that the series
adds or changes (a function named in a hunk header of the series' diff, or
defined in an added line), and a last line 'N passed, N failed'.  Races in
untouched functions of the same files, old ones of the base, are notes.
    kcsan-tally.py TREE BASE_REV LOG...
"""
import re
import subprocess
import sys

tree, base, logs = sys.argv[1], sys.argv[2], sys.argv[3:]

diff = subprocess.run(['git', '-C', tree, 'diff', '-U0', f'{base}..HEAD', '--', '*.c', '*.h'],
                      check=True, capture_output=True, text=True).stdout
# Functions the series adds or changes: the function of each hunk header,
# and any function whose definition starts on an added line.
defined = {}
HUNK = re.compile(r'^@@ [^@]* @@.*?\b(\w+)\(')
DEF = re.compile(r'^\+[A-Za-z_][\w\s\*]*?\b(\w+)\(')
path = None
for line in diff.splitlines():
    if line.startswith('+++ '):
        path = line[6:]
        continue
    m = HUNK.match(line) or (DEF.match(line) if not line.rstrip().endswith(';') else None)
    if m and path:
        defined.setdefault(m.group(1), path)
files = sorted(set(defined.values()))


def base_name(fn):
    """foo.constprop.0, foo+0x1c/0x50 -> foo"""
    return re.split(r'[.+]', fn)[0]


HEAD = re.compile(r'BUG: KCSAN: (.+?) in (\S+)(?: / (\S+))?\s*$')
seen = {}
passed = failed = 0
for log in logs:
    try:
        text = open(log, errors='replace').read()
    except OSError:
        print(f'FAIL kcsan: no log {log}')
        failed += 1
        continue
    # A KCSAN kernel that did not enable it at boot sees nothing.
    if 'kcsan: enabled early' not in text:
        print(f'FAIL kcsan: KCSAN was not enabled at boot in {log}')
        failed += 1
    for line in text.splitlines():
        m = HEAD.search(line)
        if not m:
            continue
        kind = m.group(1)
        funcs = tuple(base_name(f) for f in m.groups()[1:] if f)
        key = (kind,) + funcs
        seen.setdefault(key, []).append(log)

for key, where in sorted(seen.items()):
    kind, funcs = key[0], key[1:]
    ours = [f'{fn} ({defined[fn]})' for fn in funcs if fn in defined]
    runs = len(where)
    text = f'{kind} in {" / ".join(funcs)} ({runs}x)'
    if ours:
        print(f'FAIL kcsan: {text}: in code the series adds or changes: {", ".join(ours)}')
        failed += 1
    else:
        print(f'note kcsan: {text}: not in code the series adds or changes')
if not any(fn in defined for key in seen for fn in key[1:]):
    print(f'ok   kcsan: no data race in code the series adds or changes '
          f'({len(seen)} distinct report(s) elsewhere; {len(defined)} functions '
          f'added or changed in {len(files)} files)')
    passed += 1
print(f'{passed} passed, {failed} failed')
