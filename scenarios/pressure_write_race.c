// SPDX-License-Identifier: GPL-2.0-only
/*
 * The use-after-free in pressure_write() that trees carrying "sched/psi:
 * Create the psimon kthread outside of cgroup_mutex" without a release that
 * clears of->priv ship: a trigger write on a cgroup's cpu.pressure races the
 * sever of that file, by rmdir of the cgroup or by "0" > cgroup.pressure,
 * which hides the pressure files of a live cgroup.  One fresh cgroup per
 * iteration, so that a privileged write is the group's first RT trigger and
 * creates psimon with cgroup_mutex dropped.
 *
 * Three races, each until ITERATIONS or SECONDS run out or the kernel taints:
 *   rt/rmdir    privileged trigger write against rmdir
 *   rt/hide     privileged trigger write against 0 > cgroup.pressure
 *   avg/hide    unprivileged (2 s window) write against 0 > cgroup.pressure,
 *               both from threads running as uid/gid 1000 without any
 *               capability, to whom init (root) has delegated the cgroup by
 *               chown, as systemd does; a memory.pressure trigger armed
 *               beforehand (by root, without CAP_SYS_RESOURCE) makes the
 *               hide slow (where a trigger's release waits for an RCU grace
 *               period, as on 6.12 and 6.1), so the writer can queue on
 *               cgroup_mutex.
 * A KASAN report taints the kernel and the "trigger leak" WARN counts in
 * /sys/kernel/warn_count: the race that saw either change fails and says
 * after how many iterations.
 *
 * Runs as init (pid 1) of a booted test kernel, or as root elsewhere:
 *   pressure_write_race [ITERATIONS [SECONDS [RACE]]]
 * RACE is one of the names above, or "all" (the default).  As the taint
 * stays, a kernel that taints in one race is booted once per race to see
 * every race fail (scripts/reproduce.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"

#define RT_TRIGGER	"some 150000 1000000"
#define AVG_TRIGGER	"some 150000 2000000"

static const char *cgroot = "/sys/fs/cgroup";
static long iterations = 2000;
static long seconds = 20;
static const char *only = "all";

struct race {
	const char *name;
	int privileged;		/* root writes; else the delegatee (DELEGATEE) */
	int hide;		/* sever by 0 > cgroup.pressure, not rmdir */
};

/* The owner of a delegated cgroup: an ordinary user. */
#define DELEGATEE	1000

static const struct race races[] = {
	{ "rt/rmdir", 1, 0 },
	{ "rt/hide", 1, 1 },
	{ "avg/hide", 0, 1 },
};

struct side {
	const struct race *race;
	const char *dir;
	int fd;			/* the writer's cpu.pressure */
	unsigned int delay;	/* spins before the severer starts */
	int ret;		/* 0 or errno */
	int ready;		/* the writer has opened its file */
	volatile int *go;
};

/*
 * Become the delegatee in the calling thread only (the raw system calls act
 * on one thread; libc's set*id() change all of them): no capability left.
 */
static int become_delegatee(void)
{
	if (syscall(SYS_setgroups, 0, NULL) ||
	    syscall(SYS_setresgid, DELEGATEE, DELEGATEE, DELEGATEE))
		return errno;
	return syscall(SYS_setresuid, DELEGATEE, DELEGATEE, DELEGATEE) ? errno : 0;
}

/* Hand @dir and the files the delegatee writes to it, as systemd does. */
static int delegate(const char *dir)
{
	static const char * const files[] = {
		"", "/cgroup.pressure", "/cpu.pressure", "/memory.pressure",
	};
	char path[300];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, files[i]);
		if (chown(path, DELEGATEE, DELEGATEE))
			return errno;
	}
	return 0;
}

static int write_str(int fd, const char *s)
{
	return write(fd, s, strlen(s) + 1) < 0 ? errno : 0;
}

