#!/usr/bin/env python3
"""Table of bench/bench.c results, one column per stage of the series, and
the series' goals.

    bench-table.py --repeats N --source SOURCE --qemu QEMU --patches TOTAL
                   --stage NAME LOG COMMIT PATCHES SUBJECT ...

One --stage per column, the first one the base (PATCHES 0); the goals need
the stages base, gp and series.  Prints Markdown: the method, one row per
measurement (median and range over the repeats for each stage, ratio of
each later stage's median to the base's), then one check line per goal and
"N passed, N failed".
"""
import argparse
import re
import statistics
import sys

# key, what, unit, whether more is better; or, for a row that counts the
# repeats in which something happened (bench prints 0 or 1 for each):
# key, what, 'count', the keys summed
ROWS = [
    ('rmdir_0', 'rmdir of a cgroup, no armed trigger', 'ms', False),
    ('rmdir_1', 'rmdir of a cgroup, 1 armed cpu.pressure trigger', 'ms', False),
    ('rmdir_4', 'rmdir of a cgroup, 4 armed triggers', 'ms', False),
    ('rmdir_16', 'rmdir of a cgroup, 16 armed triggers', 'ms', False),
    ('rmdir_64', 'rmdir of a cgroup, 64 armed triggers', 'ms', False),
    ('close_armed', 'close() of an armed trigger fd (another stays armed)', 'ms', False),
    ('close_last', "close() of a cgroup's last armed trigger fd", 'ms', False),
    ('collateral0_mkdir_ms', 'mkdir of a cgroup elsewhere, during rmdir of a cgroup '
     'with no trigger', 'ms', False),
    ('collateral_mkdir_ms', 'mkdir of a cgroup elsewhere, during rmdir of a cgroup '
     'with 16 armed triggers', 'ms', False),
    ('collateral0_procs_ms', 'move of a process to another cgroup (cgroup.procs), '
     'during rmdir of a cgroup with no trigger', 'ms', False),
    ('collateral_procs_ms', 'move of a process to another cgroup (cgroup.procs), '
     'during rmdir of a cgroup with 16 armed triggers', 'ms', False),
    ('collateral0_overlap', 'of the mkdir and move beside rmdir with no trigger: '
     'started before rmdir returned', 'count', ('collateral0_mkdir_overlap',
                                                'collateral0_procs_overlap')),
    ('collateral_overlap', 'of the mkdir and move beside rmdir with 16 triggers: '
     'started before rmdir returned', 'count', ('collateral_mkdir_overlap',
                                                'collateral_procs_overlap')),
    ('foreign_wakeups', 'wakeups of a poller whose trigger never fires, '
     'while another trigger on the same file fires 8 times', '', False),
    ('kpoll_wakeups_8', '8 pollers on one cpu.pressure, 1 trigger fires: wakeups '
     'of the 7 others, per event', '', False),
    ('kpoll_wakeups_64', '64 pollers on one cpu.pressure, 1 trigger fires: wakeups '
     'of the 63 others, per event', '', False),
    ('kpoll_cpu_us_1', '1 poller on a cpu.pressure: its CPU time per event', 'us', False),
    ('kpoll_cpu_us_8', '8 pollers on one cpu.pressure, 1 trigger fires: CPU time '
     'of all 8, per event', 'us', False),
    ('kpoll_cpu_us_64', '64 pollers on one cpu.pressure, 1 trigger fires: CPU time '
     'of all 64, per event', 'us', False),
    ('inotify_per_event', 'inotify IN_MODIFY events on a cpu.pressure file, '
     'per event of its trigger', '', False),
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
    """The values of each key, the FAIL lines, and the events per repeat."""
    values, fails, events = {}, [], None
    for line in open(path, errors='replace'):
        line = line.rstrip('\r\n')
        m = re.match(r'^bench (\w+) (-?[\d.]+)$', line)
        if m:
            values.setdefault(m.group(1), []).append(float(m.group(2)))
        elif line.startswith('FAIL '):
            fails.append(line)
        m = re.match(r'^bench: (\d+) trigger events per repeat', line)
        if m:
            events = int(m.group(1))
    return values, fails, events


def fmt(x):
    if x != x:
        return 'n/a'
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


def ratio(base, other):
    if not base or not other:
        return 'n/a'
    b, s = statistics.median(base), statistics.median(other)
    if b <= 0:
        return '-'
    r = s / b
    return f'{r:.2f}' if r >= 0.1 or r == 0 else f'1/{1 / r:,.0f}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--qemu', required=True)
    ap.add_argument('--icount', default='shift=1,sleep=off',
                    help='the -icount argument of the boots, empty for none')
    ap.add_argument('--patches', type=int, required=True)
    ap.add_argument('--stage', nargs=5, action='append', required=True,
                    metavar=('NAME', 'LOG', 'COMMIT', 'PATCHES', 'SUBJECT'))
    args = ap.parse_args()
    repeats = args.repeats
    stages = []
    for name, log, commit, patches, subject in args.stage:
        # LOG,LOG2: the rows of a second boot (the open/read/close rows of a
        # -smp 1 boot under -icount) replace those of the first.
        values, fails, events = parse(log.split(',')[0])
        for more in log.split(',')[1:]:
            v, f, _ = parse(more)
            # Its rows only, none of the first boot's (a row it lacks then
            # shows as missing values, a failed check).
            for key in [k for k in values if k.startswith('loop_')]:
                del values[key]
            values.update(v)
            fails += f
        stages.append({'name': name, 'commit': commit, 'patches': int(patches),
                       'subject': subject, 'values': values, 'fails': fails,
                       'events': events})
    by_name = {s['name']: s for s in stages}
    base = stages[0]
    events = '/'.join(sorted({str(s['events']) for s in stages}))
    # The firing trigger of the K-poller and inotify rows (bench.c: a 500 ms
    # window on kernels that refuse 100 ms).
    fires = set()
    loops_apart = any(',' in log for _, log, _, _, _ in args.stage)
    for _, log, _, _, _ in args.stage:
        for line in open(log.split(',')[0], errors='replace'):
            if line.startswith('bench-info fire '):
                fires.add(line[len('bench-info fire '):].strip())
    fire = ' / '.join(f'"{f}"' for f in sorted(fires)) or '"some 10000 100000"'
    period = {'"some 50000 500000"': '500 ms'}.get(fire, '100 ms')

    print('## The stages of the series: base, gp, series\n')
    desc = []
    for s in stages:
        if s['patches'] == 0:
            what = f'the imported source ({s["commit"]}, "{s["subject"]}")'
        elif s['patches'] == args.patches:
            what = (f'all {args.patches} patches of the series, up to {s["commit"]} '
                    f'("{s["subject"]}")')
        else:
            what = (f'patches 1-{s["patches"]} of {args.patches}, up to {s["commit"]} '
                    f'("{s["subject"]}")')
            if s['name'] == 'gp':
                what += (': PSI trigger teardown without a grace period per trigger, '
                         'pollers still woken through kernfs_notify()')
        desc.append(f'`{s["name"]}` is {what}')
    print(f'Stages: {"; ".join(desc)}.\n')
    if args.icount:
        clock = (f'with -icount {args.icount} (guest time follows executed '
                 'instructions, idle time is skipped)')
        times = ('Times are guest times: costs in instructions, comparable between '
                 'the stages, not wall-clock times on real hardware.')
        overlap = ('Under -icount qemu runs the two vCPUs in turns (a slice of up to '
                   'half the time to the next timer each), so such an operation '
                   'overlaps an rmdir that sleeps (grace periods) but hardly one that '
                   'does not: then it starts after rmdir returned and is timed alone')
    else:
        clock = ('without -icount (this base does not bring up its second CPU under '
                 '-icount with this qemu: scripts/bench.sh)')
        times = ('Times are wall-clock times of the emulated CPUs on the host, which '
                 'ran nothing else: comparable between the stages of one run, noisier '
                 'than costs under -icount, and not times on real hardware.')
        overlap = ('Whether such an operation starts before rmdir returns depends on '
                   'how long rmdir takes and on how the host schedules the two vCPUs')
    loops_note = ('The open/read/close rows, which vary from boot to boot more than '
                  'between the stages without -icount and need one CPU, come from a '
                  'second boot of each stage with -smp 1 under -icount '
                  'shift=1,sleep=off (one CPU boots under -icount): there they are '
                  'costs in instructions. ' if loops_apart else '')
    print(f'Method: {args.source}, each stage built from the same small x86_64 config '
          '(configs/x86_64.config: SMP, HZ=250, voluntary preemption, cgroups, PSI, '
          'no debug options; plus CONFIG_INOTIFY_USER, bench/x86_64-bench.config) '
          f'and booted {"twice (see below)" if loops_apart else "once"} under '
          f'{args.qemu} -smp 2 -m 1G {clock}, bench/bench.c as '
          f'init, {repeats} repeats per row in a boot. '
          f'Cells: median (min-max). {times} '
          f'{loops_note}'
          'Triggers are privileged (RT, rtpoll worker). K pollers: K threads, each '
          'with its own fd and trigger on the same cgroup\'s cpu.pressure, one '
          f'{fire} that fires once per {period} window under the stall of '
          'two busy threads of that cgroup on CPU 0, K-1 "full 1000000 1000000" that '
          f'never fire; pollers on CPU 1, the rtpoll worker (psimon) on CPU 0; {events} events per repeat; wakeups are '
          'voluntary context switches, CPU time that of the threads '
          '(CLOCK_THREAD_CPUTIME_ID). inotify: an IN_MODIFY watch on that file while '
          f'one such trigger fires {events} times per repeat. Collateral: one thread '
          'on CPU 0 removes a cgroup (its triggers as in the rmdir rows); another, on '
          'CPU 1, starts 10 us after the first says it calls rmdir, and times a mkdir '
          'under another parent, or a write of its pid to another cgroup\'s '
          'cgroup.procs (moved back afterwards, not timed). '
          f'{overlap} (the "started before rmdir returned" rows; an operation that '
          'gets cgroup_mutex before rmdir does, counted there too, does not wait). '
          'A move of a process '
          'takes cgroup_threadgroup_rwsem for writing, whose rcu_sync waits for a grace '
          'period unless another writer had it less than one ago: each timed move '
          'follows an untimed move there and back, so it pays a grace period only when '
          'it waits that long itself (base, 16 triggers). '
          'Reproduce: `make bench` (scripts/bench.sh).\n')
    later = stages[1:]
    head = ' | '.join(s['name'] for s in stages)
    rhead = ' | '.join(f'{s["name"]}/{base["name"]}' for s in later)
    print(f'| what | unit | {head} | {rhead} |')
    print('|---|---|' + '---|' * (len(stages) + len(later)))
    for key, what, unit, arg in ROWS:
        if unit == 'count':
            cells = []
            for s in stages:
                vals = [v for k in arg for v in s['values'].get(k, [])]
                cells.append(f'{sum(1 for v in vals if v)} of {len(vals)}' if vals else 'n/a')
            print(f'| {what} | | {" | ".join(cells)} |{" - |" * len(later)}')
            continue
        cells = ' | '.join(cell(s['values'].get(key, [])) for s in stages)
        ratios = ' | '.join(ratio(base['values'].get(key), s['values'].get(key))
                            for s in later)
        print(f'| {what} | {unit} | {cells} | {ratios} |')
    print()

    checks = []

    def med(name, k):
        d = by_name[name]['values'] if name in by_name else {}
        return statistics.median(d[k]) if d.get(k) else float('nan')

    for s in stages:
        for f in s['fails']:
            checks.append((False, f'{s["name"]} run: {f}'))
    for s in stages:
        keys = [k for r in ROWS for k in (r[3] if r[2] == 'count' else (r[0],))]
        for key in keys:
            n = len(s['values'].get(key, []))
            if n != repeats:
                checks.append((False, f'{s["name"]}: {key}: {n} of {repeats} values'))
    for name in ('base', 'gp', 'series'):
        if name not in by_name:
            checks.append((False, f'no stage {name}'))
    # Grace periods: gone from rmdir and close from the gp stage on (one grace
    # period is about 4 ms at HZ=250); gp still queues the kernfs notify work
    # once per trigger at sever, the series does nothing per trigger there.
    r16 = med('gp', 'rmdir_16')
    checks.append((r16 < 1, f'goal: gp: rmdir with 16 armed triggers under 1 ms, '
                   f'no grace period ({fmt(r16)} ms)'))
    r0, r16 = med('series', 'rmdir_0'), med('series', 'rmdir_16')
    checks.append((r16 <= 2 * r0, f'goal: series: rmdir with 16 armed triggers within '
                   f'2x of none ({fmt(r16)} vs {fmt(r0)} ms)'))
    for name in ('gp', 'series'):
        c = max(by_name.get(name, {'values': {}})['values'].get('close_armed',
                                                                 [float('nan')]))
        checks.append((c < 1, f'goal: {name}: close() of an armed trigger under 1 ms '
                       f'(at most {fmt(c)} ms)'))
    # Wakeups: only the series gives each trigger its own waitqueue.
    w = max(by_name.get('series', {'values': {}})['values'].get('foreign_wakeups',
                                                                 [float('nan')]))
    checks.append((w == 0, f'goal: series: no foreign wakeups (at most {fmt(w)})'))
    # No regression: series against base.
    b, s = med('base', 'delivery'), med('series', 'delivery')
    checks.append((s < b + DELIVERY_SLACK_MS, 'goal: series: PSI events not later than '
                   f'base by {DELIVERY_SLACK_MS} ms or more ({fmt(s)} vs {fmt(b)} ms)'))
    for key, what, unit, _ in ROWS:
        if not key.startswith('loop'):
            continue
        b, s = med('base', key), med('series', key)
        checks.append((s >= b * (1 - TOLERANCE), f'goal: series: no regression beyond '
                       f'{TOLERANCE:.0%} against base: {key} ({fmt(s)} vs {fmt(b)} {unit})'))
    for ok, text in checks:
        print(f'{"ok  " if ok else "FAIL"} bench: {text}')
    n_ok = sum(ok for ok, _ in checks)
    print(f'\n{n_ok} passed, {len(checks) - n_ok} failed')
    return 0 if n_ok == len(checks) else 1


if __name__ == '__main__':
    sys.exit(main())
