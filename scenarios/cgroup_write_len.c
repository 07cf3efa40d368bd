// SPDX-License-Identifier: GPL-2.0-only
/*
 * cgroup files with a write limit of their own exist and enforce it.
 *
 * A cftype may set max_write_len: v1's release_agent (PATH_MAX - 1) and the
 * cpuset files.  cgroup used to give each such cftype a kmalloc'd copy of its
 * kernfs_ops; the series applies the limit at open instead, because kernfs
 * accepts a ->free operation only through static ops.  If a copy came back,
 * kernfs would refuse these files: a v1 mount and "+cpuset" would fail.
 *
 *   v1        mount a named cgroup v1 hierarchy (no controller): its root
 *             has release_agent; a PATH_MAX - 1 byte write is accepted,
 *             a PATH_MAX byte one fails with E2BIG
 *   cpuset    where the kernel has the cpuset controller (SMP kernels):
 *             "+cpuset" in the root's subtree_control, a child cgroup has
 *             cpuset.cpus, accepts "0", and refuses an over-long write
 *             with E2BIG
 *
 * Runs as init (pid 1) of a booted test kernel, or as root elsewhere.
 * Prints "ok ..."/"FAIL ..." lines and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"

#define CGROOT	"/sys/fs/cgroup"
#define V1ROOT	"/tmp/cgroup-v1"
#define CHILD	CGROOT "/write-len"

/* Write @len bytes of @c to @path in one write(2): 0 or the errno. */
static int write_len(const char *path, char c, size_t len)
{
	char *buf = malloc(len);
	int fd, err = 0;

	if (!buf)
		return ENOMEM;
	memset(buf, c, len);
	buf[0] = '/';
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		err = errno;
	} else {
		if (write(fd, buf, len) < 0)
			err = errno;
		close(fd);
	}
	free(buf);
	return err;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

static void check_v1(void)
{
	const char *agent = V1ROOT "/release_agent";
	int err;

	mkdir("/tmp", 0755);
	mkdir(V1ROOT, 0755);
	if (mount("none", V1ROOT, "cgroup", 0, "none,name=writelen")) {
		check(0, "v1: mount of a named cgroup v1 hierarchy: %s", strerror(errno));
		return;
	}
	check(1, "v1: mount of a named cgroup v1 hierarchy");
	check(!access(agent, F_OK), "v1: %s exists", agent);
	err = write_len(agent, 'a', PATH_MAX - 1);
	check(!err, "v1: a %d-byte write to release_agent: %s (want accepted)",
	      PATH_MAX - 1, err ? strerror(err) : "accepted");
	err = write_len(agent, 'a', PATH_MAX);
	check(err == E2BIG, "v1: a %d-byte write to release_agent: %s (want %s)",
	      PATH_MAX, err ? strerror(err) : "accepted", strerror(E2BIG));
	write_str(agent, "\n");
	check(!umount(V1ROOT), "v1: umount");
}

static void check_cpuset(void)
{
	char controllers[256] = "";
	int fd, err;
	ssize_t n;

	fd = open(CGROOT "/cgroup.controllers", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, controllers, sizeof(controllers) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0 || !strstr(controllers, "cpuset")) {
		printf("note cpuset: no cpuset controller in this kernel (uniprocessor): not checked\n");
		return;
	}
	err = write_str(CGROOT "/cgroup.subtree_control", "+cpuset");
	check(!err, "cpuset: +cpuset in the root's subtree_control: %s",
	      err ? strerror(err) : "accepted");
	if (mkdir(CHILD, 0755)) {
		check(0, "cpuset: mkdir %s: %s", CHILD, strerror(errno));
		return;
	}
	check(!access(CHILD "/cpuset.cpus", F_OK), "cpuset: %s/cpuset.cpus exists", CHILD);
	err = write_str(CHILD "/cpuset.cpus", "0");
	check(!err, "cpuset: \"0\" to cpuset.cpus: %s", err ? strerror(err) : "accepted");
	/* Far above 100 + 6 * NR_CPUS for any NR_CPUS a test kernel has. */
	err = write_len(CHILD "/cpuset.cpus", '0', 100 + 6 * 8192 + 1);
	check(err == E2BIG, "cpuset: an over-long write to cpuset.cpus: %s (want %s)",
	      err ? strerror(err) : "accepted", strerror(E2BIG));
	check(!rmdir(CHILD), "cpuset: rmdir %s", CHILD);
	err = write_str(CGROOT "/cgroup.subtree_control", "-cpuset");
	check(!err, "cpuset: -cpuset in the root's subtree_control: %s",
	      err ? strerror(err) : "accepted");
}

int main(void)
{
	scenario_start(CGROOT);
	check_v1();
	check_cpuset();
	scenario_end();
}
