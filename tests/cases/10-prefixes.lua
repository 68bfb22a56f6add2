-- §1.2: every prefix of every subcommand keyword, and near misses.
local function prefixes(word, from)
  local r = {}
  for i = from, #word do
    r[#r + 1] = word:sub(1, i)
  end
  return r
end

local function each(words, fmt)
  local r = {}
  for _, w in ipairs(words) do
    r[#r + 1] = fmt:gsub("%%W", w)
  end
  return r
end

local function join(...)
  local r = {}
  for _, t in ipairs({ ... }) do
    for _, x in ipairs(t) do
      r[#r + 1] = x
    end
  end
  return r
end

local sleeper = "spawn P $NS exec a sleep 30\nawait_comm $P sleep"

return {
  {
    name = "prefix: list, show, lst",
    setup = "$NS add a; $NS set a 3",
    cmd = join(each(prefixes("list", 1), "$NS %W"),
      each(prefixes("show", 1), "$NS %W"),
      each(prefixes("lst", 2), "$NS %W"),
      each({ "l", "s", "ls" }, "$NS -j %W")),
  },
  {
    name = "prefix: list-id",
    setup = "$NS add a; $NS set a 3",
    cmd = each(prefixes("list-id", 5), "$NS %W"),
  },
  {
    name = "prefix: help",
    cmd = each(prefixes("help", 1), "$NS %W"),
  },
  {
    name = "prefix: add",
    cmd = join(each(prefixes("add", 1), "$NS %W n_%W"), { "$NS list" }),
    sorted = true,
  },
  {
    name = "prefix: set",
    setup = "$NS add a; $NS add b",
    cmd = { "$NS se a 1", "$NS set b 2", "$NS list-id" },
  },
  {
    name = "prefix: delete",
    setup = "for n in d de del dele delet delete; do $NS add n_$n; done",
    cmd = join(each(prefixes("delete", 1), "$NS %W n_%W"), { "$NS list" }),
  },
  {
    name = "prefix: identify",
    setup = "$NS add a\n" .. sleeper,
    cmd = join(each(prefixes("identify", 1), "$NS %W"),
      each(prefixes("identify", 1), "$NS %W $P")),
  },
  {
    name = "prefix: pids",
    setup = "$NS add a\n" .. sleeper,
    cmd = each(prefixes("pids", 1), "$NS %W a"),
  },
  {
    name = "prefix: exec",
    setup = "$NS add a",
    cmd = each(prefixes("exec", 1), "$NS %W a sh -c 'echo %W; exit 3'"),
  },
  {
    name = "prefix: monitor",
    cmd = each(prefixes("monitor", 1),
      "mon_start $T/mon %W\ntouch /run/netns/f_%W\nmon_stop 1"),
  },
  {
    name = "prefix: attach",
    setup = "$NS add a\n" .. sleeper,
    cmd = join(each(prefixes("attach", 2), "$NS %W n_%W $P"),
      { "$NS list", "$NS identify $P" }),
    sorted = true,
  },
  {
    name = "prefix: near misses are unknown commands",
    setup = "$NS add a",
    cmd = each({ "List", "LIST", "lista", "listid", "list_id", "list-idx",
      "lstx", "showw", "helpx", "addd", "sett", "deletee", "identifyy",
      "pidss", "execc", "monitorr", "attachh", "-list", "x", " list",
      "list ", "lis-id", "ids" }, "$NS '%W' a"),
  },
  {
    name = "prefix: the name check runs before dispatch",
    cmd = { "$NS foo ..", "$NS list ..", "$NS help a/b", "$NS help ''",
      "$NS monitor ..", "$NS list-id ''", "$NS lis .", "$NS help ok" },
  },
}
