/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the scenario programs share: "ok"/"FAIL" check lines, the closing
 * "N passed, N failed" line, and running as init (pid 1) of a test kernel,
 * where a program mounts what it needs and powers the machine off at the end.
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

static int passed, failed;
static int as_init;

static void __attribute__((format(printf, 2, 3))) check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

/* As init: mount /proc, /sys and cgroup2 on @cgroot. */
static void scenario_start(const char *cgroot)
{
	as_init = getpid() == 1;
	if (as_init) {
		mkdir("/proc", 0755);
		mkdir("/sys", 0755);
		mount("proc", "/proc", "proc", 0, NULL);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
		mount("cgroup2", cgroot, "cgroup2", 0, NULL);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Print the tally; as init, power off. */
static void __attribute__((noreturn)) scenario_end(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	fflush(stdout);
	if (as_init) {
		sync();
		reboot(RB_POWER_OFF);
	}
	exit(failed ? 1 : 0);
}

#endif /* SCENARIO_H */
