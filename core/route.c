// SPDX-License-Identifier: MIT
/*
 * netns.core.route: IPv4 and IPv6 unicast routes over rtnetlink
 * (RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE), in the namespace the socket
 * was opened in. Multipath routes are listed without their next hops.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "core.h"

#include "rtnl.h"

/* What a route.add or route.delete spec asks for. */
struct route_spec {
	struct nc_prefix dst;
	struct nc_prefix via;	/* family 0: no gateway */
	int oif;		/* 0: no device */
	int table;
	int metric;		/* -1: not given */
};

static const char *const route_keys[] = {
	"dev", "dst", "family", "metric", "table", "via", NULL
};

/* Names of rtnetlink(7) and ip-route(8), indexed by number. */
static const char *const type_names[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
	"blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"
};
static const char *const proto_names[] = {
	"unspec", "redirect", "kernel", "boot", "static"
};

/*
 * "203.0.113.0/24", "fd00:1::/64", an address alone (a host route) or
 * "default" (family 0 until the gateway or spec.family says). Raises on
 * anything else, naming the field of the spec at argument 2.
 */
static void parse_prefix(lua_State *L, const char *key, const char *s,
			 struct nc_prefix *p)
{
	if (!strcmp(s, "default")) {
		memset(p, 0, sizeof(*p));
		return;
	}
	if (nc_parse_prefix(s, p) < 0)
		luaL_argerror(L, 2, lua_pushfstring(L, "invalid %s '%s'", key, s));
}

/*
 * The index of the device at stack slot idx (spec.dev: an index or a
 * name) in the socket's namespace, or 0 with res saying why there is
 * none. The same lookup as in link.c: an RTM_GETLINK for the name.
 */
static int ifindex_of(lua_State *L, struct nc_rtnl_sock *s, int idx,
		      struct nc_rtnl_result *res)
{
	lua_Integer index;
	const char *name;
	size_t len;

	if (lua_isinteger(L, idx)) {
		index = lua_tointeger(L, idx);
		luaL_argcheck(L, index > 0 && index <= INT32_MAX, 2,
			      "invalid interface index in field 'dev'");
		return (int)index;
	}
	luaL_argcheck(L, lua_type(L, idx) == LUA_TSTRING, 2,
		      "field 'dev' must be a name or an index");
	name = lua_tolstring(L, idx, &len);
	luaL_argcheck(L, nc_rtnl_ifname_ok(name, len), 2,
		      "invalid interface name in field 'dev'");
	return nc_rtnl_ifindex(L, s, name, res);
}

static const char *field_str(lua_State *L, int idx, const char *key)
{
	int t = nc_rawfield(L, idx, key);
	const char *s = lua_tostring(L, -1);

	if (t != LUA_TNIL && t != LUA_TSTRING)
		luaL_argerror(L, idx, lua_pushfstring(L,
			"field '%s' must be a string", key));
	lua_pop(L, 1);
	return s;
}

static int field_int(lua_State *L, int idx, const char *key, int dflt)
{
	lua_Integer v = dflt;

	if (nc_rawfield(L, idx, key) != LUA_TNIL) {
		if (!lua_isinteger(L, -1))
			luaL_argerror(L, idx, lua_pushfstring(L,
				"field '%s' must be an integer", key));
		v = lua_tointeger(L, -1);
		if (v < 0 || v > INT32_MAX)
			luaL_argerror(L, idx, lua_pushfstring(L,
				"field '%s' out of range", key));
	}
	lua_pop(L, 1);
	return (int)v;
}

/* dst, via and family must agree; "default" takes the others' family. */
static void spec_family(lua_State *L, struct route_spec *r)
{
	const char *fam = field_str(L, 2, "family");
	int want = 0;

	if (fam && !strcmp(fam, "inet"))
		want = AF_INET;
	else if (fam && !strcmp(fam, "inet6"))
		want = AF_INET6;
	else if (fam)
		luaL_argerror(L, 2, "field 'family' must be inet or inet6");
	if (!want)
		want = r->dst.family ? r->dst.family : r->via.family;
	if (!want)
		want = AF_INET;
	if ((r->dst.family && r->dst.family != want) ||
	    (r->via.family && r->via.family != want))
		luaL_argerror(L, 2, "dst, via and family disagree");
	r->dst.family = want;
}

