"""Kernel log reports that fail a run even when every check in it passed."""
import re

# KASAN, lockdep, WARN, BUG, hung tasks and the like.
REPORT = re.compile(r'(WARNING:|BUG:|Oops|possible circular locking|'
                    r'possible recursive locking|inconsistent lock state|'
                    r'suspicious RCU usage|sleeping function called from invalid|'
                    r'KASAN:|UBSAN:|kernel BUG|Kernel panic|INFO: task .* blocked|'
                    r'kmemleak:)')
# Warnings that a test case provokes on purpose and checks itself.
EXPECTED = [re.compile(r'WARNING: .* at fs/kernfs/file\.c:\d+ __kernfs_create_file')]


def is_report(line):
    """Whether @line of a kernel log reports a problem nobody expected."""
    return bool(REPORT.search(line)) and not any(p.search(line) for p in EXPECTED)
