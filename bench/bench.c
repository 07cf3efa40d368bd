// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the series changes in cost, seen from user space: rmdir of a cgroup
 * with armed PSI triggers, close() of a trigger, wakeups of a poller whose
 * trigger never fires (one such poller, and K pollers on one pressure file),
 * the CPU time of those pollers, inotify events of a pressure file, how long
 * unrelated cgroup operations wait behind such an rmdir, PSI event delivery,
 * and the open/read/close path of kernfs files.  Runs as init of a test
 * kernel (scripts/bench.sh boots each stage of the series under qemu
 * -icount, where guest time follows executed instructions; it needs
 * CONFIG_INOTIFY_USER, bench/x86_64-bench.config) or as root elsewhere:
 *   bench [REPEATS [CGROUP2_MOUNTPOINT]]
 * Prints one "bench KEY VALUE" line per repeat; scripts/bench.sh makes the
 * table.  A step that cannot run prints "FAIL ...".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
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

/* The CPUs init may use, as found at the start. */
static cpu_set_t all_cpus;

/* Run the calling thread on CPU @cpu only, or on all_cpus for -1. */
static void pin(int cpu)
{
	cpu_set_t set = all_cpus;

	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
	}
	if (sched_setaffinity(0, sizeof(set), &set))
		check(0, "sched_setaffinity(CPU %d): %s", cpu, strerror(errno));
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
 * A process of @nr_threads busy threads in @cg, on CPU @cpu only unless it
 * is -1, each held until a byte is written to *@gate, so that the stall
 * starts at a known time.  Its pid.
 */
static pid_t busy_process(const char *cg, int nr_threads, int *gate, int cpu)
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
	if (cpu >= 0)
		pin(cpu);
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
		child = busy_process("bench-wake", 3, &gate, -1);
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
		child = busy_process("bench-delivery", 3, &gate, -1);
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

/*
 * The K-poller, inotify and collateral benches below: a stall of two busy
 * threads of one cgroup on CPU STALL_CPU (one runs, one waits: "some" CPU
 * pressure all the time, "full" almost never), pollers and measuring
 * threads on CPU OTHER_CPU, the rtpoll worker on STALL_CPU.  fire fires once
 * per window under that stall: a 100 ms window, or a 500 ms one on kernels
 * before 6.4, which refuse shorter windows (WINDOW_MIN_US); NEVER needs a
 * full stall of its whole window and never fires.
 */
static const char *fire = "some 10000 100000";
#define NEVER		"full 1000000 1000000"
#define EVENTS		10	/* trigger events per repeat */
#define SETTLE_US	30000	/* after an event, before counting */
#define STALL_CPU	0
#define OTHER_CPU	1

/* A step that leaves threads behind cannot go on: end the run. */
static void __attribute__((noreturn)) fatal(const char *what)
{
	check(0, "%s", what);
	scenario_end();
}

static int two_cpus(const char *what)
{
	if (CPU_COUNT(&all_cpus) >= 2 && CPU_ISSET(STALL_CPU, &all_cpus) &&
	    CPU_ISSET(OTHER_CPU, &all_cpus))
		return 1;
	check(0, "%s: needs CPUs %d and %d", what, STALL_CPU, OTHER_CPU);
	return 0;
}

/*
 * Run every PSI rtpoll worker (psimon, created with a group's first RT
 * trigger) on STALL_CPU, so that its wakeups of the pollers always come from
 * the other CPU, in every boot alike.
 */
static void pin_psimon(void)
{
	char path[300], comm[32];
	struct dirent *d;
	cpu_set_t set;
	DIR *proc;
	FILE *f;

	CPU_ZERO(&set);
	CPU_SET(STALL_CPU, &set);
	proc = opendir("/proc");
	while (proc && (d = readdir(proc))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "psimon", 6) &&
		    sched_setaffinity(atoi(d->d_name), sizeof(set), &set))
			check(0, "psimon %s on CPU %d: %s", d->d_name, STALL_CPU, strerror(errno));
		fclose(f);
	}
	if (proc)
		closedir(proc);
}

/* Wait until *@counter reaches @target, for up to @timeout_ms: whether it did. */
static int wait_count(int *counter, int target, double timeout_ms)
{
	struct timespec ts = { .tv_nsec = 2000000L };
	double end = now_ms() + timeout_ms;

	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < target) {
		if (now_ms() > end)
			return 0;
		nanosleep(&ts, NULL);
	}
	return 1;
}

struct poller {
	int fd;
	pthread_t th;
	clockid_t clock;
	pid_t tid;
	int events;		/* POLLPRI returns of poll() */
	int done;		/* returned at the removal of its file */
};

