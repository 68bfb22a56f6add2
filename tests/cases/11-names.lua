-- §1.3 name validation and unusual names (one namespace per case, so
-- that the readdir order does not matter).
local x255 = string.rep("x", 255)
local x256 = string.rep("y", 256)
local u255 = string.rep("\u{e9}", 127) .. "z" -- 255 bytes of UTF-8

local function name_case(label, name)
  return {
    name = "name: " .. label,
    cmd = {
      "$NS add " .. name, "$NS list", "$NS -j list", "$NS -j -p list",
      "$NS set " .. name .. " 7", "$NS list", "$NS list-id",
      "$NS -j list-id", "$NS exec " .. name .. " $NS identify",
      "$NS pids " .. name, "$NS delete " .. name, "$NS list",
    },
  }
end

-- netns does not make names with control characters (a difference, in
-- differences.lua); one made by ip must still list, print and delete
-- as ip does.
local function made_by_ip(label, name, no_json)
  return {
    name = "name: made by ip, " .. label,
    setup = "$IP netns add " .. name,
    cmd = {
      "$NS list", no_json and "true" or "$NS -j list",
      no_json and "true" or "$NS -j -p list",
      "$NS set " .. name .. " 7", "$NS list", "$NS list-id",
      no_json and "true" or "$NS -j list-id",
      "$NS exec " .. name .. " $NS identify",
      "$NS pids " .. name, "$NS delete " .. name, "$NS list",
    },
  }
end

return {
  name_case("with a space", "'a b'"),
  name_case("with double quotes", [['"q"']]),
  name_case("with a single quote", [["it's"]]),
  name_case("with a backslash", [['back\slash']]),
  name_case("with a leading dash", "-x"),
  name_case("double dash", "--"),
  name_case("UTF-8", "'\u{f1}\u{e9}\u{2713}'"),
  made_by_ip("with a tab", [["$(printf 'a\tb')"]]),
  made_by_ip("with a newline", [["$(printf 'a\nb')"]]),
  -- netns writes \u0001 where ip prints the raw byte: in 34-json.lua
  made_by_ip("with CR and control bytes", [["$(printf 'a\r\001\033b')"]],
    true),
  name_case("255 bytes", x255),
  name_case("255 bytes of UTF-8", u255),
  name_case("dots that are not . or ..", "...."),
  name_case("hidden", ".hidden"),
  name_case("with # and $", "'a#b$c'"),
  {
    name = "name: 256 bytes is rejected by every command",
    cmd = {
      "$NS add " .. x256, "$NS delete " .. x256, "$NS set " .. x256 .. " 1",
      "$NS exec " .. x256 .. " true", "$NS pids " .. x256,
      "$NS attach " .. x256 .. " $$", "$NS identify " .. x256,
      "$NS -n " .. x256 .. " list", "$NS list",
    },
  },
  {
    name = "name: 256 bytes under -all is not validated",
    cmd = { "$NS -all set " .. x256 .. " 1",
      "$NS -all delete " .. x256, "$NS list" },
  },
  {
    name = "name: invalid names under -all",
    cmd = { "$NS -all set a/b 5", "$NS -all identify a/b",
      "$NS -all pids a/b", "$NS -all delete a/b", "$NS list" },
  },
  {
    name = "name: invalid names for set, exec, pids, attach, delete",
    cmd = { "$NS set .. 1", "$NS exec a/b true", "$NS pids .",
      '$NS attach "" $$', "$NS delete ..", "$NS list-id a/b",
      "$NS monitor ''", "$NS set '' auto" },
  },
  {
    name = "name: -n with invalid names",
    cmd = { '$NS -n "" list', "$NS -n .. list", "$NS -n . identify",
      "$NS -n /proc/1/ns/net list", "$NS -n a/b list" },
  },
  {
    name = "name: -n with invalid names, run dir present",
    setup = "$NS add a",
    cmd = { '$NS -n "" list', "$NS -n .. list", "$NS -n . identify",
      "$NS -n /proc/1/ns/net list", "$NS -n a/b list", "$NS -n a/ list" },
  },
  {
    name = "name: 255-byte name skips /etc/netns binds",
    setup = "$NS add " .. x255 .. "\nmkdir /etc/netns/" .. x255 .. "\n" ..
      "echo 'nameserver 192.0.2.9' > /etc/netns/" .. x255 ..
      "/resolv.conf",
    cmd = { "$NS exec " .. x255 .. " md5sum /etc/resolv.conf",
      "md5sum /etc/resolv.conf" },
  },
}
