// SPDX-License-Identifier: MIT
/*
 * netns.core.proc: processes. fork, exec and wait, nothing more; what a
 * child does between fork and exec is the Lua caller's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"

/*
 * proc.fork() -> pid (0 in the child) | nil, message, errno
 * Flush Lua's output first, or the child writes the parent's buffer
 * again. See fork(2).
 */
static int proc_fork(lua_State *L)
{
	pid_t pid = fork();

	if (pid < 0)
		return nc_fail(L, errno);
	lua_pushinteger(L, pid);
	return 1;
}

/*
 * proc.execvp(argv) -> only on failure: nil, message, errno
 * argv is a list of strings; argv[1] is searched in PATH. See execvp(3).
 */
static int proc_execvp(lua_State *L)
{
	lua_Integer i, n;
	const char **argv;

	luaL_checktype(L, 1, LUA_TTABLE);
	/* Raw: a __len that lies must not size the buffer. */
	n = (lua_Integer)lua_rawlen(L, 1);
	luaL_argcheck(L, n > 0, 1, "empty argument list");
	luaL_argcheck(L, n < 65536, 1, "too many arguments");
	argv = lua_newuserdatauv(L, sizeof(*argv) * (size_t)(n + 1), 0);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, 1, i);
		argv[i - 1] = luaL_checkstring(L, -1);
		/* the string stays alive: the table holds it */
		lua_pop(L, 1);
	}
	argv[n] = NULL;
	fflush(NULL);
	execvp(argv[0], (char *const *)argv);
	return nc_fail(L, errno);
}

/*
 * proc.waitpid(pid) -> "exited", code | "signaled", signal
 *                   | nil, message, errno
 * Waits through signal interruptions. See waitpid(2).
 */
static int proc_waitpid(lua_State *L)
{
	pid_t pid = (pid_t)luaL_checkinteger(L, 1);
	int status;
	pid_t ret;

	do
		ret = waitpid(pid, &status, 0);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return nc_fail(L, errno);
	if (WIFSIGNALED(status)) {
		lua_pushliteral(L, "signaled");
		lua_pushinteger(L, WTERMSIG(status));
	} else {
		lua_pushliteral(L, "exited");
		lua_pushinteger(L, WEXITSTATUS(status));
	}
	return 2;
}

/*
 * proc._exit(code): ends the process at once, without flushing or closing
 * the Lua state: what a forked child must do. See _exit(2).
 */
static int proc_exit(lua_State *L)
{
	_exit((int)luaL_optinteger(L, 1, 0));
	return 0;
}

/*
 * proc.signal(signal, "ignore" | "default") -> previous | nil, msg, errno
 * Sets what a signal (a number) does to this process; previous is
 * "ignore", "default" or "handler". See sigaction(2).
 */
static int proc_signal(lua_State *L)
{
	static const char *const names[] = { "default", "ignore", NULL };
	int sig = (int)luaL_checkinteger(L, 1);
	int how = luaL_checkoption(L, 2, NULL, names);
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = how ? SIG_IGN : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, &old) < 0)
		return nc_fail(L, errno);
	if (old.sa_handler == SIG_IGN)
		lua_pushliteral(L, "ignore");
	else if (old.sa_handler == SIG_DFL)
		lua_pushliteral(L, "default");
	else
		lua_pushliteral(L, "handler");
	return 1;
}

/*
 * proc.call(fn, ...) -> the results of fn(...)
 * Calls fn so that it cannot yield (a yield inside raises "attempt to
 * yield across a C-call boundary"): netns.run must not be left halfway,
 * in the other namespace, by a coroutine that is never resumed.
 */
static int proc_call(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* proc.getpid() -> integer. See getpid(2). */
static int proc_getpid(lua_State *L)
{
	lua_pushinteger(L, getpid());
	return 1;
}

/*
 * proc.kill(pid, signal) -> true | nil, message, errno
 * signal is a number. See kill(2).
 */
static int proc_kill(lua_State *L)
{
	pid_t pid = (pid_t)luaL_checkinteger(L, 1);
	int sig = (int)luaL_checkinteger(L, 2);

	return nc_ok(L, kill(pid, sig));
}

static const luaL_Reg proc_funcs[] = {
	{ "_exit", proc_exit },
	{ "call", proc_call },
	{ "execvp", proc_execvp },
	{ "fork", proc_fork },
	{ "getpid", proc_getpid },
	{ "kill", proc_kill },
	{ "signal", proc_signal },
	{ "waitpid", proc_waitpid },
	{ NULL, NULL }
};

static const struct nc_const proc_signals[] = {
	{ "SIGINT", SIGINT },
	{ "SIGQUIT", SIGQUIT },
	{ "SIGTERM", SIGTERM },
	{ NULL, 0 }
};

int luaopen_netns_core_proc(lua_State *L)
{
	nc_newlib(L, proc_funcs, proc_signals);
	return 1;
}
