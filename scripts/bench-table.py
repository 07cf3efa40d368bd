#!/usr/bin/env python3
"""Table of bench/bench.c results, base versus series, and the series' goals.

    bench-table.py BASE_LOG SERIES_LOG REPEATS BASE_ID SERIES_ID SOURCE QEMU

Prints Markdown: the method, one row per measurement (median and range
over the repeats for each kernel, ratio of the medians), then one check
line per goal and "N passed, N failed".
"""
import re
import statistics
import sys

# key, what, unit, whether more is better
ROWS = [
    ('rmdir_0', 'rmdir of a cgroup, no armed trigger', 'ms', False),
    ('rmdir_1', 'rmdir of a cgroup, 1 armed cpu.pressure trigger', 'ms', False),
    ('rmdir_4', 'rmdir of a cgroup, 4 armed triggers', 'ms', False),
    ('rmdir_16', 'rmdir of a cgroup, 16 armed triggers', 'ms', False),
    ('rmdir_64', 'rmdir of a cgroup, 64 armed triggers', 'ms', False),
    ('close_armed', 'close() of an armed trigger fd (another stays armed)', 'ms', False),
    ('close_last', "close() of a cgroup's last armed trigger fd", 'ms', False),
    ('foreign_wakeups', 'wakeups of a poller whose trigger never fires, '
     'while another trigger on the same file fires 8 times', '', False),
    ('delivery', 'PSI event: stall start to poll() return '
     '(100 ms threshold, 1 s window)', 'ms', False),
    ('loop_sysfs', 'open/read/close of a sysfs file (no ->free)', '/s', True),
    ('loop_cgroup_procs', 'open/read/close of cgroup.procs', '/s', True),
    ('loop_cpu_pressure', 'open/read/close of cpu.pressure', '/s', True),
]
# No regression: a series median within this fraction of the base median.
TOLERANCE = 0.03
# PSI delivery is quantized by the rtpoll period (a tenth of the 1 s window):
# where the stall starts in that period moves a figure by up to 100 ms, so a
# regression is a median later than base by half a period or more.
DELIVERY_SLACK_MS = 50


def parse(path):
    values, fails = {}, []
    for line in open(path, errors='replace'):
        line = line.rstrip('\r\n')
        m = re.match(r'^bench (\w+) (-?[\d.]+)$', line)
        if m:
            values.setdefault(m.group(1), []).append(float(m.group(2)))
        elif line.startswith('FAIL '):
            fails.append(line)
    return values, fails


def fmt(x):
    if x >= 1000:
        return f'{x:,.0f}'
    if x >= 10 or x == int(x):
        return f'{x:.1f}'.rstrip('0').rstrip('.')
    return f'{x:.3f}'.rstrip('0').rstrip('.') if x < 1 else f'{x:.2f}'


def cell(vals):
    if not vals:
        return 'n/a'
    med = statistics.median(vals)
    if min(vals) == max(vals):
        return fmt(med)
    return f'{fmt(med)} ({fmt(min(vals))}-{fmt(max(vals))})'


def main():
    base_log, series_log, repeats, base_id, series_id, source, qemu = sys.argv[1:8]
    base, base_fails = parse(base_log)
    series, series_fails = parse(series_log)
    print('## Base 6.12 versus the series\n')
    print(f'Method: {source}, base commit {base_id} and series {series_id}, both built '
          'from the same small x86_64 config (configs/x86_64.config: SMP, HZ=250, '
          'voluntary preemption, cgroups, PSI, no debug options); each booted once '
          f'under {qemu} -smp 2 -m 1G with -icount shift=1,sleep=off (guest time '
          'follows executed instructions, idle time is skipped), bench/bench.c as '
          f'init, {repeats} repeats per row in that boot. Cells: median (min-max). '
          'Times are guest times: costs in instructions, comparable between the '
          'two kernels, not wall-clock times on real hardware. Reproduce: '
          '`make bench` (scripts/bench.sh).\n')
    print('| what | unit | base | series | series/base |')
    print('|---|---|---|---|---|')
    for key, what, unit, _ in ROWS:
        b, s = base.get(key, []), series.get(key, [])
        ratio = 'n/a'
        if b and s and statistics.median(b) > 0:
            r = statistics.median(s) / statistics.median(b)
            ratio = f'{r:.2f}' if r >= 0.1 or r == 0 else f'1/{1 / r:,.0f}'
        elif b and s:
            ratio = '-'
        print(f'| {what} | {unit} | {cell(b)} | {cell(s)} | {ratio} |')
    print()

    checks = []

    def med(d, k):
        return statistics.median(d[k]) if d.get(k) else float('nan')

    for f in base_fails:
        checks.append((False, f'base run: {f}'))
    for f in series_fails:
        checks.append((False, f'series run: {f}'))
    for key, *_ in ROWS:
        for name, d in (('base', base), ('series', series)):
            if len(d.get(key, [])) != int(repeats):
                checks.append((False, f'{name}: {key}: {len(d.get(key, []))} of {repeats} '
                               'values'))
    r0, r16 = med(series, 'rmdir_0'), med(series, 'rmdir_16')
    checks.append((r16 <= 2 * r0, f'goal: rmdir with 16 armed triggers within 2x of none '
                   f'({fmt(r16)} vs {fmt(r0)} ms)'))
    c = max(series.get('close_armed', [float('nan')]))
    checks.append((c < 1, f'goal: close() of an armed trigger under 1 ms (at most {fmt(c)} ms)'))
    w = max(series.get('foreign_wakeups', [float('nan')]))
    checks.append((w == 0, f'goal: no foreign wakeups (at most {fmt(w)})'))
    b, s = med(base, 'delivery'), med(series, 'delivery')
    checks.append((s < b + DELIVERY_SLACK_MS, 'goal: PSI events not later than base '
                   f'by {DELIVERY_SLACK_MS} ms or more ({fmt(s)} vs {fmt(b)} ms)'))
    for key, what, unit, more_better in ROWS:
        if not key.startswith('loop'):
            continue
        b, s = med(base, key), med(series, key)
        checks.append((s >= b * (1 - TOLERANCE), f'goal: no regression beyond '
                       f'{TOLERANCE:.0%}: {key} ({fmt(s)} vs {fmt(b)} {unit})'))
    for ok, text in checks:
        print(f'{"ok  " if ok else "FAIL"} bench: {text}')
    n_ok = sum(ok for ok, _ in checks)
    print(f'\n{n_ok} passed, {len(checks) - n_ok} failed')
    return 0 if n_ok == len(checks) else 1


if __name__ == '__main__':
    sys.exit(main())
