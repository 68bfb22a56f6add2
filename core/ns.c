// SPDX-License-Identifier: MIT
/*
 * netns.core.ns: entering and creating namespaces, and the directories the
 * tool was built for.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

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

enum { STEP_NONE, STEP_UNSHARE, STEP_BIND };

/* One file of ns.new_nets, and how making its namespace went. */
struct new_net {
	int fd;
	int step;		/* the step that failed, or STEP_NONE */
	int err;
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

	if (unshare(CLONE_NEWNET) < 0) {
		n->step = STEP_UNSHARE;
		n->err = errno;
		return;
	}
	snprintf(target, sizeof(target), "/proc/self/fd/%d", n->fd);
	if (mount("/proc/thread-self/ns/net", target, "none", MS_BIND,
		  NULL) < 0) {
		n->step = STEP_BIND;
		n->err = errno;
	}
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

/*
 * Runs the workers with every signal blocked, so that an interrupt comes
 * once each file has its namespace or has failed, not between the two
 * steps; it is delivered when the mask is restored. Returns 0, or the
 * errno of the first thread that could not start.
 */
static int run_workers(struct new_nets *w)
{
	pthread_t threads[MAX_WORKERS];
	sigset_t all, old;
	pthread_attr_t attr;
	int n = worker_count(w->count);
	int started, err = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	for (started = 0; started < n; started++) {
		err = pthread_create(&threads[started], &attr, net_worker, w);
		if (err)
			break;
	}
	pthread_attr_destroy(&attr);
	while (started > 0)
		pthread_join(threads[--started], NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* One thread was enough to do all of them. */
	return w->next >= w->count ? 0 : err;
}

static void push_outcome(lua_State *L, const struct new_net *n)
{
	if (n->step == STEP_NONE) {
		lua_pushboolean(L, 1);
		return;
	}
	lua_createtable(L, 0, 3);
	lua_pushstring(L, n->step == STEP_UNSHARE ? "unshare" : "bind");
	lua_setfield(L, -2, "step");
	lua_pushstring(L, strerror(n->err));
	lua_setfield(L, -2, "message");
	lua_pushinteger(L, n->err);
	lua_setfield(L, -2, "errno");
}

/*
 * ns.new_nets(files) -> outcomes | nil, message, errno
 * files: a list of descriptors of empty files. Binds a new network
 * namespace on each, made by worker threads, one a CPU, all at once; the
 * caller stays in its namespace. outcomes[i] is true, or {step = "unshare"
 * | "bind", message = S, errno = N} for the step that failed for files[i].
 * nil when no thread could start, and then nothing was made.
 */
static int ns_new_nets(lua_State *L)
{
	struct new_nets w = { NULL, 0, 0 };
	lua_Integer i, count;
	int err;

	luaL_checktype(L, 1, LUA_TTABLE);
	count = luaL_len(L, 1);
	luaL_argcheck(L, count >= 0 && count <= 65536, 1, "too many files");
	w.count = (int)count;
	w.nets = lua_newuserdatauv(L, sizeof(*w.nets) * (size_t)(count + 1),
				   0);
	for (i = 1; i <= count; i++) {
		lua_geti(L, 1, i);
		w.nets[i - 1].fd = nc_checkfd(L, -1);
		w.nets[i - 1].step = STEP_NONE;
		lua_pop(L, 1);
	}
	if (w.count > 0) {
		err = run_workers(&w);
		if (err)
			return nc_fail(L, err);
	}
	lua_createtable(L, w.count, 0);
	for (i = 0; i < count; i++) {
		push_outcome(L, &w.nets[i]);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static const luaL_Reg ns_funcs[] = {
	{ "new_nets", ns_new_nets },
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
