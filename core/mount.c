// SPDX-License-Identifier: MIT
/*
 * netns.core.mount: mount(2), umount2(2), and the removal of names that
 * batch deletes make in one call.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <linux/fs.h>
#include <linux/magic.h>

#include "core.h"

static const char *const mount_names[] = {
	"bind", "private", "rdonly", "rec", "shared", "slave", NULL
};
static const int mount_values[] = {
	MS_BIND, MS_PRIVATE, MS_RDONLY, MS_REC, MS_SHARED, MS_SLAVE
};

static const char *optstr(lua_State *L, int idx)
{
	return luaL_optstring(L, idx, NULL);
}

/*
 * mount.mount(source, target, fstype, flags [, data])
 *   -> true | nil, message, errno
 * source and fstype may be nil; flags is a list of "bind", "private",
 * "rdonly", "rec", "shared", "slave". See mount(2).
 */
static int mount_mount(lua_State *L)
{
	const char *source = optstr(L, 1);
	const char *target = luaL_checkstring(L, 2);
	const char *fstype = optstr(L, 3);
	int flags = nc_checkflags(L, 4, mount_names, mount_values);
	const char *data = optstr(L, 5);

	return nc_ok(L, mount(source ? source : "", target,
			      fstype ? fstype : "none", flags, data));
}

/*
 * mount.umount(target [, flags]) -> true | nil, message, errno
 * flags: a list of "detach" and "nofollow" (or one of them as a string).
 * See umount2(2).
 */
static int mount_umount(lua_State *L)
{
	static const char *const names[] = { "detach", "nofollow", NULL };
	static const int values[] = { MNT_DETACH, UMOUNT_NOFOLLOW };
	const char *target = luaL_checkstring(L, 1);
	int flags;

	if (lua_type(L, 2) == LUA_TSTRING)
		flags = values[luaL_checkoption(L, 2, NULL, names)];
	else
		flags = nc_checkflags(L, 2, names, values);
	return nc_ok(L, umount2(target, flags));
}

#define RUN_PATH_MAX (sizeof(NETNS_RUN_DIR) + NAME_MAX + 1)

/* NETNS_RUN_DIR/name: snprintf took a tenth of a batch delete's time */
static void run_path(char *path, const char *name, size_t len)
{
	memcpy(path, NETNS_RUN_DIR "/", sizeof(NETNS_RUN_DIR));
	memcpy(path + sizeof(NETNS_RUN_DIR), name, len + 1);
}

/*
 * Unmount the name, then unlink it, again while the kernel says another
 * mount is stacked there (EBUSY), as many times as there are mounts; a
 * bare file fails the unmount (EINVAL) and is unlinked. The unmount has
 * no call that takes the run directory's descriptor, as unlinkat does
 * (through /proc/self/fd it costs 3 us more), so the caller has checked
 * that the path names that directory. Fails with the last unlinkat's
 * errno: when an unmount fails, the unlink after it is the answer.
 */
static int unmount_and_remove(int dirfd, const char *name, size_t len)
{
	char path[RUN_PATH_MAX];
	int unmounted;

	run_path(path, name, len);
	do {
		unmounted = umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0;
		if (unlinkat(dirfd, name, 0) == 0)
			return 0;
	} while (errno == EBUSY && unmounted);
	return -1;
}

/*
 * One name as delete removes it (remove_name in _ops.lua): never a
 * directory, never in a read-only run directory, every mount stacked on
 * it undone, never through a symbolic link; then the file unlinked. The
 * first unlinkat is the check: it fails with EISDIR or EROFS before
 * anything is unmounted, succeeds for a bare file, and says EBUSY for a
 * name mounted here, which unmount_and_remove then takes.
 */
static int remove_name(int dirfd, const char *name, size_t len)
{
	if (unlinkat(dirfd, name, 0) == 0)
		return 0;
	if (errno != EBUSY)
		return -1;
	return unmount_and_remove(dirfd, name, len);
}

