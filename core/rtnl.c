// SPDX-License-Identifier: MIT
/*
 * netns.core.rtnl: rtnetlink through libmnl. For now the nsid messages:
 * RTM_GETNSID (one, by descriptor or by id, and the dump) and RTM_NEWNSID.
 * Errors carry the kernel's extended-ack text when it sends one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "core.h"

#include "rtnl.h"

#define SOCK_TYPE NC_RTNL_SOCK
#define RTNL_MSG_SIZE NC_RTNL_MSG_SIZE
#define RTNL_RECV_SIZE NC_RTNL_RECV_SIZE
#define rtnl_sock nc_rtnl_sock
#define rtnl_result nc_rtnl_result
#define sock_check nc_rtnl_check
#define sock_fail nc_rtnl_fail
#define transact nc_rtnl_transact

struct rtnl_sock *sock_check(lua_State *L, int idx)
{
	struct rtnl_sock *s = luaL_checkudata(L, idx, SOCK_TYPE);

	luaL_argcheck(L, s->nl != NULL, idx, "attempt to use a closed socket");
	return s;
}

/* nil, message, errno [, kernel text] */
int sock_fail(lua_State *L, const struct rtnl_result *res)
{
	luaL_pushfail(L);
	if (res->text[0])
		lua_pushstring(L, res->text);
	else
		lua_pushstring(L, strerror(res->err));
	lua_pushinteger(L, res->err);
	if (!res->text[0])
		return 3;
	lua_pushstring(L, res->text);
	return 4;
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct rtnl_result *res = data;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	strncpy(res->text, mnl_attr_get_str(attr), sizeof(res->text) - 1);
	return MNL_CB_OK;
}

/*
 * An error or done message: the errno is the negated int at the start of
 * the payload, and the extended-ack attributes follow what the kernel
 * echoed of our request.
 */
static void parse_error(const struct nlmsghdr *nlh, struct rtnl_result *res)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
		return;
	/* Not a negated errno: no kernel sends that, so it is garbage. */
	if (e->error > 0 || e->error == INT_MIN)
		res->err = EPROTO;
	else
		res->err = -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !res->err)
		return;
	if (nlh->nlmsg_type == NLMSG_DONE)
		off = sizeof(int);
	else if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return;
	else if (nlh->nlmsg_flags & NLM_F_CAPPED)
		off = sizeof(*e);
	else
		off = sizeof(int) + e->msg.nlmsg_len;
	if (mnl_nlmsg_size(off) > nlh->nlmsg_len)
		return;
	mnl_attr_parse(nlh, (unsigned int)off, extack_cb, res);
}

static int nsid_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= 0 || type > NETNSA_MAX)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

/* Append {nsid = N [, current = M]} to the list on top of the stack. */
static void push_nsid(lua_State *L, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NETNSA_MAX + 1] = { 0 };
	int32_t nsid = NETNSA_NSID_NOT_ASSIGNED;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtgenmsg))
		return;
	mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nsid_attr_cb, tb);
	if (tb[NETNSA_NSID])
		nsid = (int32_t)mnl_attr_get_u32(tb[NETNSA_NSID]);
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, nsid);
	lua_setfield(L, -2, "nsid");
	if (tb[NETNSA_CURRENT_NSID]) {
		lua_pushinteger(L,
			(int32_t)mnl_attr_get_u32(tb[NETNSA_CURRENT_NSID]));
		lua_setfield(L, -2, "current");
	}
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

/*
 * 1: finished, 0: read on, -1: failed. A data reply ends a request that
 * is neither a dump nor asked for an ack.
 */
static int handle_msg(lua_State *L, const struct nlmsghdr *nlh,
		      const struct nlmsghdr *req, nc_rtnl_cb cb,
		      struct rtnl_result *res)
{
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
	case NLMSG_DONE:
		parse_error(nlh, res);
		return res->err ? -1 : 1;
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		return 0;
	}
	if (cb)
		cb(L, nlh);
	if (req->nlmsg_flags & (NLM_F_DUMP | NLM_F_ACK))
		return 0;
	return 1;
}

