// SPDX-License-Identifier: GPL-2.0-only
/*
 * LD_PRELOAD shim for ARCH=um kernels on hosts whose XSAVE area is larger than
 * UML's buffer for it (AMX: about 11 KB, UML 6.1/6.12: 2,696 bytes).
 *
 * UML reads a process's FP state with PTRACE_GETREGSET NT_X86_XSTATE into
 * its own buffer, which the host truncates to fit, and writes it back with
 * PTRACE_SETREGSET, which the host refuses with EFAULT unless the buffer has
 * the full size: UML then kills the process ("ptrace set fp regs failed,
 * errno = 14"), so init dies at once.  Such a write is completed here: the
 * tracee's full state is read, UML's part laid over its start, and the whole
 * written back.  The rest (AMX tiles, which UML's programs never enable)
 * keeps the tracee's own value.  Only the scenario boots load it
 * (scripts/scenarios.sh); KUnit runs start no user space.  One buffer for
 * all calls: only UML's main thread traces its processes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

#define FULL_MAX	(64 * 1024)

typedef long (*ptrace_fn)(enum __ptrace_request, pid_t, void *, void *);

long ptrace(enum __ptrace_request request, ...)
{
	static ptrace_fn real;
	static unsigned char full[FULL_MAX];
	struct iovec *iov, whole;
	va_list ap;
	pid_t pid;
	void *addr, *data;

	va_start(ap, request);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (ptrace_fn)dlsym(RTLD_NEXT, "ptrace");
	if (request != PTRACE_SETREGSET || (long)addr != NT_X86_XSTATE)
		return real(request, pid, addr, data);

	iov = data;
	whole.iov_base = full;
	whole.iov_len = sizeof(full);
	if (real(PTRACE_GETREGSET, pid, addr, &whole) < 0)
		return -1;
	if (iov->iov_len >= whole.iov_len)
		return real(request, pid, addr, data);
	memcpy(full, iov->iov_base, iov->iov_len);
	return real(request, pid, addr, &whole);
}
