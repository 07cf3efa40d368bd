"""Kernel log reports that fail a run even when every check in it passed."""
import re

# KASAN, lockdep, WARN, BUG, hung tasks, kmemleak and the like.
REPORT = re.compile(r'(WARNING:|BUG:|Oops|possible circular locking|'
                    r'possible recursive locking|inconsistent lock state|'
                    r'suspicious RCU usage|sleeping function called from invalid|'
                    r'KASAN:|UBSAN:|kernel BUG|Kernel panic|INFO: task .* blocked|'
                    r'unreferenced object 0x)')
# kmemleak's "N new suspected memory leaks" line is not one: as init, a
# scenario program scans, leaves out objects from early boot (6.1 has some in
# every boot) and prints the "unreferenced object" lines of those it counts.
# Warnings nobody needs to act on: the one a test case provokes on purpose
# and checks itself, and the one UML's virtio PCI driver prints at every
# boot of kunit.py's UML config (no PCI device id configured).
EXPECTED = [re.compile(r'WARNING: .* at fs/kernfs/file\.c:\d+ __kernfs_create_file'),
            re.compile(r'WARNING: .* at arch/um/drivers/virt-pci\.c:\d+ um_pci_init')]


def is_report(line):
    """Whether @line of a kernel log reports a problem nobody expected."""
    return bool(REPORT.search(line)) and not any(p.search(line) for p in EXPECTED)
