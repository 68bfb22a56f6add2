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

/* Every libmnl function the binary calls: X(ret, name, params, args). */
#define MNL_FUNCS(X, X_VOID)						\
	X(void *, mnl_attr_get_payload, (const struct nlattr *a), (a))	\
	X(uint16_t, mnl_attr_get_payload_len, (const struct nlattr *a),	\
	  (a))								\
	X(const char *, mnl_attr_get_str, (const struct nlattr *a), (a))	\
	X(uint16_t, mnl_attr_get_type, (const struct nlattr *a), (a))	\
	X(uint32_t, mnl_attr_get_u32, (const struct nlattr *a), (a))	\
	X(uint8_t, mnl_attr_get_u8, (const struct nlattr *a), (a))	\
	X_VOID(mnl_attr_nest_end, (struct nlmsghdr *n, struct nlattr *s),	\
	       (n, s))							\
	X(struct nlattr *, mnl_attr_nest_start,				\
	  (struct nlmsghdr *n, uint16_t type), (n, type))		\
	X(int, mnl_attr_parse,						\
	  (const struct nlmsghdr *n, unsigned int off, mnl_attr_cb_t cb,	\
	   void *data), (n, off, cb, data))				\
	X(int, mnl_attr_parse_nested,					\
	  (const struct nlattr *a, mnl_attr_cb_t cb, void *data),	\
	  (a, cb, data))						\
	X_VOID(mnl_attr_put,						\
	       (struct nlmsghdr *n, uint16_t type, size_t len,		\
		const void *data), (n, type, len, data))		\
	X_VOID(mnl_attr_put_strz,					\
	       (struct nlmsghdr *n, uint16_t type, const char *data),	\
	       (n, type, data))						\
	X_VOID(mnl_attr_put_u32,					\
	       (struct nlmsghdr *n, uint16_t type, uint32_t data),	\
	       (n, type, data))						\
	X(int, mnl_attr_validate,					\
	  (const struct nlattr *a, enum mnl_attr_data_type type),	\
	  (a, type))							\
	X(void *, mnl_nlmsg_get_payload, (const struct nlmsghdr *n), (n))	\
	X(size_t, mnl_nlmsg_get_payload_len, (const struct nlmsghdr *n),	\
	  (n))								\
	X(struct nlmsghdr *, mnl_nlmsg_next,				\
	  (const struct nlmsghdr *n, int *len), (n, len))		\
	X(void *, mnl_nlmsg_put_extra_header,				\
	  (struct nlmsghdr *n, size_t size), (n, size))			\
	X(struct nlmsghdr *, mnl_nlmsg_put_header, (void *buf), (buf))	\
	X(size_t, mnl_nlmsg_size, (size_t len), (len))			\
	X(int, mnl_socket_bind,						\
	  (struct mnl_socket *nl, unsigned int groups, pid_t pid),	\
	  (nl, groups, pid))						\
	X(int, mnl_socket_close, (struct mnl_socket *nl), (nl))		\
	X(int, mnl_socket_get_fd, (const struct mnl_socket *nl), (nl))	\
	X(unsigned int, mnl_socket_get_portid,				\
	  (const struct mnl_socket *nl), (nl))				\
	X(struct mnl_socket *, mnl_socket_open2, (int bus, int flags),	\
	  (bus, flags))							\
	X(ssize_t, mnl_socket_recvfrom,					\
	  (const struct mnl_socket *nl, void *buf, size_t size),	\
	  (nl, buf, size))						\
	X(ssize_t, mnl_socket_sendto,					\
	  (const struct mnl_socket *nl, const void *req, size_t size),	\
	  (nl, req, size))						\
	X(int, mnl_socket_setsockopt,					\
	  (const struct mnl_socket *nl, int type, void *buf,		\
	   socklen_t len), (nl, type, buf, len))

/* The library's own function for each, once nc_mnl_open has found all. */
#define SLOT(ret, name, params, args) static void *p_##name;
#define SLOT_VOID(name, params, args) static void *p_##name;
MNL_FUNCS(SLOT, SLOT_VOID)

#define ENTRY(ret, name, params, args) { #name, &p_##name },
#define ENTRY_VOID(name, params, args) { #name, &p_##name },
static const struct {
	const char *name;
	void **slot;
} mnl_syms[] = { MNL_FUNCS(ENTRY, ENTRY_VOID) };

#define SYM_COUNT (sizeof(mnl_syms) / sizeof(mnl_syms[0]))

static void *mnl_lib;

static void forget_syms(void)
{
	size_t i;

	for (i = 0; i < SYM_COUNT; i++)
		*mnl_syms[i].slot = NULL;
}

/*
 * 0, or -1 with errno ELIBACC and the reason in why: the library will not
 * load, or lacks one of the functions (then it is closed again, and the
 * next socket tries anew). Never called from two threads at once: the
 * worker threads send no netlink message.
 */
int nc_mnl_open(char *why, size_t len)
{
	const char *msg;
	size_t i;

	if (mnl_lib)
		return 0;
	mnl_lib = dlopen(MNL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!mnl_lib) {
		msg = dlerror();
		snprintf(why, len, "%s", msg ? msg : "cannot load " MNL_SONAME);
		errno = ELIBACC;
		return -1;
	}
	for (i = 0; i < SYM_COUNT; i++) {
		*mnl_syms[i].slot = dlsym(mnl_lib, mnl_syms[i].name);
		if (!*mnl_syms[i].slot) {
			snprintf(why, len, "%s: no %s", MNL_SONAME,
				 mnl_syms[i].name);
			forget_syms();
			dlclose(mnl_lib);
			mnl_lib = NULL;
			errno = ELIBACC;
			return -1;
		}
	}
	return 0;
}

/* Only a forged socket (debug.setmetatable) gets here unloaded. */
static void *need(void *fn, const char *name)
{
	if (!fn) {
		fprintf(stderr, "netns: %s not loaded for %s\n", MNL_SONAME,
			name);
		abort();
	}
	return fn;
}

#define PASS_ON(ret, name, params, args)				\
	ret name params							\
	{								\
		return ((ret (*) params)need(p_##name, #name)) args;	\
	}

#define PASS_ON_VOID(name, params, args)				\
	void name params						\
	{								\
		((void (*) params)need(p_##name, #name)) args;		\
	}

MNL_FUNCS(PASS_ON, PASS_ON_VOID)

#else

int nc_mnl_open(char *why, size_t len)
{
	(void)why;
	(void)len;
	return 0;
}

#endif
