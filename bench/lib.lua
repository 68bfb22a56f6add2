-- bench/lib.lua: the library loops of bench/run's scenario 3.
--
--   netns bench/lib.lua run N NAME   N calls of netns.run(NAME, fn)
--   netns bench/lib.lua handle N NAME  the same with a handle of
--                                    netns.open(NAME) instead of NAME
--   netns bench/lib.lua nsid N NAME  N RTM_GETNSID look-ups of NAME over
--                                    one socket, as the floor does them
--
-- The interpreter has no wall clock, so bench/run times the whole process
-- and subtracts a run with N = 0, which costs only the start-up.

local netns = require "netns"
local rtnl = require "netns.core.rtnl"
local fs = require "netns.core.fs"

local mode, count, name = ...
local n = math.tointeger(tonumber(count))
if (mode ~= "run" and mode ~= "handle" and mode ~= "nsid") or not n
  or n < 0 or not name then
  io.stderr:write("usage: netns bench/lib.lua run|handle|nsid N NAME\n")
  os.exit(2)
end

local function yes()
  return true
end

if mode == "run" or mode == "handle" then
  local target = name
  if mode == "handle" then
    target = assert(netns.open(name))
  end
  for _ = 1, n do
    local ok, msg = netns.run(target, yes)
    if not ok then
      error(msg)
    end
  end
else
  local sock = assert(rtnl.open())
  local fd = assert(fs.open(netns.RUN_DIR .. "/" .. name))
  for _ = 1, n do
    local id, msg = sock:get_nsid(fd)
    if not id then
      error(msg)
    end
  end
  fd:close()
  sock:close()
end
