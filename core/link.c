// SPDX-License-Identifier: MIT
/*
 * netns.core.link: network devices over rtnetlink. RTM_NEWLINK makes veth
 * pairs, bridges and dummies (in the socket's namespace or straight in
 * another), RTM_SETLINK changes, renames and moves them, RTM_DELLINK
 * removes them and RTM_GETLINK lists them. Every call acts in the
 * namespace the socket was opened in.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "core.h"

#include "rtnl.h"

#define MAC_MAX 32

/* What an option table of link.add or link.set asks for. */
struct link_spec {
	const char *name;
	const char *peer;
	const char *kind;
	int mtu;		/* -1: not given */
	int up;			/* -1: not given, else 0 or 1 */
	int netns;		/* descriptor, -1: not given */
	int peer_netns;
	int netns_pid;		/* 0: not given */
	int master;		/* -1: not given, 0: none */
	unsigned char mac[MAC_MAX];
	size_t maclen;
};

static const char *const add_keys[] = {
	"address", "kind", "master", "mtu", "name", "netns", "peer",
	"peer_netns", "up", NULL
};
static const char *const set_keys[] = {
	"address", "master", "mtu", "name", "netns", "netns_pid", "up", NULL
};
static const char *const kinds[] = { "bridge", "dummy", "veth", NULL };

static const struct {
	unsigned int bit;
	const char *name;
} flag_names[] = {
	{ IFF_UP, "UP" }, { IFF_BROADCAST, "BROADCAST" },
	{ IFF_DEBUG, "DEBUG" }, { IFF_LOOPBACK, "LOOPBACK" },
	{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_NOTRAILERS, "NOTRAILERS" },
	{ IFF_RUNNING, "RUNNING" }, { IFF_NOARP, "NOARP" },
	{ IFF_PROMISC, "PROMISC" }, { IFF_ALLMULTI, "ALLMULTI" },
	{ IFF_MASTER, "MASTER" }, { IFF_SLAVE, "SLAVE" },
	{ IFF_MULTICAST, "MULTICAST" }, { IFF_PORTSEL, "PORTSEL" },
	{ IFF_AUTOMEDIA, "AUTOMEDIA" }, { IFF_DYNAMIC, "DYNAMIC" },
	{ IFF_LOWER_UP, "LOWER_UP" }, { IFF_DORMANT, "DORMANT" },
	{ IFF_ECHO, "ECHO" },
};

/* Indexed by IF_OPER_*, RFC 2863. */
static const char *const operstates[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
	"DORMANT", "UP"
};

/*
 * The value of field key of the table at idx is pushed; 0 when it is nil.
 * A wrong type raises, naming the field.
 */
static int field(lua_State *L, int idx, const char *key, int type,
		 const char *want)
{
	int t = nc_rawfield(L, idx, key);

	if (t == LUA_TNIL)
		return 0;
	if (t != type || (type == LUA_TNUMBER && !lua_isinteger(L, -1)))
		luaL_argerror(L, idx, lua_pushfstring(L,
			"field '%s' must be %s", key, want));
	return 1;
}

/* The table holds the string, so the pointer outlives the pop. */
static const char *field_str(lua_State *L, int idx, const char *key,
			     size_t max)
{
	const char *s = NULL;
	size_t len;

	if (field(L, idx, key, LUA_TSTRING, "a string")) {
		s = lua_tolstring(L, -1, &len);
		if (len == 0 || len >= max || strlen(s) != len)
			luaL_argerror(L, idx, lua_pushfstring(L,
				"invalid %s '%s'", key, s));
	}
	lua_pop(L, 1);
	return s;
}

static int field_int(lua_State *L, int idx, const char *key, int dflt)
{
	lua_Integer v = dflt;

	if (field(L, idx, key, LUA_TNUMBER, "an integer")) {
		v = lua_tointeger(L, -1);
		if (v < 0 || v > INT32_MAX)
			luaL_argerror(L, idx, lua_pushfstring(L,
				"field '%s' out of range", key));
	}
	lua_pop(L, 1);
	return (int)v;
}

/* A netns.fd handle or an integer descriptor. */
static int field_fd(lua_State *L, int idx, const char *key)
{
	const int *slot;
	int fd = -1;

	if (nc_rawfield(L, idx, key) == LUA_TNIL) {
		lua_pop(L, 1);
		return -1;
	}
	if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0 &&
	    lua_tointeger(L, -1) <= INT32_MAX) {
		fd = (int)lua_tointeger(L, -1);
	} else {
		slot = luaL_testudata(L, -1, NC_FD_TYPE);
		if (!slot || *slot < 0)
			luaL_argerror(L, idx, lua_pushfstring(L,
				"field '%s' must be an open descriptor", key));
		fd = *slot;
	}
	lua_pop(L, 1);
	return fd;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "aa:bb:cc:dd:ee:ff" into spec->mac; any other text raises. */
