// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSI trigger writes that must fail, through write(2), with the errno that
 * Linux 6.12 returns: malformed strings, thresholds of 0 or above the window,
 * windows of 0 or above the maximum, unprivileged windows that are not a
 * multiple of 2 s, a second trigger on one file descriptor; on a cgroup
 * pressure file and on /proc/pressure/.
 *
 * Runs as init (pid 1) of a booted test kernel, or as root elsewhere.
 * Prints "ok ..."/"FAIL ..." lines and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario.h"

static void check_errno(const char *path, const char *what, int err, int want)
{
	check(err == want, "%s: %s: %s (want %s)", path, what,
	      err ? strerror(err) : "accepted", want ? strerror(want) : "accepted");
}

/* Open @path, write @trig (with its NUL), return 0 or the errno. */
static int try_write(const char *path, const char *trig, int fd_keep)
{
	int fd = fd_keep >= 0 ? fd_keep : open(path, O_RDWR);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, trig, strlen(trig) + 1) < 0)
		err = errno;
	if (fd_keep < 0)
		close(fd);
	return err;
}

static const struct {
	const char *trig;
	int want;
} cases[] = {
	{ "bogus",			EINVAL },
	{ "some 150000",		EINVAL },
	{ "any 150000 1000000",		EINVAL },
	{ "some 0 1000000",		EINVAL },
	{ "some 1000001 1000000",	EINVAL },
	{ "some 1000 0",		EINVAL },
	{ "some 1000 10000001",		EINVAL },
	{ "some 150000 1000000",	0 },
};

static const struct {
	const char *trig;
	int want;
} unpriv_cases[] = {
	{ "some 150000 1000000",	EINVAL },
	{ "some 150000 3000000",	EINVAL },
	{ "some 150000 2000000",	0 },
};

static void run(const char *path)
{
	unsigned int i;
	int err, fd, status;
	pid_t pid;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = try_write(path, cases[i].trig, -1);
		check_errno(path, cases[i].trig, err, cases[i].want);
	}

	fd = open(path, O_RDWR);
	try_write(path, "some 150000 1000000", fd);
	err = try_write(path, "some 150000 1000000", fd);
	check_errno(path, "second trigger on one fd", err, EBUSY);
	close(fd);

	/* Without CAP_SYS_RESOURCE: an unprivileged user. */
	chmod(path, 0666);
	for (i = 0; i < sizeof(unpriv_cases) / sizeof(unpriv_cases[0]); i++) {
		pid = fork();
		if (!pid) {
			if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
				_exit(255);
			_exit(try_write(path, unpriv_cases[i].trig, -1) & 0x7f);
		}
		waitpid(pid, &status, 0);
		err = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
		check_errno(path, unpriv_cases[i].trig, err, unpriv_cases[i].want);
	}
}

int main(void)
{
	const char *cg = "/sys/fs/cgroup/bad-input";

	scenario_start("/sys/fs/cgroup");
	rmdir(cg);
	if (mkdir(cg, 0755)) {
		check(0, "mkdir %s: %s", cg, strerror(errno));
	} else {
		run("/sys/fs/cgroup/bad-input/memory.pressure");
		rmdir(cg);
	}
	run("/proc/pressure/memory");
	scenario_end();
}
