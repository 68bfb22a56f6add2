// SPDX-License-Identifier: MIT
/*
 * libmnl, opened by the first netlink socket. Most commands (add, delete,
 * attach, identify, exec, pids) send no netlink message at all, and
 * loading one more library at every start cost each of them some 45 us,
 * a twentieth of what `netns -V` takes. So the binary is not linked with
 * libmnl: it defines the libmnl functions it calls, and each passes its
 * call on to the library's own, which nc_mnl_open loads. Every call comes
 * through a socket, and nc_mnl_open is the first thing opening one does.
 *
 * The module for the stock lua5.4 and the fuzz targets link libmnl as
 * usual and build none of this (NETNS_LAZY_MNL unset).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "rtnl.h"

#ifdef NETNS_LAZY_MNL

#include <dlfcn.h>

#define MNL_SONAME "libmnl.so.0"

static void *mnl_lib;

/*
 * 0, or -1 with errno ELIBACC and the loader's words in why. Never called
 * from two threads at once: the worker threads send no netlink message.
 */
int nc_mnl_open(char *why, size_t len)
{
	const char *msg;

	if (mnl_lib)
		return 0;
	mnl_lib = dlopen(MNL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (mnl_lib)
		return 0;
	msg = dlerror();
	snprintf(why, len, "%s", msg ? msg : "cannot load " MNL_SONAME);
	errno = ELIBACC;
	return -1;
}

/* Only a call past a socket gets here, so the library is open. */
static void *mnl_sym(const char *name)
{
	void *f = mnl_lib ? dlsym(mnl_lib, name) : NULL;

	if (!f) {
		fprintf(stderr, "netns: %s: no %s\n", MNL_SONAME, name);
		abort();
	}
	return f;
}

/* ret name params, passed on as name args to the library's own. */
#define PASS_ON(ret, name, params, args)				\
	ret name params							\
	{								\
		static ret (*fn) params;				\
									\
		if (!fn)						\
			fn = (ret (*) params)mnl_sym(#name);		\
		return fn args;						\
	}

#define PASS_ON_VOID(name, params, args)				\
	void name params						\
	{								\
		static void (*fn) params;				\
									\
		if (!fn)						\
			fn = (void (*) params)mnl_sym(#name);		\
		fn args;						\
	}

PASS_ON(void *, mnl_attr_get_payload, (const struct nlattr *a), (a))
PASS_ON(uint16_t, mnl_attr_get_payload_len, (const struct nlattr *a), (a))
PASS_ON(const char *, mnl_attr_get_str, (const struct nlattr *a), (a))
PASS_ON(uint16_t, mnl_attr_get_type, (const struct nlattr *a), (a))
PASS_ON(uint32_t, mnl_attr_get_u32, (const struct nlattr *a), (a))
PASS_ON(uint8_t, mnl_attr_get_u8, (const struct nlattr *a), (a))
PASS_ON_VOID(mnl_attr_nest_end, (struct nlmsghdr *n, struct nlattr *s),
	     (n, s))
PASS_ON(struct nlattr *, mnl_attr_nest_start,
	(struct nlmsghdr *n, uint16_t type), (n, type))
PASS_ON(int, mnl_attr_parse,
	(const struct nlmsghdr *n, unsigned int off, mnl_attr_cb_t cb,
	 void *data), (n, off, cb, data))
PASS_ON(int, mnl_attr_parse_nested,
	(const struct nlattr *a, mnl_attr_cb_t cb, void *data), (a, cb, data))
PASS_ON_VOID(mnl_attr_put,
	     (struct nlmsghdr *n, uint16_t type, size_t len, const void *data),
	     (n, type, len, data))
PASS_ON_VOID(mnl_attr_put_strz,
	     (struct nlmsghdr *n, uint16_t type, const char *data),
	     (n, type, data))
PASS_ON_VOID(mnl_attr_put_u32,
	     (struct nlmsghdr *n, uint16_t type, uint32_t data),
	     (n, type, data))
PASS_ON(int, mnl_attr_validate,
	(const struct nlattr *a, enum mnl_attr_data_type type), (a, type))
PASS_ON(void *, mnl_nlmsg_get_payload, (const struct nlmsghdr *n), (n))
PASS_ON(size_t, mnl_nlmsg_get_payload_len, (const struct nlmsghdr *n), (n))
PASS_ON(struct nlmsghdr *, mnl_nlmsg_next,
	(const struct nlmsghdr *n, int *len), (n, len))
PASS_ON(void *, mnl_nlmsg_put_extra_header,
	(struct nlmsghdr *n, size_t size), (n, size))
PASS_ON(struct nlmsghdr *, mnl_nlmsg_put_header, (void *buf), (buf))
PASS_ON(size_t, mnl_nlmsg_size, (size_t len), (len))
PASS_ON(int, mnl_socket_bind,
	(struct mnl_socket *nl, unsigned int groups, pid_t pid),
	(nl, groups, pid))
PASS_ON(int, mnl_socket_close, (struct mnl_socket *nl), (nl))
PASS_ON(int, mnl_socket_get_fd, (const struct mnl_socket *nl), (nl))
PASS_ON(unsigned int, mnl_socket_get_portid, (const struct mnl_socket *nl),
	(nl))
PASS_ON(struct mnl_socket *, mnl_socket_open2, (int bus, int flags),
	(bus, flags))
PASS_ON(ssize_t, mnl_socket_recvfrom,
	(const struct mnl_socket *nl, void *buf, size_t size),
	(nl, buf, size))
PASS_ON(ssize_t, mnl_socket_sendto,
	(const struct mnl_socket *nl, const void *req, size_t size),
	(nl, req, size))
PASS_ON(int, mnl_socket_setsockopt,
	(const struct mnl_socket *nl, int type, void *buf, socklen_t len),
	(nl, type, buf, len))

#else

int nc_mnl_open(char *why, size_t len)
{
	(void)why;
	(void)len;
	return 0;
}

#endif