static void field_mac(lua_State *L, int idx, struct link_spec *spec)
{
	const char *s;
	int hi, lo;

	if (!field(L, idx, "address", LUA_TSTRING, "a string")) {
		lua_pop(L, 1);
		return;
	}
	s = lua_tostring(L, -1);
	for (;;) {
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0 || spec->maclen == MAC_MAX)
			break;
		spec->mac[spec->maclen++] = (unsigned char)(hi << 4 | lo);
		s += 2;
		if (*s != ':')
			break;
		s++;
	}
	if (*s || spec->maclen == 0)
		luaL_argerror(L, idx, lua_pushfstring(L,
			"invalid address '%s'", lua_tostring(L, -1)));
	lua_pop(L, 1);
}

static void parse_spec(lua_State *L, int idx, struct link_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->name = field_str(L, idx, "name", IFNAMSIZ);
	spec->mtu = field_int(L, idx, "mtu", -1);
	spec->netns = field_fd(L, idx, "netns");
	field_mac(L, idx, spec);
	spec->peer_netns = -1;
	spec->master = -1;
	spec->up = -1;
	if (field(L, idx, "up", LUA_TBOOLEAN, "a boolean"))
		spec->up = lua_toboolean(L, -1);
	lua_pop(L, 1);
}

/* spec.kind, one of kinds. */
static const char *field_kind(lua_State *L, int idx)
{
	const char *const *k;
	const char *kind;

	if (!field(L, idx, "kind", LUA_TSTRING, "a string"))
		luaL_argerror(L, idx, "field 'kind' missing");
	kind = lua_tostring(L, -1);
	for (k = kinds; *k; k++)
		if (!strcmp(*k, kind))
			break;
	if (!*k)
		luaL_argerror(L, idx, lua_pushfstring(L,
			"unknown link kind '%s'", kind));
	lua_pop(L, 1);
	return *k;
}

static struct nlmsghdr *link_msg(char *buf, int type, int flags, int index)
{
	struct nlmsghdr *nlh = nc_rtnl_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	return nlh;
}

/* The attributes link.add and link.set share. */
static void put_spec(struct nlmsghdr *nlh, const struct link_spec *spec)
{
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (spec->name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, spec->name);
	if (spec->mtu >= 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)spec->mtu);
	if (spec->netns >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)spec->netns);
	if (spec->netns_pid > 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_PID,
				 (uint32_t)spec->netns_pid);
	if (spec->maclen)
		mnl_attr_put(nlh, IFLA_ADDRESS, spec->maclen, spec->mac);
	if (spec->master >= 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)spec->master);
	if (spec->up >= 0) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = spec->up ? IFF_UP : 0;
	}
}

/*
 * IFLA_LINKINFO: the kind and, for a veth, the peer as a message of its
 * own (an ifinfomsg and attributes) inside VETH_INFO_PEER. The peer gets
 * the same mtu but stays down: the kernel sets its flags before the two
 * ends are joined, and a veth without a peer refuses to open (ENOTCONN).
 */
static void put_linkinfo(struct nlmsghdr *nlh, const struct link_spec *spec)
{
	struct nlattr *info, *data, *peer;
	struct ifinfomsg *pifi;

	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, spec->kind);
	if (!strcmp(spec->kind, "veth")) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
		pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
		pifi->ifi_family = AF_UNSPEC;
		if (spec->peer)
			mnl_attr_put_strz(nlh, IFLA_IFNAME, spec->peer);
		if (spec->peer_netns >= 0)
			mnl_attr_put_u32(nlh, IFLA_NET_NS_FD,
					 (uint32_t)spec->peer_netns);
		if (spec->mtu >= 0)
			mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)spec->mtu);
		mnl_attr_nest_end(nlh, peer);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, info);
}

/*
 * The master field of the table at idx into spec->master: an index, a
 * name, or false or 0 for none. -1 with res saying why when the name is
 * unknown.
 */
static int master_of(lua_State *L, int idx, struct nc_rtnl_sock *s,
		     struct link_spec *spec, struct nc_rtnl_result *res)
{
	int t = nc_rawfield(L, idx, "master");
	int ret = 0;

	if ((t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) ||
	    (lua_isinteger(L, -1) && lua_tointeger(L, -1) == 0)) {
		spec->master = 0;
	} else if (nc_rtnl_ifindex_ok(L, -1)) {
		spec->master = nc_rtnl_ifindex_arg(L, s, lua_gettop(L),
						   res);
		ret = spec->master ? 0 : -1;
	} else if (t != LUA_TNIL) {
		luaL_argerror(L, idx, "field 'master' must be a name, an index"
			      " or false");
	}
	lua_pop(L, 1);
	return ret;
}

