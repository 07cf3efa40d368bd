// SPDX-License-Identifier: GPL-2.0-only
/*
 * An unprivileged PSI trigger must not fire on stall from before it was
 * armed.  psi_trigger_create() seeded every new trigger's growth window with
 * the RT-poll aggregator's total, group->total[PSI_POLL], but an unprivileged
 * trigger (window a multiple of 2 s, writer's file without CAP_SYS_RESOURCE)
 * is evaluated by the averaging worker against group->total[PSI_AVGS].  In a
 * cgroup where no privileged trigger ever ran, total[PSI_POLL] stays 0, so
 * the first averaging update after arming counts all the cgroup's stall
 * since its creation as growth, and the trigger fires with no new stall.
 *
 *   history   CPU hogs in a fresh cgroup, pinned to CPU 0 for HOG_MS:
 *             seconds of "some" stall, no privileged trigger ever armed
 *   settle    hogs gone, the group idle for SETTLE_MS
 *   arm       without CAP_SYS_RESOURCE, TRIGGER on the cgroup's cpu.pressure
 *   quiet     for QUIET_MS, two light tasks in the cgroup on CPU 0 that
 *             wake together every TRICKLE_MS and work TRICKLE_SPIN_US, so
 *             that one waits for the other: stall far below the threshold,
 *             but some, as the averaging worker only looks at triggers when
 *             there is new stall and only runs while the group wakes up.  A
 *             POLLPRI here is the false event.
 *   control   hogs in the cgroup again for up to CONTROL_MS: a POLLPRI must
 *             come, or "no event" above says nothing.
 *
 * Runs as init (pid 1) of a booted test kernel, or as root elsewhere:
 *   avgs_first_event [CGROUP2_MOUNTPOINT]
 * Prints "ok ..."/"FAIL ..." lines and "N passed, N failed"; about 15 s.
 * On a uniprocessor kernel (UML) the pinning to CPU 0 changes nothing.
 *
 * Why not one light task behind a hog outside the cgroup: a woken task gets
 * the CPU from a hog in far less than a jiffy, and UML's sched_clock()
 * counts in jiffies (10 ms), so such waits added nothing to the totals there
 * (0 us in 6 s); a wait longer than a jiffy, between two tasks of the
 * cgroup, always does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"

/* 1 s of stall in a 2 s window: the shortest window an unprivileged user gets. */
#define TRIGGER		"some 1000000 2000000"
#define THRESHOLD_US	1000000LL
#define WINDOW_MS	2000LL
/* What only a privileged writer may arm: proves the file is unprivileged. */
#define RT_TRIGGER	"some 100000 1000000"

#define HOGS		2	/* in the cgroup: one always waits */
#define HOG_MS		3000
#define SETTLE_MS	2500
#define QUIET_MS	6000	/* three averaging periods (PSI_FREQ, 2 s) */
#define CONTROL_MS	8000	/* two averaging periods, and a 2 s window */
#define LIGHT		2	/* light tasks in the cgroup ... */
#define TRICKLE_MS	400	/* ... that wake together, at this period, ... */
#define TRICKLE_SPIN_US	12000	/* ... and work longer than a UML jiffy */

static const char *cgroot = "/sys/fs/cgroup";

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The total= of the "some" line of pressure file @path, in us; -1 if none. */
static long long some_total(const char *path)
{
	char line[256];
	long long total = -1;
	char *p;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f)) {
		p = strstr(line, "total=");
		if (!strncmp(line, "some ", 5) && p)
			total = atoll(p + 6);
	}
	if (f)
		fclose(f);
	return total;
}

static void hog(void)
{
	for (;;)
		__asm__ __volatile__("" ::: "memory");
}

/*
 * Wake at every multiple of TRICKLE_MS of the monotonic clock, as the other
 * light tasks do, and work TRICKLE_SPIN_US: each time, one of them waits for
 * another to be done or preempted.
 */
static void trickle(void)
{
	long long next = (now_us() / (TRICKLE_MS * 1000LL) + 1) * TRICKLE_MS * 1000LL;
	struct timespec ts;
	long long t;

	for (;; next += TRICKLE_MS * 1000LL) {
		ts.tv_sec = next / 1000000;
		ts.tv_nsec = next % 1000000 * 1000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		for (t = now_us(); now_us() - t < TRICKLE_SPIN_US;)
			__asm__ __volatile__("" ::: "memory");
	}
}

