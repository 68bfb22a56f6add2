-- netns monitor and netns list-id: the commands that speak of nsids,
-- loaded only when one of them runs.

local cli = require "netns.cli"
local ops = require "netns._ops"
local fs = require "netns.core.fs"

local M = {}

local die, warn, out, check = cli.die, cli.warn, cli.out, cli.check
local long_running = cli.long_running
local socket, print_json, parse_s32 = cli.socket, cli.print_json,
  cli.parse_s32

-- The id to name map list-id prints from: the first name in directory
-- order for each id. Refused names are reported, as iproute2 does.
local function nsid_cache(sock, quiet)
  local cache = {}
  for _, name in ipairs(ops.names() or {}) do
    local id, msg = ops.nsid_of(sock, name)
    if msg and not quiet then
      warn(msg)
    end
    if id and id >= 0 and not cache[id] then
      cache[id] = name
    end
  end
  return cache
end

-- iproute2 looks the name up by current-nsid when there is one, and
-- takes it out of the cache; otherwise, or when the cache misses, it
-- scans the directory for a name whose id here equals nsid, and puts
-- what it found back under nsid. We keep its answers, odd ones included,
-- but for one thing: each list-id makes its cache anew, where a batch of
-- ip shares one and loses the names earlier lines took out (netns(8)).
local function nsid_name(sock, cache, rec)
  local key = rec.current or rec.nsid
  local name = cache[key]
  if name then
    cache[key] = nil
    return name
  end
  for _, entry in ipairs(ops.names() or {}) do
    local id, msg = ops.nsid_of(sock, entry)
    if msg then
      warn(msg)
    end
    if (id or -1) == rec.nsid then
      cache[rec.nsid] = entry
      return entry
    end
  end
end

local function nsid_text(rec, name)
  local s = "nsid " .. (rec.nsid >= 0 and rec.nsid or "unassigned") .. " "
  if rec.current then
    s = s .. "current-nsid "
      .. (rec.current >= 0 and rec.current or "unassigned") .. " "
  end
  if name then
    s = s .. "(iproute2 netns name: " .. name .. ")"
  end
  return s .. "\n"
end

local function json_record(w, rec, name)
  w:start_object()
  w:fields("nsid", rec.nsid >= 0 and rec.nsid or nil,
    "current-nsid", rec.current and rec.current >= 0 and rec.current or nil,
    "name", name)
  w:end_object()
end

-- iproute2 looks each name up as it prints its record, and flushes the
-- record (as it does monitor events), JSON too: in a file that has
-- stderr as well, a record comes before the errors of the next look-up
-- and of later batch lines.
local function print_nsids(ctx, sock, cache, recs)
  local w = ctx.json and require("netns._json").writer(ctx.pretty)
  if w then
    w:start_array()
  end
  for _, rec in ipairs(recs) do
    local name = nsid_name(sock, cache, rec)
    if w then
      json_record(w, rec, name)
      out(w:take())
    else
      out(nsid_text(rec, name))
    end
    io.stdout:flush()
  end
  if w then
    w:end_array()
    out(w:take() .. "\n")
    io.stdout:flush()
  end
end

local function print_event(ctx, fields)
  if ctx.json then
    local w = require("netns._json").writer(ctx.pretty)
    w:start_object()
    w:fields(table.unpack(fields))
    w:end_object()
    out(w:text() .. "\n")
  else
    out(fields.text .. "\n")
  end
end

local function name_event(ctx, ev)
  print_event(ctx, { "event", ev.event, "name", ev.name,
    text = ev.event .. " " .. ev.name })
end

-- An nsid notification, printed as `ip monitor nsid` prints it; names
-- come from a map kept up to date as ids come and go.
local function nsid_event(ctx, sock, names, ev)
  local name
  if ev.event == "new" then
    for _, entry in ipairs(ops.names() or {}) do
      if ops.nsid_of(sock, entry) == ev.nsid then
        name = entry
        break
      end
    end
    names[ev.nsid] = name
  else
    name = names[ev.nsid]
    names[ev.nsid] = nil
  end
  local deleted = ev.event == "del"
  local rec = { nsid = ev.nsid, current = ev.current }
  print_event(ctx, { "deleted", deleted or nil,
    "nsid", ev.nsid >= 0 and ev.nsid or nil,
    "current-nsid", ev.current and ev.current >= 0 and ev.current or nil,
    "name", name,
    text = (deleted and "Deleted " or "") .. nsid_text(rec, name):sub(1, -2) })
end

-- `monitor` prints names as they come and go, a line at a time; with the
-- word `nsid` after it, the kernel's nsid notifications too.
function M.monitor(ctx, args)
  long_running()
  local fd, msg = ops.watch()
  if not fd then
    return check(nil, msg)
  end
  local fds, nl, sock, names = { fd }, nil, nil, nil
  if args[1] == "nsid" then
    nl, msg = require("netns.core.rtnl").open_monitor()
    if not nl then
      return check(nil, "Cannot open netlink socket: " .. msg)
    end
    sock = socket()
    names = nsid_cache(sock, true)
    fds[2] = nl:fileno()
  end
  while true do
    local ready, perr = fs.poll(fds)
    if not ready then
      return check(nil, "poll failed: " .. perr)
    end
    for _, i in ipairs(ready) do
      if i == 1 then
        local events, emsg = ops.events(fd)
        if not events then
          return check(nil, emsg)
        end
        for _, ev in ipairs(events) do
          name_event(ctx, ev)
        end
      else
        local events, emsg = nl:events()
        if not events then
          return check(nil, "read failed: " .. emsg)
        end
        for _, ev in ipairs(events) do
          nsid_event(ctx, sock, names, ev)
        end
      end
    end
    io.stdout:flush()
  end
end

local function list_id_value(args, i, key)
  local word = args[i + 1]
  if not word then
    die(255, 'Command line is not complete. Try option "help"')
  end
  local v = parse_s32(word)
  if not v then
    die(255, ('Error: argument "%s" is wrong: "%s" value is invalid')
      :format(word, key))
  end
  if v < 0 then
    die(255, ('Error: argument "%s" is wrong: "%s" value should be >= 0')
      :format(args[i + 2] or "(null)", key))
  end
  return v
end

local function list_id_args(args)
  local opts, i = {}, 1
  while i <= #args do
    local key = args[i]
    if key ~= "target-nsid" and key ~= "nsid" then
      io.stderr:write(cli.USAGE)
      die(255)
    end
    if opts[key] then
      die(255, ('Error: duplicate "%s": "%s" is the second value.')
        :format(key, key))
    end
    opts[key] = list_id_value(args, i, key)
    i = i + 2
  end
  return opts["target-nsid"], opts.nsid
end

function M.list_id(ctx, args)
  local sock = socket()
  local cache = nsid_cache(sock)
  local target, nsid = list_id_args(args)
  local recs, msg, _, ktext
  if nsid then
    local rec
    rec, msg, _, ktext = sock:nsid(nsid, target)
    if not rec then
      warn(ops.netlink_message(msg, ktext))
      return 2
    end
    recs = { rec }
  else
    recs, msg, _, ktext = sock:dump_nsids(target)
    if not recs then
      warn(ops.netlink_message(msg, ktext))
      -- iproute2 has opened its JSON array when the dump fails, and
      -- closes it on the way out, before its last words
      if ctx.json then
        print_json(ctx, {})
      end
      die(1, "Dump terminated")
    end
  end
  print_nsids(ctx, sock, cache, recs)
  sock:close()
  return 0
end

return M