/*
 * The table at slot 2 into r; the device's index, when given by name, is
 * looked up. 0, or -1 with res saying why the device is unknown.
 */
static int parse_spec(lua_State *L, struct nc_rtnl_sock *s,
		      struct route_spec *r, struct nc_rtnl_result *res)
{
	const char *dst, *via;

	luaL_checktype(L, 2, LUA_TTABLE);
	nc_checkkeys(L, 2, route_keys);
	memset(r, 0, sizeof(*r));
	dst = field_str(L, 2, "dst");
	luaL_argcheck(L, dst != NULL, 2, "field 'dst' missing");
	parse_prefix(L, "dst", dst, &r->dst);
	via = field_str(L, 2, "via");
	if (via)
		parse_prefix(L, "via", via, &r->via);
	luaL_argcheck(L, !via || (r->via.family && !strchr(via, '/')), 2,
		      "field 'via' must be an address");
	spec_family(L, r);
	r->table = field_int(L, 2, "table", RT_TABLE_MAIN);
	r->metric = field_int(L, 2, "metric", -1);
	if (nc_rawfield(L, 2, "dev") != LUA_TNIL)
		r->oif = ifindex_of(L, s, lua_gettop(L), res);
	else
		r->oif = -1;
	lua_pop(L, 1);
	return r->oif == 0 ? -1 : 0;
}

static void put_route(struct nlmsghdr *nlh, const struct route_spec *r)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	size_t size = r->dst.family == AF_INET ? 4 : 16;

	rtm->rtm_family = (unsigned char)r->dst.family;
	rtm->rtm_dst_len = (unsigned char)r->dst.len;
	/* Tables past 255 only fit in RTA_TABLE. */
	rtm->rtm_table = r->table < 256 ? (unsigned char)r->table :
		RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, RTA_TABLE, (uint32_t)r->table);
	if (r->dst.len)
		mnl_attr_put(nlh, RTA_DST, size, r->dst.bytes);
	if (r->via.family)
		mnl_attr_put(nlh, RTA_GATEWAY, size, r->via.bytes);
	if (r->oif > 0)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->oif);
	if (r->metric >= 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, (uint32_t)r->metric);
}

static struct nlmsghdr *route_msg(char *buf, int type, int flags)
{
	struct nlmsghdr *nlh = nc_rtnl_header(buf);

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg));
	return nlh;
}

/*
 * route.add(sock, spec) -> true | nil, message, errno [, kernel text]
 * spec: {dst = "default" | "203.0.113.0/24" | "fd00:1::/64", via = S,
 * dev = name | index, table = N (main), metric = N, family = "inet" |
 * "inet6" (for "default" without via; else inet)}. A unicast route of
 * protocol boot, as ip-route(8) adds, with scope link when it has no
 * gateway. See rtnetlink(7).
 */