/*
 * link.add(sock, spec) -> true | nil, message, errno [, kernel text]
 * spec: {name = S, kind = "veth" | "dummy" | "bridge", peer = S,
 * peer_netns = fd, netns = fd, mtu = N, address = "aa:bb:..", up = B,
 * master = name | index}. netns makes the device straight in that
 * namespace; master makes it a port of that bridge from the start; peer
 * and peer_netns (veth only) name the other end and where it goes. up,
 * address and master are for this end only, mtu for both. See
 * rtnetlink(7), veth(4).
 */
static int link_add(lua_State *L)
{
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nlmsghdr *nlh;
	struct nc_rtnl_result res;
	struct link_spec spec;

	luaL_checktype(L, 2, LUA_TTABLE);
	nc_checkkeys(L, 2, add_keys);
	parse_spec(L, 2, &spec);
	luaL_argcheck(L, spec.name != NULL, 2, "field 'name' missing");
	spec.kind = field_kind(L, 2);
	spec.peer = field_str(L, 2, "peer", IFNAMSIZ);
	spec.peer_netns = field_fd(L, 2, "peer_netns");
	luaL_argcheck(L, strcmp(spec.kind, "veth") == 0 ||
		      (!spec.peer && spec.peer_netns < 0), 2,
		      "peer and peer_netns are for veth links only");
	if (master_of(L, 2, s, &spec, &res) < 0)
		return nc_rtnl_fail(L, &res);
	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
		       0);
	put_spec(nlh, &spec);
	put_linkinfo(nlh, &spec);
	if (nc_rtnl_transact(L, s, nlh, NULL, &res) < 0)
		return nc_rtnl_fail(L, &res);
	lua_pushboolean(L, 1);
	return 1;
}

/*
 * link.delete(sock, link) -> true | nil, message, errno [, kernel text]
 * link: a name or an index. Deleting one end of a veth pair deletes both.
 * See rtnetlink(7).
 */
static int link_delete(lua_State *L)
{
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nc_rtnl_result res;
	int index = nc_rtnl_ifindex_arg(L, s, 2, &res);

	if (!index)
		return nc_rtnl_fail(L, &res);
	if (nc_rtnl_transact(L, s, link_msg(buf, RTM_DELLINK, NLM_F_ACK, index),
			     NULL, &res) < 0)
		return nc_rtnl_fail(L, &res);
	lua_pushboolean(L, 1);
	return 1;
}

/*
 * The name of the device at stack slot idx when the request can carry it
 * (IFLA_IFNAME with index 0) instead of a look-up first: the kernel finds
 * the device the same way, and answers ENODEV for an unknown name just as
 * the look-up does. Not for a rename, where IFLA_IFNAME is the new name.
 */
static const char *by_name(lua_State *L, int idx, const struct link_spec *spec)
{
	size_t len;
	const char *name;

	if (lua_type(L, idx) != LUA_TSTRING || spec->name)
		return NULL;
	name = lua_tolstring(L, idx, &len);
	luaL_argcheck(L, nc_rtnl_ifname_ok(name, len), idx,
		      "invalid interface name");
	return name;
}

/*
 * link.set(sock, link, changes) -> true | nil, message, errno [, text]
 * changes: {up = B, master = name | index | false, netns = fd,
 * netns_pid = N, name = S, mtu = N, address = "aa:bb:.."}. A move to
 * another namespace takes the device down there. See rtnetlink(7).
 */
static int link_set(lua_State *L)
{
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nc_rtnl_result res;
	struct link_spec spec;
	struct nlmsghdr *nlh;
	const char *name;
	int index;

	luaL_checktype(L, 3, LUA_TTABLE);
	nc_checkkeys(L, 3, set_keys);
	parse_spec(L, 3, &spec);
	spec.netns_pid = field_int(L, 3, "netns_pid", 0);
	name = by_name(L, 2, &spec);
	index = name ? 0 : nc_rtnl_ifindex_arg(L, s, 2, &res);
	if ((!name && !index) || master_of(L, 3, s, &spec, &res) < 0)
		return nc_rtnl_fail(L, &res);
	nlh = link_msg(buf, RTM_SETLINK, NLM_F_ACK, index);
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	put_spec(nlh, &spec);
	if (nc_rtnl_transact(L, s, nlh, NULL, &res) < 0)
		return nc_rtnl_fail(L, &res);
	lua_pushboolean(L, 1);
	return 1;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type > 0 && type <= IFLA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int info_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type > 0 && type <= IFLA_INFO_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void set_u32(lua_State *L, const struct nlattr *a, const char *key)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return;
	lua_pushinteger(L, (lua_Integer)mnl_attr_get_u32(a));
	lua_setfield(L, -2, key);
}

static void set_str(lua_State *L, const struct nlattr *a, const char *key)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return;
	lua_pushstring(L, mnl_attr_get_str(a));
	lua_setfield(L, -2, key);
}

