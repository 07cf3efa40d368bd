// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the series changes in cost, seen from user space: rmdir of a cgroup
 * with armed PSI triggers, close() of a trigger, wakeups of a poller whose
 * trigger never fires, PSI event delivery, and the open/read/close path of
 * kernfs files.  Runs as init of a test kernel (scripts/bench.sh boots the
 * base and the patched kernel under qemu -icount, where guest time follows
 * executed instructions) or as root elsewhere:
 *   bench [REPEATS [CGROUP2_MOUNTPOINT]]
 * Prints one "bench KEY VALUE" line per repeat; scripts/bench.sh makes the
 * table.  A step that cannot run prints "FAIL ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../scenarios/scenario.h"

/* Privileged (RT) triggers: 150 ms of stall in a 1 s window. */
#define TRIGGER		"some 150000 1000000"
#define MAX_TRIGGERS	64
#define LOOPS		2000

static const char *cgroot = "/sys/fs/cgroup";
static int repeats = 5;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void path_of(char *buf, size_t len, const char *cg, const char *file)
{
	snprintf(buf, len, "%s/%s%s%s", cgroot, cg, file ? "/" : "", file ? file : "");
}

static int make_cgroup(const char *cg)
{
	char dir[256];

	path_of(dir, sizeof(dir), cg, NULL);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		check(0, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static double remove_cgroup(const char *cg)
{
	char dir[256];
	double t0, t1;

	path_of(dir, sizeof(dir), cg, NULL);
	t0 = now_ms();
	if (rmdir(dir)) {
		check(0, "rmdir %s: %s", dir, strerror(errno));
		return -1;
	}
	t1 = now_ms();
	return t1 - t0;
}

/* Open @file of @cg and arm @trigger on it; the fd, or -1. */
static int arm(const char *cg, const char *file, const char *trigger)
{
	char path[256];
	int fd;

	path_of(path, sizeof(path), cg, file);
	fd = open(path, O_RDWR | O_NONBLOCK);
	if (fd < 0 || write(fd, trigger, strlen(trigger) + 1) < 0) {
		check(0, "arm \"%s\" on %s: %s", trigger, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* rmdir of a cgroup with @n armed cpu.pressure triggers. */
static void bench_rmdir(int n)
{
	int fds[MAX_TRIGGERS], i, r;
	char key[32];
	double ms;

	snprintf(key, sizeof(key), "rmdir_%d", n);
	for (r = 0; r < repeats; r++) {
		if (make_cgroup("bench-rmdir"))
			return;
		for (i = 0; i < n; i++)
			fds[i] = arm("bench-rmdir", "cpu.pressure", TRIGGER);
		ms = remove_cgroup("bench-rmdir");
		for (i = 0; i < n; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		printf("bench %s %.3f\n", key, ms);
	}
}

/*
 * close() of an armed trigger fd: "close_armed" while another trigger of the
 * cgroup stays armed, "close_last" for the last one (its rtpoll worker goes).
 */
static void bench_close(void)
{
	double t0, armed, last;
	int a, b, r;

	for (r = 0; r < repeats; r++) {
		if (make_cgroup("bench-close"))
			return;
		a = arm("bench-close", "cpu.pressure", TRIGGER);
		b = arm("bench-close", "cpu.pressure", TRIGGER);
		if (a < 0 || b < 0)
			return;
		t0 = now_ms();
		close(a);
		armed = now_ms() - t0;
		t0 = now_ms();
		close(b);
		last = now_ms() - t0;
		remove_cgroup("bench-close");
		printf("bench close_armed %.3f\nbench close_last %.3f\n", armed, last);
	}
}

struct busy_arg {
	int fd;
};

static void *spin(void *arg)
{
	struct busy_arg *b = arg;
	char c;

	if (read(b->fd, &c, 1) != 1)
		return NULL;
	for (;;)
		__asm__ volatile("" ::: "memory");
	return NULL;
}

/*
 * A process of @nr_threads busy threads in @cg, each held until a byte is
 * written to *@gate, so that the stall starts at a known time.  Its pid.
 */
static pid_t busy_process(const char *cg, int nr_threads, int *gate)
{
	static struct busy_arg barg;
	char path[256], pid[32];
	int p[2], i, fd;
	pthread_t th;
	pid_t child;

	if (pipe(p))
		return -1;
	child = fork();
	if (child < 0)
		return -1;
	if (child) {
		close(p[0]);
		*gate = p[1];
		return child;
	}
	close(p[1]);
	path_of(path, sizeof(path), cg, "cgroup.procs");
	fd = open(path, O_WRONLY);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (fd < 0 || write(fd, pid, strlen(pid)) < 0)
		_exit(1);
	close(fd);
	barg.fd = p[0];
	for (i = 1; i < nr_threads; i++)
		pthread_create(&th, NULL, spin, &barg);
	spin(&barg);
	_exit(0);
}

static void stop_busy(pid_t child, int gate)
{
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(gate);
}

static long voluntary_switches(pid_t tid)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

struct quiet_poller {
	int fd;
	pid_t tid;
	volatile int returned;
};

/* Waits on a trigger that never fires; returns only at its fd's removal. */
static void *quiet_wait(void *arg)
{
	struct quiet_poller *q = arg;
	struct pollfd pfd = { .fd = q->fd, .events = POLLPRI };

	q->tid = syscall(SYS_gettid);
	while (poll(&pfd, 1, -1) == 0 || !(pfd.revents & (POLLPRI | POLLERR)))
		;
	q->returned = 1;
	return NULL;
}

/*
 * Two triggers on one cpu.pressure file: "a" fires 8 times under the stall of
 * 3 busy threads on 2 CPUs, "b" (full stall 90% of the window) never does.
 * Counted: voluntary context switches of b's poller, i.e. its wakeups.
 */
static void bench_foreign_wakeups(void)
{
	struct quiet_poller q = { 0 };
	struct pollfd pfd;
	long before, after;
	int a, r, events, gate;
	pthread_t th;
	pid_t child;

	for (r = 0; r < repeats; r++) {
		if (make_cgroup("bench-wake"))
			return;
		a = arm("bench-wake", "cpu.pressure", "some 50000 500000");
		q.fd = arm("bench-wake", "cpu.pressure", "full 450000 500000");
		q.returned = 0;
		q.tid = 0;
		child = busy_process("bench-wake", 3, &gate);
		if (a < 0 || q.fd < 0 || child < 0)
			return;
		pthread_create(&th, NULL, quiet_wait, &q);
		while (!q.tid)
			usleep(1000);
		usleep(100000);		/* b's poller is asleep in poll() */
		before = voluntary_switches(q.tid);
		if (write(gate, "xxx", 3) != 3)
			return;
		pfd.fd = a;
		pfd.events = POLLPRI;
		for (events = 0; events < 8; events++)
			if (poll(&pfd, 1, 5000) != 1)
				break;
		after = voluntary_switches(q.tid);
		stop_busy(child, gate);
		check(events == 8 && !q.returned,
		      "foreign wakeups: trigger a fired %d of 8 times, b's poller %s",
		      events, q.returned ? "returned" : "still waits");
		printf("bench foreign_wakeups %ld\n", after - before);
		close(a);
		remove_cgroup("bench-wake");	/* wakes b's poller with POLLERR */
		pthread_join(th, NULL);
		close(q.fd);
	}
}

/*
 * Event delivery: from the start of a stall (3 busy threads on 2 CPUs, so
 * "some" grows at wall-clock speed) to poll() returning on a trigger with a
 * 100 ms threshold in a 1 s window.
 */
static void bench_delivery(void)
{
	struct pollfd pfd = { .events = POLLPRI };
	int r, gate, ret;
	double t0, ms;
	pid_t child;

	for (r = 0; r < repeats; r++) {
		if (make_cgroup("bench-delivery"))
			return;
		pfd.fd = arm("bench-delivery", "cpu.pressure", "some 100000 1000000");
		child = busy_process("bench-delivery", 3, &gate);
		if (pfd.fd < 0 || child < 0)
			return;
		usleep(200000);
		t0 = now_ms();
		if (write(gate, "xxx", 3) != 3)
			return;
		ret = poll(&pfd, 1, 5000);
		ms = now_ms() - t0;
		stop_busy(child, gate);
		close(pfd.fd);
		remove_cgroup("bench-delivery");
		if (ret != 1) {
			check(0, "delivery: no event within 5 s");
			return;
		}
		printf("bench delivery %.3f\n", ms);
	}
}

/* open/read/close of @path, LOOPS times: per second. */
static void bench_loop(const char *key, const char *path)
{
	char buf[4096];
	double t0, ms;
	int i, r, fd;

	for (r = 0; r < repeats; r++) {
		t0 = now_ms();
		for (i = 0; i < LOOPS; i++) {
			fd = open(path, O_RDONLY);
			if (fd < 0 || read(fd, buf, sizeof(buf)) < 0) {
				check(0, "%s: %s", path, strerror(errno));
				return;
			}
			close(fd);
		}
		ms = now_ms() - t0;
		printf("bench %s %.0f\n", key, LOOPS / (ms / 1e3));
	}
}

int main(int argc, char **argv)
{
	static const int counts[] = { 0, 1, 4, 16, 64 };
	char path[256];
	unsigned int i;

	if (argc > 1)
		repeats = atoi(argv[1]);
	if (argc > 2)
		cgroot = argv[2];
	scenario_start(cgroot);
	printf("bench: %d repeats, cgroups under %s\n", repeats, cgroot);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		bench_rmdir(counts[i]);
	bench_close();
	bench_foreign_wakeups();
	bench_delivery();
	bench_loop("loop_sysfs", "/sys/devices/system/cpu/online");
	if (!make_cgroup("bench-loop")) {
		path_of(path, sizeof(path), "bench-loop", "cgroup.procs");
		bench_loop("loop_cgroup_procs", path);
		path_of(path, sizeof(path), "bench-loop", "cpu.pressure");
		bench_loop("loop_cpu_pressure", path);
		remove_cgroup("bench-loop");
	}
	check(1, "bench: done");
	scenario_end();
}