/*
 * Fork a task that pins itself to CPU 0, moves itself to cgroup @dir (or
 * stays in init's if NULL) and runs @fn.  Returns once it is there, so that
 * all of its time is the cgroup's; the pid, or -errno.
 */
static pid_t spawn(const char *dir, void (*fn)(void))
{
	char path[300], buf[32];
	int pfd[2], err = 0, fd;
	cpu_set_t set;
	pid_t pid;

	if (pipe(pfd))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(pfd[0]);
		close(pfd[1]);
		return -err;
	}
	if (pid == 0) {
		close(pfd[0]);
		CPU_ZERO(&set);
		CPU_SET(0, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			err = errno;
		if (!err && dir) {
			snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
			snprintf(buf, sizeof(buf), "%d", (int)getpid());
			fd = open(path, O_WRONLY);
			if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
				err = errno;
			if (fd >= 0)
				close(fd);
		}
		if (write(pfd[1], &err, sizeof(err)) != sizeof(err) || err)
			_exit(1);
		close(pfd[1]);
		fn();
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &err, sizeof(err)) != sizeof(err))
		err = EIO;
	close(pfd[0]);
	if (err) {
		waitpid(pid, NULL, 0);
		return -err;
	}
	return pid;
}

static void stop(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
}

/* @n hogs in @dir; false (with a FAIL line) if one could not be started. */
static int start_hogs(const char *dir, pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		pids[i] = spawn(dir, hog);
		if (pids[i] < 0) {
			check(0, "start a hog in %s: %s", dir ? dir : "init's cgroup",
			      strerror(-pids[i]));
			stop(pids, i);
			return 0;
		}
	}
	return 1;
}

/*
 * Poll @fd for POLLPRI until @end_us: the number of events, the time of the
 * first in *@first_us, and in *@err a POLLERR (the trigger is gone).  With
 * @until_first, stop at the first event.
 */
static int wait_events(int fd, long long end_us, int until_first, long long *first_us, int *err)
{
	struct pollfd pfd = { .fd = fd, .events = POLLPRI };
	long long left;
	int n = 0, ret;

	*err = 0;
	while ((left = end_us - now_us()) > 0) {
		pfd.revents = 0;
		ret = poll(&pfd, 1, (int)((left + 999) / 1000));
		if (ret < 0 && errno != EINTR) {
			*err = errno;
			break;
		}
		if (ret <= 0)
			continue;
		if (pfd.revents & (POLLERR | POLLNVAL)) {
			*err = ENODEV;
			break;
		}
		if (pfd.revents & POLLPRI) {
			if (!n++)
				*first_us = now_us();
			if (until_first)
				break;
		}
	}
	return n;
}