static int route_add(lua_State *L)
{
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nlmsghdr *nlh = route_msg(buf, RTM_NEWROUTE,
					 NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nc_rtnl_result res;
	struct route_spec r;

	if (parse_spec(L, s, &r, &res) < 0)
		return nc_rtnl_fail(L, &res);
	put_route(nlh, &r);
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	if (r.dst.family == AF_INET && !r.via.family)
		rtm->rtm_scope = RT_SCOPE_LINK;
	if (nc_rtnl_transact(L, s, nlh, NULL, &res) < 0)
		return nc_rtnl_fail(L, &res);
	lua_pushboolean(L, 1);
	return 1;
}

/*
 * route.delete(sock, spec) -> true | nil, message, errno [, kernel text]
 * The same spec as route.add; the first unicast route of the table that
 * matches what spec gives, of any protocol and scope. See rtnetlink(7).
 */
static int route_delete(lua_State *L)
{
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nlmsghdr *nlh = route_msg(buf, RTM_DELROUTE, NLM_F_ACK);
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nc_rtnl_result res;
	struct route_spec r;

	if (parse_spec(L, s, &r, &res) < 0)
		return nc_rtnl_fail(L, &res);
	put_route(nlh, &r);
	rtm->rtm_type = RTN_UNICAST;
	/* Scope nowhere and protocol 0 match any. */
	rtm->rtm_scope = RT_SCOPE_NOWHERE;
	if (nc_rtnl_transact(L, s, nlh, NULL, &res) < 0)
		return nc_rtnl_fail(L, &res);
	lua_pushboolean(L, 1);
	return 1;
}

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type > 0 && type <= RTA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void set_name(lua_State *L, const char *key, unsigned int v,
		     const char *const names[], size_t n)
{
	if (v < n)
		lua_pushstring(L, names[v]);
	else
		lua_pushinteger(L, v);
	lua_setfield(L, -2, key);
}

static void set_scope(lua_State *L, unsigned int scope)
{
	nc_rtnl_push_scope(L, (int)scope);
	lua_setfield(L, -2, "scope");
}

/* An address attribute as text; with len >= 0, "address/len". */
static void set_addr(lua_State *L, const char *key, const struct nlattr *a,
		     int family, int len)
{
	char text[INET6_ADDRSTRLEN];
	size_t want = family == AF_INET ? 4 : 16;

	if (!a || mnl_attr_get_payload_len(a) != want)
		return;
	if (!inet_ntop(family, mnl_attr_get_payload(a), text, sizeof(text)))
		return;
	if (len >= 0)
		lua_pushfstring(L, "%s/%d", text, len);
	else
		lua_pushstring(L, text);
	lua_setfield(L, -2, key);
}

static void set_u32(lua_State *L, const struct nlattr *a, const char *key)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return;
	lua_pushinteger(L, (lua_Integer)mnl_attr_get_u32(a));
	lua_setfield(L, -2, key);
}

/* Append one IPv4 or IPv6 route to the list on top of the stack. */
static void push_route(lua_State *L, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	int family;

	/* A reply too short for its header is not the kernel's; skip it. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return;
	family = rtm->rtm_family;
	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    (family != AF_INET && family != AF_INET6))
		return;
	mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb);
	lua_createtable(L, 0, 10);
	lua_pushstring(L, family == AF_INET ? "inet" : "inet6");
	lua_setfield(L, -2, "family");
	if (rtm->rtm_dst_len == 0)
		lua_pushliteral(L, "default");
	else
		lua_pushnil(L);
	lua_setfield(L, -2, "dst");
	if (rtm->rtm_dst_len)
		set_addr(L, "dst", tb[RTA_DST], family, rtm->rtm_dst_len);
	set_addr(L, "via", tb[RTA_GATEWAY], family, -1);
	set_addr(L, "prefsrc", tb[RTA_PREFSRC], family, -1);
	set_u32(L, tb[RTA_OIF], "dev");
	lua_pushinteger(L, rtm->rtm_table);
	lua_setfield(L, -2, "table");
	set_u32(L, tb[RTA_TABLE], "table");
	set_u32(L, tb[RTA_PRIORITY], "metric");
	set_name(L, "protocol", rtm->rtm_protocol, proto_names,
		 sizeof(proto_names) / sizeof(proto_names[0]));
	set_scope(L, rtm->rtm_scope);
	set_name(L, "type", rtm->rtm_type, type_names,
		 sizeof(type_names) / sizeof(type_names[0]));
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

/*
 * route.list(sock [, family]) -> {{family = S, dst = "default" | S,
 * via = S, dev = N, table = N, metric = N, prefsrc = S, protocol = S,
 * scope = S, type = S}, ...} | nil, message, errno [, kernel text]
 * The routes of every table; family "inet" or "inet6" keeps one family.
 * See rtnetlink(7).
 */
static int route_list(lua_State *L)
{
	static const char *const families[] = { "inet", "inet6", NULL };
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nlmsghdr *nlh = route_msg(buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nc_rtnl_result res;

	if (!lua_isnoneornil(L, 2))
		rtm->rtm_family = luaL_checkoption(L, 2, NULL, families) ?
			AF_INET6 : AF_INET;
	if (nc_rtnl_transact(L, s, nlh, push_route, &res) < 0)
		return nc_rtnl_fail(L, &res);
	return 1;
}

static const luaL_Reg route_funcs[] = {
	{ "add", route_add },
	{ "delete", route_delete },
	{ "list", route_list },
	{ NULL, NULL }
};

int luaopen_netns_core_route(lua_State *L)
{
	nc_newlib(L, route_funcs, NULL);
	return 1;
}