static void *poller_wait(void *arg)
{
	struct poller *p = arg;
	struct pollfd pfd = { .fd = p->fd, .events = POLLPRI };

	pin(OTHER_CPU);
	__atomic_store_n(&p->tid, syscall(SYS_gettid), __ATOMIC_RELEASE);
	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents & (POLLERR | POLLNVAL))
			break;
		if (pfd.revents & POLLPRI)
			__atomic_add_fetch(&p->events, 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Wait up to 5 s for @n pollers to return; how many did not (cancelled). */
static int join_pollers(struct poller *p, int n)
{
	int i, left = 0;

	for (i = 0; i < n; i++)
		if (!wait_count(&p[i].done, 1, i ? 100 : 5000))
			left++;
	for (i = 0; i < n; i++) {
		if (!__atomic_load_n(&p[i].done, __ATOMIC_ACQUIRE))
			pthread_cancel(p[i].th);
		pthread_join(p[i].th, NULL);
	}
	return left;
}

struct kpoll_snap {
	int events;		/* of the firing poller */
	long switches;		/* voluntary, of the others */
	double cpu_us;		/* of all */
};

static int kpoll_snap(struct poller *p, int k, struct kpoll_snap *s)
{
	struct timespec ts;
	long n;
	int i;

	s->events = __atomic_load_n(&p[0].events, __ATOMIC_ACQUIRE);
	s->switches = 0;
	s->cpu_us = 0;
	for (i = 0; i < k; i++) {
		if (i) {
			n = voluntary_switches(p[i].tid);
			if (n < 0)
				return -1;
			s->switches += n;
		}
		if (clock_gettime(p[i].clock, &ts))
			return -1;
		s->cpu_us += ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
	}
	return 0;
}

/*
 * K pollers on one cgroup's cpu.pressure, each a thread with its own fd and
 * trigger: one fire, K-1 NEVER.  Per event the firing one gets: wakeups
 * (voluntary context switches) of the K-1 others together, and CPU time of
 * all K threads, in us.
 */
static void bench_kpoll(int k)
{
	struct poller *p = calloc(k, sizeof(*p));
	struct kpoll_snap a, b;
	int i, r, gate = -1, ok = 1, stray = 0, left;
	pthread_attr_t attr;
	pid_t child = -1;

	if (!p || !two_cpus("kpoll") || make_cgroup("bench-kpoll")) {
		free(p);
		return;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (i = 0; i < k; i++) {
		p[i].fd = arm("bench-kpoll", "cpu.pressure", i ? NEVER : fire);
		if (p[i].fd < 0 || pthread_create(&p[i].th, &attr, poller_wait, &p[i]) ||
		    pthread_getcpuclockid(p[i].th, &p[i].clock))
			fatal("kpoll: poller not started");
	}
	pthread_attr_destroy(&attr);
	pin_psimon();
	for (i = 0; i < k; i++)
		while (!__atomic_load_n(&p[i].tid, __ATOMIC_ACQUIRE))
			usleep(1000);
	child = busy_process("bench-kpoll", 2, &gate, STALL_CPU);
	pin(OTHER_CPU);
	usleep(100000);		/* every poller is asleep in poll() */
	if (child < 0 || write(gate, "xx", 2) != 2 || !wait_count(&p[0].events, 1, 5000)) {
		check(0, "kpoll %d: no first event within 5 s", k);
		ok = 0;
	}
	usleep(SETTLE_US);
	if (ok && kpoll_snap(p, k, &a))
		ok = 0;
	for (r = 0; ok && r < repeats; r++) {
		if (!wait_count(&p[0].events, a.events + EVENTS, 5000 + EVENTS * 1000)) {
			check(0, "kpoll %d: %d events not within %d s", k, EVENTS, 5 + EVENTS);
			ok = 0;
			break;
		}
		usleep(SETTLE_US);
		if (kpoll_snap(p, k, &b)) {
			ok = 0;
			break;
		}
		if (k > 1)
			printf("bench kpoll_wakeups_%d %.2f\n", k,
			       (double)(b.switches - a.switches) / (b.events - a.events));
		printf("bench kpoll_cpu_us_%d %.1f\n", k, (b.cpu_us - a.cpu_us) / (b.events - a.events));
		a = b;
	}
	if (child > 0)
		stop_busy(child, gate);
	pin(-1);
	for (i = 1; i < k; i++)
		stray += __atomic_load_n(&p[i].events, __ATOMIC_ACQUIRE) +
			 __atomic_load_n(&p[i].done, __ATOMIC_ACQUIRE);
	remove_cgroup("bench-kpoll");	/* wakes every poller with POLLERR */
	left = join_pollers(p, k);
	check(ok && !stray && !left, "kpoll %d: %d events per repeat; %d return(s) of a "
	      "non-firing poller before rmdir, %d poller(s) still waiting after it",
	      k, EVENTS, stray, left);
	for (i = 0; i < k; i++)
		close(p[i].fd);
	free(p);
}

struct watcher {
	int fd;
	int modify;		/* IN_MODIFY events read */
};

/* Reads inotify events until IN_IGNORED (the watch removed). */
static void *watch(void *arg)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct watcher *w = arg;
	const struct inotify_event *ev;
	ssize_t len, off;

	pin(OTHER_CPU);
	for (;;) {
		len = read(w->fd, buf, sizeof(buf));
		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0)
			return NULL;
		for (off = 0; off < len; off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (ev->mask & IN_MODIFY)
				__atomic_add_fetch(&w->modify, 1, __ATOMIC_RELEASE);
			if (ev->mask & IN_IGNORED)
				return NULL;
		}
	}
}