/*
 * Send nlh and read the answer: cb appends each data message to the list
 * this pushes. Stray messages of other sequence numbers (from an earlier
 * request given up halfway) are skipped.
 */
int transact(lua_State *L, struct rtnl_sock *s, struct nlmsghdr *nlh,
	     nc_rtnl_cb cb, struct rtnl_result *res)
{
	char buf[RTNL_RECV_SIZE];
	int state = 0;

	memset(res, 0, sizeof(*res));
	lua_newtable(L);
	nlh->nlmsg_seq = ++s->seq;
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0) {
		res->err = errno;
		return -1;
	}
	while (state == 0) {
		ssize_t len = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
		const struct nlmsghdr *m = (const void *)buf;
		int left = (int)len;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			res->err = errno;
			return -1;
		}
		for (; state == 0 && nc_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq != s->seq)
				continue;
			state = handle_msg(L, m, nlh, cb, res);
		}
	}
	return state < 0 ? -1 : 0;
}

/*
 * "198.51.100.1/24" or "fd00::1/64"; without a length the prefix is the
 * whole address. 0, or -1 for an invalid address, -2 for an invalid
 * length: the callers raise, in their own words.
 */
int nc_parse_prefix(const char *s, struct nc_prefix *p)
{
	const char *slash = strchr(s, '/');
	char text[INET6_ADDRSTRLEN];
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	char *end;
	long len;

	memset(p, 0, sizeof(*p));
	if (n >= sizeof(text))
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	p->family = strchr(text, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(p->family, text, p->bytes) != 1)
		return -1;
	p->len = p->family == AF_INET ? 32 : 128;
	if (!slash)
		return 0;
	len = strtol(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end || len > p->len)
		return -2;
	p->len = (int)len;
	return 0;
}

/* The names of ip-address(8) for the usual scopes, else the number. */
void nc_rtnl_push_scope(lua_State *L, int scope)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		lua_pushliteral(L, "global");
		break;
	case RT_SCOPE_SITE:
		lua_pushliteral(L, "site");
		break;
	case RT_SCOPE_LINK:
		lua_pushliteral(L, "link");
		break;
	case RT_SCOPE_HOST:
		lua_pushliteral(L, "host");
		break;
	case RT_SCOPE_NOWHERE:
		lua_pushliteral(L, "nowhere");
		break;
	default:
		lua_pushinteger(L, scope);
	}
}

/* A name a device can have: a NUL would cut it short of what was asked. */
int nc_rtnl_ifname_ok(const char *name, size_t len)
{
	return len > 0 && len < IFNAMSIZ && strlen(name) == len;
}

/*
 * The index of the device called name in the socket's namespace, or 0
 * with res saying why there is none (ENODEV for no such device).
 * SIOCGIFINDEX on the socket itself looks the name up in the namespace
 * the socket belongs to, where if_nametoindex(3) would look in the
 * caller's; and, unlike an RTM_GETLINK, the kernel builds no message
 * about the whole device for it. Alternative names are found as well.
 */
int nc_rtnl_ifindex(lua_State *L, struct nc_rtnl_sock *s, const char *name,
		    struct nc_rtnl_result *res)
{
	struct ifreq ifr;

	(void)L;
	memset(&ifr, 0, sizeof(ifr));
	res->text[0] = '\0';
	/* the ioctl reads "eth0:1" as eth0; no device has a colon */
	if (strlen(name) >= sizeof(ifr.ifr_name) || strchr(name, ':')) {
		res->err = ENODEV;
		return 0;
	}
	strcpy(ifr.ifr_name, name);
	if (ioctl(mnl_socket_get_fd(s->nl), SIOCGIFINDEX, &ifr) < 0) {
		res->err = errno;
		return 0;
	}
	return ifr.ifr_ifindex;
}

/*
 * Whether the value at stack slot idx is a device nc_rtnl_ifindex_arg
 * takes without raising: for a value in a field of an argument, whose
 * complaint must name the argument, not the slot.
 */
