-- LuaRocks: `luarocks --lua-version 5.4 make scripts/netns-0.1.0-1.rockspec`
-- from the top of the source tree builds netns.core (the C modules) and
-- installs it with the Lua files. The netns binary is built by `make`.
rockspec_format = "3.0"
package = "netns"
version = "0.1.0-1"
source = {
  url = "git+file://./",
}
description = {
  summary = "Network-namespace manager compatible with ip netns",
  detailed = [[
Named Linux network namespaces as ip netns manages them, as a Lua
library: add, attach, delete, set_id, identify, pids, ids, exec, monitor
and run (call a function inside a namespace). Needs root at run time.]],
  license = "MIT",
}
supported_platforms = { "linux" }
dependencies = {
  "lua >= 5.4, < 5.5",
}
external_dependencies = {
  MNL = { header = "libmnl/libmnl.h", library = "mnl" },
}
build = {
  type = "builtin",
  modules = {
    ["netns.core"] = {
      sources = {
        "core/addr.c", "core/core.c", "core/fs.c", "core/inotify.c",
        "core/link.c", "core/mnl.c", "core/mount.c", "core/ns.c",
        "core/proc.c", "core/readline.c", "core/route.c", "core/rtnl.c",
        "core/util.c",
      },
      defines = { "_GNU_SOURCE" },
      incdirs = { "core", "$(MNL_INCDIR)" },
      libdirs = { "$(MNL_LIBDIR)" },
      libraries = { "mnl" },
    },
    ["netns"] = "lua/netns/init.lua",
    ["netns._batchfile"] = "lua/netns/_batchfile.lua",
    ["netns._json"] = "lua/netns/_json.lua",
    ["netns._monitor"] = "lua/netns/_monitor.lua",
    ["netns._ops"] = "lua/netns/_ops.lua",
    ["netns.batch"] = "lua/netns/batch.lua",
    ["netns.cli"] = "lua/netns/cli.lua",
    ["netns.net"] = "lua/netns/net.lua",
    ["netns.repl"] = "lua/netns/repl.lua",
    ["netns.script"] = "lua/netns/script.lua",
    ["netns.topology"] = "lua/netns/topology.lua",
  },
}
