// SPDX-License-Identifier: MIT
/*
 * netns.core.ns: entering and creating namespaces, and the directories the
 * tool was built for.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

#include "core.h"

/* More threads than this gain nothing: the kernel serialises the rest. */
#define MAX_WORKERS 16
#define WORKER_STACK (256 * 1024)

static const char *const ns_names[] = { "any", "mnt", "net", NULL };
static const int ns_values[] = { 0, CLONE_NEWNS, CLONE_NEWNET };

/*
 * ns.setns(fd [, type]) -> true | nil, message, errno
 * type is "net", "mnt" or "any" (the default: whatever fd refers to).
 * See setns(2).
 */
static int ns_setns(lua_State *L)
{
	int fd = nc_checkfd(L, 1);
	int type = ns_values[luaL_checkoption(L, 2, "any", ns_names)];

	return nc_ok(L, setns(fd, type));
}

/*
 * ns.unshare(types) -> true | nil, message, errno
 * types is a list of "net" and "mnt". See unshare(2).
 */
static int ns_unshare(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	return nc_ok(L, unshare(nc_checkflags(L, 1, ns_names, ns_values)));
}

/* One name of ns.add_nets: its file, and whether it got a namespace. */
struct new_net {
	const char *path;
	int fd;
	int made;
};

struct new_nets {
	struct new_net *nets;
	int count;
	int next;		/* the next one a worker takes */
};

/*
 * Network namespaces belong to threads, so a worker can make one and bind
 * it without the caller's thread ever leaving its own. Each unshare drops
 * the worker's previous namespace, which its bind mount keeps alive.
 */
static void make_net(struct new_net *n)
{
	char target[64];

	if (unshare(CLONE_NEWNET) < 0)
		return;
	snprintf(target, sizeof(target), "/proc/self/fd/%d", n->fd);
	n->made = mount("/proc/thread-self/ns/net", target, "none", MS_BIND,
			NULL) == 0;
}

static void *net_worker(void *arg)
{
	struct new_nets *w = arg;
	int i;

	while ((i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) <
	       w->count)
		make_net(&w->nets[i]);
	return NULL;
}

static int worker_count(int count)
{
	cpu_set_t cpus;
	int n = 2;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
		n = CPU_COUNT(&cpus);
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	return n < count ? n : count;
}

/* Nothing is made when no thread starts: the caller adds one by one. */
static void run_workers(struct new_nets *w)
{
	pthread_t threads[MAX_WORKERS];
	pthread_attr_t attr;
	int n = worker_count(w->count);
	int started;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	for (started = 0; started < n; started++)
		if (pthread_create(&threads[started], &attr, net_worker, w))
			break;
	pthread_attr_destroy(&attr);
	while (started > 0)
		pthread_join(threads[--started], NULL);
}

/*
 * New namespaces are all alike. When the kernel refused one name but made
 * a later one (a limit ran out while two threads asked), the earlier name
 * takes the later one's namespace, so that the names made are the first
 * ones, as when made one by one, and nothing is freed that another name
 * could have had.
 */
static void first_made_first(struct new_nets *w)
{
	char target[64];
	int i, spare = w->count - 1;

	for (i = 0; i < spare; i++) {
		if (w->nets[i].made)
			continue;
		while (spare > i && !w->nets[spare].made)
			spare--;
		if (spare == i)
			return;
		snprintf(target, sizeof(target), "/proc/self/fd/%d",
			 w->nets[i].fd);
		if (mount(w->nets[spare].path, target, "none", MS_BIND,
			  NULL) < 0)
			return;
		w->nets[i].made = 1;
		umount2(w->nets[spare].path, MNT_DETACH | UMOUNT_NOFOLLOW);
		w->nets[spare].made = 0;
	}
}

/* The files from the first one not made on: unbound and removed. */
static int keep_made_prefix(struct new_nets *w)
{
	int i, k = 0;

	while (k < w->count && w->nets[k].made)
		k++;
	for (i = k; i < w->count; i++) {
		if (w->nets[i].made)
			umount2(w->nets[i].path, MNT_DETACH | UMOUNT_NOFOLLOW);
		unlink(w->nets[i].path);
	}
	return k;
}

static void close_files(struct new_nets *w)
{
	int i;

	for (i = 0; i < w->count; i++)
		close(w->nets[i].fd);
}

/*
 * ns.add_nets(paths) -> k
 * Creates each file of the list paths, in order, and binds a new network
 * namespace on it, the namespaces made by worker threads, one a CPU, all
 * at once; the caller stays in its namespace. The first k names are made
 * and nothing is left of the rest: the caller makes paths[k + 1] alone to
 * learn why it could not be. The caller holds every signal meanwhile
 * (proc.held), so that an interrupt never leaves a file without its
 * namespace; the workers start with that mask too.
 */
static int ns_add_nets(lua_State *L)
{
	struct new_nets w = { NULL, 0, 0 };
	lua_Integer i, count;
	int k;

	luaL_checktype(L, 1, LUA_TTABLE);
	count = (lua_Integer)lua_rawlen(L, 1);
	luaL_argcheck(L, count >= 0 && count <= 65536, 1, "too many paths");
	w.nets = lua_newuserdatauv(L, sizeof(*w.nets) * (size_t)(count + 1),
				   0);
	for (i = 1; i <= count; i++) {
		/* a string, not a number made one: the table keeps it alive */
		if (lua_rawgeti(L, 1, i) != LUA_TSTRING)
			return luaL_error(L,
					  "bad path at [%d] (string expected)",
					  (int)i);
		w.nets[i - 1].path = lua_tostring(L, -1);
		w.nets[i - 1].made = 0;
		lua_pop(L, 1);
	}
	while (w.count < count) {
		struct new_net *n = &w.nets[w.count];

		n->fd = open(n->path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			     0);
		if (n->fd < 0)
			break;
		w.count++;
	}
	if (w.count > 0)
		run_workers(&w);
	first_made_first(&w);
	close_files(&w);
	k = keep_made_prefix(&w);
	lua_pushinteger(L, k);
	return 1;
}

static const luaL_Reg ns_funcs[] = {
	{ "add_nets", ns_add_nets },
	{ "setns", ns_setns },
	{ "unshare", ns_unshare },
	{ NULL, NULL }
};

int luaopen_netns_core_ns(lua_State *L)
{
	nc_fdtype(L);
	nc_newlib(L, ns_funcs, NULL);
	lua_pushliteral(L, NETNS_RUN_DIR);
	lua_setfield(L, -2, "RUN_DIR");
	lua_pushliteral(L, NETNS_ETC_DIR);
	lua_setfield(L, -2, "ETC_DIR");
	lua_pushliteral(L, NETNS_VERSION);
	lua_setfield(L, -2, "VERSION");
	return 1;
}
