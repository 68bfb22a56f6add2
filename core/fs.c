// SPDX-License-Identifier: MIT
/*
 * netns.core.fs: the file calls the commands need. Paths are used as given;
 * every descriptor is close-on-exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lualib.h>

#include "core.h"

static const char *const open_names[] = {
	"create", "directory", "excl", "nofollow", "nonblock", "path", "rdonly",
	NULL
};
static const int open_values[] = {
	O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDONLY
};

/*
 * fs.open(path [, flags [, mode]]) -> fd | nil, message, errno
 * flags: a list of "create", "directory", "excl", "nofollow", "nonblock",
 * "path", "rdonly" (the default); mode defaults to 0. See open(2).
 */
static int fs_open(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	int flags = nc_checkflags(L, 2, open_names, open_values);
	mode_t mode = (mode_t)luaL_optinteger(L, 3, 0);
	int fd;

	fd = open(path, flags | O_RDONLY | O_CLOEXEC, mode);
	if (fd < 0)
		return nc_fail(L, errno);
	return nc_pushfd(L, fd);
}

/* fs.mkdir(path [, mode]) -> true | nil, message, errno. See mkdir(2). */
static int fs_mkdir(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	mode_t mode = (mode_t)luaL_optinteger(L, 2, 0755);

	return nc_ok(L, mkdir(path, mode));
}

/* fs.unlink(path) -> true | nil, message, errno. See unlink(2). */
static int fs_unlink(lua_State *L)
{
	return nc_ok(L, unlink(luaL_checkstring(L, 1)));
}

/* fs.rmdir(path) -> true | nil, message, errno. See rmdir(2). */
static int fs_rmdir(lua_State *L)
{
	return nc_ok(L, rmdir(luaL_checkstring(L, 1)));
}

/*
 * fs.readdir(path) -> {name, ...} | nil, message, errno
 * Names in the order the file system gives them, without "." and "..".
 * See readdir(3).
 */
static int push_name(lua_State *L, int dirfd, const char *name, void *ud)
{
	(void)dirfd;
	(void)ud;
	lua_pushstring(L, name);
	return 1;
}

static int fs_readdir(lua_State *L)
{
	return nc_push_entries(L, luaL_checkstring(L, 1), push_name, NULL);
}

static const char *type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "file";
	case S_IFDIR:
		return "directory";
	case S_IFLNK:
		return "link";
	case S_IFCHR:
		return "char";
	case S_IFBLK:
		return "block";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "socket";
	}
	return "unknown";
}

/* Device and inode together tell namespaces apart; see stat(2). */
static int push_stat(lua_State *L, int ret, const struct stat *st)
{
	if (ret < 0)
		return nc_fail(L, errno);
	lua_createtable(L, 0, 5);
	lua_pushinteger(L, (lua_Integer)st->st_dev);
	lua_setfield(L, -2, "dev");
	lua_pushinteger(L, (lua_Integer)st->st_ino);
	lua_setfield(L, -2, "ino");
	lua_pushstring(L, type_name(st->st_mode));
	lua_setfield(L, -2, "type");
	lua_pushinteger(L, st->st_mode & 07777);
	lua_setfield(L, -2, "mode");
	lua_pushinteger(L, (lua_Integer)st->st_size);
	lua_setfield(L, -2, "size");
	return 1;
}

/*
 * fs.stat(path) -> {dev, ino, type, mode, size} | nil, message, errno
 * Follows symbolic links; fs.lstat does not.
 */
static int fs_stat(lua_State *L)
{
	struct stat st;
	int ret = stat(luaL_checkstring(L, 1), &st);

	return push_stat(L, ret, &st);
}

/* fs.lstat(path) -> as fs.stat, of the link itself. */
static int fs_lstat(lua_State *L)
{
	struct stat st;
	int ret = lstat(luaL_checkstring(L, 1), &st);

	return push_stat(L, ret, &st);
}

/* fs.fstat(fd) -> as fs.stat, of an open descriptor. */
static int fs_fstat(lua_State *L)
{
	struct stat st;
	int ret = fstat(nc_checkfd(L, 1), &st);

	return push_stat(L, ret, &st);
}

/*
 * fs.flock(fd, "ex" | "sh" | "un") -> true | nil, message, errno
 * Blocks until the lock is had. See flock(2).
 */
static int fs_flock(lua_State *L)
{
	static const char *const names[] = { "ex", "sh", "un", NULL };
	static const int ops[] = { LOCK_EX, LOCK_SH, LOCK_UN };
	int fd = nc_checkfd(L, 1);
	int op = ops[luaL_checkoption(L, 2, NULL, names)];
	int ret;

	do
		ret = flock(fd, op);
	while (ret < 0 && errno == EINTR);
	return nc_ok(L, ret);
}

/*
 * fs.poll(fds [, timeout_ms]) -> {ready, ...} | nil, message, errno
 * fds is a list of descriptors (handles or integers); the result lists
 * the positions of those ready to read, empty on time-out. timeout_ms
 * defaults to -1, forever. An empty list with a time-out sleeps that
 * long. See poll(2).
 */
