-- Differential test suite for netns (a reimplementation of `ip netns`).
--
-- Run as root:   lua5.4 tests/run.lua [FILTER]
--   NETNS=path   binary under test (default: build/netns next to tests/)
--   IP=path      the reference ip (default: ip)
--   VERBOSE=1    also print the captured output of every test (2: and
--                the effects snapshot)
-- FILTER keeps only the tests whose name contains it (plain substring).
--
-- Every case in tests/cases/*.lua is run once with `$NS` = tests/ipwrap
-- (which turns netns syntax into `ip ... netns ...`) and once with `$NS` =
-- the binary; stdout, stderr and exit status of every command line and a
-- snapshot of the effects (/run/netns, /run, the mounts at or under /run,
-- /etc and /sys, /etc/netns, the nsid table) must be the same.  Cases with
-- `expect` or `check` (tests/cases/differences.lua) run only the binary and
-- are compared with their own expected values.
--
-- Each side of each case runs in a fresh `unshare -m -n --propagation
-- private` sandbox with tmpfs mounted over /run and /etc/netns, so nothing
-- done by a test can reach the host's namespaces, mounts or files.  The
-- script creates /etc/netns (the mount point) if it is missing and removes
-- it again at the end; the last test checks that the host is unchanged.
-- The output is TAP-like: `ok N - name` / `not ok N - name` with `# `
-- diagnostics, and a last line `N passed, N failed[, N skipped]`; the
-- exit status is 0 only if nothing failed.  Without root every test is
-- skipped.
--
-- A case is a table: name, setup (sh, output ignored), cmd (sh, or a list
-- of sh snippets compared one by one), files ({F = "text"}: written to
-- $T/F, path in $F), sorted (compare stdout as sorted lines), skip_effects,
-- err_match (Lua pattern both stderrs must match instead of being equal),
-- mounts_by_name (the mounts in the effects in name order, as namespaces
-- made at once are mounted in no fixed order), timeout, note; differences
-- only: expect, check.  Scripts may use $NS,
-- $IP, $T and the helpers spawn VAR CMD (background, pid shown as <VAR>),
-- await_comm PID COMM, await_inotify PID, await_lines FILE N,
-- mon_start FILE [ARGS] / mon_stop N (a line-buffered monitor).

local CASE_FIELDS = {
  name = "string", setup = "string", cmd = "any", files = "table",
  sorted = "boolean", skip_effects = "boolean", err_match = "string",
  mounts_by_name = "boolean", expect = "table", check = "string", timeout = "number", note = "string",
}

local IPNORM = {
  { "ip [-all] netns", "netns [-all]" },
  { "ip netns", "netns" },
  { '"ip -help"', '"netns -help"' },
}

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local s = f:read("a")
  f:close()
  return s
end

local function write_file(path, s)
  local f = assert(io.open(path, "wb"))
  assert(f:write(s))
  assert(f:close())
end

local function capture(cmd)
  local p = assert(io.popen(cmd, "r"))
  local s = p:read("a")
  p:close()
  return s
end

local function trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- os.execute, but an interrupted child (Ctrl-C) aborts the whole run.
local function execute(cmd)
  local ok, how, code = os.execute(cmd)
  if how == "signal" and (code == 2 or code == 15) then
    error("interrupted", 0)
  end
  return ok, how, code
end

local function replace_plain(s, from, to)
  if from == "" then
    return s
  end
  local out, i = {}, 1
  while true do
    local a, b = s:find(from, i, true)
    if not a then
      break
    end
    out[#out + 1] = s:sub(i, a - 1)
    out[#out + 1] = to
    i = b + 1
  end
  out[#out + 1] = s:sub(i)
  return table.concat(out)
end

-- Paths ---------------------------------------------------------------

local function script_dir()
  local a0 = arg and arg[0] or "tests/run.lua"
  local dir = a0:match("^(.*)/[^/]*$") or "."
  return trim(capture("realpath -- " .. q(dir)))
end

local TESTS = script_dir()
local IPWRAP = TESTS .. "/ipwrap"
local IP = os.getenv("IP") or "ip"
local NETNS = os.getenv("NETNS")
if not NETNS or NETNS == "" then
  NETNS = TESTS .. "/../build/netns"
end
NETNS = trim(capture("realpath -m -- " .. q(NETNS)))
-- Running ip against ip: the binary side then needs ip's normalisation too.
local NETNS_IS_IP = NETNS == trim(capture("realpath -m -- " .. q(IPWRAP)))
local VERBOSE = os.getenv("VERBOSE") or ""
if VERBOSE == "" or VERBOSE == "0" then
  VERBOSE = false
end
local FILTER = arg and arg[1]

-- Text helpers --------------------------------------------------------

local function escape_line(l)
  l = l:gsub("\\", "\\\\"):gsub("\t", "\\t"):gsub("\r", "\\r")
  l = l:gsub("[%z\1-\31\127]", function(c)
    return string.format("\\x%02x", c:byte())
  end)
  return '"' .. l .. '"'
end

-- Display lines of a text: one quoted line per line.
local function display(s)
  local lines = {}
  if s == "" then
    return lines
  end
  local body = s
  local nonl = s:sub(-1) ~= "\n"
  if not nonl then
    body = s:sub(1, -2)
  end
  for l in (body .. "\n"):gmatch("(.-)\n") do
    lines[#lines + 1] = escape_line(l)
  end
  if nonl then
    lines[#lines] = lines[#lines] .. "  (no newline at end)"
  end
  return lines
end

-- Line diff (longest common subsequence) of two texts, as "# " lines.
local function diff(a, b, la, lb, out)
  local x, y = display(a), display(b)
  local n, m = #x, #y
  local t = {}
  for i = n + 1, 1, -1 do
    t[i] = {}
    for j = m + 1, 1, -1 do
      if i > n or j > m then
        t[i][j] = 0
      elseif x[i] == y[j] then
        t[i][j] = t[i + 1][j + 1] + 1
      else
        t[i][j] = math.max(t[i + 1][j], t[i][j + 1])
      end
    end
  end
  out[#out + 1] = "#     --- " .. la .. "   +++ " .. lb
  local i, j, shown = 1, 1, 0
  local function emit(s)
    shown = shown + 1
    if shown <= 80 then
      out[#out + 1] = "#     " .. s
    elseif shown == 81 then
      out[#out + 1] = "#     ... (diff truncated)"
    end
  end
  while i <= n or j <= m do
    if i <= n and j <= m and x[i] == y[j] then
      emit("  " .. x[i])
      i, j = i + 1, j + 1
    elseif j <= m and (i > n or t[i][j + 1] >= t[i + 1][j]) then
      emit("+ " .. y[j])
      j = j + 1
    else
      emit("- " .. x[i])
      i = i + 1
    end
  end
  if n == 0 and m == 0 then
    emit("(both empty)")
  end
end

local function sort_lines(s)
  local lines = {}
  for l in s:gmatch("([^\n]*)\n") do
    lines[#lines + 1] = l
  end
  local rest = s:match("[^\n]+$")
  if rest then
    lines[#lines + 1] = rest .. " (no newline at end)"
  end
  table.sort(lines)
  if #lines == 0 then
    return ""
  end
  return table.concat(lines, "\n") .. "\n"
end

-- The sandbox script --------------------------------------------------

local HELPERS = [[
_alive() {
  [ -r "/proc/$1/stat" ] || return 1
  _st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
  [ -n "$_st" ] && [ "$_st" != Z ]
}
# await_comm PID COMM: wait (max 5 s) until process PID runs COMM
await_comm() {
  _i=0
  while [ "$_i" -lt 500 ]; do
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && return 0
    _alive "$1" || return 1
    sleep 0.01
    _i=$((_i + 1))
  done
  return 1
}
# await_inotify PID: wait (max 5 s) until PID has an inotify watch
await_inotify() {
  _i=0
  while [ "$_i" -lt 500 ]; do
    grep -qs '^inotify wd:' /proc/"$1"/fdinfo/* && return 0
    _alive "$1" || return 1
    sleep 0.01
    _i=$((_i + 1))
  done
  return 1
}
# await_lines FILE N: wait (max 3 s) until FILE has at least N lines
await_lines() {
  _i=0
  while [ "$_i" -lt 300 ]; do
    _n=$(wc -l <"$1" 2>/dev/null)
    [ "${_n:-0}" -ge "$2" ] && return 0
    sleep 0.01
    _i=$((_i + 1))
  done
  return 1
}
# spawn VAR CMD...: start CMD in the background, VAR := its pid; the pid
# is replaced by <VAR> in all compared output and killed at the end
spawn() {
  _v=$1
  shift
  "$@" </dev/null >/dev/null 2>&1 &
  eval "$_v=\$!"
  echo "$_v $!" >>"$T/pids"
}
# mon_start FILE [ARGS...]: start `$NS ARGS` (default: monitor) with
# line-buffered stdout+stderr into FILE, wait until it watches
mon_start() {
  _mf=$1
  shift
  [ $# -gt 0 ] || set -- monitor
  stdbuf -oL "$NS" "$@" >"$_mf" 2>&1 &
  MON=$!
  await_inotify "$MON"
}
# mon_stop N: wait until the monitor printed N lines, stop it, print them
mon_stop() {
  await_lines "$_mf" "$1"
  kill "$MON" 2>/dev/null
  wait "$MON" 2>/dev/null
  cat "$_mf"
}
]]

local SNAPSHOT = [[
{
  if [ -e /run/netns ] || [ -L /run/netns ]; then
    ls -la -b --time-style=+T /run/netns
  else
    echo absent
  fi
} >"$T/eff.runnetns" 2>&1
ls -la -b --time-style=+T /run >"$T/eff.run" 2>&1
ls -laR -b --time-style=+T /etc/netns >"$T/eff.etc" 2>&1
cat /proc/self/mountinfo >"$T/eff.mounts" 2>&1
readlink /proc/self/ns/net >"$T/eff.self" 2>&1
]]

-- After the background processes are gone, wait (max 3 s) until the kernel
-- has destroyed the unnamed namespaces, whose ids vanish asynchronously.
local NSIDS = [[
_i=0
while [ "$_i" -lt 150 ]; do
  "$IP" netns list-id >"$T/eff.nsids" 2>&1
  grep -q '^nsid [0-9]* $' "$T/eff.nsids" || break
  sleep 0.02
  _i=$((_i + 1))
done
]]

local CLEANUP = [[
jobs -p >"$T/jobs" 2>/dev/null
while read -r _p; do
  kill -KILL "$_p" 2>/dev/null
done <"$T/jobs"
if [ -s "$T/pids" ]; then
  while read -r _v _p; do
    [ "$_v" = SH ] || kill -KILL "$_p" 2>/dev/null
  done <"$T/pids"
fi
wait 2>/dev/null
]]

local function cmd_list(c)
  if type(c.cmd) == "table" then
    return c.cmd
  end
  return { c.cmd }
end

local function build_script(c, tdir, ns)
  local s = {}
  local function add(x)
    s[#s + 1] = x
  end
  add("#!/bin/sh")
  add("T=" .. q(tdir))
  add("mount -n -t tmpfs tmpfs /run || exit 90")
  add("mount -n -t tmpfs tmpfs /etc/netns || exit 91")
  add("NS=" .. q(ns) .. "; IP=" .. q(IP) .. "; export NS IP")
  add("cd \"$T\" || exit 92")
  add(": >\"$T/pids\"")
  add("echo \"SH $$\" >>\"$T/pids\"")
  local names = {}
  for k in pairs(c.files or {}) do
    names[#names + 1] = k
  end
  table.sort(names)
  for _, k in ipairs(names) do
    add(k .. "=\"$T/" .. k .. "\"")
  end
  add(HELPERS)
  add("{")
  add(c.setup or ":")
  add("} >\"$T/setup.out\" 2>\"$T/setup.err\" </dev/null")
  for i, line in ipairs(cmd_list(c)) do
    add("(")
    add(line)
    add(") >\"$T/out." .. i .. "\" 2>\"$T/err." .. i .. "\" </dev/null")
    add("echo $? >\"$T/rc." .. i .. "\"")
  end
  if c.check then
    add("(")
    add(c.check)
    add(") >\"$T/check.out\" 2>\"$T/check.err\" </dev/null")
    add("echo $? >\"$T/check.rc\"")
  end
  add(SNAPSHOT)
  add(CLEANUP)
  add(NSIDS)
  add("exit 0")
  return table.concat(s, "\n") .. "\n"
end

-- Normalisation -------------------------------------------------------

local function make_norm(tdir, ipnorm)
  local pids = {}
  for l in (read_file(tdir .. "/pids") or ""):gmatch("[^\n]+") do
    local v, p = l:match("^(%S+) (%d+)$")
    if v then
      pids[#pids + 1] = { v, p }
    end
  end
  return function(s, full)
    s = replace_plain(s, tdir, "$T")
    for _, vp in ipairs(pids) do
      s = s:gsub("%f[%d]" .. vp[2] .. "%f[%D]", "<" .. vp[1] .. ">")
    end
    if ipnorm and full then
      for _, r in ipairs(IPNORM) do
        s = replace_plain(s, r[1], r[2])
      end
    end
    return s
  end
end

local function ls_lines(s)
  local out = {}
  for l in s:gmatch("[^\n]+") do
    local mode, size, name =
      l:match("^(%S+)%s+%d+%s+%S+%s+%S+%s+(%S+)%s+T (.*)$")
    if mode then
      if name ~= ".." then
        out[#out + 1] = mode .. " " .. size .. " " .. name
      end
    elseif not l:match("^total %d+$") then
      out[#out + 1] = l
    end
  end
  return out
end

local function mount_lines(s, selfns, by_name)
  local out, ids = {}, {}
  local lines = {}
  for l in s:gmatch("[^\n]+") do
    lines[#lines + 1] = l
  end
  if by_name then
    table.sort(lines, function(a, b)
      return (a:match("^%S+ %S+ %S+ %S+ (%S+)") or "") <
        (b:match("^%S+ %S+ %S+ %S+ (%S+)") or "")
    end)
  end
  for _, l in ipairs(lines) do
    local f = {}
    for w in l:gmatch("%S+") do
      f[#f + 1] = w
    end
    local target = f[5] or ""
    local keep = target == "/run" or target:sub(1, 5) == "/run/"
      or target == "/etc" or target:sub(1, 5) == "/etc/"
      or target == "/sys"
    if keep then
      local prop, k = {}, 7
      while f[k] and f[k] ~= "-" do
        local tag = f[k]:match("^(%a+):")
        if tag == "shared" then
          prop[#prop + 1] = "shared"
        elseif tag == "master" then
          prop[#prop + 1] = "slave"
        elseif tag == "unbindable" then
          prop[#prop + 1] = "unbindable"
        end
        k = k + 1
      end
      if #prop == 0 then
        prop[1] = "private"
      end
      local fstype = f[k + 1] or "?"
      local line = target .. " " .. fstype .. " " .. table.concat(prop, ",")
      if fstype == "nsfs" then
        local ino = f[4] or ""
        if ino == selfns then
          line = line .. " [sandbox netns]"
        else
          if not ids[ino] then
            ids[#ids + 1] = ino
            ids[ino] = #ids
          end
          line = line .. " [netns #" .. ids[ino] .. "]"
        end
      end
      out[#out + 1] = line
    end
  end
  return out
end

local function effects(tdir, norm, c)
  local r = {}
  local function sect(title, lines)
    r[#r + 1] = "== " .. title
    for _, l in ipairs(lines) do
      r[#r + 1] = l
    end
  end
  local selfns = trim(read_file(tdir .. "/eff.self") or "")
  sect("/run/netns", ls_lines(read_file(tdir .. "/eff.runnetns") or ""))
  sect("/run", ls_lines(read_file(tdir .. "/eff.run") or ""))
  sect("mounts", mount_lines(read_file(tdir .. "/eff.mounts") or "",
    selfns, c.mounts_by_name))
  sect("/etc/netns", ls_lines(read_file(tdir .. "/eff.etc") or ""))
  local ids = {}
  for l in (read_file(tdir .. "/eff.nsids") or ""):gmatch("[^\n]+") do
    ids[#ids + 1] = l
  end
  sect("nsids (ip netns list-id)", ids)
  return norm(table.concat(r, "\n") .. "\n", false)
end

-- Running one side ----------------------------------------------------

-- /etc/netns must exist on the host as the sandboxes' mount point.  It is
-- checked before every sandbox (a concurrent run may remove its own), and
-- a sandbox that found no mount point (exit 91) is run once more.
local function ensure_etc(state)
  if not execute("test -d /etc/netns") then
    assert(execute("mkdir /etc/netns"), "cannot create /etc/netns")
    state.created_etc = true
    write_file(state.base .. "/created-etc-netns", "")
  end
end

local function run_side(state, c, tdir, ns, ipnorm)
  local ok, how, code
  for _ = 1, 2 do
    ensure_etc(state)
    execute("rm -rf -- " .. q(tdir))
    assert(execute("mkdir -p " .. q(tdir)))
    for k, v in pairs(c.files or {}) do
      write_file(tdir .. "/" .. k, v)
    end
    write_file(tdir .. "/script.sh", build_script(c, tdir, ns))
    ok, how, code = execute(string.format(
      "timeout -k 5 %d unshare -m -n --propagation private sh %s" ..
      " >%s 2>&1 </dev/null", c.timeout or 30, q(tdir .. "/script.sh"),
      q(tdir .. "/sandbox.log")))
    if ok or how ~= "exit" or code ~= 91 then
      break
    end
  end
  local res = { cmds = {} }
  if not ok then
    res.error = string.format("sandbox script ended with %s %s: %s", how,
      tostring(code), trim(read_file(tdir .. "/sandbox.log") or ""))
  end
  local norm = make_norm(tdir, ipnorm)
  for i = 1, #cmd_list(c) do
    local rc = read_file(tdir .. "/rc." .. i)
    res.cmds[i] = {
      out = norm(read_file(tdir .. "/out." .. i) or "", true),
      err = norm(read_file(tdir .. "/err." .. i) or "", true),
      rc = rc and tonumber(trim(rc)) or "(not run)",
    }
  end
  if c.check then
    local rc = read_file(tdir .. "/check.rc")
    res.check = {
      out = norm(read_file(tdir .. "/check.out") or "", true),
      err = norm(read_file(tdir .. "/check.err") or "", true),
      rc = rc and tonumber(trim(rc)) or "(not run)",
    }
  end
  res.setup_err = norm(read_file(tdir .. "/setup.err") or "", true)
  res.effects = effects(tdir, norm, c)
  return res
end

-- Comparing -----------------------------------------------------------

local function cmd_label(c, i)
  local line = cmd_list(c)[i]:gsub("\n", "; ")
  if #line > 64 then
    line = line:sub(1, 61) .. "..."
  end
  return "cmd " .. i .. ": " .. line
end

local function compare_diff(c, a, b, out)
  local la, lb = "ip", "netns"
  for _, r in ipairs({ a, b }) do
    if r.error then
      out[#out + 1] = "# " .. (r == a and la or lb) .. ": " .. r.error
    end
  end
  for i = 1, #cmd_list(c) do
    local x, y = a.cmds[i], b.cmds[i]
    local head = false
    local function header()
      if not head then
        out[#out + 1] = "# " .. cmd_label(c, i)
        head = true
      end
    end
    local xo, yo = x.out, y.out
    if c.sorted then
      xo, yo = sort_lines(xo), sort_lines(yo)
    end
    if xo ~= yo then
      header()
      out[#out + 1] = "#   stdout differs" ..
        (c.sorted and " (compared as sorted lines)" or "")
      diff(xo, yo, la, lb, out)
    end
    if c.err_match then
      for _, side in ipairs({ { la, x }, { lb, y } }) do
        if not side[2].err:find(c.err_match) then
          header()
          out[#out + 1] = "#   " .. side[1] .. " stderr does not match " ..
            escape_line(c.err_match)
          diff("", side[2].err, "", side[1], out)
        end
      end
    elseif x.err ~= y.err then
      header()
      out[#out + 1] = "#   stderr differs"
      diff(x.err, y.err, la, lb, out)
    end
    if x.rc ~= y.rc then
      header()
      out[#out + 1] = string.format("#   exit status differs: %s %s, %s %s",
        la, tostring(x.rc), lb, tostring(y.rc))
    end
  end
  if not c.skip_effects and a.effects ~= b.effects then
    out[#out + 1] = "# effects differ"
    diff(a.effects, b.effects, la, lb, out)
  end
end

local function compare_expect(c, r, out)
  if r.error then
    out[#out + 1] = "# netns: " .. r.error
  end
  local n = #cmd_list(c)
  local exps = {}
  if c.expect then
    if c.expect[1] ~= nil or next(c.expect) == nil then
      for i, e in pairs(c.expect) do
        exps[i] = e
      end
    else
      exps[n] = c.expect
    end
  end
  for i = 1, n do
    local e, y = exps[i], r.cmds[i]
    if e and e ~= false then
      local head = false
      local function header()
        if not head then
          out[#out + 1] = "# " .. cmd_label(c, i)
          head = true
        end
      end
      local yo = y.out
      local eo = e.out
      if c.sorted and eo then
        eo, yo = sort_lines(eo), sort_lines(yo)
      end
      if eo and eo ~= yo then
        header()
        out[#out + 1] = "#   stdout differs"
        diff(eo, yo, "expected", "netns", out)
      end
      if e.err and e.err ~= y.err then
        header()
        out[#out + 1] = "#   stderr differs"
        diff(e.err, y.err, "expected", "netns", out)
      end
      if e.rc and e.rc ~= y.rc then
        header()
        out[#out + 1] = string.format(
          "#   exit status differs: expected %s, netns %s", tostring(e.rc),
          tostring(y.rc))
      end
    end
  end
  if c.check and r.check and r.check.rc ~= 0 then
    out[#out + 1] = "# check failed (exit status " ..
      tostring(r.check.rc) .. ")"
    for _, l in ipairs(display(r.check.out .. r.check.err)) do
      out[#out + 1] = "#   " .. l
    end
    for i = 1, n do
      local y = r.cmds[i]
      out[#out + 1] = "#   " .. cmd_label(c, i) .. " -> exit " ..
        tostring(y.rc)
      for _, l in ipairs(display(y.out)) do
        out[#out + 1] = "#     out " .. l
      end
      for _, l in ipairs(display(y.err)) do
        out[#out + 1] = "#     err " .. l
      end
    end
  end
end

local function verbose_dump(label, r, out)
  for i, x in ipairs(r.cmds) do
    out[#out + 1] = string.format("#   [%s] cmd %d exit %s", label, i,
      tostring(x.rc))
    for _, l in ipairs(display(x.out)) do
      out[#out + 1] = "#     out " .. l
    end
    for _, l in ipairs(display(x.err)) do
      out[#out + 1] = "#     err " .. l
    end
  end
  if VERBOSE == "2" then
    for l in r.effects:gmatch("[^\n]+") do
      out[#out + 1] = "#   [" .. label .. "] " .. l
    end
  end
end

-- Loading cases -------------------------------------------------------

local function load_cases()
  local files = {}
  local ls = capture("ls -1 -- " .. q(TESTS .. "/cases") ..
    " 2>/dev/null")
  for f in ls:gmatch("[^\n]+") do
    if f:match("%.lua$") then
      files[#files + 1] = f
    end
  end
  table.sort(files)
  local cases, seen = {}, {}
  for _, f in ipairs(files) do
    local path = TESTS .. "/cases/" .. f
    local chunk = assert(loadfile(path, "t"))
    local list = chunk()
    assert(type(list) == "table", path .. " must return a table")
    for i, c in ipairs(list) do
      local where = path .. " case " .. i
      assert(type(c) == "table", where .. ": not a table")
      for k, v in pairs(c) do
        local want = CASE_FIELDS[k]
        assert(want, where .. ": unknown field " .. tostring(k))
        assert(want == "any" or type(v) == want,
          where .. ": field " .. k .. " must be a " .. want)
      end
      assert(type(c.name) == "string", where .. ": no name")
      assert(c.cmd, where .. ": no cmd")
      assert(not seen[c.name], where .. ": duplicate name " .. c.name)
      for k in pairs(c.files or {}) do
        assert(type(k) == "string" and k:match("^[%a_][%w_]*$") and
          not ({ T = 1, NS = 1, IP = 1, MON = 1 })[k],
          where .. ": bad file variable " .. tostring(k))
      end
      seen[c.name] = true
      c.file = f
      cases[#cases + 1] = c
    end
  end
  return cases
end

-- Host state ----------------------------------------------------------

local function host_state()
  return capture("stat -c '%F %a %n' /run/netns 2>&1; " ..
    "ls -A1b /run/netns 2>&1; " ..
    "grep netns /proc/self/mountinfo; " ..
    q(IP) .. " netns list 2>&1; ls -d /etc/netns 2>&1")
end

-- If this process dies without cleaning up (e.g. SIGPIPE when the output
-- goes to `head`), a background shell removes the temp dir and the
-- /etc/netns it created.  After a normal end the temp dir is gone already
-- and the watchdog does nothing.
local function start_watchdog(state)
  local pid = trim(capture("echo $PPID"))
  if not pid:match("^%d+$") then
    return
  end
  local base = q(state.base)
  local clean = "[ -e " .. base .. "/created-etc-netns ] && " ..
    "rmdir /etc/netns; rm -rf -- " .. base
  execute("(while kill -0 " .. pid .. " 2>/dev/null; do sleep 0.5; done;" ..
    " if [ -d " .. base .. " ]; then " .. clean .. "; fi)" ..
    " </dev/null >/dev/null 2>&1 &")
end

-- Main ----------------------------------------------------------------

local function main(state)
  local cases = load_cases()
  local selected = {}
  for _, c in ipairs(cases) do
    if not FILTER or c.name:find(FILTER, 1, true) then
      selected[#selected + 1] = c
    end
  end
  local is_root = trim(capture("id -u")) == "0"
  local have_bin = execute("test -x " .. q(NETNS))
  io.write("1.." .. (#selected + 1) .. "\n")
  if not have_bin then
    io.write("# binary under test not found: " .. NETNS .. "\n")
  end
  local n, passed, failed, skipped = 0, 0, 0, 0
  local before = host_state()
  if is_root then
    state.base = trim(capture("mktemp -d /tmp/netns-test.XXXXXX"))
    assert(state.base:match("^/tmp/netns%-test%."), "mktemp failed")
    start_watchdog(state)
    ensure_etc(state)
  end
  for _, c in ipairs(selected) do
    n = n + 1
    if not is_root then
      skipped = skipped + 1
      io.write(string.format("ok %d - %s # SKIP not root\n", n, c.name))
    else
      local out = {}
      local dir = string.format("%s/%03d", state.base, n)
      local only = c.expect ~= nil or c.check ~= nil
      local a, b
      if not only and have_bin then
        a = run_side(state, c, dir .. ".ip", IPWRAP, true)
      end
      if have_bin then
        b = run_side(state, c, dir .. ".ns", NETNS, NETNS_IS_IP)
        if only then
          compare_expect(c, b, out)
        else
          compare_diff(c, a, b, out)
        end
      else
        out[#out + 1] = "# binary under test not found: " .. NETNS
      end
      for _, r in ipairs({ a or false, b or false }) do
        if r and #out > 0 and r.setup_err ~= "" then
          out[#out + 1] = "# setup stderr (" ..
            (r == a and "ip" or "netns") .. "):"
          for _, l in ipairs(display(r.setup_err)) do
            out[#out + 1] = "#   " .. l
          end
        end
      end
      execute("rm -rf -- " .. q(dir .. ".ip") .. " " .. q(dir .. ".ns"))
      if #out == 0 then
        passed = passed + 1
        io.write(string.format("ok %d - %s\n", n, c.name))
      else
        failed = failed + 1
        io.write(string.format("not ok %d - %s\n", n, c.name))
        if c.note then
          out[#out + 1] = "# note: " .. c.note
        end
      end
      if VERBOSE then
        if a then
          verbose_dump("ip", a, out)
        end
        if b then
          verbose_dump("netns", b, out)
        end
      end
      if #out > 0 then
        io.write(table.concat(out, "\n"), "\n")
      end
    end
    io.flush()
  end
  -- The last test: nothing survived on the host.
  n = n + 1
  if state.created_etc then
    execute("rmdir /etc/netns")
    state.created_etc = false
  end
  local after = host_state()
  if before == after then
    passed = passed + 1
    io.write(string.format("ok %d - host left unchanged\n", n))
  else
    failed = failed + 1
    io.write(string.format("not ok %d - host left unchanged\n", n))
    local out = {}
    diff(before, after, "before", "after", out)
    io.write(table.concat(out, "\n"), "\n")
  end
  local summary = string.format("%d passed, %d failed", passed, failed)
  if skipped > 0 then
    summary = summary .. string.format(", %d skipped", skipped)
  end
  io.write(summary, "\n")
  return failed == 0
end

local state = {}
local ok, res = pcall(main, state)
if state.created_etc then
  os.execute("rmdir /etc/netns")
end
if state.base and state.base:match("^/tmp/netns%-test%.") then
  os.execute("rm -rf -- " .. q(state.base))
end
if not ok then
  io.stderr:write("run.lua: ", tostring(res), "\n")
  os.exit(2)
end
os.exit(res and 0 or 1)
