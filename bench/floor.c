/*
 * floor: the system calls each netns operation cannot do without, and
 * nothing else, so that bench/run can tell how far netns and ip are from
 * the least any tool has to pay the kernel.
 *
 *   floor add N [PREFIX [FIRST]]     names PREFIX<FIRST> .. for N new
 *                                    network namespaces
 *   floor add-threads N [PREFIX [FIRST]]
 *                                    the same, the namespaces made by one
 *                                    thread a CPU at once, as netns makes
 *                                    add lines in a row in a batch
 *   floor delete N [PREFIX [FIRST]]  removes those names
 *   floor list                       each name and its nsid, as ip prints
 *   floor identify                   the names of this process's namespace
 *   floor exec NAME                  what `exec NAME true` must do: enter
 *                                    NAME, a mount namespace of its own
 *                                    that receives mount events, a sysfs
 *                                    of NAME, and exec /bin/true
 *   floor setns N NAME               N round trips into NAME and back
 *   floor setns-open N NAME          the same, opening NAME's file each
 *                                    time (what netns.run with a name
 *                                    must do: the name may have been
 *                                    made again since the last call)
 *   floor nsid N NAME                N RTM_GETNSID round trips for NAME
 *   floor workflow N                 bench/run's scenario 4 (a hub with a
 *                                    bridge, N leaves on veth pairs, an
 *                                    address on each end), made and undone
 *   floor workflow-up|-down N        only making it, only undoing it
 *
 * PREFIX defaults to "f", FIRST to 0. Any failure prints the call and the
 * kernel's reason and exits 1. Only bench/run builds and runs this.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/stat.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>

#ifndef RUN_DIR
#define RUN_DIR "/run/netns"
#endif

#define MSG_CAP 1024

static void die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fputs("floor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(1);
}

static void usage(void)
{
	fputs("usage: floor add|add-threads|delete N [PREFIX [FIRST]]\n"
	      "       floor list | identify\n"
	      "       floor exec NAME\n"
	      "       floor setns|setns-open|nsid N NAME\n"
	      "       floor workflow|workflow-up|workflow-down N\n", stderr);
	exit(2);
}

static long count_arg(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || end == s || n < 0)
		usage();
	return n;
}

static void name_path(char *buf, size_t len, const char *prefix, long i)
{
	if ((size_t)snprintf(buf, len, RUN_DIR "/%s%ld", prefix, i) >= len) {
		errno = ENAMETOOLONG;
		die("%s", prefix);
	}
}

static int open_home(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open /proc/self/ns/net");
	return fd;
}

/*
 * Names must show in every mount namespace that shares the run directory,
 * so it is made a shared mount point, bound onto itself first when it is
 * not a mount point yet (which the kernel reports as EINVAL).
 */
