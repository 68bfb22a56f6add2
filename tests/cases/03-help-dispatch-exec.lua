-- §19 cases 43-56: help, unknown commands, abbreviations, exec.
return {
  { name = "case 43: help", cmd = "$NS help" },
  {
    name = "case 44: unknown command",
    cmd = { "$NS foo", '$NS ""', "$NS foo a/b", "$NS foo bar" },
  },
  {
    name = "case 45: s / l / sh list",
    setup = "$NS add a",
    cmd = { "$NS s", "$NS l", "$NS sh", "$NS" },
  },
  {
    name = "case 46: se is set",
    setup = "$NS add a",
    cmd = { "$NS se a 4", "$NS list" },
  },
  {
    name = "case 47: exec exit statuses",
    setup = "$NS add a",
    cmd = {
      "$NS exec a sh -c 'exit 7'", "$NS exec a true",
      "$NS exec a sh -c 'exit 300'", "$NS exec a sh -c 'exit 255'",
    },
  },
  {
    name = "case 48: exec of a missing command",
    setup = "$NS add a",
    cmd = "$NS exec a nosuchcmd",
  },
  {
    name = "case 49: exec in a missing namespace",
    cmd = "$NS exec nosuch true",
  },
  {
    name = "case 50: exec without command / without name",
    setup = "$NS add a",
    cmd = { "$NS exec a", "$NS exec" },
  },
  {
    name = "case 51: exec in a plain file",
    setup = "mkdir -p /run/netns; touch /run/netns/p",
    cmd = "$NS exec p true",
  },
  {
    name = "case 52: exec ip netns identify",
    setup = "$NS add a",
    cmd = { "$NS exec a ip netns identify", "$NS exec a $NS identify" },
  },
  {
    name = "case 53: exec sees only the namespace's links",
    setup = "$NS add a",
    cmd = "$NS exec a ls /sys/class/net",
  },
  {
    name = "case 54: exec mounts a fresh sysfs named after the namespace",
    setup = "$NS add a",
    cmd = {
      [[$NS exec a sh -c 'grep " /sys " /proc/self/mountinfo' |
        cut -d' ' -f5-]],
      [[$NS exec a sh -c 'grep -c " /sys/" /proc/self/mountinfo']],
      [[$NS exec a sh -c 'grep -c " /sys " /proc/self/mountinfo']],
    },
  },
  {
    name = "case 55: exec binds /etc/netns/NAME/resolv.conf",
    setup = "$NS add a; mkdir -p /etc/netns/a\n" ..
      "echo 'nameserver 192.0.2.53' > /etc/netns/a/resolv.conf",
    cmd = {
      "$NS exec a cat /etc/resolv.conf",
      "cat /etc/resolv.conf | md5sum",
    },
  },
  {
    name = "case 56: exec bind of a file missing in /etc",
    setup = "$NS add a; mkdir -p /etc/netns/a\n" ..
      "echo 'nameserver 192.0.2.53' > /etc/netns/a/resolv.conf\n" ..
      "echo x > /etc/netns/a/nonexistent-in-etc",
    cmd = {
      "$NS exec a true",
      "$NS exec a cat /etc/resolv.conf",
      "ls /etc/nonexistent-in-etc",
    },
  },
}
