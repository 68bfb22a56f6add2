// SPDX-License-Identifier: MIT
/*
 * netns.core.proc: processes. Entering a namespace as `netns exec` does
 * and becoming a command, in this process (exec_in) or in a child
 * (spawn_in); waiting, signals, and calls that cannot yield.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"

/*
 * The child's stack, past what its own code needs: execvp builds PATH
 * candidates on it, and for a script without #! a copy of argv, a pointer
 * an argument (see start_child).
 */
#define CHILD_STACK (256 * 1024)

/*
 * The list at idx as a NULL-terminated argv, in a userdata pushed on the
 * stack, with the strings above it: a number in the list is made a string
 * there, which nothing else would keep alive.
 */
static const char **check_argv(lua_State *L, int idx)
{
	lua_Integer i, n;
	const char **argv;

	luaL_checktype(L, idx, LUA_TTABLE);
	/* Raw: a __len that lies must not size the buffer. */
	n = (lua_Integer)lua_rawlen(L, idx);
	luaL_argcheck(L, n > 0, idx, "empty argument list");
	luaL_argcheck(L, n < 65536, idx, "too many arguments");
	luaL_checkstack(L, (int)n + 1, "too many arguments");
	argv = lua_newuserdatauv(L, sizeof(*argv) * (size_t)(n + 1), 0);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, idx, i);
		argv[i - 1] = luaL_checkstring(L, -1);
	}
	argv[n] = NULL;
	return argv;
}

/*
 * Entering a namespace as exec does. The code below runs in a child that
 * shares its parent's memory until it execs (see spawn_in), so it
 * allocates nothing and uses no stdio: messages go straight to stderr.
 */
static void say(const char *fmt, ...)
{
	char buf[3 * PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, (size_t)n) < 0)
		return;
}

