-- What a command started by exec inherits: the user's descriptors and
-- environment and signal dispositions, nothing of netns's; and the host's
-- mounts and /etc are as before afterwards. Compared with ip netns.

return {
  {
    name = "exec: environment and ignored signals pass through",
    setup = "$NS add h",
    cmd = { "FOO='a b' $NS exec h sh -c 'echo \"$FOO\"'",
      -- an ignored SIGTERM stays ignored in the command
      "(trap '' TERM; $NS exec h sh -c 'kill -TERM $$; echo alive')",
      "$NS exec h sh -c 'kill -TERM $$; echo not-reached'" },
  },
  {
    name = "exec: the command's descriptors are the shell's",
    setup = "$NS add h",
    cmd = { "sh -c 'ls /proc/$$/fd' 3>/dev/null",
      "$NS exec h sh -c 'ls /proc/$$/fd' 3>/dev/null",
      "$NS -all exec sh -c 'ls /proc/$$/fd' 3>/dev/null" },
  },
  {
    name = "exec: the host's mounts and /etc are untouched afterwards",
    setup = "$NS add h; mkdir -p /etc/netns/h; " ..
      "echo 'nameserver 192.0.2.9' > /etc/netns/h/resolv.conf",
    cmd = { "cut -d' ' -f5,9 /proc/self/mountinfo | sort > $T/before; " ..
      "cat /etc/resolv.conf > $T/etc.before; " ..
      "$NS exec h cat /etc/resolv.conf; " ..
      "cut -d' ' -f5,9 /proc/self/mountinfo | sort | cmp - $T/before && " ..
      "cat /etc/resolv.conf | cmp - $T/etc.before && echo same" },
  },
  {
    -- a script without #! is run by execvp through /bin/sh, with a copy
    -- of argv on the stack of netns's child: 40000 arguments fit
    name = "exec: a script without #! and 40000 arguments, under -all",
    setup = "$NS add h; printf 'echo ran $#\\n' > $T/S; chmod +x $T/S",
    files = { S = "" },
    cmd = { "$NS -all exec $T/S $(seq 40000)", "$NS exec h $T/S $(seq 40000)" },
  },
}