int nc_rtnl_ifindex_ok(lua_State *L, int idx)
{
	const char *name;
	size_t len;

	if (lua_isinteger(L, idx))
		return lua_tointeger(L, idx) > 0 &&
		       lua_tointeger(L, idx) <= INT32_MAX;
	if (lua_type(L, idx) != LUA_TSTRING)
		return 0;
	name = lua_tolstring(L, idx, &len);
	return nc_rtnl_ifname_ok(name, len);
}

/*
 * The index of the device at stack slot idx, an index or a name (looked
 * up as nc_rtnl_ifindex does); raises on a value that is neither.
 */
int nc_rtnl_ifindex_arg(lua_State *L, struct nc_rtnl_sock *s, int idx,
			struct nc_rtnl_result *res)
{
	lua_Integer index;
	const char *name;
	size_t len;

	if (lua_isinteger(L, idx)) {
		index = lua_tointeger(L, idx);
		luaL_argcheck(L, index > 0 && index <= INT32_MAX, idx,
			      "invalid interface index");
		return (int)index;
	}
	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_typeerror(L, idx, "interface name or index");
	name = lua_tolstring(L, idx, &len);
	luaL_argcheck(L, nc_rtnl_ifname_ok(name, len), idx,
		      "invalid interface name");
	return nc_rtnl_ifindex(L, s, name, res);
}

static struct nlmsghdr *nsid_msg(char *buf, int type, int flags)
{
	struct nlmsghdr *nlh = nc_rtnl_header(buf);
	struct rtgenmsg *g;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	return nlh;
}

/*
 * rtnl.open() -> socket | nil, message, errno
 * A route netlink socket bound in the caller's current network namespace,
 * with extended acks and strict checking. See rtnetlink(7).
 */
static int rtnl_open(lua_State *L)
{
	struct rtnl_sock *s;
	char why[256];
	int one = 1;
	int err;

	if (nc_mnl_open(why, sizeof(why)) < 0) {
		err = errno;
		luaL_pushfail(L);
		lua_pushstring(L, why);
		lua_pushinteger(L, err);
		return 3;
	}
	s = lua_newuserdatauv(L, sizeof(*s), 0);
	memset(s, 0, sizeof(*s));
	luaL_setmetatable(L, SOCK_TYPE);
	s->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!s->nl)
		return nc_fail(L, errno);
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/* Older kernels lack either option; requests still work. */
	mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = (unsigned int)time(NULL);
	return 1;
fail:
	err = errno;
	mnl_socket_close(s->nl);
	s->nl = NULL;
	return nc_fail(L, err);
}

/*
 * sock:get_nsid(fd) -> nsid | nil, message, errno [, kernel text]
 * The id this namespace has for the one fd refers to, -1 when it has
 * none. Never assigns one.
 */
static int sock_get_nsid(lua_State *L)
{
	char buf[RTNL_MSG_SIZE];
	struct rtnl_sock *s = sock_check(L, 1);
	int fd = nc_checkfd(L, 2);
	struct nlmsghdr *nlh = nsid_msg(buf, RTM_GETNSID, 0);
	struct rtnl_result res;

	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	if (transact(L, s, nlh, push_nsid, &res) < 0)
		return sock_fail(L, &res);
	lua_geti(L, -1, 1);
	if (lua_isnil(L, -1)) {
		lua_pushinteger(L, NETNSA_NSID_NOT_ASSIGNED);
		return 1;
	}
	lua_getfield(L, -1, "nsid");
	return 1;
}

/*
 * The id this namespace has for the one fd refers to into the table on
 * top of the stack, as the field id; a refusal as msg, errno and, when
 * the kernel gives its words, ktext.
 */
