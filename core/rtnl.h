/* SPDX-License-Identifier: MIT */
#ifndef NETNS_RTNL_H
#define NETNS_RTNL_H

#include <string.h>

#include <libmnl/libmnl.h>

#include "core.h"

/*
 * The route netlink socket of netns.core.rtnl, shared with the modules
 * that send other rtnetlink requests over it (links, addresses, routes).
 */
#define NC_RTNL_SOCK "netns.rtnl.socket"

/* A request fits in 4 KiB; a part of a dump in 32 KiB. */
#define NC_RTNL_MSG_SIZE 4096
#define NC_RTNL_RECV_SIZE 32768

struct nc_rtnl_sock {
	struct mnl_socket *nl;
	unsigned int seq;
	unsigned int portid;
};

/* What one request ended with: an errno and the kernel's words. */
struct nc_rtnl_result {
	int err;
	char text[256];
};

/* Appends a table for one data message to the list on top of the stack. */
typedef void (*nc_rtnl_cb)(lua_State *L, const struct nlmsghdr *nlh);

/* An address with its prefix length, as inet_pton(3) reads it. */
struct nc_prefix {
	int family;
	int len;
	unsigned char bytes[16];
};

/*
 * Whether m is a whole message within the left bytes, padding included:
 * libmnl reads attributes up to the aligned end. Its own test lets a
 * length with the top bit set through, as a negative int.
 */
static inline int nc_nlmsg_ok(const struct nlmsghdr *m, int left)
{
	return left >= (int)sizeof(*m) && m->nlmsg_len >= sizeof(*m) &&
	       m->nlmsg_len <= (unsigned int)left &&
	       MNL_ALIGN(m->nlmsg_len) <= (unsigned int)left;
}

/*
 * A request header at the start of buf, a buffer of NC_RTNL_MSG_SIZE
 * bytes, zeroed whole: libmnl leaves the padding after an attribute as it
 * finds it, and the kernel would be sent those bytes.
 */
static inline struct nlmsghdr *nc_rtnl_header(char *buf)
{
	memset(buf, 0, NC_RTNL_MSG_SIZE);
	return mnl_nlmsg_put_header(buf);
}

int nc_mnl_open(char *why, size_t len);
struct nc_rtnl_sock *nc_rtnl_check(lua_State *L, int idx);
int nc_parse_prefix(const char *s, struct nc_prefix *p);
void nc_rtnl_push_scope(lua_State *L, int scope);
int nc_rtnl_ifname_ok(const char *name, size_t len);
int nc_rtnl_ifindex(lua_State *L, struct nc_rtnl_sock *s, const char *name,
		    struct nc_rtnl_result *res);
int nc_rtnl_ifindex_ok(lua_State *L, int idx);
int nc_rtnl_ifindex_arg(lua_State *L, struct nc_rtnl_sock *s, int idx,
			struct nc_rtnl_result *res);
int nc_rtnl_fail(lua_State *L, const struct nc_rtnl_result *res);
int nc_rtnl_transact(lua_State *L, struct nc_rtnl_sock *s,
		     struct nlmsghdr *nlh, nc_rtnl_cb cb,
		     struct nc_rtnl_result *res);

#endif