/*
 * A fire trigger on cpu.pressure fires EVENTS times per repeat while an
 * inotify watch for IN_MODIFY is on that file: IN_MODIFY events per trigger
 * event.  The watcher reads each at once (unread identical events merge).
 */
static void bench_inotify(void)
{
	struct pollfd pfd = { .fd = -1, .events = POLLPRI };
	struct watcher w = { .fd = -1 };
	int r, events = 0, gate = -1, wd = -1, ok = 1, m0, m1;
	char path[256];
	pthread_t th;
	pid_t child;

	if (!two_cpus("inotify") || make_cgroup("bench-inotify"))
		return;
	path_of(path, sizeof(path), "bench-inotify", "cpu.pressure");
	w.fd = inotify_init1(IN_CLOEXEC);
	if (w.fd >= 0)
		wd = inotify_add_watch(w.fd, path, IN_MODIFY);
	if (wd < 0) {
		check(0, "inotify on %s: %s", path, strerror(errno));
		if (w.fd >= 0)
			close(w.fd);
		remove_cgroup("bench-inotify");
		return;
	}
	pfd.fd = arm("bench-inotify", "cpu.pressure", fire);
	if (pfd.fd < 0 || pthread_create(&th, NULL, watch, &w))
		fatal("inotify: no trigger or no watcher");
	pin_psimon();
	child = busy_process("bench-inotify", 2, &gate, STALL_CPU);
	pin(OTHER_CPU);
	usleep(100000);
	if (child < 0 || write(gate, "xx", 2) != 2 || poll(&pfd, 1, 5000) != 1) {
		check(0, "inotify: no first event within 5 s");
		ok = 0;
	}
	usleep(SETTLE_US);
	m0 = __atomic_load_n(&w.modify, __ATOMIC_ACQUIRE);
	for (r = 0; ok && r < repeats; r++) {
		for (events = 0; events < EVENTS; events++)
			if (poll(&pfd, 1, 5000) != 1)
				break;
		if (events < EVENTS) {
			check(0, "inotify: trigger fired %d of %d times", events, EVENTS);
			ok = 0;
			break;
		}
		usleep(SETTLE_US);
		m1 = __atomic_load_n(&w.modify, __ATOMIC_ACQUIRE);
		printf("bench inotify_per_event %.2f\n", (double)(m1 - m0) / EVENTS);
		m0 = m1;
	}
	if (child > 0)
		stop_busy(child, gate);
	pin(-1);
	inotify_rm_watch(w.fd, wd);	/* IN_IGNORED ends the watcher */
	pthread_join(th, NULL);
	close(w.fd);
	close(pfd.fd);
	remove_cgroup("bench-inotify");
}

/*
 * Collateral latency: while one thread removes a cgroup with armed
 * triggers, another, on the other CPU, does an unrelated cgroup operation:
 * a mkdir under another parent, or a move of this process to another
 * cgroup (a write to its cgroup.procs).  The second starts COLLATERAL_DELAY_MS
 * after the first said it calls rmdir now.  A move takes
 * cgroup_threadgroup_rwsem for writing, which waits for a grace period
 * unless another writer had it less than one ago (rcu_sync): each timed move
 * follows an untimed one, so that it pays a grace period only if it waits
 * that long itself.
 */
#define COLLATERAL_DELAY_MS	0.01

struct collateral {
	int op;			/* 0: mkdir, 1: write to cgroup.procs */
	int ready, go;
	double start, ms;
	int err;
};