static void prepare_run_dir(void)
{
	if (mkdir(RUN_DIR, 0755) < 0 && errno != EEXIST)
		die("mkdir %s", RUN_DIR);
	if (mount("", RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return;
	if (errno != EINVAL)
		die("make-shared %s", RUN_DIR);
	if (mount(RUN_DIR, RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
		die("bind %s", RUN_DIR);
	if (mount("", RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		die("make-shared %s", RUN_DIR);
}

/*
 * A new network namespace bound at path. The caller is left inside it:
 * the workflow opens its sockets there before going home. A thread's own
 * namespace is /proc/thread-self/ns/net, the process's that of its first
 * thread.
 */
static void new_netns_from(const char *path, const char *self)
{
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);

	if (fd < 0)
		die("create %s", path);
	close(fd);
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare");
	if (mount(self, path, "none", MS_BIND, NULL) < 0)
		die("bind %s -> %s", self, path);
}

static void new_named_netns(const char *path)
{
	new_netns_from(path, "/proc/self/ns/net");
}

static void go_home(int home)
{
	if (setns(home, CLONE_NEWNET) < 0)
		die("setns home");
}

static void remove_name(const char *path)
{
	if (umount2(path, MNT_DETACH) < 0)
		die("umount %s", path);
	if (unlink(path) < 0)
		die("unlink %s", path);
}

static int cmd_add(long n, const char *prefix, long first)
{
	char path[PATH_MAX];
	int home;
	long i;

	prepare_run_dir();
	home = open_home();
	for (i = first; i < first + n; i++) {
		name_path(path, sizeof(path), prefix, i);
		new_named_netns(path);
		go_home(home);
	}
	return 0;
}

struct add_work {
	const char *prefix;
	long first, n, next;
};

/* A thread's namespace is its own: none of them goes home. */
static void *add_worker(void *arg)
{
	struct add_work *w = arg;
	char path[PATH_MAX];
	long i;

	while ((i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->n) {
		name_path(path, sizeof(path), w->prefix, w->first + i);
		new_netns_from(path, "/proc/thread-self/ns/net");
	}
	return NULL;
}

static int cmd_add_threads(long n, const char *prefix, long first)
{
	struct add_work w = { prefix, first, n, 0 };
	pthread_t threads[64];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int i, count;

	prepare_run_dir();
	count = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;
	for (i = 0; i < count; i++)
		if (pthread_create(&threads[i], NULL, add_worker, &w))
			die("pthread_create");
	for (i = 0; i < count; i++)
		pthread_join(threads[i], NULL);
	return 0;
}

static int cmd_delete(long n, const char *prefix, long first)
{
	char path[PATH_MAX];
	long i;

	for (i = first; i < first + n; i++) {
		name_path(path, sizeof(path), prefix, i);
		remove_name(path);
	}
	return 0;
}

/* Route netlink: one request in a buffer, one reply read back. */

struct req {
	union {
		struct nlmsghdr nh;
		char buf[MSG_CAP];
	} u;
};

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		die("netlink socket");
	return fd;
}

static struct nlmsghdr *req_start(struct req *r, int type, int flags,
				  const void *hdr, size_t hdrlen)
{
	static unsigned int seq;
	struct nlmsghdr *nh = &r->u.nh;

	memset(nh, 0, NLMSG_SPACE(hdrlen));
	nh->nlmsg_len = NLMSG_LENGTH(hdrlen);
	nh->nlmsg_type = type;
	nh->nlmsg_flags = NLM_F_REQUEST | flags;
	nh->nlmsg_seq = ++seq;
	memcpy(NLMSG_DATA(nh), hdr, hdrlen);
	return nh;
}

/* Appends raw bytes at the aligned end of the message; returns them. */
static void *req_put(struct nlmsghdr *nh, const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(nh->nlmsg_len);
	char *p = (char *)nh + at;

	/* Requests here are tiny; running over is a bug in this file. */
	if (at + NLMSG_ALIGN(len) > MSG_CAP)
		abort();
	memset(p, 0, NLMSG_ALIGN(len));
	if (data)
		memcpy(p, data, len);
	nh->nlmsg_len = at + len;
	return p;
}

static struct nlattr *attr_put(struct nlmsghdr *nh, int type,
			       const void *data, size_t len)
{
	struct nlattr *a = req_put(nh, NULL, NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	return a;
}

static void attr_u32(struct nlmsghdr *nh, int type, __u32 v)
{
	attr_put(nh, type, &v, sizeof(v));
}

static void attr_str(struct nlmsghdr *nh, int type, const char *s)
{
	attr_put(nh, type, s, strlen(s) + 1);
}

/* A nest spans everything appended until nest_end. */
static struct nlattr *nest_start(struct nlmsghdr *nh, int type)
{
	return attr_put(nh, type, NULL, 0);
}

static void nest_end(struct nlmsghdr *nh, struct nlattr *a)
{
	a->nla_len = (char *)nh + nh->nlmsg_len - (char *)a;
}

/*
 * Sends the request and reads the reply into r (the request is no longer
 * needed). Returns the reply; an NLMSG_ERROR reply's errno is in *err
 * (0 for an acknowledgement).
 */
static struct nlmsghdr *nl_talk(int fd, struct req *r, int *err)
{
	unsigned int seq = r->u.nh.nlmsg_seq;
	struct nlmsghdr *nh = &r->u.nh;
	ssize_t len;

	if (send(fd, nh, nh->nlmsg_len, 0) < 0)
		die("netlink send");
	len = recv(fd, r->u.buf, sizeof(r->u.buf), 0);
	if (len < 0)
		die("netlink recv");
	if (!NLMSG_OK(nh, (size_t)len) || nh->nlmsg_seq != seq) {
		errno = EPROTO;
		die("netlink reply");
	}
	*err = 0;
	if (nh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = NLMSG_DATA(nh);

		*err = -e->error;
	}
	return nh;
}

static void nl_do(int fd, struct req *r, const char *what)
{
	int err;

	nl_talk(fd, r, &err);
	if (err) {
		errno = err;
		die("%s", what);
	}
}

/* The nsid this namespace has for the one open at nsfd; -1 for none. */
static int get_nsid(int nl, int nsfd)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nlmsghdr *nh;
	struct nlattr *a;
	struct req r;
	int err, left;

	nh = req_start(&r, RTM_GETNSID, 0, &g, sizeof(g));
	attr_u32(nh, NETNSA_FD, nsfd);
	nh = nl_talk(nl, &r, &err);
	if (err) {
		errno = err;
		die("RTM_GETNSID");
	}
	left = nh->nlmsg_len - NLMSG_LENGTH(sizeof(g));
	a = (struct nlattr *)((char *)NLMSG_DATA(nh) + NLMSG_ALIGN(sizeof(g)));
	for (; left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= left;
	     left -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == NETNSA_NSID)
			return *(__s32 *)((char *)a + NLA_HDRLEN);
	}
	return -1;
}

static int cmd_list(void)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;
	int nl, fd, id;

	dir = opendir(RUN_DIR);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		die("opendir %s", RUN_DIR);
	}
	nl = nl_open();
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), RUN_DIR "/%s", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open %s", path);
		id = get_nsid(nl, fd);
		close(fd);
		if (id >= 0)
			printf("%s (id: %d)\n", e->d_name, id);
		else
			printf("%s\n", e->d_name);
	}
	closedir(dir);
	return 0;
}

