/* SPDX-License-Identifier: MIT */
#ifndef NETNS_EMBED_H
#define NETNS_EMBED_H

#include <stddef.h>

/* One Lua source compiled into the binary; the list ends with a NULL name. */
struct nc_embed {
	const char *name;
	const char *path;
	const char *data;
	size_t len;
};

extern const struct nc_embed nc_embedded[];

#endif
