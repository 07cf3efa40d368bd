// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 2023 report as user space meets it: a thread waits in select(), poll()
 * or epoll_wait() on an armed PSI trigger of a cgroup while the cgroup is
 * removed.  The waiter must return with an error/priority event, later polls
 * must report the same, and the file must close cleanly.
 *
 * Runs as init (pid 1) of a booted test kernel, or as root elsewhere:
 *   rmdir_poll [CGROUP2_MOUNTPOINT]
 * Prints one "ok ..."/"FAIL ..." line per check and "N passed, N failed".
 * As pid 1 it mounts what it needs and powers the machine off at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"

#define TRIGGER "some 150000 1000000"

static const char *cgroot = "/sys/fs/cgroup";

enum waiter_kind { W_SELECT, W_POLL, W_EPOLL };
static const char * const kind_name[] = { "select", "poll", "epoll_wait" };

struct waiter {
	enum waiter_kind kind;
	int fd;
	int started;
	pid_t tid;
	int ret;
	int err;
	unsigned int events;	/* poll revents or epoll events */
	int in_except;		/* select: fd in exceptfds */
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	struct timeval tv = { .tv_sec = 30 };
	struct epoll_event ev = { .events = EPOLLPRI }, out;
	struct pollfd pfd = { .fd = w->fd, .events = POLLPRI };
	fd_set ex;
	int ep;

	w->tid = gettid();
	switch (w->kind) {
	case W_SELECT:
		FD_ZERO(&ex);
		FD_SET(w->fd, &ex);
		__atomic_store_n(&w->started, 1, __ATOMIC_RELEASE);
		w->ret = select(w->fd + 1, NULL, NULL, &ex, &tv);
		w->err = errno;
		w->in_except = w->ret > 0 && FD_ISSET(w->fd, &ex);
		break;
	case W_POLL:
		__atomic_store_n(&w->started, 1, __ATOMIC_RELEASE);
		w->ret = poll(&pfd, 1, 30000);
		w->err = errno;
		w->events = pfd.revents;
		break;
	case W_EPOLL:
		ep = epoll_create1(0);
		ev.data.fd = w->fd;
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, w->fd, &ev)) {
			w->ret = -1;
			w->err = errno;
			break;
		}
		__atomic_store_n(&w->started, 1, __ATOMIC_RELEASE);
		w->ret = epoll_wait(ep, &out, 1, 30000);
		w->err = errno;
		w->events = w->ret > 0 ? out.events : 0;
		close(ep);
		break;
	}
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The first line of /proc/self/task/@tid/@file in @buf, "" if none. */
static void read_task_file(pid_t tid, const char *file, char *buf, size_t size)
{
	char path[64];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tid, file);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, size - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/* Whether @nr is a system call that select(), poll() or epoll_wait() uses. */
