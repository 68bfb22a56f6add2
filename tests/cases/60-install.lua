-- Fitting in: make install and uninstall into a DESTDIR, the Debian
-- package, the rockspec with the stock lua5.4, the bash completion and
-- the systemd units. They read the source tree; nothing is installed on
-- the host.

local here = debug.getinfo(1, "S").source:match("^@(.*)/tests/cases/")
local TOP = here or "."

local function q(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local INSTALLED = table.concat({
  "/usr/local/lib/lua/5.4/netns/core.so",
  "/usr/local/lib/systemd/system/netns-topology@.service",
  "/usr/local/lib/systemd/system/netns@.service",
  "/usr/local/sbin/netns",
  "/usr/local/share/bash-completion/completions/netns",
}, "\n") .. "\n"

-- Candidates of the completion function for the words given.
local COMPLETE = [[
complete_words() {
  bash -c '. /usr/share/bash-completion/bash_completion
    . "$1/scripts/completion/netns"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _netns netns "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort -u' _ "$TOP" "$@"
}
]]

local cases = {
  {
    name = "install: every path into DESTDIR, binary and module run, " ..
      "uninstall leaves it empty",
    cmd = {
      "make -s -C $TOP install DESTDIR=$T/dest >/dev/null && " ..
        "cd $T/dest && find . -type f | sed 's/^\\.//' | grep -v " ..
        "-e '/man/' -e '/share/lua/' | sort",
      "cd $T/dest && ls usr/local/share/lua/5.4/netns | tr '\\n' ' '; " ..
        "ls usr/local/share/man/man7 usr/local/share/man/man8 | " ..
        "grep netns | tr '\\n' ' '",
      "$T/dest/usr/local/sbin/netns add inst && " ..
        "$T/dest/usr/local/sbin/netns list",
      "LUA_PATH=\"$T/dest/usr/local/share/lua/5.4/?.lua;" ..
        "$T/dest/usr/local/share/lua/5.4/?/init.lua\" " ..
        "LUA_CPATH=\"$T/dest/usr/local/lib/lua/5.4/?.so\" lua5.4 -e " ..
        "'local n = require \"netns\"; print(n.list()[1].name, " ..
        "type(require(\"netns.net\").links))'",
      "make -s -C $TOP uninstall DESTDIR=$T/dest >/dev/null; " ..
        "find $T/dest -type f | wc -l",
    },
    expect = {
      { out = INSTALLED, err = "", rc = 0 },
      { out = "_batchfile.lua _json.lua _monitor.lua _ops.lua batch.lua " ..
        "cli.lua init.lua net.lua repl.lua script.lua topology.lua " ..
        "netns-lua.7 netns-net.7 netns.8 ",
        err = "", rc = 0 },
      { out = "inst\n", err = "", rc = 0 },
      { out = "inst\tfunction\n", err = "", rc = 0 },
      { out = "0\n", err = "", rc = 0 },
    },
  },
  {
    name = "install: make deb builds a package dpkg-deb lists and unpacks",
    cmd = {
      "make -s -C $TOP deb >/dev/null 2>&1; " ..
        "dpkg-deb -f $TOP/build/netns_*.deb Package Version Depends",
      "dpkg-deb -c $TOP/build/netns_*.deb | awk '{print $6}' | " ..
        "grep -c -e usr/sbin/netns -e netns/core.so -e netns/init.lua " ..
        "-e man8/netns.8 -e completions/netns -e 'netns@.service'",
      "dpkg-deb -x $TOP/build/netns_*.deb $T/deb && " ..
        "$T/deb/usr/sbin/netns --version | cut -d, -f1-2",
      -- built for /usr, where the package puts the Lua files
      "$T/deb/usr/sbin/netns -e 'print(package.path)'",
    },
    expect = {
      { out = "Package: netns\nVersion: 0.1.0\n" ..
        "Depends: libc6, libmnl0, iproute2\n", err = "", rc = 0 },
      { out = "6\n", err = "", rc = 0 },
      { out = "netns utility, version 0.1.0\n", err = "", rc = 0 },
      { out = "/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua\n",
        err = "", rc = 0 },
    },
    timeout = 120,
  },
  {
    -- the paths compiled in follow the command line and config.mk, with
    -- no make clean between
    name = "install: a changed path on make's command line or in config.mk" ..
      " rebuilds, and goes into the package",
    cmd = {
      "mkdir $T/src && cp -R $TOP/Makefile $TOP/LICENSE $TOP/core $TOP/lua " ..
        "$TOP/man $TOP/scripts $T/src && " ..
        "cd $T/src && make -s >/dev/null 2>&1 && " ..
        "build/netns -e 'print(require \"netns\".RUN_DIR)' && " ..
        "make -s NETNS_RUN_DIR=/run/other >/dev/null 2>&1 && " ..
        "build/netns -e 'print(require \"netns\".RUN_DIR)' && " ..
        "echo 'PREFIX = /opt/x' > config.mk && make -s >/dev/null 2>&1 && " ..
        "build/netns -e 'print(require \"netns\".RUN_DIR, package.path)'",
      "cd $T/src && echo 'NETNS_RUN_DIR = /run/cfg' > config.mk && " ..
        "make -s deb >/dev/null 2>&1 && dpkg-deb -x build/*.deb $T/x && " ..
        "$T/x/usr/sbin/netns -e 'print(require \"netns\".RUN_DIR)'",
    },
    expect = {
      { out = "/run/netns\n/run/other\n/run/netns\t" ..
        "/opt/x/share/lua/5.4/?.lua;/opt/x/share/lua/5.4/?/init.lua\n",
        err = "", rc = 0 },
      { out = "/run/cfg\n", err = "", rc = 0 },
    },
    timeout = 180,
  },
  {
    name = "install: the rockspec builds with luarocks, lua5.4 loads it",
    cmd = "mkdir $T/src && cp -r $TOP/core $TOP/lua $TOP/scripts $T/src && " ..
      "cd $T/src && luarocks --lua-version 5.4 --tree $T/rocks make " ..
      "scripts/netns-0.1.0-1.rockspec >/dev/null 2>&1 && " ..
      "eval \"$(luarocks --lua-version 5.4 --tree $T/rocks path)\" && " ..
      "lua5.4 -e 'local n = require \"netns\"; print(n.VERSION, " ..
      "n.valid_name(\"x\"), type(require(\"netns.topology\").up))'",
    expect = { out = "0.1.0\ttrue\tfunction\n", err = "", rc = 0 },
    timeout = 120,
  },
  {
    name = "install: bash completion of commands, names, options, pids",
    setup = "$NS add red; $NS add green",
    cmd = {
      COMPLETE .. "complete_words netns ''",
      COMPLETE .. "complete_words netns l",
      COMPLETE .. "complete_words netns delete ''",
      COMPLETE .. "complete_words netns exec r",
      COMPLETE .. "complete_words netns exec red unsha",
      COMPLETE .. "complete_words netns -n g",
      COMPLETE .. "complete_words netns -j",
      COMPLETE .. "complete_words netns set red ''",
      COMPLETE .. "complete_words netns list-id ''",
      COMPLETE .. "complete_words netns identify 1 | head -1",
    },
    expect = {
      { out = "add\nattach\ndelete\nexec\nhelp\nidentify\nlist\nlist-id\n" ..
        "lst\nmonitor\npids\nset\nshow\n", err = "", rc = 0 },
      { out = "list\nlist-id\nlst\n", err = "", rc = 0 },
      { out = "green\nred\n", err = "", rc = 0 },
      { out = "red\n", err = "", rc = 0 },
      { out = "unshare\n", rc = 0 },
      { out = "green\n", err = "", rc = 0 },
      { out = "-json\n", err = "", rc = 0 },
      { out = "auto\n", err = "", rc = 0 },
      { out = "nsid\ntarget-nsid\n", err = "", rc = 0 },
      { out = "1\n", err = "", rc = 0 },
    },
  },
  {
    -- a name with a blank comes back quoted, as one word; after an
    -- opening quote as it is, readline closing the quote; names with a
    -- newline or a leading dot are offered whole
    name = "install: bash completion of names with a blank or a quote",
    setup = "$NS add 'comp b'; $NS add comp2; $NS add \"it's\"; " ..
      "$NS add .dot; touch /run/netns/\"$(printf 'new\\nline')\"",
    cmd = {
      COMPLETE .. "complete_words netns exec comp",
      COMPLETE .. "complete_words netns delete \"'comp\"",
      COMPLETE .. "complete_words netns delete 'comp\\ '",
      COMPLETE .. "complete_words netns -n it",
      COMPLETE .. "complete_words netns -n \"'it\"; echo end",
      COMPLETE .. "complete_words netns -n '\"it'",
      COMPLETE .. "complete_words netns pids .",
      COMPLETE .. "complete_words netns pids ne",
    },
    expect = {
      { out = "comp2\ncomp\\ b\n", err = "", rc = 0 },
      { out = "comp b\ncomp2\n", err = "", rc = 0 },
      { out = "comp\\ b\n", err = "", rc = 0 },
      { out = "it\\'s\n", err = "", rc = 0 },
      { out = "\nend\n", err = "", rc = 0 },
      { out = "it's\n", err = "", rc = 0 },
      { out = ".dot\n", err = "", rc = 0 },
      { out = "$'new\\nline'\n", err = "", rc = 0 },
    },
  },
  {
    name = "install: the systemd units pass systemd-analyze verify",
    -- the units name the installed binary: check copies naming the built one
    cmd = "for u in netns@.service netns-topology@.service; do " ..
      "sed \"s|@SBINDIR@|$TOP/build|g\" $TOP/scripts/systemd/$u " ..
      "> $T/$u && systemd-analyze verify --man=no $T/$u || exit 1; " ..
      "done; grep -h '^Exec' $T/*.service | sed \"s|$TOP/build|BIN|\"",
    expect = {
      out = "ExecStart=BIN/netns /etc/netns-topology/%i.lua up\n" ..
        "ExecStop=BIN/netns /etc/netns-topology/%i.lua down\n" ..
        "ExecStart=BIN/netns add %i\n" ..
        "ExecStart=BIN/netns exec %i ip link set lo up\n" ..
        "ExecStop=BIN/netns delete %i\n",
      err = "", rc = 0,
    },
  },
}

-- $TOP in the shell snippets is the top of the source tree.
for _, c in ipairs(cases) do
  local cmds = type(c.cmd) == "table" and c.cmd or { c.cmd }
  for i, cmd in ipairs(cmds) do
    cmds[i] = "TOP=" .. q(TOP) .. "\n" .. cmd
  end
  c.cmd = type(c.cmd) == "table" and cmds or cmds[1]
end

return cases
