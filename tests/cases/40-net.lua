-- Issue 4: links, addresses, routes and sysctls (netns.net, the C modules
-- netns.core.link/addr/route) and topologies (netns.topology and the
-- scripts pair.lua, router.lua, bridge.lua), checked against the kernel's
-- state with ip(8) inside the test sandbox. Every link is made inside the
-- sandbox's own network namespaces; pings go only between them, to
-- documentation addresses.

local source = debug.getinfo(1, "S").source
local ROOT = source:match("^@(.*)/tests/cases/[^/]*$") or "."
local SCRIPTS = ROOT .. "/scripts"

-- The sandbox's own links, to compare before and after.
local SAVE_LINKS = "ip -o link | cut -d: -f2 > $T/links.before"
local SAME_LINKS = "ip -o link | cut -d: -f2 | diff $T/links.before -"

return {
  {
    name = "net: veth ends in the namespaces asked for, with mtu, mac, up",
    setup = "$NS add a; $NS add b; " .. SAVE_LINKS,
    files = {
      P = [[
local net = require "netns.net"
assert(net.veth("a", "va", "b", "vb", { mtu = 1400, up = true }))
assert(net.set_mac("a", "va", "02:00:00:00:00:0a"))
assert(net.veth(nil, "h0", "b", "h1"))
]],
    },
    cmd = "$NS $P",
    check = [[
set -e
ip -n a -o link show va | grep -q 'mtu 1400'
ip -n a -o link show va | grep -q 'link/ether 02:00:00:00:00:0a'
ip -n a -o link show va | grep -q '[<,]UP[,>]'
ip -n b -o link show vb | grep -q 'mtu 1400'
ip -n b -o link show vb | grep -q '[<,]UP[,>]'
ip -n b -o link show vb | grep -q 'state UP'
ip -n b -o link show h1 | grep -q 'state DOWN'
ip -o link show h0 | grep -q 'link-netns b'
! ip -n a -o link show vb 2>/dev/null
! ip -n b -o link show va 2>/dev/null
ip link del h0
]] .. SAME_LINKS,
  },
  {
    name = "net: a ping crosses a veth pair between two namespaces",
    setup = "$NS add a; $NS add b",
    files = {
      P = [[
local net = require "netns.net"
assert(net.lo_up("a"))
assert(net.veth("a", "va", "b", "vb", { up = true }))
assert(net.addr_add("a", "va", "198.51.100.1/24"))
assert(net.addr_add("b", "vb", "198.51.100.2/24"))
]],
    },
    cmd = "$NS $P",
    check = [[
set -e
ip -n a -o link show lo | grep -q 'LOWER_UP'
ip netns exec a ping -c1 -W2 198.51.100.2
ip netns exec b ping -c1 -W2 198.51.100.1
]],
  },
  {
    -- as luaL_argerror does: at the line that called the function, not
    -- inside the library (whose compiled-in lines read "?")
    name = "net: a bad argument is reported at the caller's line",
    files = {
      P = [[
local net = require "netns.net"
print(select(2, pcall(function()
  net.addr_add(nil, "lo", 5)
end)))
net.veth(nil, nil)
]],
    },
    cmd = "$NS $P 2>$T/err; echo status $?; head -2 $T/err",
    expect = {
      out = "$T/P:3: bad argument #3 to 'addr_add' (address expected, " ..
        "got number)\nstatus 1\nnetns: $T/P:5: bad argument #2 to " ..
        "'veth' (interface name expected, got nil)\nstack traceback:\n",
      err = "", rc = 0,
    },
  },
  {
    -- what the C functions refuse is told as the public function's
    -- argument, at the caller's line; a peer namespace's descriptor,
    -- opened for the request, is closed all the same
    name = "net: values the kernel interface refuses are bad arguments",
    setup = "$NS add a; $NS add b",
    files = {
      P = [[
local net = require "netns.net"
local fs = require "netns.core.fs"
local function fds()
  return #fs.readdir("/proc/self/fd")
end
-- the first call opens what the library keeps (its way home)
assert(not pcall(net.veth, "a", "v0", "b", "v1", { mtu = -5 }))
local before = fds()
for _ = 1, 20 do
  assert(not pcall(net.veth, "a", "v0", "b", "v1", { mtu = -5 }))
end
print(fds() == before)
print(select(2, pcall(net.veth, "a", "v0", "b", "v1", { mtu = -5 })))
print(select(2, pcall(net.veth, "a", "v0", "b", ("p"):rep(16))))
print(select(2, pcall(net.dummy, "a", "d0", { address = "zz" })))
print(select(2, pcall(net.set_mtu, "a", "lo", -1)))
print(select(2, pcall(net.set_mac, "a", "lo", "zz")))
print(select(2, pcall(net.addr_add, "a", "lo", "198.51.100.1/40")))
print(select(2, pcall(net.route_add, "a", { dst = "nowhere" })))
print(select(2, pcall(net.routes, "a", "ipv9")))
print(select(2, pcall(function()
  net.route_del("a", { dst = "198.51.100.0/24", table = -1 })
end)))
print(net.addrs("a", "nosuch"))
print(select(2, pcall(net.enslave, "a", "lo", 1 << 40)))
print(select("#", net.lo_up("a")), select("#", net.up("a", "lo")),
  select("#", net.bridge("a", "b0")), select("#", net.set_mtu("a", "b0", 1400)),
  select("#", net.down("a", "b0")), select("#", net.up("a", "nosuch")))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = "true\n" ..
        "bad argument #5 to 'veth' (field 'mtu' out of range)\n" ..
        "bad argument #4 to 'veth' (invalid interface name " ..
        '"pppppppppppppppp")\n' ..
        "bad argument #3 to 'dummy' (invalid address 'zz')\n" ..
        "bad argument #3 to 'set_mtu' (field 'mtu' out of range)\n" ..
        "bad argument #3 to 'set_mac' (invalid address 'zz')\n" ..
        "bad argument #3 to 'addr_add' (invalid prefix length)\n" ..
        "bad argument #2 to 'route_add' (invalid dst 'nowhere')\n" ..
        "bad argument #2 to 'routes' (invalid option 'ipv9')\n" ..
        "$T/P:22: bad argument #2 to 'route_del' (field 'table' out of " ..
        "range)\n" ..
        "nil\tcannot list addresses of nosuch in a: RTNETLINK answers: " ..
        "No such device\t19\n" ..
        "bad argument #3 to 'enslave' (interface name or index expected, " ..
        "got 1099511627776)\n" ..
        "1\t1\t1\t1\t1\t3\n",
      err = "", rc = 0,
    },
  },
  {
    name = "net: handles keep one socket per namespace, and a port made"
      .. " in its bridge",
    setup = "$NS add hub; $NS add leaf",
    files = {
      P = [[
local netns = require "netns"
local net = require "netns.net"
local hub = assert(netns.open("hub"))
local leaf = assert(netns.open("leaf"))
assert(net.lo_up(leaf))
assert(net.bridge(hub, "br0", { up = true }))
assert(net.veth(hub, "p1", leaf, "eth0", { up = true, master = "br0" }))
assert(net.addr_add(leaf, "eth0", "198.51.100.1/24"))
assert(net.addr_add(hub, "br0", "198.51.100.2/24"))
local sock = hub.sock
assert(net.up(hub, "br0"))
print(sock ~= nil and hub.sock == sock, leaf.sock ~= nil)
print(net.veth(hub, "p2", leaf, "eth1", { master = "nosuch" }))
print(net.up(hub, "nosuch"))
print(pcall(net.veth, hub, "p3", leaf, "e3", { master = true }))
print(pcall(net.veth, hub, "p3", leaf, "e3", { master = -1 }))
print(select("#", net.veth(hub, "p4", leaf, "e4", { up = true })),
  select("#", net.veth(hub, "p5", leaf, "e5")),
  select("#", net.move(leaf, "e5", hub)))
hub:close()
print(hub.sock, pcall(net.up, hub, "br0"))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = "true\ttrue\n" ..
        "nil\tcannot create veth p2 in hub with peer eth1 in leaf, a port" ..
        " of nosuch: " ..
        "RTNETLINK answers: No such device\t19\n" ..
        "nil\tcannot bring nosuch up in hub: RTNETLINK answers: No such " ..
        "device\t19\n" ..
        "false\tbad argument #5 to 'veth' (option 'master' must be a " ..
        "device name or index)\n" ..
        "false\tbad argument #5 to 'veth' (interface name or index " ..
        "expected, got -1)\n" ..
        "1\t1\t1\n" ..
        'nil\tfalse\tnamespace handle of "hub" is closed\n',
      err = "", rc = 0,
    },
    check = [[
set -e
ip -n hub -o link show p1 | grep -q 'master br0'
ip -n hub -o link show p1 | grep -q 'state UP'
ip -n leaf -o link show eth0 | grep -q 'state UP'
! ip -n hub -o link show p2 2>/dev/null
! ip -n leaf -o link show eth1 2>/dev/null
ip netns exec leaf ping -c1 -W2 198.51.100.2
]],
  },
  {
    name = "net: bridge ports, release, rename, mtu, down, move, delete",
    setup = "$NS add a; $NS add b",
    files = {
      P = [[
local net = require "netns.net"
local fs = require "netns.core.fs"
assert(net.bridge("a", "br0", { up = true }))
assert(net.veth("a", "p1", "a", "p2"))
assert(net.enslave("a", "p1", "br0"))
assert(net.enslave("a", "p2", "br0"))
assert(net.release("a", "p2"))
assert(net.rename("a", "p2", "q2"))
assert(net.set_mtu("a", "q2", 1280))
assert(net.up("a", "q2"))
assert(net.down("a", "q2"))
assert(net.veth("a", "m1", "a", "m2"))
assert(net.move("a", "m1", "b"))
assert(net.veth("a", "n1", "a", "n2"))
local fd = assert(fs.open("/run/netns/b"))
assert(net.move("a", "n1", fd))
fd:close()
assert(net.veth("b", "k1", "b", "k2"))
assert(net.move("b", "k1", { pid = tonumber(io.open("/proc/self/stat")
  :read("l"):match("^%d+")) }))
assert(net.delete_link(nil, "k1"))
]],
    },
    cmd = "$NS $P",
    check = [[
set -e
ip -n a -o link show p1 | grep -q 'master br0'
! ip -n a -o link show q2 | grep -q master
ip -n a -o link show q2 | grep -q 'mtu 1280'
ip -n a -o link show q2 | grep -q 'state DOWN'
! ip -n a -o link show p2 2>/dev/null
ip -n b -o link show m1 | grep -q 'm1@'
ip -n b -o link show n1 | grep -q 'n1@'
! ip -n a -o link show m1 2>/dev/null
! ip -n b -o link show k2 2>/dev/null
! ip -o link show k1 2>/dev/null
]],
  },
  {
    -- the kernel's SIOCGIFINDEX reads "br9:1" as br9, and a C string ends
    -- at a NUL: neither may reach another device than the one named
    name = "net: a device name with a colon or a NUL names no device",
    setup = "$NS add a",
    files = {
      P = [[
local net = require "netns.net"
assert(net.bridge("a", "br9"))
print(net.index("a", "br9:1"))
print(net.addr_add("a", "br9:1", "198.51.100.1/24"))
print(net.delete_link("a", "br9:0"))
print(net.up("a", "br9:0"))
print(pcall(net.up, "a", "br9\0x"))
print(pcall(net.index, "a", "br9\0x"))
print(pcall(net.route_add, "a", { dst = "198.51.100.0/24", dev = "br9\0" }))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = "nil\tcannot find link br9:1 in a: RTNETLINK answers: No such" ..
        " device\t19\n" ..
        "nil\tcannot add address 198.51.100.1/24 to br9:1 in a: RTNETLINK" ..
        " answers: No such device\t19\n" ..
        "nil\tcannot delete link br9:0 in a: RTNETLINK answers: No such" ..
        " device\t19\n" ..
        "nil\tcannot bring br9:0 up in a: RTNETLINK answers: No such" ..
        " device\t19\n" ..
        "false\tbad argument #2 to 'up' (interface name or index" ..
        ' expected, got "br9\\0x")\n' ..
        "false\tbad argument #2 to 'index' (invalid interface name" ..
        ' "br9\\0x")\n' ..
        "false\tbad argument #2 to 'route_add' (invalid interface name" ..
        " in field 'dev')\n",
      rc = 0,
    },
    check = [[
ip -n a -o link show br9 >/dev/null && ! ip -n a -o addr show br9 | grep -q inet
]],
  },
  {
    name = "net: a link made straight in another namespace by descriptor",
    setup = "$NS add a",
    files = {
      P = [[
local link = require "netns.core.link"
local rtnl = require "netns.core.rtnl"
local fs = require "netns.core.fs"
local s = assert(rtnl.open())
local fd = assert(fs.open("/run/netns/a"))
assert(link.add(s, { kind = "bridge", name = "b9", netns = fd, mtu = 1300,
  address = "02:00:00:00:00:99" }))
print(link.index(s, "b9"))
]],
    },
    cmd = "$NS $P",
    expect = { out = "nil\tNo such device\t19\n", rc = 0 },
    check = [[
ip -n a -o link show b9 | grep 'mtu 1300' | grep -q '02:00:00:00:00:99'
]],
  },
  {
    name = "net: links as listed agree with ip link",
    setup = "$NS add a",
    files = {
      P = [[
local net = require "netns.net"
assert(net.veth("a", "va", "a", "vb", { mtu = 1450 }))
assert(net.bridge("a", "br0", { mtu = 1400 }))
assert(net.up("a", "br0"))
assert(net.enslave("a", "vb", "br0"))
-- A port's mtu caps the bridge's; set after, the bridge's own stays.
assert(net.set_mtu("a", "br0", 1400))
for _, l in ipairs(assert(net.links("a"))) do
  print(l.index, l.name, l.mtu, l.up and "up" or "down", l.kind or "-",
    l.master or "-", l.address, table.concat(l.flags, ","))
end
]],
    },
    cmd = "$NS $P",
    check = [[
set -e
ip -n a -o link |
  sed -E 's/^([0-9]+): ([^:@]+)[@:].* mtu ([0-9]+) .*/\1 \2 \3/' > $T/ip.txt
awk '{ print $1, $2, $3 }' $T/out.1 | diff $T/ip.txt -
tr '\t' ' ' < $T/out.1 > $T/out.txt
grep -q '^[0-9]* br0 1400 up bridge - ' $T/out.txt
mac=$(awk '$2 == "br0" { print $7 }' $T/out.txt)
ip -n a link show br0 | grep -q "link/ether $mac "
idx=$(awk '$2 == "br0" { print $1 }' $T/out.txt)
grep -q " vb 1450 down veth $idx " $T/out.txt
grep -q ' lo 65536 down - - 00:00:00:00:00:00 LOOPBACK$' $T/out.txt
]],
  },
  {
    name = "net: addresses, added and deleted, as ip addr shows them",
    setup = "$NS add a",
    files = {
      P = [[
local net = require "netns.net"
assert(net.lo_up("a"))
assert(net.bridge("a", "br0", { up = true }))
assert(net.addr_add("a", "br0", "198.51.100.1/24"))
assert(net.addr_add("a", "br0", "203.0.113.9/28"))
assert(net.addr_add("a", "br0", "fd00::1/64"))
assert(net.addr_add("a", "lo", "192.0.2.1"))
assert(net.addr_del("a", "br0", "203.0.113.9/28"))
local names = {}
for _, l in ipairs(net.links("a")) do
  names[l.index] = l.name
end
for _, x in ipairs(assert(net.addrs("a"))) do
  print(names[x.index], x.family, x.address .. "/" .. x.prefixlen, x.scope)
end
print("br0 only:", #assert(net.addrs("a", "br0")))
]],
    },
    cmd = "$NS $P",
    check = [[
set -e
ip -n a -o addr | awk '{ print $2, $3, $4, $6 }' | sort > $T/ip.txt
grep -v '^br0 only' $T/out.1 | tr '\t' ' ' | sort | diff $T/ip.txt -
[ "$(ip -n a -o addr show br0 | wc -l)" = \
  "$(sed -n 's/^br0 only:\t//p' $T/out.1)" ]
! ip -n a addr | grep -q 203.0.113.9
ip -n a -o addr show lo | grep -q '192.0.2.1/32 scope global'
]],
  },
  {
    name = "net: routes added, listed and deleted as ip route shows them",
    setup = "$NS add a",
    files = {
      P = [[
local net = require "netns.net"
assert(net.veth("a", "va", "a", "vb", { up = true }))
assert(net.addr_add("a", "va", "198.51.100.1/24"))
assert(net.addr_add("a", "va", "fd00::1/64"))
assert(net.route_add("a", { dst = "default", via = "198.51.100.254" }))
assert(net.route_add("a", { dst = "203.0.113.0/24", dev = "va" }))
assert(net.route_add("a", { dst = "192.0.2.0/24", dev = "va",
  table = 100 }))
assert(net.route_add("a", { dst = "203.0.113.77", via = "198.51.100.2",
  metric = 9 }))
assert(net.route_add("a", { dst = "fd00:1::/64", via = "fd00::2",
  metric = 7 }))
assert(net.route_del("a", { dst = "203.0.113.77" }))
local n = 0
for _, r in ipairs(assert(net.routes("a", "inet"))) do
  if r.table == 254 then
    n = n + 1
    print(r.dst, r.via or "-", r.protocol, r.scope)
  end
end
print("main", n)
for _, r in ipairs(assert(net.routes("a", "inet6"))) do
  if r.dst == "fd00:1::/64" then
    print(r.dst, r.via, r.metric)
  end
end
]],
    },
    cmd = "$NS $P",
    check = [[
set -e
ip -n a route | grep -q '^default via 198.51.100.254 dev va *$'
ip -n a route | grep -q '^203.0.113.0/24 dev va scope link'
ip -n a route show table 100 | grep -q '^192.0.2.0/24 dev va'
ip -6 -n a route | grep -q '^fd00:1::/64 via fd00::2 dev va .*metric 7'
! ip -n a route | grep -q 203.0.113.77
[ "$(ip -n a route | wc -l)" = "$(sed -n 's/^main\t//p' $T/out.1)" ]
grep -q '^default	198.51.100.254	boot	global$' $T/out.1
grep -q '^198.51.100.0/24	-	kernel	link$' $T/out.1
grep -q '^fd00:1::/64	fd00::2	7$' $T/out.1
]],
  },
  {
    name = "net: a failure names action and object and gives the kernel's"
      .. " reason",
    setup = "$NS add a",
    files = {
      P = [[
local net = require "netns.net"
assert(net.veth("a", "va", "a", "vb", { up = true }))
assert(net.addr_add("a", "va", "198.51.100.1/24"))
local function show(...)
  print((select(2, ...)), (select(3, ...)))
end
show(net.route_add("a", { dst = "203.0.113.1/24", via = "198.51.100.2" }))
show(net.route_add("a", { dst = "203.0.113.0/24", via = "192.0.2.1" }))
show(net.addr_add("a", "va", "ff02::1/64"))
show(net.addr_add("a", "va", "198.51.100.1/24"))
show(net.addr_add("a", "nosuch", "198.51.100.1/24"))
show(net.bridge("a", "va"))
show(net.set_mtu("a", "va", 100000))
show(net.veth("nosuch", "x", nil, "y"))
show(net.sysctl("a", "net.ipv4.ip_forward", "x"))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = table.concat({
        "cannot add route 203.0.113.1/24 via 198.51.100.2 in a: Error:"
          .. " Invalid prefix for given prefix length.\t22",
        "cannot add route 203.0.113.0/24 via 192.0.2.1 in a: Error:"
          .. " Nexthop has invalid gateway.\t101",
        "cannot add address ff02::1/64 to va in a: Error: ipv6: Cannot"
          .. ' assign multicast address without "IFA_F_MCAUTOJOIN" flag.\t99',
        "cannot add address 198.51.100.1/24 to va in a: Error: ipv4:"
          .. " Address already assigned.\t17",
        "cannot add address 198.51.100.1/24 to nosuch in a: RTNETLINK"
          .. " answers: No such device\t19",
        "cannot create bridge va in a: RTNETLINK answers: File exists\t17",
        "cannot set mtu 100000 on va in a: Error: mtu greater than device"
          .. " maximum.\t22",
        'cannot create veth x in nosuch with peer y in the current'
          .. ' namespace: Cannot open network namespace "nosuch": No such'
          .. " file or directory\t2",
        "cannot set net.ipv4.ip_forward to x in a:"
          .. " /proc/sys/net/ipv4/ip_forward: Invalid argument\t22",
      }, "\n") .. "\n",
      rc = 0,
    },
  },
  {
    name = "net: dummy links, or the kernel's word that it has none",
    setup = "$NS add a",
    files = {
      P = [[
local net = require "netns.net"
local ok, msg = net.dummy("a", "d0", { mtu = 1280 })
print(ok and "made" or msg)
]],
    },
    cmd = "$NS $P",
    check = [[
if grep -qx made $T/out.1; then
  ip -n a -o link show d0 | grep -q 'mtu 1280'
else
  grep -qx 'cannot create dummy d0 in a: Error: Unknown device type.' \
    $T/out.1
fi
]],
  },
  {
    name = "net: sysctls are the namespace's own",
    setup = "$NS add a; $NS add b",
    files = {
      P = [[
local net = require "netns.net"
assert(net.sysctl("a", "net.ipv4.ip_forward", 1))
assert(net.sysctl("b", "net/ipv4/conf/all/forwarding", "0"))
print(net.sysctl("a", "net.ipv4.ip_forward"),
  net.sysctl("b", "net.ipv4.ip_forward"), net.sysctl(nil,
  "net.ipv4.ip_forward"))
print(pcall(net.sysctl, "a", "kernel.hostname", "x"))
print(pcall(net.sysctl, "a", "net/../kernel/hostname", "x"))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = "1\t0\t0\n"
        .. "false\tbad argument #2 to 'sysctl' (not a net sysctl:"
        .. " kernel.hostname)\n"
        .. "false\tbad argument #2 to 'sysctl' (not a net sysctl:"
        .. " net/../kernel/hostname)\n",
      rc = 0,
    },
    check = [[
set -e
[ "$(ip netns exec a cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
[ "$(ip netns exec b cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
]],
  },
  {
    name = "net: misuse raises",
    files = {
      P = [[
local net = require "netns.net"
local link = require "netns.core.link"
local route = require "netns.core.route"
local rtnl = require "netns.core.rtnl"
local s = assert(rtnl.open())
local function try(...)
  print((select(2, pcall(...))))
end
try(net.up, "a/b", "x")
try(net.up, nil, true)
try(net.veth, nil, "a", nil, "b", { colour = "red" })
try(net.move, nil, "x", nil)
try(net.move, nil, "x", { pid = "1" })
try(link.add, s, { kind = "veth", name = "x", peer = "y", bogus = 1 })
try(link.add, s, { kind = "macvlan", name = "x" })
try(link.add, s, { kind = "dummy", name = "x", peer = "y" })
try(link.add, s, { kind = "dummy", name = "x", address = "01:zz" })
try(link.add, s, { kind = "dummy", name = ("x"):rep(16) })
try(link.set, s, "lo", { master = true })
try(route.add, s, { dst = "203.0.113.0/24", via = "fd00::1" })
try(route.add, s, { dst = "nonsense" })
try(route.add, s, { dst = "default", table = -1 })
try(require("netns.core.addr").add, s, "lo", "198.51.100.1/33")
]],
    },
    cmd = "$NS $P",
    expect = {
      out = table.concat({
        'bad argument #1 to \'up\' (invalid netns name "a/b")',
        "bad argument #2 to 'up' (interface name or index expected, got"
          .. " true)",
        "bad argument #5 to 'veth' (unknown option 'colour')",
        "bad argument #3 to 'move' (namespace name, handle, {pid = N} or"
          .. " descriptor expected)",
        "bad argument #3 to 'move' ({pid = N} expected)",
        "bad argument #2 to 'netns.core.link.add' (unknown option 'bogus')",
        "bad argument #2 to 'netns.core.link.add' (unknown link kind"
          .. " 'macvlan')",
        "bad argument #2 to 'netns.core.link.add' (peer and peer_netns are"
          .. " for veth links only)",
        "bad argument #2 to 'netns.core.link.add' (invalid address"
          .. " '01:zz')",
        "bad argument #2 to 'netns.core.link.add' (invalid name"
          .. " 'xxxxxxxxxxxxxxxx')",
        "bad argument #3 to 'netns.core.link.set' (field 'master' must be a"
          .. " name, an index or false)",
        "bad argument #2 to 'netns.core.route.add' (dst, via and family"
          .. " disagree)",
        "bad argument #2 to 'netns.core.route.add' (invalid dst"
          .. " 'nonsense')",
        "bad argument #2 to 'netns.core.route.add' (field 'table' out of"
          .. " range)",
        "bad argument #3 to 'netns.core.addr.add' (invalid prefix length)",
      }, "\n") .. "\n",
      rc = 0,
    },
    check = "[ -z \"$(ip netns list)\" ] && [ \"$(ip -o link | wc -l)\" = 1 ]",
  },
  {
    name = "net: topology: pair.lua up, status, down",
    setup = SAVE_LINKS,
    cmd = {
      "$NS " .. SCRIPTS .. "/pair.lua up >/dev/null",
      "$NS " .. SCRIPTS .. "/pair.lua status",
      "ip -n pair-a -br addr show pa; ip -n pair-b -br addr show pb",
      "$NS " .. SCRIPTS .. "/pair.lua up",
      "$NS " .. SCRIPTS .. "/pair.lua down",
      "$NS " .. SCRIPTS .. "/pair.lua status",
    },
    expect = {
      { rc = 0, err = "" },
      {
        out = "ok    namespace pair-a\nok    namespace pair-b\n"
          .. "ok    veth pa in pair-a (peer pb in pair-b)\n"
          .. "ok    address 198.51.100.1/24 on pa in pair-a\n"
          .. "ok    address 198.51.100.2/24 on pb in pair-b\n",
        rc = 0,
      },
      false,
      {
        err = SCRIPTS .. '/pair.lua: Cannot create namespace file'
          .. ' "/run/netns/pair-a": File exists\n',
        rc = 1,
      },
      { out = "", err = "", rc = 0 },
      { rc = 1 },
    },
    check = [[
set -e
grep -q '^pa@if2 *UP *198.51.100.1/24' $T/out.3
grep -q '^pb@if2 *UP *198.51.100.2/24' $T/out.3
grep -q 'FAIL  namespace pair-a: missing' $T/out.6
[ -z "$(ip netns list)" ]
]] .. SAME_LINKS,
  },
  {
    name = "net: topology: router.lua forwards left to right, through the"
      .. " router only",
    cmd = {
      "$NS " .. SCRIPTS .. "/router.lua up >/dev/null",
      "ip netns exec rt-left ping -c1 -W2 203.0.113.1 >/dev/null",
      "ip netns exec rt-left ping -c1 -W2 -t1 203.0.113.1",
      "ip netns exec rt-router sysctl -w net.ipv4.ip_forward=0",
      "ip netns exec rt-left ping -c1 -W1 203.0.113.1",
      "$NS " .. SCRIPTS .. "/router.lua status",
      "$NS " .. SCRIPTS .. "/router.lua down",
    },
    expect = {
      { rc = 0, err = "" }, { rc = 0 }, { rc = 1 }, { rc = 0 }, { rc = 1 },
      { rc = 1 }, { rc = 0 },
    },
    check = [[
set -e
grep -q 'From 198.51.100.254 .*Time to live exceeded' $T/out.3
grep -qx 'FAIL  sysctl net.ipv4.ip_forward = 1 in rt-router: is 0' $T/out.6
[ "$(grep -c '^ok ' $T/out.6)" = 11 ]
[ -z "$(ip netns list)" ]
]],
  },
  {
    name = "net: topology: bridge.lua with 4 leaves, down finding them all",
    cmd = {
      "$NS " .. SCRIPTS .. "/bridge.lua up 4 >/dev/null",
      "ip netns exec br-4 ping -c1 -W2 192.0.2.2 >/dev/null",
      "$NS " .. SCRIPTS .. "/bridge.lua status | grep -c '^ok '",
      "$NS " .. SCRIPTS .. "/bridge.lua down",
      "$NS " .. SCRIPTS .. "/bridge.lua up 0",
    },
    expect = {
      { rc = 0, err = "" }, { rc = 0 }, { out = "14\n", rc = 0 },
      { rc = 0 },
      { err = SCRIPTS .. "/bridge.lua: N must be a number from 1 to 250\n",
        rc = 2 },
    },
    check = "[ -z \"$(ip netns list)\" ]",
  },
  {
    -- the kernel's link watcher sees a new veth's carrier a second later
    -- when both ends have the same index (va and pa are each their
    -- namespace's first device), dropping what is sent until then: up
    -- waits for it, so the first ping needs no second ARP request (-W1
    -- would not wait for one)
    name = "net: topology: up returns with its veth ends passing traffic",
    files = {
      P = [[
local netns = require "netns"
local net = require "netns.net"
local topology = require "netns.topology"
local desc = {
  namespaces = { "t-a", "t-b", "t-hub" },
  links = {
    { "veth", "t-a", "va", "t-hub", "pa", peer_master = "br0" },
    { "veth", "t-b", "vb", "t-hub", "pb", peer_master = "br0" },
    { "bridge", "t-hub", "br0" },
  },
  addresses = {
    { "t-a", "va", "198.51.100.1/24" },
    { "t-b", "vb", "198.51.100.2/24" },
  },
}
assert(topology.up(desc))
local state = {}
for _, ns in ipairs(desc.namespaces) do
  for _, l in ipairs(net.links(ns)) do
    state[l.name] = l.operstate
  end
end
print(state.va, state.vb, state.pa, state.pb)
print(netns.exec("t-a", { "sh", "-c",
  "ping -q -c1 -W1 198.51.100.2 >/dev/null" }))
assert(topology.down(desc))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = "UP\tUP\tUP\tUP\nexited\t0\n",
      err = "", rc = 0,
    },
  },
  {
    -- an IPv6 address is tentative until duplicate address detection
    -- ends: up waits for that too
    name = "net: topology: up returns with its IPv6 addresses usable",
    files = {
      P = [[
local netns = require "netns"
local net = require "netns.net"
local topology = require "netns.topology"
local desc = {
  namespaces = { "t-a", "t-b" },
  links = { { "veth", "t-a", "va", "t-b", "vb" } },
  addresses = { { "t-a", "va", "fd00::1/64" }, { "t-b", "vb", "fd00::2/64" } },
}
assert(topology.up(desc))
local flags = {}
for _, ns in ipairs(desc.namespaces) do
  for _, a in ipairs(net.addrs(ns)) do
    for _, f in ipairs(a.flags) do
      flags[f] = true
    end
  end
end
print(flags.tentative, flags.permanent)
print(netns.exec("t-a", { "sh", "-c", "ping -q -c1 -W1 fd00::2 >/dev/null" }))
assert(topology.down(desc))
]],
    },
    cmd = "$NS $P",
    expect = { out = "nil\ttrue\nexited\t0\n", err = "", rc = 0 },
    timeout = 60,
  },
  {
    name = "net: topology: a name already taken halfway leaves nothing"
      .. " behind",
    setup = "$NS add t-c; " .. SAVE_LINKS
      .. "; ip netns list > $T/ns.before; ip -n t-c -o link > $T/c.before",
    files = {
      P = [[
local topology = require "netns.topology"
print(topology.up({
  namespaces = { "t-a", "t-b", "t-c" },
  lo = true,
  links = { { "veth", "t-a", "va", "t-b", "vb" } },
  addresses = { { "t-a", "va", "198.51.100.1/24" } },
}))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = 'nil\tCannot create namespace file "/run/netns/t-c": File'
        .. " exists\t17\n",
      rc = 0,
    },
    check = [[
set -e
ip netns list | diff $T/ns.before -
ip -n t-c -o link | diff $T/c.before -
[ "$(ls /run/netns)" = t-c ]
]] .. SAME_LINKS,
  },
  {
    name = "net: topology: a kernel refusal halfway leaves nothing behind",
    setup = SAVE_LINKS,
    files = {
      P = [[
local topology = require "netns.topology"
local desc = {
  namespaces = { "t-a", "t-b", "t-hub" },
  lo = true,
  links = {
    { "bridge", "t-hub", "br0" },
    { "veth", "t-a", "va", "t-hub", "pa", peer_master = "br0" },
    { "veth", "t-b", "vb", "t-hub", "pb", peer_master = "br0" },
  },
  addresses = {
    { "t-a", "va", "198.51.100.1/24" },
    { "t-b", "vb", "198.51.100.2/24" },
  },
  routes = { { "t-a", "203.0.113.0/24", via = "198.51.100.2" } },
  sysctls = { { "t-hub", "net.ipv4.ip_forward", 1 } },
}
desc.addresses[3] = { "t-b", "vb", "ff02::1/64" }
print(topology.up(desc))
desc.addresses[3] = nil
desc.routes[2] = { "t-b", "203.0.113.1/24", via = "198.51.100.1" }
print(topology.up(desc))
desc.routes[2] = nil
desc.links[4] = { "veth", "t-a", "x", "t-hub", "pa" }
print(topology.up(desc))
desc.links[4] = nil
print(topology.up(desc))
print(topology.status(desc).ok)
print(topology.down(desc))
print(topology.status(desc).ok)
]],
    },
    cmd = "$NS $P",
    expect = {
      out = table.concat({
        "nil\tcannot add address ff02::1/64 to vb in t-b: Error: ipv6:"
          .. ' Cannot assign multicast address without "IFA_F_MCAUTOJOIN"'
          .. " flag.\t99",
        "nil\tcannot add route 203.0.113.1/24 via 198.51.100.1 in t-b:"
          .. " Error: Invalid prefix for given prefix length.\t22",
        "nil\tcannot create veth x in t-a with peer pa in t-hub: RTNETLINK"
          .. " answers: File exists\t17",
        "true", "true", "true", "false",
      }, "\n") .. "\n",
      rc = 0,
    },
    check = "set -e; [ -z \"$(ip netns list)\" ]; [ -z \"$(ls /run/netns)\" ]\n"
      .. SAME_LINKS,
  },
  {
    -- values only the library finds invalid, late in the build: raised
    -- as the entry's, after everything made is gone again
    name = "net: topology: a value found invalid halfway leaves nothing"
      .. " behind",
    setup = SAVE_LINKS,
    files = {
      P = [[
local topology = require "netns.topology"
local function desc()
  return {
    namespaces = { "t-a", "t-b" },
    lo = true,
    links = { { "veth", "t-a", "ea", "t-b", "eb", up = true } },
    addresses = { { "t-a", "ea", "198.51.100.1/24" } },
  }
end
local d = desc()
d.addresses[2] = { "t-b", "eb", "198.51.100.2/244" }
print(pcall(topology.up, d))
d = desc()
d.sysctls = { { "t-b", "kernel.hostname", "x" } }
print(pcall(topology.up, d))
d = desc()
d.routes = { { "t-a", "nowhere" } }
print(pcall(topology.up, d))
d = desc()
d.links[2] = { "veth", "t-a", "x", "t-b", ("p"):rep(16) }
print(pcall(topology.up, d))
print(topology.up(desc()))
print(topology.down(desc()))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = table.concat({
        "false\tinvalid topology: addresses[2]: invalid prefix length",
        "false\tinvalid topology: sysctls[1]: not a net sysctl:"
          .. " kernel.hostname",
        "false\tinvalid topology: routes[1]: invalid dst 'nowhere'",
        "false\tinvalid topology: links[2]: invalid interface name"
          .. ' "pppppppppppppppp"',
        "true", "true",
      }, "\n") .. "\n",
      rc = 0,
    },
    check = "set -e; [ -z \"$(ip netns list)\" ]; [ -z \"$(ls /run/netns)\" ]\n"
      .. SAME_LINKS,
  },
  {
    name = "net: topology: descriptions that do not hold together raise",
    files = {
      P = [[
local topology = require "netns.topology"
for _, d in ipairs({
  { namespaces = { "a" }, links = { { "veth", "a", "x" } } },
  { namespaces = { "a" }, links = { { "veth", "b", "x", "a", "y" } } },
  { namespaces = { "a" }, links = { { "macvlan", "a", "x" } } },
  { namespaces = { "a" }, links = { { "bridge", "a", "x", mtu = "9" } } },
  { namespaces = { "a" }, addresses = { { "a", "x" } } },
  { namespaces = { "a" }, routes = { { "a", "default", gw = "x" } } },
  { namespaces = { "a", "a" } },
  { namespaces = { "a" }, lo = { "b" } },
  { namespaces = { "a" }, colour = "red" },
}) do
  print((select(2, pcall(topology.up, d))))
end
]],
    },
    cmd = "$NS $P",
    expect = {
      out = table.concat({
        "invalid topology: links[1]: a veth needs a peer",
        "invalid topology: links[1]: namespace 'b' is not in namespaces",
        "invalid topology: links[1]: unknown kind 'macvlan'",
        "invalid topology: links[1]: mtu must be an integer, not string",
        "invalid topology: addresses[1]: address missing",
        "invalid topology: routes[1]: unknown key 'gw'",
        "invalid topology: namespaces[2]: a given twice",
        "invalid topology: lo[1]: namespace 'b' is not in namespaces",
        "invalid topology: unknown key 'colour'",
      }, "\n") .. "\n",
      rc = 0,
    },
    check = "[ -z \"$(ip netns list)\" ]",
  },
}