static void *collateral_op(void *arg)
{
	struct collateral *c = arg;
	char path[256], pid[32];
	int fd = -1, n;
	double t;

	if (c->op == 0) {
		path_of(path, sizeof(path), "bench-coll-other", "new");
	} else {
		path_of(path, sizeof(path), "bench-coll-other", "cgroup.procs");
		fd = open(path, O_WRONLY);
	}
	n = snprintf(pid, sizeof(pid), "%d", getpid());
	__atomic_store_n(&c->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&c->go, __ATOMIC_ACQUIRE))
		;
	t = now_ms();
	while (now_ms() - t < COLLATERAL_DELAY_MS)
		;
	c->start = now_ms();
	if (c->op == 0)
		c->err = mkdir(path, 0755) ? errno : 0;
	else
		c->err = write(fd, pid, n) == n ? 0 : errno;
	c->ms = now_ms() - c->start;
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Move this process to cgroup @cg ("" for the root), untimed. */
static void move_self(const char *cg)
{
	char path[256], pid[32];
	int fd;

	path_of(path, sizeof(path), cg, "cgroup.procs");
	fd = open(path, O_WRONLY);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (fd < 0 || write(fd, pid, strlen(pid)) < 0)
		check(0, "move to %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/*
 * One rmdir of a cgroup with @n armed triggers with @op beside it: @op's
 * latency in ms, *@overlap whether it started before rmdir returned.
 */
static double collateral_round(int n, int op, int *overlap)
{
	struct collateral c = { .op = op };
	int fds[MAX_TRIGGERS], i;
	char dir[256];
	pthread_attr_t attr;
	cpu_set_t other;
	double end;
	pthread_t th;

	if (make_cgroup("bench-coll"))
		return -1;
	for (i = 0; i < n; i++)
		fds[i] = arm("bench-coll", "cpu.pressure", TRIGGER);
	if (op == 1) {
		/* A move just before, so that the move finds rcu_sync hot. */
		move_self("bench-coll-other");
		move_self("");
	}
	path_of(dir, sizeof(dir), "bench-coll", NULL);
	pin(STALL_CPU);
	CPU_ZERO(&other);
	CPU_SET(OTHER_CPU, &other);
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(other), &other);
	if (pthread_create(&th, &attr, collateral_op, &c))
		fatal("collateral: pthread_create");
	pthread_attr_destroy(&attr);
	while (!__atomic_load_n(&c.ready, __ATOMIC_ACQUIRE))
		;
	__atomic_store_n(&c.go, 1, __ATOMIC_RELEASE);
	if (rmdir(dir))
		check(0, "rmdir %s: %s", dir, strerror(errno));
	end = now_ms();
	pthread_join(th, NULL);
	pin(-1);
	*overlap = c.start < end;
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (op == 0)
		remove_cgroup("bench-coll-other/new");
	else
		move_self("");
	if (c.err) {
		check(0, "collateral %s: %s", op ? "cgroup.procs" : "mkdir", strerror(c.err));
		return -1;
	}
	return c.ms;
}

static void bench_collateral(void)
{
	static const char *const ops[] = { "mkdir", "procs" };
	static const int counts[] = { 0, 16 };
	int overlaps[2][2] = { { 0 } };
	int r, o, i, overlap;
	double ms;

	if (!two_cpus("collateral") || make_cgroup("bench-coll-other"))
		return;
	for (r = 0; r < repeats; r++)
		for (i = 0; i < 2; i++)
			for (o = 0; o < 2; o++) {
				ms = collateral_round(counts[i], o, &overlap);
				if (ms < 0)
					continue;
				overlaps[i][o] += overlap;
				printf("bench collateral%s_%s_ms %.3f\nbench collateral%s_%s_overlap %d\n",
				       counts[i] ? "" : "0", ops[o], ms,
				       counts[i] ? "" : "0", ops[o], overlap);
			}
	for (i = 0; i < 2; i++)
		for (o = 0; o < 2; o++)
			printf("bench: collateral %s beside rmdir with %d triggers: started before "
			       "rmdir returned in %d of %d repeats\n",
			       ops[o], counts[i], overlaps[i][o], repeats);
	remove_cgroup("bench-coll-other");
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
	int major, minor, loops_only;
	struct utsname uts;
	char path[256];
	unsigned int i;

	if (argc > 1)
		repeats = atoi(argv[1]);
	if (argc > 2)
		cgroot = argv[2];
	scenario_start(cgroot);
	sched_getaffinity(0, sizeof(all_cpus), &all_cpus);
	if (!uname(&uts) && sscanf(uts.release, "%d.%d", &major, &minor) == 2 &&
	    (major < 6 || (major == 6 && minor < 4)))
		fire = "some 50000 500000";
	printf("bench: %d repeats, cgroups under %s\n", repeats, cgroot);
	printf("bench-info fire %s\n", fire);
	printf("bench: %d trigger events per repeat in the kpoll and inotify rows\n", EVENTS);
	/* "loops": only the open/read/close rows, which need one CPU. */
	loops_only = argc > 3 && !strcmp(argv[3], "loops");
	for (i = 0; !loops_only && i < sizeof(counts) / sizeof(counts[0]); i++)
		bench_rmdir(counts[i]);
	if (!loops_only) {
		bench_close();
		bench_foreign_wakeups();
		bench_kpoll(1);
		bench_kpoll(8);
		bench_kpoll(64);
		bench_inotify();
		bench_collateral();
		bench_delivery();
	}
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