/* Non-blocking: a FIFO planted in the run directory fails, not hangs. */
static int join_net(const char *name)
{
	char path[PATH_MAX];
	int fd = -1, err;

	if (snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name) <
	    (int)sizeof(path))
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	else
		errno = ENAMETOOLONG;
	if (fd < 0) {
		say("Cannot open network namespace \"%s\": %s", name,
		    strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		err = errno;
		close(fd);
		say("setting the network namespace \"%s\" failed: %s", name,
		    strerror(err));
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * A sysfs of the new network namespace, its source the name; read-only
 * if the old one was and could not be taken away.
 */
static int remount_sys(const char *name)
{
	unsigned long flags = 0;
	struct statvfs sv;

	if (umount2("/sys", MNT_DETACH) < 0 && statvfs("/sys", &sv) == 0 &&
	    (sv.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	if (mount(name, "/sys", "sysfs", flags, NULL) < 0) {
		say("mount of /sys failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void bind_etc_entry(const char *dir, const char *entry)
{
	char src[PATH_MAX], dst[PATH_MAX];

	if (!strcmp(entry, ".") || !strcmp(entry, ".."))
		return;
	if (snprintf(src, sizeof(src), "%s/%s", dir, entry) >=
	    (int)sizeof(src) ||
	    snprintf(dst, sizeof(dst), "/etc/%s", entry) >= (int)sizeof(dst))
		errno = ENAMETOOLONG;
	else if (mount(src, dst, "none", MS_BIND, NULL) == 0)
		return;
	say("Bind %s/%s -> /etc/%s failed: %s", dir, entry, entry,
	    strerror(errno));
}

/*
 * Each file of ETC_DIR/name over its twin in /etc, in directory order; a
 * failure is reported and the others still bound. getdents64 into a
 * buffer on the stack, since opendir would allocate.
 */
static void bind_etc(const char *name)
{
	char dir[PATH_MAX], buf[8192] __attribute__((aligned(8)));
	ssize_t n, off;
	int fd;

	if (strlen(name) >= NAME_MAX)
		return;
	if (snprintf(dir, sizeof(dir), "%s/%s", NETNS_ETC_DIR, name) >=
	    (int)sizeof(dir))
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			off += d->d_reclen;
			bind_etc_entry(dir, d->d_name);
		}
	}
	close(fd);
}

/* Only a failure returns, with the status to exit with. */
static int enter_exec(const char *name, const char *const *argv)
{
	if (join_net(name) < 0)
		return 255;
	if (unshare(CLONE_NEWNS) < 0) {
		say("unshare failed: %s", strerror(errno));
		return 255;
	}
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0) {
		say("\"mount --make-rslave /\" failed: %s", strerror(errno));
		return 255;
	}
	if (remount_sys(name) < 0)
		return 255;
	bind_etc(name);
	execvp(argv[0], (char *const *)argv);
	say("exec of \"%s\" failed: %s", argv[0], strerror(errno));
	return 1;
}

/*
 * proc.exec_in(name, argv) -> only on failure: the status to exit with
 * This process enters network namespace name as `netns exec` does (a
 * mount namespace of its own that receives mount events but sends none,
 * a sysfs of the namespace, the files of ETC_DIR/name over /etc) and
 * becomes argv. Failing, it has said why on stderr; the status is 255 if
 * it could not enter, 1 if it could not exec.
 */
static int proc_exec_in(lua_State *L)
{
	const char *name;
	const char **argv;

	lua_settop(L, 2);
	name = luaL_checkstring(L, 1);
	argv = check_argv(L, 2);
	fflush(NULL);
	lua_pushinteger(L, enter_exec(name, argv));
	return 1;
}

struct child {
	const char *name;
	const char *const *argv;
	int reset[2];		/* signals set back to default; 0: none */
};

static int child_main(void *arg)
{
	const struct child *c = arg;
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(c->reset) / sizeof(c->reset[0]); i++)
		if (c->reset[i])
			sigaction(c->reset[i], &sa, NULL);
	_exit(enter_exec(c->name, c->argv));
}

/*
 * The child of spawn_in, sharing this process's memory until it execs:
 * the parent waits in clone(2) until then. -1 and errno on failure.
 */
static pid_t start_child(struct child *c)
{
#if defined(__SANITIZE_ADDRESS__)
	/* AddressSanitizer cannot follow a child onto a stack of its own. */
	pid_t pid = fork();

	if (pid == 0)
		child_main(c);
	return pid;
#else
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t argc = 0, size;
	char *stack;
	pid_t pid;
	int err;

	while (c->argv[argc])
		argc++;
	/* execvp's copy of a script's argv, and the guard page */
	size = (CHILD_STACK + (argc + 2) * sizeof(char *) + page - 1) &
	       ~(page - 1);
	size += page;
	stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	/*
	 * A guard page below: a child that still ran past the end would die
	 * of SIGSEGV there, not write over whatever lies below, which this
	 * process may be using.
	 */
	if (mprotect(stack, page, PROT_NONE) < 0) {
		err = errno;
		munmap(stack, size);
		errno = err;
		return -1;
	}
	pid = clone(child_main, stack + size,
		    CLONE_VM | CLONE_VFORK | SIGCHLD, c);
	err = errno;
	munmap(stack, size);
	errno = err;
	return pid;
#endif
}

/*
 * proc.spawn_in(name, argv [, reset]) -> pid | nil, message, errno
 * A child that does what exec_in does and exits with its status if that
 * fails; wait for it with waitpid. reset: up to two signal numbers the
 * child sets back to their default action first. The child shares this
 * process's memory until it execs, as with vfork(2): there is no copy of
 * the interpreter's pages to make, which is most of what a fork costs.
 */
static int proc_spawn_in(lua_State *L)
{
	struct child c = { 0 };
	lua_Integer i, n;
	pid_t pid;

	/* argv's strings go on the stack above the arguments */
	lua_settop(L, 3);
	c.name = luaL_checkstring(L, 1);
	c.argv = check_argv(L, 2);
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		n = (lua_Integer)lua_rawlen(L, 3);
		luaL_argcheck(L, n <= 2, 3, "at most two signals");
		for (i = 1; i <= n; i++) {
			lua_rawgeti(L, 3, i);
			c.reset[i - 1] = (int)luaL_checkinteger(L, -1);
			lua_pop(L, 1);
		}
	}
	fflush(NULL);
	pid = start_child(&c);
	if (pid < 0)
		return nc_fail(L, errno);
	lua_pushinteger(L, pid);
	return 1;
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
 * proc.ignoring(fn, ...) -> handled, the results of fn(reset, ...)
 * Calls fn with SIGINT and SIGQUIT ignored, as system(3) waits for its
 * command; reset is the list of those that were not ignored before, for a
 * child to set back to default. Afterwards each is as it was, a handler
 * included (the prompt's, proc.interruptible); handled says whether
 * SIGINT had one.
 */
static int proc_ignoring(lua_State *L)
{
	static const int sigs[] = { SIGINT, SIGQUIT };
	struct sigaction ign, old[2];
	int i, n = 0, status;

	luaL_checktype(L, 1, LUA_TFUNCTION);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	lua_createtable(L, 2, 0);
	for (i = 0; i < 2; i++) {
		sigaction(sigs[i], &ign, &old[i]);
		if (old[i].sa_handler != SIG_IGN) {
			lua_pushinteger(L, sigs[i]);
			lua_rawseti(L, -2, ++n);
		}
	}
	lua_insert(L, 2);
	status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	for (i = 0; i < 2; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (status != LUA_OK)
		return lua_error(L);
	lua_pushboolean(L, old[0].sa_handler != SIG_IGN &&
			   old[0].sa_handler != SIG_DFL);
	lua_insert(L, 1);
	return lua_gettop(L);
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

/*
 * What proc.interruptible watches: the state its function runs in, and
 * the start of the source of netns's own Lua code when loaded from files
 * (NULL when all of it is embedded, stripped, with source "=?").
 */
static lua_State *interrupt_state;
static const char *interrupt_own;

/*
 * Is the running function the caller's code, not netns's own or C? Only
 * there is it safe to stop: netns's functions hold locks and descriptors
 * that an error from the middle of them would leave behind.
 */
static int in_callers_code(lua_State *L, lua_Debug *ar)
{
	if (!lua_getinfo(L, "S", ar) || strcmp(ar->what, "C") == 0 ||
	    strcmp(ar->source, "=?") == 0)
		return 0;
	return !interrupt_own ||
	       strncmp(ar->source, interrupt_own, strlen(interrupt_own)) != 0;
}

static void interrupt_hook(lua_State *L, lua_Debug *ar)
{
	if (!in_callers_code(L, ar))
		return;
	lua_sethook(L, NULL, 0, 0);
	luaL_error(L, "interrupted!");
}

/* lua_sethook may be called from a signal handler; the stock lua does. */
static void on_interrupt(int sig)
{
	(void)sig;
	lua_sethook(interrupt_state, interrupt_hook,
		    LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/*
 * proc.interruptible(own, fn, msgh, ...) -> as xpcall(fn, msgh, ...)
 * Runs fn so that a SIGINT (Ctrl-C) raises "interrupted!" in it, as the
 * stock lua does at its prompt, but only once the code running is the
 * caller's, not netns's own (whose files' source starts with own, a
 * string or nil) nor C. A second SIGINT before then ends the process.
 */
static int proc_interruptible(lua_State *L)
{
	lua_State *saved_state = interrupt_state;
	const char *saved_own = interrupt_own;
	struct sigaction sa, old;
	int status;

	interrupt_own = luaL_optstring(L, 1, NULL);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_insert(L, 4);
	interrupt_state = L;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sa.sa_flags = SA_RESTART | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	/* started with SIGINT ignored (in the background): it stays so */
	if (old.sa_handler == SIG_IGN)
		sigaction(SIGINT, &old, NULL);
	status = lua_pcall(L, lua_gettop(L) - 4, LUA_MULTRET, 3);
	sigaction(SIGINT, &old, NULL);
	lua_sethook(L, NULL, 0, 0);
	interrupt_state = saved_state;
	interrupt_own = saved_own;
	lua_pushboolean(L, status == LUA_OK);
	lua_insert(L, 4);
	return lua_gettop(L) - 3;
}

/*
 * proc.held(fn, ...) -> the results of fn(...)
 * Calls fn with every signal held (but SIGKILL and SIGSTOP, which cannot
 * be), so that steps which must not be cut in two, a name's file and its
 * mount, are made or undone together; a signal sent meanwhile arrives
 * once fn has returned or raised.
 */
static int proc_held(lua_State *L)
{
	sigset_t all, old;
	int status;

	luaL_checktype(L, 1, LUA_TFUNCTION);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (status != LUA_OK)
		return lua_error(L);
	return lua_gettop(L);
}

/*
 * proc.fork() -> pid (0 in the child) | nil, message, errno
 * A copy of this process, interpreter and all, which goes on from here;
 * stdio's buffers are flushed first, so neither writes the other's.
 * For Lua work that must run apart (monitor at the prompt); the child
 * ends with os.exit. See fork(2).
 */
static int proc_fork(lua_State *L)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return nc_fail(L, errno);
	lua_pushinteger(L, pid);
	return 1;
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
	{ "call", proc_call },
	{ "exec_in", proc_exec_in },
	{ "fork", proc_fork },
	{ "getpid", proc_getpid },
	{ "held", proc_held },
	{ "ignoring", proc_ignoring },
	{ "interruptible", proc_interruptible },
	{ "kill", proc_kill },
	{ "signal", proc_signal },
	{ "spawn_in", proc_spawn_in },
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