static void wait_go(volatile int *go)
{
	while (!__atomic_load_n(go, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void *writer(void *arg)
{
	struct side *s = arg;
	char path[300];

	s->ret = s->race->privileged ? 0 : become_delegatee();
	snprintf(path, sizeof(path), "%s/cpu.pressure", s->dir);
	s->fd = s->ret ? -1 : open(path, O_RDWR | O_NONBLOCK);
	if (s->fd < 0)
		s->ret = s->ret ?: -errno;	/* negative: not the write */
	__atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
	wait_go(s->go);
	if (s->fd >= 0)
		s->ret = write_str(s->fd, s->race->privileged ? RT_TRIGGER : AVG_TRIGGER);
	return NULL;
}

static void *severer(void *arg)
{
	struct side *s = arg;
	char path[300];
	unsigned int i;
	int fd;

	if (!s->race->privileged && become_delegatee()) {
		s->ret = errno ?: EPERM;
		return NULL;
	}
	wait_go(s->go);
	for (i = 0; i < s->delay; i++)
		__asm__ __volatile__("" ::: "memory");
	if (!s->race->hide) {
		s->ret = rmdir(s->dir) ? errno : 0;
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/cgroup.pressure", s->dir);
	fd = open(path, O_WRONLY);
	s->ret = fd < 0 ? errno : write_str(fd, "0");
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int open_pressure(const char *dir, const char *file, int privileged)
{
	char path[300];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!privileged && cap_sys_resource(0))
		return -1;
	fd = open(path, O_RDWR | O_NONBLOCK);
	if (!privileged)
		cap_sys_resource(1);
	return fd;
}

/* Reports so far: the taint flags, and WARNs counted (UML warns at boot). */
static unsigned long reports(void)
{
	return kernel_taint() ^ (read_ulong("/sys/kernel/warn_count") << 32);
}

/* One race; false once the kernel reported something. */
static int run(const struct race *r, unsigned long taint0)
{
	long i, armed = 0, enodev = 0, other = 0, sever_err = 0;
	unsigned int seed = 1;
	time_t t0 = time(NULL);
	unsigned long taint = taint0;
	char dir[256];

	for (i = 0; i < iterations && time(NULL) - t0 < seconds; i++) {
		volatile int go = 0;
		struct side w = { .race = r, .dir = dir, .go = &go };
		struct side s = w;
		pthread_t tw, ts;
		int extra = -1;

		snprintf(dir, sizeof(dir), "%s/pwrace-%ld", cgroot, i);
		if (mkdir(dir, 0755)) {
			check(0, "%s: mkdir %s: %s", r->name, dir, strerror(errno));
			return 1;
		}
		if (!r->privileged && delegate(dir)) {
			check(0, "%s: chown %s: %s", r->name, dir, strerror(errno));
			rmdir(dir);
			return 1;
		}
		if (!r->privileged) {
			extra = open_pressure(dir, "memory.pressure", 0);
			if (extra >= 0 && write_str(extra, AVG_TRIGGER))
				other++;
		}
		seed = seed * 1103515245 + 12345;
		s.delay = (seed >> 16) % 20000;
		if (pthread_create(&tw, NULL, writer, &w)) {
			check(0, "%s: pthread_create", r->name);
			return 1;
		}
		if (pthread_create(&ts, NULL, severer, &s)) {
			__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
			pthread_join(tw, NULL);
			check(0, "%s: pthread_create", r->name);
			return 1;
		}
		while (!__atomic_load_n(&w.ready, __ATOMIC_ACQUIRE))
			sched_yield();
		__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
		pthread_join(tw, NULL);
		pthread_join(ts, NULL);

		if (w.fd < 0) {
			check(0, "%s: open %s/cpu.pressure as uid %d: %s", r->name, dir,
			      r->privileged ? 0 : DELEGATEE, strerror(w.ret < 0 ? -w.ret : w.ret));
			if (extra >= 0)
				close(extra);
			rmdir(dir);
			return 1;
		}
		if (w.ret == 0)
			armed++;
		else if (w.ret == ENODEV)
			enodev++;
		else
			other++;
		sever_err += s.ret != 0;
		close(w.fd);
		if (extra >= 0)
			close(extra);
		if (r->hide && rmdir(dir))
			sever_err++;

		taint = reports();
		if (taint != taint0) {
			i++;
			break;
		}
	}
	if (taint == taint0) {
		/* A leaked trigger warns when its group is freed, after rmdir. */
		sleep(1);
		taint = reports();
	}
	if (taint != taint0) {
		check(0, "%s: kernel tainted or warned (0x%lx -> 0x%lx, report in the log) after %ld iterations",
		      r->name, taint0, taint, i);
		return 0;
	}
	check(other == 0 && sever_err == 0,
	      "%s: %ld iterations in %ld s: %ld triggers armed, %ld writes got ENODEV, "
	      "%ld other errors, %ld failed severs, no taint, no WARN",
	      r->name, i, (long)(time(NULL) - t0), armed, enodev, other, sever_err);
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long taint0;
	size_t i;
	int n;

	if (argc > 1)
		iterations = atol(argv[1]);
	if (argc > 2)
		seconds = atol(argv[2]);
	if (argc > 3)
		only = argv[3];
	scenario_start(cgroot);
	printf("pressure_write_race: trigger writes against sever, %ld iterations or %ld s per race\n",
	       iterations, seconds);
	taint0 = reports();
	for (i = 0; i < sizeof(races) / sizeof(races[0]); i++) {
		if (strcmp(only, "all") && strcmp(only, races[i].name))
			continue;
		if (!run(&races[i], taint0))
			break;
	}
	n = wait_psimon_gone();
	check(n == 0, "every cgroup removed: %d psimon workers left", n);
	scenario_end();
}