static int cmd_identify(void)
{
	struct stat self, st;
	struct dirent *e;
	DIR *dir;

	if (stat("/proc/self/ns/net", &self) < 0)
		die("stat /proc/self/ns/net");
	dir = opendir(RUN_DIR);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		die("opendir %s", RUN_DIR);
	}
	while ((e = readdir(dir)))
		if (fstatat(dirfd(dir), e->d_name, &st, 0) == 0 &&
		    st.st_dev == self.st_dev && st.st_ino == self.st_ino)
			printf("%s\n", e->d_name);
	closedir(dir);
	return 0;
}

static int open_name(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), RUN_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open %s", path);
	return fd;
}

/* No /etc/netns files: the bench makes none, and they cost a readdir. */
static int cmd_exec(const char *name)
{
	int fd = open_name(name);

	if (setns(fd, CLONE_NEWNET) < 0)
		die("setns %s", name);
	if (unshare(CLONE_NEWNS) < 0)
		die("unshare");
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		die("make-rslave /");
	if (umount2("/sys", MNT_DETACH) < 0)
		die("umount /sys");
	if (mount(name, "/sys", "sysfs", 0, NULL) < 0)
		die("mount /sys");
	execl("/bin/true", "true", (char *)NULL);
	die("exec /bin/true");
	return 1;
}

static int cmd_setns(long n, const char *name)
{
	int target = open_name(name);
	int home = open_home();
	long i;

	for (i = 0; i < n; i++) {
		if (setns(target, CLONE_NEWNET) < 0)
			die("setns %s", name);
		go_home(home);
	}
	return 0;
}

static int cmd_setns_open(long n, const char *name)
{
	int target, home = open_home();
	long i;

	for (i = 0; i < n; i++) {
		target = open_name(name);
		if (setns(target, CLONE_NEWNET) < 0)
			die("setns %s", name);
		close(target);
		go_home(home);
	}
	return 0;
}

static int cmd_nsid(long n, const char *name)
{
	int target = open_name(name);
	int nl = nl_open();
	long i;

	for (i = 0; i < n; i++)
		get_nsid(nl, target);
	return 0;
}

/*
 * The workflow. Device indexes are chosen in the requests (lo is 1 in a
 * new namespace; br0 is 2 in the hub, port v<I> is 2 + I; eth0 is 2 in
 * each leaf), so no look-up is needed; each socket is opened inside its
 * namespace, which binds it there, so no switching is needed either.
 */
#define WF_HUB "w-hub"
#define WF_LEAF "w"

static void link_up(int nl, int index, const char *what)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = index,
		.ifi_flags = IFF_UP,
		.ifi_change = IFF_UP,
	};
	struct req r;

	req_start(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	nl_do(nl, &r, what);
}

static void make_bridge(int nl)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = 2,
		.ifi_flags = IFF_UP,
		.ifi_change = IFF_UP,
	};
	struct nlmsghdr *nh;
	struct nlattr *info;
	struct req r;

	nh = req_start(&r, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		       &ifi, sizeof(ifi));
	attr_str(nh, IFLA_IFNAME, "br0");
	info = nest_start(nh, IFLA_LINKINFO);
	attr_str(nh, IFLA_INFO_KIND, "bridge");
	nest_end(nh, info);
	nl_do(nl, &r, "create br0");
}

/*
 * One request: port v<i> in the hub, up and in br0, its peer eth0 sent
 * to the leaf open at leaf_fd. The peer cannot be brought up in the same
 * request: the kernel opens it before the pair is joined (ENOTCONN).
 */