static void set_entry_nsid(lua_State *L, struct rtnl_sock *s, int fd)
{
	char buf[RTNL_MSG_SIZE];
	struct nlmsghdr *nlh = nsid_msg(buf, RTM_GETNSID, 0);
	lua_Integer id = NETNSA_NSID_NOT_ASSIGNED;
	struct rtnl_result res;

	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	if (transact(L, s, nlh, push_nsid, &res) < 0) {
		lua_pop(L, 1);
		lua_pushstring(L, strerror(res.err));
		lua_setfield(L, -2, "msg");
		lua_pushinteger(L, res.err);
		lua_setfield(L, -2, "errno");
		if (res.text[0]) {
			lua_pushstring(L, res.text);
			lua_setfield(L, -2, "ktext");
		}
		return;
	}
	if (lua_geti(L, -1, 1) == LUA_TTABLE) {
		lua_getfield(L, -1, "nsid");
		id = lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
	lua_pushinteger(L, id);
	lua_setfield(L, -2, "id");
}

/*
 * sock:list(dir) -> {{name = S, id = N}, ...} | nil, message, errno
 * Every entry of dir but "." and "..", in directory order, with the id
 * this namespace has for the namespace the entry is (-1: none). An entry
 * that cannot be opened has no id; one the kernel refuses (not a
 * namespace) has msg, errno and ktext instead, as sock:get_nsid gives
 * them. One pass in C: netns list asks about every name.
 */
static int push_entry(lua_State *L, int dirfd, const char *name, void *ud)
{
	int fd;

	lua_createtable(L, 0, 2);
	lua_pushstring(L, name);
	lua_setfield(L, -2, "name");
	/* not blocking: a FIFO planted here fails instead of hanging */
	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		set_entry_nsid(L, ud, fd);
		close(fd);
	}
	return 1;
}

static int sock_list(lua_State *L)
{
	struct rtnl_sock *s = sock_check(L, 1);

	return nc_push_entries(L, luaL_checkstring(L, 2), push_entry, s);
}

/*
 * sock:set_nsid(fd, nsid) -> true | nil, message, errno [, kernel text]
 * Assigns nsid (-1: the kernel picks one) to the namespace fd refers to.
 */
static int sock_set_nsid(lua_State *L)
{
	char buf[RTNL_MSG_SIZE];
	struct rtnl_sock *s = sock_check(L, 1);
	int fd = nc_checkfd(L, 2);
	lua_Integer nsid = luaL_checkinteger(L, 3);
	struct nlmsghdr *nlh = nsid_msg(buf, RTM_NEWNSID, NLM_F_ACK);
	struct rtnl_result res;

	luaL_argcheck(L, nsid >= -1 && nsid <= INT32_MAX, 3,
		      "nsid out of range");
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)(int32_t)nsid);
	if (transact(L, s, nlh, push_nsid, &res) < 0)
		return sock_fail(L, &res);
	lua_pushboolean(L, 1);
	return 1;
}

static void put_target(lua_State *L, int idx, struct nlmsghdr *nlh)
{
	lua_Integer target;

	if (lua_isnoneornil(L, idx))
		return;
	target = luaL_checkinteger(L, idx);
	luaL_argcheck(L, target >= INT32_MIN && target <= INT32_MAX, idx,
		      "target nsid out of range");
	mnl_attr_put_u32(nlh, NETNSA_TARGET_NSID, (uint32_t)(int32_t)target);
}

/*
 * sock:nsid(nsid [, target]) -> {nsid = N [, current = M]}
 *                            | nil, message, errno [, kernel text]
 * One entry of the nsid table, of the namespace that has id target here
 * when target is given (current is then this namespace's id for it).
 */
static int sock_nsid(lua_State *L)
{
	char buf[RTNL_MSG_SIZE];
	struct rtnl_sock *s = sock_check(L, 1);
	lua_Integer nsid = luaL_checkinteger(L, 2);
	struct nlmsghdr *nlh = nsid_msg(buf, RTM_GETNSID, 0);
	struct rtnl_result res;

	luaL_argcheck(L, nsid >= INT32_MIN && nsid <= INT32_MAX, 2,
		      "nsid out of range");
	mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)(int32_t)nsid);
	put_target(L, 3, nlh);
	if (transact(L, s, nlh, push_nsid, &res) < 0)
		return sock_fail(L, &res);
	lua_geti(L, -1, 1);
	return 1;
}

/*
 * sock:dump_nsids([target]) -> {{nsid = N [, current = M]}, ...}
 *                           | nil, message, errno [, kernel text]
 * The whole nsid table, in the kernel's order.
 */