static int is_wait_syscall(long nr)
{
	static const long nrs[] = {
		SYS_select, SYS_pselect6, SYS_poll, SYS_ppoll, SYS_epoll_wait,
		SYS_epoll_pwait, SYS_epoll_pwait2,
	};
	unsigned int i;

	for (i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		if (nr == nrs[i])
			return 1;
	return 0;
}

/*
 * Wait until thread @tid sleeps in its wait, up to 5 s: state S in its stat
 * and, where the kernel has /proc/PID/syscall (not UML), blocked in one of
 * the wait system calls.  (wchan is no use: UML's __get_wchan() trips KASAN.)
 * @seen gets what was read last.
 */
static int waiter_asleep(pid_t tid, char *seen, size_t size)
{
	char stat[512], sc[128], *p;
	int i, asleep;
	long nr;

	for (i = 0; i < 5000; i++) {
		read_task_file(tid, "stat", stat, sizeof(stat));
		read_task_file(tid, "syscall", sc, sizeof(sc));
		p = strrchr(stat, ')');	/* "tid (comm) S ..." */
		asleep = p && p[1] == ' ' && p[2] == 'S';
		if (sc[0]) {
			nr = strtol(sc, NULL, 10);
			snprintf(seen, size, "state %c, in system call %ld",
				 p ? p[2] : '?', nr);
			asleep = asleep && is_wait_syscall(nr);
		} else {
			snprintf(seen, size, "state %c, no /proc syscall here",
				 p ? p[2] : '?');
		}
		if (asleep)
			return 1;
		sleep_ms(1);
	}
	return 0;
}

static void scenario(enum waiter_kind kind)
{
	const char *name = kind_name[kind];
	char dir[256], path[300];
	struct waiter w = { .kind = kind };
	struct pollfd pfd;
	pthread_t th;
	char buf[64], seen[64];
	int ret;

	snprintf(dir, sizeof(dir), "%s/rmdir-poll-%s", cgroot, name);
	rmdir(dir);
	if (mkdir(dir, 0755)) {
		check(0, "%s: mkdir %s: %s", name, dir, strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/cpu.pressure", dir);
	w.fd = open(path, O_RDWR | O_NONBLOCK);
	if (w.fd < 0) {
		check(0, "%s: open %s: %s", name, path, strerror(errno));
		rmdir(dir);
		return;
	}
	check(write(w.fd, TRIGGER, strlen(TRIGGER) + 1) > 0,
	      "%s: trigger \"%s\" armed on %s", name, TRIGGER, path);

	pthread_create(&th, NULL, wait_thread, &w);
	while (!__atomic_load_n(&w.started, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	check(waiter_asleep(w.tid, seen, sizeof(seen)),
	      "%s: the waiter sleeps in its wait before the rmdir (%s)",
	      name, seen);

	ret = rmdir(dir);
	check(ret == 0, "%s: rmdir of the cgroup while a thread waits%s%s", name,
	      ret ? ": " : "", ret ? strerror(errno) : "");
	pthread_join(th, NULL);

	switch (kind) {
	case W_SELECT:
		check(w.ret == 1 && w.in_except,
		      "select: woken by rmdir, fd reported in exceptfds (ret %d)", w.ret);
		break;
	case W_POLL:
		check(w.ret == 1 && (w.events & (POLLERR | POLLPRI)) == (POLLERR | POLLPRI),
		      "poll: woken by rmdir with POLLERR|POLLPRI (ret %d, revents 0x%x)",
		      w.ret, w.events);
		break;
	case W_EPOLL:
		check(w.ret == 1 && (w.events & (EPOLLERR | EPOLLPRI)) == (EPOLLERR | EPOLLPRI),
		      "epoll_wait: woken by rmdir with EPOLLERR|EPOLLPRI (ret %d, events 0x%x)",
		      w.ret, w.events);
		break;
	}

	pfd.fd = w.fd;
	pfd.events = POLLPRI;
	pfd.revents = 0;
	ret = poll(&pfd, 1, 0);
	check(ret == 1 && (pfd.revents & (POLLERR | POLLPRI)) == (POLLERR | POLLPRI),
	      "%s: a later poll reports POLLERR|POLLPRI at once (ret %d, revents 0x%x)",
	      name, ret, pfd.revents);
	errno = 0;
	ret = read(w.fd, buf, sizeof(buf)) < 0 ? errno : 0;
	check(ret == ENODEV, "%s: read after rmdir fails with ENODEV (%s)", name,
	      ret ? strerror(ret) : "succeeded");
	errno = 0;
	ret = write(w.fd, TRIGGER, strlen(TRIGGER) + 1) < 0 ? errno : 0;
	check(ret == ENODEV, "%s: write after rmdir fails with ENODEV (%s)", name,
	      ret ? strerror(ret) : "succeeded");
	check(close(w.fd) == 0, "%s: close after rmdir", name);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cgroot = argv[1];
	scenario_start(cgroot);
	printf("rmdir_poll: PSI triggers on %s removed under select/poll/epoll\n", cgroot);
	scenario(W_SELECT);
	scenario(W_POLL);
	scenario(W_EPOLL);
	scenario_end();
}
