// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation failures on the paths the series touches, injected one at a
 * time with /proc/self/task/TID/fail-nth and failslab (sleeping allocations
 * included): opening a cgroup pressure file (kernfs's and cgroup's per-open
 * state), writing an RT trigger (the trigger, and kthread_create()'s own
 * request for the psimon worker: the fork itself runs in kthreadd, out of
 * reach of fail-nth) and an unprivileged one, as a thread without
 * CAP_SYS_RESOURCE, and removing the cgroup while the file is open.  For
 * n = 1, 2, ... the n-th fault point of the operation fails, until the
 * operation has fewer than n of them (kmemleak's own allocations, where it
 * runs, are fault points too and absorb some n harmlessly).  Each
 * operation must succeed or fail with ENOMEM, and the cgroup must then go
 * away cleanly; kmemleak (after the age threshold) and the kernel log scan
 * find what was not cleaned up.
 *
 * Runs as init (pid 1) of a booted test kernel with CONFIG_FAILSLAB and
 * CONFIG_FAULT_INJECTION_DEBUG_FS, or as root elsewhere:
 *   faults [CGROUP2_MOUNTPOINT]
 * Prints one "ok ..."/"FAIL ..." line per check and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"

#define FAILSLAB	"/sys/kernel/debug/failslab"
#define MAX_NTH		1000

static const char *cgroot = "/sys/fs/cgroup";
static char fail_nth[64];
static int nth_fd = -1;

enum op { OP_OPEN, OP_WRITE_RT, OP_WRITE_AVG, OP_RMDIR_OPEN };
static const char * const op_name[] = {
	"open of cpu.pressure", "write of an RT trigger",
	"write of an unprivileged trigger", "rmdir with an armed trigger open",
};

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Arm fail-nth: the @n-th fault point of this thread fails.  The file stays
 * open: opening it would be a fault point itself.
 */
static void arm(int n)
{
	char s[16];

	snprintf(s, sizeof(s), "%d", n);
	if (pwrite(nth_fd, s, strlen(s), 0) != (ssize_t)strlen(s))
		check(0, "write %s to %s: %s", s, fail_nth, strerror(errno));
}

/* Disarm fail-nth; whether the fault armed last was injected. */
static int disarm(void)
{
	char s[16] = "";
	int n;

	n = (int)pread(nth_fd, s, sizeof(s) - 1, 0);
	if (pwrite(nth_fd, "0", 1, 0) != 1)
		check(0, "disarm %s: %s", fail_nth, strerror(errno));
	return n > 0 && atoi(s) == 0;
}

/*
 * One run of @op in a fresh cgroup with fault @n armed around it (0: none).
 * Returns whether the fault was injected; *@err gets the operation's errno
 * (0 if it succeeded), *@clean whether the cgroup went away afterwards.
 */
static int run(enum op op, int n, int *err, int *clean)
{
	const char *trig = op == OP_WRITE_AVG ? "some 150000 2000000" : "some 150000 1000000";
	char dir[256], path[300];
	int fd = -1, injected = 0, ret;

	snprintf(dir, sizeof(dir), "%s/faults", cgroot);
	snprintf(path, sizeof(path), "%s/cpu.pressure", dir);
	rmdir(dir);
	*err = 0;
	if (mkdir(dir, 0755)) {
		*err = errno;
		*clean = 0;
		return 0;
	}
	if (op == OP_WRITE_AVG)
		cap_sys_resource(0);
	if (op == OP_OPEN)
		arm(n);
	fd = open(path, O_RDWR);
	if (fd < 0)
		*err = errno;
	if (op == OP_OPEN)
		injected = disarm();
	if (fd >= 0 && op != OP_OPEN) {
		if (op != OP_RMDIR_OPEN)
			arm(n);
		ret = write(fd, trig, strlen(trig) + 1);
		if (ret < 0)
			*err = errno;
		if (op != OP_RMDIR_OPEN)
			injected = disarm();
	}
	if (op == OP_WRITE_AVG)
		cap_sys_resource(1);
	if (op == OP_RMDIR_OPEN) {
		arm(n);
		ret = rmdir(dir);
		if (ret)
			*err = errno;
		injected = disarm();
	}
	if (fd >= 0)
		close(fd);
	rmdir(dir);
	*clean = access(dir, F_OK) != 0;
	return injected;
}

static void sweep(enum op op)
{
	int n, err, clean, bad_err = 0, unclean = 0, failed_ops = 0, first = 0;

	/*
	 * A first run without faults, so that no page fault of the program's
	 * own takes an injected fault later.
	 */
	run(op, 0, &err, &clean);
	for (n = 1; n <= MAX_NTH; n++) {
		if (!run(op, n, &err, &clean))
			break;
		if (err)
			failed_ops++;
		if (err && err != ENOMEM && !bad_err) {
			bad_err = err;
			first = n;
		}
		if (!clean)
			unclean++;
	}
	run(op, 0, &err, &clean);
	check(err == 0 && clean, "%s: succeeds without faults (%s)", op_name[op],
	      err ? strerror(err) : "ok");
	check(n > 1 && n <= MAX_NTH,
	      "%s: %d fault point(s) failed one at a time, %d of them failed the operation",
	      op_name[op], n - 1, failed_ops);
	check(!bad_err, "%s: every failure is ENOMEM%s%s", op_name[op],
	      bad_err ? ", not " : "", bad_err ? strerror(bad_err) : "");
	if (bad_err)
		printf("  first at fault point %d\n", first);
	check(!unclean, "%s: the cgroup went away after every fault (%d did not)",
	      op_name[op], unclean);
}

int main(int argc, char **argv)
{
	enum op op;

	if (argc > 1)
		cgroot = argv[1];
	scenario_start(cgroot);
	printf("faults: allocation failures injected one at a time on %s\n", cgroot);
	snprintf(fail_nth, sizeof(fail_nth), "/proc/self/task/%d/fail-nth", gettid());
	nth_fd = open(fail_nth, O_RDWR);
	if (nth_fd < 0 || access(FAILSLAB, F_OK)) {
		check(0, "fault injection: %s and %s (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)",
		      fail_nth, FAILSLAB);
		scenario_end();
	}
	/* Sleeping allocations too, quietly: every fault point is a kmalloc. */
	check(!write_str(FAILSLAB "/ignore-gfp-wait", "N") &&
	      !write_str(FAILSLAB "/verbose", "0") &&
	      !write_str(FAILSLAB "/probability", "0"),
	      "failslab: sleeping allocations may fail, quietly, only through fail-nth");
	for (op = OP_OPEN; op <= OP_RMDIR_OPEN; op++)
		sweep(op);
	scenario_end();
}
