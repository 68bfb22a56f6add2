// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: arbitrary bytes, taken as a buffer of netlink
 * messages, through one of the parsers the core runs on the kernel's
 * replies. The parser's file is included whole, for its static
 * functions; FUZZ_UNIT picks which (rtnl, link, addr, route).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(FUZZ_RTNL)
#include "../../core/rtnl.c"

static void parse(lua_State *L, const struct nlmsghdr *m)
{
	struct rtnl_result res;

	memset(&res, 0, sizeof(res));
	if (m->nlmsg_type == NLMSG_ERROR || m->nlmsg_type == NLMSG_DONE)
		parse_error(m, &res);
	else
		push_nsid(L, m);
}
#elif defined(FUZZ_LINK)
#include "../../core/link.c"
#define parse push_link
#elif defined(FUZZ_ADDR)
#include "../../core/addr.c"
#define parse push_addr
#elif defined(FUZZ_ROUTE)
#include "../../core/route.c"
#define parse push_route
#else
#error "define FUZZ_RTNL, FUZZ_LINK, FUZZ_ADDR or FUZZ_ROUTE"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lua_State *L;
	const struct nlmsghdr *m;
	void *buf;
	int left = (int)size;

	if (!L)
		L = luaL_newstate();
	if (size > 65536)
		return 0;
	/* An exact-size copy, so that any read past the end is caught. */
	buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	lua_settop(L, 0);
	lua_newtable(L);
	for (m = buf; nc_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left))
		parse(L, m);
	lua_settop(L, 0);
	lua_gc(L, LUA_GCCOLLECT);
	free(buf);
	return 0;
}