static void make_veth(int hub_nl, long i, int leaf_fd)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = 2 + i,
		.ifi_flags = IFF_UP,
		.ifi_change = IFF_UP,
	};
	struct ifinfomsg peer_ifi = ifi;
	struct nlattr *info, *data, *peer;
	struct nlmsghdr *nh;
	char name[IFNAMSIZ];
	struct req r;

	peer_ifi.ifi_index = 2;
	peer_ifi.ifi_flags = 0;
	peer_ifi.ifi_change = 0;
	snprintf(name, sizeof(name), "v%ld", i);
	nh = req_start(&r, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		       &ifi, sizeof(ifi));
	attr_str(nh, IFLA_IFNAME, name);
	attr_u32(nh, IFLA_MASTER, 2);
	info = nest_start(nh, IFLA_LINKINFO);
	attr_str(nh, IFLA_INFO_KIND, "veth");
	data = nest_start(nh, IFLA_INFO_DATA);
	peer = nest_start(nh, VETH_INFO_PEER);
	req_put(nh, &peer_ifi, sizeof(peer_ifi));
	attr_str(nh, IFLA_IFNAME, "eth0");
	attr_u32(nh, IFLA_NET_NS_FD, leaf_fd);
	nest_end(nh, peer);
	nest_end(nh, data);
	nest_end(nh, info);
	nl_do(hub_nl, &r, name);
}

static void add_addr(int nl, int index, const char *cidr_addr)
{
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET,
		.ifa_prefixlen = 24,
		.ifa_index = index,
	};
	struct nlmsghdr *nh;
	struct in_addr a;
	struct req r;

	if (inet_pton(AF_INET, cidr_addr, &a) != 1) {
		errno = EINVAL;
		die("address %s", cidr_addr);
	}
	nh = req_start(&r, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		       &ifa, sizeof(ifa));
	attr_put(nh, IFA_LOCAL, &a, sizeof(a));
	nl_do(nl, &r, cidr_addr);
}

static int cmd_workflow(long n, int up, int down)
{
	char path[PATH_MAX], ip[INET_ADDRSTRLEN];
	int home, hub_nl, leaf_nl, leaf_fd;
	long i;

	/* 198.51.100.I and 203.0.113.I: the leaves must fit one octet. */
	if (n > 250)
		usage();
	if (!up)
		goto teardown;
	prepare_run_dir();
	home = open_home();
	new_named_netns(RUN_DIR "/" WF_HUB);
	hub_nl = nl_open();
	link_up(hub_nl, 1, "lo up in hub");
	make_bridge(hub_nl);
	go_home(home);
	for (i = 1; i <= n; i++) {
		name_path(path, sizeof(path), WF_LEAF, i);
		new_named_netns(path);
		/* Still inside the new leaf: both bind to it. */
		leaf_nl = nl_open();
		leaf_fd = open_home();
		link_up(leaf_nl, 1, "lo up");
		make_veth(hub_nl, i, leaf_fd);
		link_up(leaf_nl, 2, "eth0 up");
		snprintf(ip, sizeof(ip), "198.51.100.%ld", i);
		add_addr(leaf_nl, 2, ip);
		snprintf(ip, sizeof(ip), "203.0.113.%ld", i);
		add_addr(hub_nl, 2 + i, ip);
		close(leaf_fd);
		close(leaf_nl);
		go_home(home);
	}
	if (!down)
		return 0;
teardown:
	for (i = 1; i <= n; i++) {
		name_path(path, sizeof(path), WF_LEAF, i);
		remove_name(path);
	}
	remove_name(RUN_DIR "/" WF_HUB);
	return 0;
}

int main(int argc, char **argv)
{
	const char *prefix = argc > 3 ? argv[3] : "f";
	long first = argc > 4 ? count_arg(argv[4]) : 0;

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "list") && argc == 2)
		return cmd_list();
	if (!strcmp(argv[1], "identify") && argc == 2)
		return cmd_identify();
	if (!strcmp(argv[1], "exec") && argc == 3)
		return cmd_exec(argv[2]);
	if (argc < 3 || argc > 5)
		usage();
	if (!strcmp(argv[1], "add"))
		return cmd_add(count_arg(argv[2]), prefix, first);
	if (!strcmp(argv[1], "add-threads"))
		return cmd_add_threads(count_arg(argv[2]), prefix, first);
	if (!strcmp(argv[1], "delete"))
		return cmd_delete(count_arg(argv[2]), prefix, first);
	if (argc == 4 && !strcmp(argv[1], "setns"))
		return cmd_setns(count_arg(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "setns-open"))
		return cmd_setns_open(count_arg(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "nsid"))
		return cmd_nsid(count_arg(argv[2]), argv[3]);
	if (argc == 3 && !strcmp(argv[1], "workflow"))
		return cmd_workflow(count_arg(argv[2]), 1, 1);
	if (argc == 3 && !strcmp(argv[1], "workflow-up"))
		return cmd_workflow(count_arg(argv[2]), 1, 0);
	if (argc == 3 && !strcmp(argv[1], "workflow-down"))
		return cmd_workflow(count_arg(argv[2]), 0, 1);
	usage();
	return 2;
}