static void scenario(void)
{
	char dir[256], path[300];
	pid_t hogs[HOGS], light[LIGHT];
	long long t0, t1, t2, t3, t4, armed, first = 0, start, stall;
	int fd = -1, rt_fd = -1, events, err, i, ret;
	struct pollfd pfd;

	snprintf(dir, sizeof(dir), "%s/avgs-first-event", cgroot);
	rmdir(dir);
	if (mkdir(dir, 0755)) {
		check(0, "mkdir %s: %s", dir, strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/cpu.pressure", dir);

	/* History: seconds of stall that an armed trigger must not see. */
	t0 = some_total(path);
	if (!start_hogs(dir, hogs, HOGS))
		goto out;
	sleep_ms(HOG_MS);
	stop(hogs, HOGS);
	t1 = some_total(path);
	check(t0 >= 0 && t1 - t0 >= 2 * THRESHOLD_US,
	      "history: %d hogs on CPU 0 for %d ms: %lld us of cpu \"some\" stall (total %lld -> %lld), "
	      "at least twice the trigger's threshold", HOGS, HOG_MS, t1 - t0, t0, t1);

	/*
	 * Settle, then read the total once more: the read folds every CPU's
	 * times into total[PSI_AVGS], which a fixed kernel seeds the window
	 * with, so that no late-folded history is counted as growth there.
	 */
	sleep_ms(SETTLE_MS);
	t2 = some_total(path);
	printf("  settled %d ms: total %lld us, %d psimon (RT poll) workers\n",
	       SETTLE_MS, t2, nr_psimon());

	/*
	 * Arm without CAP_SYS_RESOURCE: the file keeps the credentials of its
	 * open, so the capability is back once both files are open.
	 */
	if (cap_sys_resource(0)) {
		check(0, "capset: drop CAP_SYS_RESOURCE: %s", strerror(errno));
		goto out;
	}
	fd = open(path, O_RDWR | O_NONBLOCK);
	err = errno;
	rt_fd = open(path, O_RDWR | O_NONBLOCK);
	cap_sys_resource(1);
	if (fd < 0 || rt_fd < 0) {
		check(0, "open %s without CAP_SYS_RESOURCE: %s", path, strerror(fd < 0 ? err : errno));
		goto out;
	}
	ret = write(rt_fd, RT_TRIGGER, strlen(RT_TRIGGER) + 1) < 0 ? errno : 0;
	check(ret == EINVAL, "the files are unprivileged: \"%s\" (1 s window) refused: %s (want %s)",
	      RT_TRIGGER, ret ? strerror(ret) : "accepted", strerror(EINVAL));
	ret = write(fd, TRIGGER, strlen(TRIGGER) + 1) < 0 ? errno : 0;
	armed = now_us();
	check(ret == 0, "unprivileged trigger \"%s\" armed on %s%s%s", TRIGGER, path,
	      ret ? ": " : "", ret ? strerror(ret) : "");
	if (ret)
		goto out;

	/*
	 * Quiet: the light tasks wait for each other at each wakeup, a little
	 * new stall that keeps the averaging worker evaluating the trigger,
	 * far from its threshold.
	 */
	for (i = 0; i < LIGHT; i++) {
		light[i] = spawn(dir, trickle);
		if (light[i] < 0) {
			check(0, "start a light task in %s: %s", dir, strerror(-light[i]));
			stop(light, i);
			goto out;
		}
	}
	events = wait_events(fd, armed + QUIET_MS * 1000LL, 0, &first, &err);
	t3 = some_total(path);
	stop(light, LIGHT);
	stall = t3 - t2;
	check(stall > 0 && stall * 4 < THRESHOLD_US * QUIET_MS / WINDOW_MS,
	      "quiet: %d light tasks on CPU 0 woken every %d ms for %d us: %lld us of new stall "
	      "in %d ms (total %lld -> %lld), some but under a quarter of the threshold per window",
	      LIGHT, TRICKLE_MS, TRICKLE_SPIN_US, stall, QUIET_MS, t2, t3);
	if (events)
		check(0, "false event: the unprivileged trigger \"%s\" fired %lld ms after arming "
		      "(%d event(s) in %d ms) with %lld us of new stall in all: the %lld us of "
		      "stall from before it was armed counted as growth (total %lld at arming, %lld now)",
		      TRIGGER, (first - armed) / 1000, events, QUIET_MS, stall, t2, t2, t3);
	else
		check(!err, "no event in %d ms after arming with %lld us of new stall%s%s", QUIET_MS,
		      stall, err ? ": poll: " : "", err ? strerror(err) : "");

	/* Control: real stall must fire the trigger. */
	pfd.fd = fd;
	pfd.events = POLLPRI;
	poll(&pfd, 1, 0);	/* consume an event still set */
	t3 = some_total(path);
	if (!start_hogs(dir, hogs, HOGS))
		goto out;
	start = now_us();
	events = wait_events(fd, start + CONTROL_MS * 1000LL, 1, &first, &err);
	stop(hogs, HOGS);
	t4 = some_total(path);
	if (events)
		check(1, "control: %d hogs in the cgroup on CPU 0 fired the trigger after %lld ms "
		      "(%lld us of new stall by now)", HOGS, (first - start) / 1000, t4 - t3);
	else
		check(0, "control: trigger never fired on real stall: %d hogs in the cgroup on CPU 0 "
		      "for %d ms, %lld us of new stall (total %lld -> %lld)%s%s", HOGS, CONTROL_MS,
		      t4 - t3, t3, t4, err ? ", poll: " : "", err ? strerror(err) : "");

out:
	if (fd >= 0)
		close(fd);
	if (rt_fd >= 0)
		close(rt_fd);
	/* The killed tasks may take a moment to leave the cgroup. */
	for (i = 0; i < 50 && rmdir(dir) && errno == EBUSY; i++)
		sleep_ms(20);
	check(access(dir, F_OK) != 0, "rmdir %s", dir);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cgroot = argv[1];
	scenario_start(cgroot);
	printf("avgs_first_event: an unprivileged PSI trigger on a cgroup with stall history\n");
	scenario();
	scenario_end();
}
