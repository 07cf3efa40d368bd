"""Kernel log reports that fail a run even when every check in it passed."""
import os
import re

# KASAN, lockdep, WARN, BUG, hung tasks, kmemleak, debugobjects (whose
# "ODEBUG: Out of memory. ODEBUG disabled" is no WARN) and the like.
REPORT = re.compile(r'(WARNING:|BUG:|Oops|possible circular locking|'
                    r'possible recursive locking|inconsistent lock state|'
                    r'suspicious RCU usage|sleeping function called from invalid|'
                    r'KASAN:|UBSAN:|kernel BUG|Kernel panic|INFO: task .* blocked|'
                    r'unreferenced object 0x|detected stalls? on CPUs|self-detected stall|'
                    r'scheduling while atomic|kernfs: .* refused:|ODEBUG:)')
# kmemleak's "N new suspected memory leaks" line is not one: as init, a
# scenario program scans, leaves out objects from early boot (6.1 has some in
# every boot) and prints the "unreferenced object" lines of those it counts.
# A file kernfs refuses (its ->free could not be called safely) is missing
# from the system, except the two that suite kernfs_file makes to be refused.
# Warnings nobody needs to act on: the one UML's virtio PCI driver prints at
# every boot of kunit.py's UML config (no PCI device id configured; the
# lockdep config prints an address instead of um_pci_init, hence the file
# and line only).  No test provokes a WARN on purpose.
EXPECTED = [re.compile(r'WARNING: .* at arch/um/drivers/virt-pci\.c:\d+ '),
            re.compile(r'kernfs: (dynamic refused: ->free kft_free |not-text refused: )')]


# make kcsan sorts KCSAN's data-race reports itself (scripts/kcsan-tally.py):
# with KCSAN_SEPARATE=1 they are not reports here.
KCSAN = re.compile(r'BUG: KCSAN: ')


def is_report(line):
    """Whether @line of a kernel log reports a problem nobody expected."""
    if os.environ.get('KCSAN_SEPARATE') == '1' and KCSAN.search(line):
        return False
    return bool(REPORT.search(line)) and not any(p.search(line) for p in EXPECTED)
