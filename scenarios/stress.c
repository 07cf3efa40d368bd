// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stress PSI triggers on cgroups in random interleavings: threads make and
 * remove cgroups, arm triggers on their pressure files, wait on them with
 * select(), poll() and epoll_wait(), and close them.  Bounded in iterations
 * and time, with a watchdog; at the end every trigger is closed and the
 * rtpoll workers (psimon) must be gone.
 *
 * Runs as init (pid 1) of a booted test kernel, or as root elsewhere:
 *   stress [ITERATIONS [CGROUP2_MOUNTPOINT]]
 * Prints "ok ..."/"FAIL ..." lines and "N passed, N failed".
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
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"

#define NR_CGROUPS	4
#define NR_SLOTS	32
#define WATCHDOG_S	300

static const char *cgroot = "/sys/fs/cgroup";
static const char * const files[] = { "cpu.pressure", "memory.pressure", "io.pressure" };
static long target = 20000;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int slots[NR_SLOTS];		/* armed trigger fds, -1 when empty */
static volatile int stop;
static long nr_churn, nr_armed, nr_arm_failed, nr_waits, nr_woken_err, nr_closed;

static unsigned int rnd(unsigned int *seed, unsigned int n)
{
	return rand_r(seed) % n;
}

static void on_alarm(int sig)
{
	(void)sig;
	check(0, "watchdog: not done after %d s (hang?): %ld of %ld mkdir/rmdir, %ld armed, %ld waits",
	      WATCHDOG_S, nr_churn, target, nr_armed, nr_waits);
	scenario_end();
}

static void *churn(void *arg)
{
	unsigned int seed = (unsigned long)arg;
	char dir[256];

	while (!stop) {
		snprintf(dir, sizeof(dir), "%s/stress%u", cgroot, rnd(&seed, NR_CGROUPS));
		if (rmdir(dir) && errno == ENOENT)
			mkdir(dir, 0755);
		if (__atomic_add_fetch(&nr_churn, 1, __ATOMIC_RELAXED) >= target)
			stop = 1;
	}
	return NULL;
}

static void *armer(void *arg)
{
	unsigned int seed = (unsigned long)arg;
	char path[300], trig[64];
	int fd, i;

	while (!stop) {
		snprintf(path, sizeof(path), "%s/stress%u/%s", cgroot,
			 rnd(&seed, NR_CGROUPS), files[rnd(&seed, 3)]);
		fd = open(path, O_RDWR | O_NONBLOCK);
		if (fd < 0)
			continue;
		snprintf(trig, sizeof(trig), "%s %u 1000000",
			 rnd(&seed, 2) ? "some" : "full", 50000 + rnd(&seed, 100000));
		if (write(fd, trig, strlen(trig) + 1) < 0) {
			__atomic_add_fetch(&nr_arm_failed, 1, __ATOMIC_RELAXED);
			close(fd);
			continue;
		}
		__atomic_add_fetch(&nr_armed, 1, __ATOMIC_RELAXED);
		pthread_mutex_lock(&lock);
		i = rnd(&seed, NR_SLOTS);
		if (slots[i] >= 0) {
			close(slots[i]);
			nr_closed++;
		}
		slots[i] = fd;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *waiter(void *arg)
{
	unsigned int seed = (unsigned long)arg;
	struct epoll_event ev = { .events = EPOLLPRI }, out;
	struct timeval tv;
	struct pollfd pfd;
	fd_set ex;
	int fd, ep, r = 0;

	while (!stop) {
		pthread_mutex_lock(&lock);
		fd = slots[rnd(&seed, NR_SLOTS)];
		fd = fd >= 0 ? dup(fd) : -1;	/* our own reference */
		pthread_mutex_unlock(&lock);
		if (fd < 0) {
			usleep(1000);
			continue;
		}
		switch (rnd(&seed, 3)) {
		case 0:
			FD_ZERO(&ex);
			FD_SET(fd, &ex);
			tv.tv_sec = 0;
			tv.tv_usec = 10000;
			r = select(fd + 1, NULL, NULL, &ex, &tv) > 0;
			break;
		case 1:
			pfd.fd = fd;
			pfd.events = POLLPRI;
			r = poll(&pfd, 1, 10) > 0 && (pfd.revents & POLLERR);
			break;
		case 2:
			ep = epoll_create1(0);
			if (ep >= 0 && !epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
				r = epoll_wait(ep, &out, 1, 10) > 0 && (out.events & EPOLLERR);
			if (ep >= 0)
				close(ep);
			break;
		}
		__atomic_add_fetch(&nr_waits, 1, __ATOMIC_RELAXED);
		if (r)
			__atomic_add_fetch(&nr_woken_err, 1, __ATOMIC_RELAXED);
		close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[8];
	char msg[256], dir[256];
	time_t t0 = time(NULL);
	int i, n = 0, psimon = -1;

	if (argc > 1)
		target = atol(argv[1]);
	if (argc > 2)
		cgroot = argv[2];
	scenario_start(cgroot);
	signal(SIGALRM, on_alarm);
	alarm(WATCHDOG_S);
	for (i = 0; i < NR_SLOTS; i++)
		slots[i] = -1;
	printf("stress: %ld mkdir/rmdir iterations on %d cgroups under %s\n",
	       target, NR_CGROUPS, cgroot);

	pthread_create(&th[n++], NULL, churn, (void *)1UL);
	pthread_create(&th[n++], NULL, churn, (void *)2UL);
	for (i = 0; i < 3; i++)
		pthread_create(&th[n++], NULL, armer, (void *)(10UL + i));
	for (i = 0; i < 3; i++)
		pthread_create(&th[n++], NULL, waiter, (void *)(20UL + i));
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	alarm(0);

	snprintf(msg, sizeof(msg),
		 "%ld mkdir/rmdir, %ld triggers armed (%ld writes refused), %ld waits "
		 "(%ld ended in POLLERR), %ld closed by others, in %ld s, no hang",
		 nr_churn, nr_armed, nr_arm_failed, nr_waits, nr_woken_err, nr_closed,
		 (long)(time(NULL) - t0));
	check(nr_churn >= target && nr_armed > 0 && nr_waits > 0, "%s", msg);

	for (i = 0; i < NR_SLOTS; i++)
		if (slots[i] >= 0)
			close(slots[i]);
	for (i = 0; i < NR_CGROUPS; i++) {
		snprintf(dir, sizeof(dir), "%s/stress%d", cgroot, i);
		rmdir(dir);
	}
	psimon = wait_psimon_gone();
	check(psimon == 0, "every trigger closed: %d psimon workers left", psimon);
	scenario_end();
}
