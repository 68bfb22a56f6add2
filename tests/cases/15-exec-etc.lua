-- §9: exec details and the /etc/netns/NAME overrides.

-- same("LABEL:CMD1:CMD2"): shell that tells whether both print the same
local function same(spec)
  local label, a, b = spec:match("^(%w+):(.-):(.*)$")
  return string.format('[ "$(%s)" = "$(%s)" ] && echo %s same || ' ..
    "echo %s differs", a, b, label, label)
end

return {
  {
    name = "exec: exit statuses 0, 7, 44 (exit 300) and a signal",
    setup = "$NS add a",
    cmd = { "$NS exec a sh -c 'exit 0'", "$NS exec a sh -c 'exit 7'",
      "$NS exec a sh -c 'exit 300'", "$NS exec a sh -c 'kill -TERM $$'",
      "$NS exec a false" },
  },
  {
    name = "exec: a directory, a non-executable file, an empty command",
    setup = "$NS add a; mkdir $T/dir; echo 'echo hi' > $T/noexec",
    cmd = { "$NS exec a $T/dir", "$NS exec a $T/noexec", "$NS exec a ''",
      "$NS exec a /", "$NS exec a ./noexec", "$NS exec a -- true",
      "$NS exec a /nonexistent/cmd" },
  },
  {
    name = "exec: PATH search, argv[0], environment, stdin, cwd",
    setup = "$NS add a; mkdir $T/bin\n" ..
      "printf '#!/bin/sh\\necho mytool \"$@\"\\n' > $T/bin/mytool\n" ..
      "chmod +x $T/bin/mytool",
    cmd = {
      "PATH=$T/bin:$PATH $NS exec a mytool x 'y z'",
      "$NS exec a /bin/sh -c 'echo $0'",
      "FOO=bar $NS exec a sh -c 'echo $FOO'",
      "echo piped | $NS exec a cat",
      "cd /tmp && $NS exec a pwd",
      "$NS exec a sh -c 'echo out; echo err >&2'",
      "$NS exec a env -i /usr/bin/env",
    },
  },
  {
    name = "exec: the namespace, the sysfs and the mount namespace",
    setup = "$NS add a; $NS add b",
    cmd = {
      same("net:$NS exec a readlink /proc/self/ns/net:readlink " ..
        "/proc/self/ns/net"),
      same("mnt:$NS exec a readlink /proc/self/ns/mnt:readlink " ..
        "/proc/self/ns/mnt"),
      same("net:$NS exec a readlink /proc/self/ns/net:$NS exec a " ..
        "readlink /proc/self/ns/net"),
      same("net:$NS exec a readlink /proc/self/ns/net:$NS exec b " ..
        "readlink /proc/self/ns/net"),
      "$NS exec a cat /proc/self/mountinfo | awk '$5 == \"/\" " ..
        "{ p = \"\"; for (i = 7; $i != \"-\"; i++) p = p \" \" $i; " ..
        "print $5 p }' | sed 's/:[0-9]*//g'",
      "$NS exec a sh -c 'mount -t tmpfs tmpfs /mnt; grep -c \" /mnt \" " ..
        "/proc/self/mountinfo'",
      "grep -c ' /mnt ' /proc/self/mountinfo",
      "$NS exec a ls /sys/class/net",
      "$NS exec a ip link add v0 type veth peer name v1 netns b",
      "$NS exec a ls /sys/class/net", "$NS exec b ls /sys/class/net",
      "$NS list", "$NS -n a list", "$NS -n b list", "$NS -n a list-id",
    },
    sorted = true,
  },
  {
    name = "exec: over a read-only /sys mount",
    -- remount,bind,ro changes only this mount, never the shared sysfs
    -- superblock (a plain remount,ro would make the host's /sys ro)
    setup = "$NS add a; mount -o remount,bind,ro /sys",
    cmd = [[$NS exec a sh -c 'grep " /sys " /proc/self/mountinfo' |
      cut -d' ' -f5-]],
  },
  {
    name = "exec: /etc/netns overrides a file and a directory",
    setup = "$NS add a; mkdir -p /etc/netns/a/default\n" ..
      "echo 'nameserver 192.0.2.53' > /etc/netns/a/resolv.conf\n" ..
      "echo mine > /etc/netns/a/default/only-here",
    cmd = {
      "$NS exec a cat /etc/resolv.conf",
      "$NS exec a ls /etc/default",
      "ls /etc/default | grep -c only-here",
      "md5sum /etc/resolv.conf",
    },
  },
  {
    name = "exec: /etc/netns hidden files are bound",
    setup = "$NS add a; mkdir -p /etc/netns/a\n" ..
      "echo hidden > /etc/netns/a/.pwd.lock\n" ..
      "echo ghost > /etc/netns/a/.no-such-hidden-file",
    cmd = { "$NS exec a cat /etc/.pwd.lock", "md5sum /etc/.pwd.lock" },
  },
  {
    name = "exec: /etc/netns directory over a file, file over a directory",
    setup = "$NS add a; mkdir -p /etc/netns/a/hostname /etc/netns/a/nope\n" ..
      "echo notadir > /etc/netns/a/default",
    cmd = { "$NS exec a true", "$NS exec a cat /etc/hostname | wc -c" },
    sorted = true,
  },
  {
    name = "exec: /etc/netns/NAME that is a file or empty",
    setup = "$NS add a; $NS add b; echo x > /etc/netns/a; mkdir /etc/netns/b",
    cmd = { "$NS exec a true", "$NS exec b true", "$NS -n a identify" },
  },
  {
    name = "exec: /etc/netns symlink entries",
    setup = "$NS add a; mkdir -p /etc/netns/a\n" ..
      "echo target > $T/target\nln -s $T/target /etc/netns/a/resolv.conf\n" ..
      "ln -s /nonexistent /etc/netns/a/hosts",
    cmd = { "$NS exec a cat /etc/resolv.conf", "$NS exec a cat /etc/hosts" },
  },
  {
    name = "exec: messages are printed on every exec",
    setup = "$NS add a; mkdir -p /etc/netns/a\n" ..
      "echo x > /etc/netns/a/missing-one",
    cmd = { "$NS exec a true", "$NS exec a true" },
  },
  {
    name = "exec: -all exec order of headers and outputs",
    setup = "$NS add a; $NS add b; $NS add c",
    cmd = { "$NS -all exec $NS identify", "$NS -all exec sh -c 'echo x >&2'",
      "$NS -all exec nosuchcmd; true" },
    sorted = true,
  },
  {
    name = "exec: -all exec through /etc/netns of each namespace",
    setup = "$NS add a; $NS add b; mkdir -p /etc/netns/a /etc/netns/b\n" ..
      "echo 'nameserver 192.0.2.1' > /etc/netns/a/resolv.conf\n" ..
      "echo 'nameserver 192.0.2.2' > /etc/netns/b/resolv.conf",
    cmd = "$NS -all exec cat /etc/resolv.conf",
    sorted = true,
  },
  {
    name = "exec: a namespace name that is a dangling symlink",
    setup = "mkdir -p /run/netns; ln -s /nonexistent /run/netns/dang\n" ..
      "$NS add a; ln -s /run/netns/a /run/netns/link",
    cmd = { "$NS exec dang true", "$NS exec link $NS identify",
      "$NS list", "$NS identify" },
    sorted = true,
  },
}
