/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the scenario programs share: "ok"/"FAIL" check lines, the closing
 * "N passed, N failed" line, and running as init (pid 1) of a test kernel,
 * where a program mounts what it needs and powers the machine off at the end.
 *
 * As init, a kernel with kmemleak has its list of suspects cleared at the
 * start and is scanned at the end, so that what the run itself leaked is a
 * failed check.  "scenario_reboot=1" on the kernel command line (qemu with
 * -no-reboot, which has no ACPI to power off) ends by rebooting instead.
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;
static int as_init;

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

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

/* Send @cmd to kmemleak; false if the kernel has none. */
static int kmemleak_cmd(const char *cmd)
{
	int fd = open(KMEMLEAK, O_WRONLY);
	int ok;

	if (fd < 0)
		return 0;
	ok = write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd);
	close(fd);
	return ok;
}

/* The number at the start of file @path, 0 if there is none. */
static inline unsigned long read_ulong(const char *path)
{
	unsigned long n = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%lu", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}

/* Sleep until @t seconds after boot. */
static void sleep_until_uptime(unsigned long t)
{
	unsigned long now = read_ulong("/proc/uptime");

	if (now < t)
		sleep(t - now);
}

/* kmemleak reports no object younger than this (MSECS_MIN_AGE), in s. */
#define KMEMLEAK_MIN_AGE	5

/*
 * Whether kmemleak's "jiffies N" of an object is INITIAL_JIFFIES for some
 * HZ: allocated before the tick started, in early boot.  6.1 reports some
 * such slab caches (acpi_os_create_cache()) as leaks in every boot.
 */
static int boot_jiffies(unsigned long j)
{
	static const unsigned int hz[] = { 100, 250, 300, 1000 };
	unsigned int i;

	for (i = 0; i < sizeof(hz) / sizeof(hz[0]); i++)
		if (j == (unsigned long)(unsigned int)(-300 * (int)hz[i]))
			return 1;
	return 0;
}

/*
 * Scan for leaks; a check line with the objects kmemleak reports.  It waits
 * until what the run allocated last is old enough to be reported, and does
 * not count objects from before the tick started.
 */
static void kmemleak_check(void)
{
	char line[512], obj[512] = "";
	int leaks = 0, early = 0;
	unsigned long j;
	FILE *f;

	if (access(KMEMLEAK, W_OK))
		return;
	sleep_until_uptime(read_ulong("/proc/uptime") + KMEMLEAK_MIN_AGE + 2);
	if (!kmemleak_cmd("scan"))
		return;
	/* A second scan reports only objects unreferenced in both. */
	kmemleak_cmd("scan");
	f = fopen(KMEMLEAK, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "unreferenced object", 19)) {
			snprintf(obj, sizeof(obj), "%s", line);
			continue;
		}
		if (!obj[0] || !strstr(line, "jiffies "))
			continue;
		if (sscanf(strstr(line, "jiffies ") + 8, "%lu", &j) == 1 && boot_jiffies(j)) {
			early++;
		} else if (++leaks <= 3) {
			printf("  %s", obj);
			printf("  %s", line);
		}
		obj[0] = 0;
	}
	if (f)
		fclose(f);
	check(leaks == 0, "kmemleak: %d unreferenced object(s) after the run (%d from early boot not counted)",
	      leaks, early);
}

/* Number of running psimon (PSI rtpoll worker) kthreads, -1 without /proc. */
static inline int nr_psimon(void)
{
	char path[300], comm[32];
	struct dirent *d;
	DIR *proc;
	int n = 0;
	FILE *f;

	proc = opendir("/proc");
	if (!proc)
		return -1;
	while ((d = readdir(proc))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "psimon", 6))
			n++;
		fclose(f);
	}
	closedir(proc);
	return n;
}

/*
 * Workers may be stopped asynchronously once their group's last RT trigger
 * goes: wait up to 5 s for none to be left, and return how many are.
 */
static inline int wait_psimon_gone(void)
{
	struct timespec ts = { .tv_nsec = 50000000L };
	int i, n = -1;

	for (i = 0; i < 100; i++) {
		n = nr_psimon();
		if (n == 0)
			break;
		nanosleep(&ts, NULL);
	}
	return n;
}

/* The kernel's taint flags: KASAN reports and WARNs set some. */
static inline unsigned long kernel_taint(void)
{
	return read_ulong("/proc/sys/kernel/tainted");
}

/*
 * Set or clear CAP_SYS_RESOURCE in the effective set of the calling thread
 * only (raw capget()/capset(), no libcap, whose wrappers may change all
 * threads): psi_trigger_create() looks at the effective set of the
 * credentials the file was opened with.
 */
static inline int cap_sys_resource(int on)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (on)
		data[0].effective |= 1U << CAP_SYS_RESOURCE;
	else
		data[0].effective &= ~(1U << CAP_SYS_RESOURCE);
	return syscall(SYS_capset, &hdr, data);
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
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
		/*
		 * What boot left unreferenced (6.1 reports early slab caches)
		 * is not the run's: report it once it is old enough, and clear.
		 */
		if (!access(KMEMLEAK, W_OK)) {
			sleep_until_uptime(KMEMLEAK_MIN_AGE + 2);
			kmemleak_cmd("scan");
			kmemleak_cmd("clear");
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Print the tally; as init, power off. */
static void __attribute__((noreturn)) scenario_end(void)
{
	const char *r = getenv("scenario_reboot");

	if (as_init)
		kmemleak_check();
	printf("%d passed, %d failed\n", passed, failed);
	fflush(stdout);
	if (as_init) {
		sync();
		reboot(r && !strcmp(r, "1") ? RB_AUTOBOOT : RB_POWER_OFF);
	}
	exit(failed ? 1 : 0);
}

#endif /* SCENARIO_H */