static int sock_dump_nsids(lua_State *L)
{
	char buf[RTNL_MSG_SIZE];
	struct rtnl_sock *s = sock_check(L, 1);
	struct nlmsghdr *nlh = nsid_msg(buf, RTM_GETNSID, NLM_F_DUMP);
	struct rtnl_result res;

	put_target(L, 2, nlh);
	if (transact(L, s, nlh, push_nsid, &res) < 0)
		return sock_fail(L, &res);
	return 1;
}

/*
 * rtnl.open_monitor() -> socket | nil, message, errno
 * A socket that receives the kernel's nsid notifications (the
 * RTNLGRP_NSID group), read with sock:events().
 */
static int rtnl_open_monitor(lua_State *L)
{
	struct rtnl_sock *s;
	int group = RTNLGRP_NSID;
	int err;

	if (rtnl_open(L) != 1)
		return 3;
	s = lua_touserdata(L, -1);
	if (mnl_socket_setsockopt(s->nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		err = errno;
		mnl_socket_close(s->nl);
		s->nl = NULL;
		return nc_fail(L, err);
	}
	return 1;
}

/*
 * sock:events() -> {{event = "new" | "del", nsid = N [, current = M]}, ...}
 *               | nil, message, errno
 * Blocks for the next datagram of notifications.
 */
static int sock_events(lua_State *L)
{
	char buf[RTNL_RECV_SIZE];
	struct rtnl_sock *s = sock_check(L, 1);
	const struct nlmsghdr *m = (const void *)buf;
	ssize_t len;
	int left;

	do
		len = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
	while (len < 0 && errno == EINTR);
	if (len < 0)
		return nc_fail(L, errno);
	lua_newtable(L);
	for (left = (int)len; nc_nlmsg_ok(m, left);
	     m = mnl_nlmsg_next(m, &left)) {
		if (m->nlmsg_type != RTM_NEWNSID && m->nlmsg_type != RTM_DELNSID)
			continue;
		push_nsid(L, m);
		lua_geti(L, -1, (lua_Integer)lua_rawlen(L, -1));
		lua_pushstring(L, m->nlmsg_type == RTM_NEWNSID ? "new" : "del");
		lua_setfield(L, -2, "event");
		lua_pop(L, 1);
	}
	return 1;
}

/* sock:fileno() -> integer, for fs.poll. */
static int sock_fileno(lua_State *L)
{
	lua_pushinteger(L, mnl_socket_get_fd(sock_check(L, 1)->nl));
	return 1;
}

/* sock:close() -> true. Closing twice does nothing. */
static int sock_close(lua_State *L)
{
	struct rtnl_sock *s = luaL_checkudata(L, 1, SOCK_TYPE);

	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
	lua_pushboolean(L, 1);
	return 1;
}

static int sock_tostring(lua_State *L)
{
	struct rtnl_sock *s = luaL_checkudata(L, 1, SOCK_TYPE);

	if (s->nl)
		lua_pushfstring(L, SOCK_TYPE " (%d)", mnl_socket_get_fd(s->nl));
	else
		lua_pushliteral(L, SOCK_TYPE " (closed)");
	return 1;
}

static const luaL_Reg sock_methods[] = {
	{ "close", sock_close },
	{ "dump_nsids", sock_dump_nsids },
	{ "events", sock_events },
	{ "fileno", sock_fileno },
	{ "get_nsid", sock_get_nsid },
	{ "list", sock_list },
	{ "nsid", sock_nsid },
	{ "set_nsid", sock_set_nsid },
	{ NULL, NULL }
};

static const luaL_Reg sock_meta[] = {
	{ "__close", sock_close },
	{ "__gc", sock_close },
	{ "__tostring", sock_tostring },
	{ NULL, NULL }
};

static const luaL_Reg rtnl_funcs[] = {
	{ "open", rtnl_open },
	{ "open_monitor", rtnl_open_monitor },
	{ NULL, NULL }
};

int luaopen_netns_core_rtnl(lua_State *L)
{
	nc_fdtype(L);
	if (luaL_newmetatable(L, SOCK_TYPE)) {
		luaL_setfuncs(L, sock_meta, 0);
		luaL_newlib(L, sock_methods);
		lua_setfield(L, -2, "__index");
	}
	lua_pop(L, 1);
	nc_newlib(L, rtnl_funcs, NULL);
	return 1;
}