static void set_kind(lua_State *L, const struct nlattr *linkinfo)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1] = { 0 };

	if (!linkinfo || mnl_attr_validate(linkinfo, MNL_TYPE_NESTED) < 0)
		return;
	mnl_attr_parse_nested(linkinfo, info_attr_cb, tb);
	set_str(L, tb[IFLA_INFO_KIND], "kind");
}

/* A hardware address as "aa:bb:..": 3 characters a byte. */
static void set_mac(lua_State *L, const struct nlattr *a)
{
	char text[MAC_MAX * 3];
	const unsigned char *p;
	uint16_t len, i;

	if (!a)
		return;
	len = mnl_attr_get_payload_len(a);
	if (len == 0 || len > MAC_MAX)
		return;
	p = mnl_attr_get_payload(a);
	for (i = 0; i < len; i++) {
		text[i * 3] = "0123456789abcdef"[p[i] >> 4];
		text[i * 3 + 1] = "0123456789abcdef"[p[i] & 15];
		text[i * 3 + 2] = ':';
	}
	lua_pushlstring(L, text, (size_t)len * 3 - 1);
	lua_setfield(L, -2, "address");
}

static void set_flags(lua_State *L, unsigned int flags)
{
	size_t i;
	int n = 0;

	lua_pushboolean(L, (flags & IFF_UP) != 0);
	lua_setfield(L, -2, "up");
	lua_newtable(L);
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		lua_pushstring(L, flag_names[i].name);
		lua_rawseti(L, -2, ++n);
	}
	lua_setfield(L, -2, "flags");
}

static void set_operstate(lua_State *L, const struct nlattr *a)
{
	uint8_t op;

	if (!a || mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return;
	op = mnl_attr_get_u8(a);
	if (op < sizeof(operstates) / sizeof(operstates[0]))
		lua_pushstring(L, operstates[op]);
	else
		lua_pushinteger(L, op);
	lua_setfield(L, -2, "operstate");
}

/* Append one device as a table to the list on top of the stack. */
static void push_link(lua_State *L, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	/* A reply too short for its header is not the kernel's; skip it. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return;
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, tb);
	lua_createtable(L, 0, 12);
	lua_pushinteger(L, ifi->ifi_index);
	lua_setfield(L, -2, "index");
	set_str(L, tb[IFLA_IFNAME], "name");
	set_kind(L, tb[IFLA_LINKINFO]);
	set_u32(L, tb[IFLA_MTU], "mtu");
	set_flags(L, ifi->ifi_flags);
	set_mac(L, tb[IFLA_ADDRESS]);
	set_u32(L, tb[IFLA_MASTER], "master");
	set_u32(L, tb[IFLA_LINK], "link");
	if (tb[IFLA_LINK_NETNSID] &&
	    mnl_attr_validate(tb[IFLA_LINK_NETNSID], MNL_TYPE_U32) >= 0) {
		lua_pushinteger(L,
			(int32_t)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]));
		lua_setfield(L, -2, "link_netnsid");
	}
	set_operstate(L, tb[IFLA_OPERSTATE]);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

/*
 * link.list(sock) -> {{index = N, name = S, kind = S, mtu = N, up = B,
 * flags = {S, ...}, address = S, master = N, link = N, link_netnsid = N,
 * operstate = S}, ...} | nil, message, errno [, kernel text]
 * Every device of the socket's namespace, in index order; fields the
 * kernel does not report are nil. See rtnetlink(7), netdevice(7).
 */
static int link_list(lua_State *L)
{
	char buf[NC_RTNL_MSG_SIZE];
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	struct nc_rtnl_result res;

	/* Counters make each message 1 KiB longer and are not reported. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (nc_rtnl_transact(L, s, nlh, push_link, &res) < 0)
		return nc_rtnl_fail(L, &res);
	return 1;
}

/*
 * link.index(sock, name) -> index | nil, message, errno [, kernel text]
 * The index of the device called name in the socket's namespace.
 */
static int link_index(lua_State *L)
{
	struct nc_rtnl_sock *s = nc_rtnl_check(L, 1);
	struct nc_rtnl_result res;
	int index;

	luaL_checktype(L, 2, LUA_TSTRING);
	index = nc_rtnl_ifindex_arg(L, s, 2, &res);
	if (!index)
		return nc_rtnl_fail(L, &res);
	lua_pushinteger(L, index);
	return 1;
}

static const luaL_Reg link_funcs[] = {
	{ "add", link_add },
	{ "delete", link_delete },
	{ "index", link_index },
	{ "list", link_list },
	{ "set", link_set },
	{ NULL, NULL }
};

int luaopen_netns_core_link(lua_State *L)
{
	nc_fdtype(L);
	nc_newlib(L, link_funcs, NULL);
	return 1;
}