static int is_entry_name(const char *name, size_t len)
{
	return len > 0 && len <= NAME_MAX && strlen(name) == len &&
	       !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

/* Whether the descriptor is the directory NETNS_RUN_DIR names now. */
static int is_run_dir(int dirfd, struct stat *st)
{
	struct stat b;

	return fstat(dirfd, st) == 0 && stat(NETNS_RUN_DIR, &b) == 0 &&
	       st->st_dev == b.st_dev && st->st_ino == b.st_ino;
}

/*
 * Whether the kernel would refuse to unlink a name of the run directory
 * (st, from fstat) only for reasons of the name's own that cannot apply:
 * a directory (on tmpfs a directory's link count is 2, one more for each
 * subdirectory), a read-only or immutable or append-only run directory,
 * one the caller may not write, or a sticky one (whose names' owners
 * count). Then each name can be unmounted before the unlinkat, as ip
 * does, with nothing refused afterwards that remove_name's first unlinkat
 * would have refused beforehand, but for a name whose own file is
 * immutable or append-only (chattr), which netns(8) tells. That first
 * unlinkat costs about 2 us a name with 1000 names mounted (the kernel
 * looks through the namespace's mounts for the name), a tenth of a batch
 * delete's time; so would any look at the file under the mount.
 */
static int unlinks_freely(int dirfd, const struct stat *st)
{
	struct statfs fs;
	int flags = 0;

	if (st->st_nlink != 2 || (st->st_mode & S_ISVTX) ||
	    fstatfs(dirfd, &fs) < 0 || fs.f_type != TMPFS_MAGIC ||
	    (fs.f_flags & ST_RDONLY) ||
	    faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS) < 0)
		return 0;
	/* a tmpfs that keeps no such flags cannot have them set */
	if (ioctl(dirfd, FS_IOC_GETFLAGS, &flags) < 0)
		return errno == ENOTTY || errno == EOPNOTSUPP;
	return !(flags & (FS_IMMUTABLE_FL | FS_APPEND_FL));
}

/*
 * mount.remove_names(dir, names) -> k
 * Removes the entries names of the run directory, open as dir, in order,
 * as delete does (unmounting first when unlinks_freely answers for the
 * whole run the questions delete asks of each name), until one cannot
 * be: the first k are gone. The caller removes names[k + 1] alone to
 * learn why. None is removed when another directory has been mounted or
 * moved onto the run directory's path since dir was opened: the caller's
 * delete, by path, acts as ip would. The caller holds every signal
 * meanwhile (proc.held): an interrupt between umount2 and unlink would
 * leave a bare file.
 */
static int mount_remove_names(lua_State *L)
{
	int dirfd = nc_checkfd(L, 1);
	int (*remove)(int, const char *, size_t) = remove_name;
	lua_Integer i, count;
	struct stat st;
	size_t len;

	luaL_checktype(L, 2, LUA_TTABLE);
	count = (lua_Integer)lua_rawlen(L, 2);
	luaL_argcheck(L, count <= 65536, 2, "too many names");
	luaL_checkstack(L, (int)count, "too many names");
	for (i = 1; i <= count; i++) {
		const char *name = NULL;

		if (lua_rawgeti(L, 2, i) == LUA_TSTRING)
			name = lua_tolstring(L, -1, &len);
		if (!name || !is_entry_name(name, len))
			return luaL_error(L, "bad name at [%d]", (int)i);
	}
	if (!is_run_dir(dirfd, &st)) {
		lua_pushinteger(L, 0);
		return 1;
	}
	if (unlinks_freely(dirfd, &st))
		remove = unmount_and_remove;
	for (i = 1; i <= count; i++) {
		const char *name = lua_tolstring(L, 2 + (int)i, &len);

		if (remove(dirfd, name, len) < 0)
			break;
	}
	lua_pushinteger(L, i - 1);
	return 1;
}

static const luaL_Reg mount_funcs[] = {
	{ "mount", mount_mount },
	{ "remove_names", mount_remove_names },
	{ "umount", mount_umount },
	{ NULL, NULL }
};

int luaopen_netns_core_mount(lua_State *L)
{
	nc_newlib(L, mount_funcs, NULL);
	return 1;
}
