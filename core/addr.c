// SPDX-License-Identifier: MIT
/*
 * netns.core.addr: IPv4 and IPv6 addresses of network devices over
 * rtnetlink (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR), in the namespace the
 * socket was opened in.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "core.h"

#include "rtnl.h"

static const struct {
	unsigned int bit;
	const char *name;
} flag_names[] = {
	{ IFA_F_SECONDARY, "secondary" }, { IFA_F_NODAD, "nodad" },
	{ IFA_F_OPTIMISTIC, "optimistic" }, { IFA_F_DADFAILED, "dadfailed" },
	{ IFA_F_HOMEADDRESS, "homeaddress" },
	{ IFA_F_DEPRECATED, "deprecated" }, { IFA_F_TENTATIVE, "tentative" },
	{ IFA_F_PERMANENT, "permanent" },
	{ IFA_F_MANAGETEMPADDR, "mngtmpaddr" },
	{ IFA_F_NOPREFIXROUTE, "noprefixroute" },
	{ IFA_F_MCAUTOJOIN, "autojoin" },
	{ IFA_F_STABLE_PRIVACY, "stable-privacy" },
};

/*
 * "198.51.100.1/24" or "fd00::1/64" at stack slot idx; without a length
 * the prefix is the whole address. Anything else raises.
 */
static void check_prefix(lua_State *L, int idx, struct nc_prefix *p)
{
	int ret = nc_parse_prefix(luaL_checkstring(L, idx), p);

	luaL_argcheck(L, ret != -1, idx, "invalid address");
	luaL_argcheck(L, ret != -2, idx, "invalid prefix length");
}

static struct nlmsghdr *addr_msg(char *buf, int type, int flags)
{
	struct nlmsghdr *nlh = nc_rtnl_header(buf);

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifaddrmsg));
	return nlh;
}

/*
 * RTM_NEWADDR or RTM_DELADDR for the address at slot 3 on the device at
 * slot 2. IPv4 has the local address and the peer one (IFA_ADDRESS),
 * the same when there is no peer; IPv6 only IFA_ADDRESS.
 */
static int change(lua_State *L, int type, int flags)
{
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nlmsghdr *nlh = addr_msg(buf, type, NLM_F_ACK | flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct nc_rtnl_result res;
	struct nc_prefix p;
	size_t size;
	int index;

	check_prefix(L, 3, &p);
	lua_settop(L, 3);
	index = nc_rtnl_ifindex_arg(L, s, 2, &res);
	if (!index)
		return nc_rtnl_fail(L, &res);
	ifa->ifa_family = (unsigned char)p.family;
	ifa->ifa_prefixlen = (unsigned char)p.len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned int)index;
	size = p.family == AF_INET ? 4 : 16;
	if (p.family == AF_INET)
		mnl_attr_put(nlh, IFA_LOCAL, size, p.bytes);
	mnl_attr_put(nlh, IFA_ADDRESS, size, p.bytes);
	if (nc_rtnl_transact(L, s, nlh, NULL, &res) < 0)
		return nc_rtnl_fail(L, &res);
	lua_pushboolean(L, 1);
	return 1;
}

/*
 * addr.add(sock, link, address) -> true | nil, message, errno [, text]
 * link: a name or an index; address: "198.51.100.1/24", "fd00::1/64"
 * (no length: /32 or /128). Scope global. See rtnetlink(7).
 */
static int addr_add(lua_State *L)
{
	return change(L, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
}

/*
 * addr.delete(sock, link, address) -> true | nil, message, errno [, text]
 * The same arguments as addr.add. See rtnetlink(7).
 */
static int addr_delete(lua_State *L)
{
	return change(L, RTM_DELADDR, 0);
}

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type > 0 && type <= IFA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void set_address(lua_State *L, const struct nlattr *a, int family)
{
	char text[INET6_ADDRSTRLEN];
	size_t want = family == AF_INET ? 4 : 16;

	if (mnl_attr_get_payload_len(a) != want)
		return;
	if (!inet_ntop(family, mnl_attr_get_payload(a), text, sizeof(text)))
		return;
	lua_pushstring(L, text);
	lua_setfield(L, -2, "address");
}

static void set_flags(lua_State *L, unsigned int flags)
{
	size_t i;
	int n = 0;

	lua_newtable(L);
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		lua_pushstring(L, flag_names[i].name);
		lua_rawseti(L, -2, ++n);
	}
	lua_setfield(L, -2, "flags");
}

/*
 * Append one IPv4 or IPv6 address to the list on top of the stack.
 * The socket checks requests strictly, so the kernel itself keeps to the
 * device the dump request names.
 */
static void push_addr(lua_State *L, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	unsigned int flags;

	/* A reply too short for its header is not the kernel's; skip it. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return;
	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return;
	flags = ifa->ifa_flags;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a)
		return;
	lua_createtable(L, 0, 7);
	lua_pushinteger(L, ifa->ifa_index);
	lua_setfield(L, -2, "index");
	lua_pushstring(L, ifa->ifa_family == AF_INET ? "inet" : "inet6");
	lua_setfield(L, -2, "family");
	set_address(L, a, ifa->ifa_family);
	lua_pushinteger(L, ifa->ifa_prefixlen);
	lua_setfield(L, -2, "prefixlen");
	nc_rtnl_push_scope(L, ifa->ifa_scope);
	lua_setfield(L, -2, "scope");
	if (tb[IFA_LABEL] &&
	    mnl_attr_validate(tb[IFA_LABEL], MNL_TYPE_NUL_STRING) >= 0) {
		lua_pushstring(L, mnl_attr_get_str(tb[IFA_LABEL]));
		lua_setfield(L, -2, "label");
	}
	a = tb[IFA_FLAGS];
	if (a && mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
		flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
	set_flags(L, flags);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

/*
 * addr.list(sock [, link]) -> {{index = N, family = "inet" | "inet6",
 * address = S, prefixlen = N, scope = S, label = S, flags = {S, ...}},
 * ...} | nil, message, errno [, kernel text]
 * The addresses of every device, or of link (a name or an index).
 * See rtnetlink(7).
 */
static int addr_list(lua_State *L)
{
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nlmsghdr *nlh = addr_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct nc_rtnl_result res;
	int index = 0;

	lua_settop(L, 2);
	if (!lua_isnil(L, 2)) {
		index = nc_rtnl_ifindex_arg(L, s, 2, &res);
		if (!index)
			return nc_rtnl_fail(L, &res);
	}
	ifa->ifa_family = AF_UNSPEC;
	ifa->ifa_index = (unsigned int)index;
	if (nc_rtnl_transact(L, s, nlh, push_addr, &res) < 0)
		return nc_rtnl_fail(L, &res);
	return 1;
}

static const luaL_Reg addr_funcs[] = {
	{ "add", addr_add },
	{ "delete", addr_delete },
	{ "list", addr_list },
	{ NULL, NULL }
};

int luaopen_netns_core_addr(lua_State *L)
{
	nc_newlib(L, addr_funcs, NULL);
	return 1;
}