static int fs_poll(lua_State *L)
{
	int timeout = (int)luaL_optinteger(L, 2, -1);
	struct pollfd *pfd;
	lua_Integer i, n, k = 0;
	int ret;

	luaL_checktype(L, 1, LUA_TTABLE);
	n = (lua_Integer)lua_rawlen(L, 1);
	luaL_argcheck(L, n <= 64, 1, "at most 64 descriptors expected");
	luaL_argcheck(L, n > 0 || timeout >= 0, 2,
		      "a time-out expected with no descriptor");
	pfd = lua_newuserdatauv(L, sizeof(*pfd) * (size_t)n, 0);
	for (i = 0; i < n; i++) {
		lua_rawgeti(L, 1, i + 1);
		pfd[i].fd = nc_checkfd(L, -1);
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
		lua_pop(L, 1);
	}
	do
		ret = poll(pfd, (nfds_t)n, timeout);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return nc_fail(L, errno);
	lua_newtable(L);
	for (i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		lua_pushinteger(L, i + 1);
		lua_rawseti(L, -2, ++k);
	}
	return 1;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Whether /proc/PID/ns/net, read as its "net:[INODE]" link, is ino. */
static int proc_in_ns(int procfd, const char *pid, ino_t ino)
{
	char path[NAME_MAX + 16], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/ns/net", pid);
	n = readlinkat(procfd, path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	return strncmp(link, "net:[", 5) == 0 &&
	       strtoull(link + 5, NULL, 10) == (unsigned long long)ino;
}

/* The namespace fs.same_ns looks for. */
struct ns_id {
	dev_t dev;
	ino_t ino;
};

/* An entry that is the namespace (by stat, following links): its name. */
static int push_if_ns(lua_State *L, int dirfd, const char *name, void *ud)
{
	const struct ns_id *id = ud;
	struct stat st;

	if (fstatat(dirfd, name, &st, 0) < 0 || st.st_dev != id->dev ||
	    st.st_ino != id->ino)
		return 0;
	lua_pushstring(L, name);
	return 1;
}

/* A process whose network namespace it is: its pid, as an integer. */
static int push_if_proc_in_ns(lua_State *L, int procfd, const char *name,
			      void *ud)
{
	const struct ns_id *id = ud;

	if (!all_digits(name) || !proc_in_ns(procfd, name, id->ino))
		return 0;
	lua_pushinteger(L, strtoll(name, NULL, 10));
	return 1;
}

/*
 * fs.same_ns(dir, dev, ino [, "proc"]) -> {entry, ...}
 *                                      | nil, message, errno
 * The entries of dir, in directory order, that are the namespace with
 * this device and inode (by stat(2), following links; entries that
 * cannot be looked at are left out). With "proc", dir is /proc and the
 * entries are the processes whose net namespace it is, read from the
 * /proc/PID/ns/net links, as integers. One pass in C: identify and pids
 * look at every name and every process.
 */
static int fs_same_ns(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	struct ns_id id = {
		.dev = (dev_t)luaL_checkinteger(L, 2),
		.ino = (ino_t)luaL_checkinteger(L, 3),
	};
	int proc = luaL_checkoption(L, 4, "dir", (const char *const[]){
		"dir", "proc", NULL });

	return nc_push_entries(L, path, proc ? push_if_proc_in_ns : push_if_ns,
			       &id);
}

/*
 * fs.cloexec(file) -> true | nil, message, errno
 * Marks a Lua file (from io.open) close-on-exec, which io.open cannot ask
 * for, so that a command started meanwhile does not inherit it.
 * See fcntl(2).
 */
static int fs_cloexec(lua_State *L)
{
	luaL_Stream *f = luaL_checkudata(L, 1, LUA_FILEHANDLE);
	int fd, flags;

	luaL_argcheck(L, f->closef != NULL && f->f != NULL, 1, "closed file");
	fd = fileno(f->f);
	flags = fcntl(fd, F_GETFD);
	if (flags < 0)
		return nc_fail(L, errno);
	return nc_ok(L, fcntl(fd, F_SETFD, flags | FD_CLOEXEC));
}

/* The errno values callers compare against. */
static const struct nc_const fs_errnos[] = {
	{ "EACCES", EACCES },
	{ "EBADF", EBADF },
	{ "EBUSY", EBUSY },
	{ "EEXIST", EEXIST },
	{ "EINVAL", EINVAL },
	{ "EISDIR", EISDIR },
	{ "ENOENT", ENOENT },
	{ "ENOTDIR", ENOTDIR },
	{ "EPERM", EPERM },
	{ "EROFS", EROFS },
	{ NULL, 0 }
};

static const luaL_Reg fs_funcs[] = {
	{ "cloexec", fs_cloexec },
	{ "flock", fs_flock },
	{ "fstat", fs_fstat },
	{ "lstat", fs_lstat },
	{ "mkdir", fs_mkdir },
	{ "open", fs_open },
	{ "poll", fs_poll },
	{ "readdir", fs_readdir },
	{ "rmdir", fs_rmdir },
	{ "same_ns", fs_same_ns },
	{ "stat", fs_stat },
	{ "unlink", fs_unlink },
	{ NULL, NULL }
};

int luaopen_netns_core_fs(lua_State *L)
{
	nc_fdtype(L);
	nc_newlib(L, fs_funcs, fs_errnos);
	return 1;
}
