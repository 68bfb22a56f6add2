-- §2, §7, §8, §10, §11: details the §19 table does not cover.
local sleeper = "spawn P $NS exec a sleep 30\nawait_comm $P sleep"

return {
  {
    name = "list: a directory, a dangling symlink and extra arguments",
    setup = "mkdir -p /run/netns/dir; ln -s /nonexistent /run/netns/dang",
    cmd = { "$NS list", "$NS list extra words", "$NS -j list",
      "$NS list-id" },
    sorted = true,
  },
  {
    name = "list: the run dir is a file / unreadable entries",
    setup = "touch /run/netns",
    cmd = { "$NS list", "$NS -j list", "$NS add a", "$NS identify",
      "$NS -all delete", "$NS -all exec true",
      "mon_start $T/mon; echo watching=$?; touch /run/netns; mon_stop 0" },
  },
  {
    name = "list: ids assigned by the kernel for a veth peer",
    setup = "$NS add a; $NS add b\n" ..
      "$NS exec a ip link add v0 type veth peer name v1 netns b",
    cmd = { "$NS -n a list", "$NS -n a -j list", "$NS -n a list-id",
      "$NS -n b list-id", "$NS list-id" },
    sorted = true,
  },
  {
    name = "list: -j -p with several entries",
    setup = "$NS add a; $NS set a 0; mkdir -p /run/netns; " ..
      "touch /run/netns/p",
    cmd = { "$NS -j -p list" },
  },
  {
    name = "list-id: pretty JSON and several ids",
    setup = "$NS add a; $NS add b; $NS add c; $NS set c 0; $NS set a 5; " ..
      "$NS set b 2147483647",
    cmd = { "$NS list-id", "$NS -j list-id", "$NS -j -p list-id",
      "$NS -j -p list-id nsid 5", "$NS -p list-id" },
  },
  {
    name = "list-id: empty table",
    cmd = { "$NS list-id", "$NS -j list-id", "$NS -j -p list-id" },
  },
  {
    name = "list-id: target-nsid pretty JSON",
    setup = "$NS add a; $NS add b; $NS add c; $NS set a 1; $NS set b 2; " ..
      "$NS -n a set b 12; $NS -n a set c 13",
    cmd = { "$NS list-id target-nsid 1", "$NS -j -p list-id target-nsid 1",
      "$NS -j list-id target-nsid 1 nsid 13",
      "$NS list-id target-nsid 1 nsid 13", "$NS list-id target-nsid 2" },
  },
  {
    name = "list-id: argument errors",
    setup = "$NS add a; $NS set a 1",
    cmd = {
      "$NS list-id target-nsid 1 target-nsid 1", "$NS list-id nsid",
      "$NS list-id target-nsid abc", "$NS list-id target-nsid -1",
      "$NS list-id nsid -1 target-nsid 3", "$NS list-id target-nsid -5 x",
      "$NS list-id nsid 1 foo", "$NS list-id nsid 0x1",
      "$NS list-id nsid 2147483648", "$NS list-id target-nsid ''",
      "$NS list-id nsid 1 target-nsid", "$NS list-id NSID 1",
      "$NS list-id nsid 1 nsid", "$NS list-id target-nsid 1 nsid 1 nsid",
      "$NS list-id target-nsid 99 nsid 1", "$NS list-id nsid 010",
    },
  },
  {
    name = "list-id: keywords in either order",
    setup = "$NS add a; $NS add b; $NS set a 1; $NS set b 2; " ..
      "$NS -n a set b 12",
    cmd = { "$NS list-id nsid 2 target-nsid 1",
      "$NS list-id target-nsid 1 nsid 2" },
  },
  {
    name = "identify: several names, a plain file, a directory entry",
    setup = "$NS add a\n" .. sleeper ..
      "\n$NS attach b $P; touch /run/netns/p; mkdir /run/netns/d",
    cmd = { "$NS identify $P", "$NS -n a identify", "$NS identify" },
  },
  {
    name = "identify: pid of a process in the current namespace",
    setup = "$NS add a; spawn P sleep 30\nawait_comm $P sleep",
    cmd = { "$NS identify $P", "$NS identify 00", "$NS identify 0" },
  },
  {
    name = "pids: empty namespace, plain file, directory",
    setup = "$NS add a; touch /run/netns/p; mkdir /run/netns/d",
    cmd = { "$NS pids a", "$NS pids p", "$NS pids d" },
  },
  {
    name = "pids: several processes in ascending order",
    setup = "$NS add a\nspawn P1 $NS exec a sleep 30\n" ..
      "spawn P2 $NS exec a sleep 31\nspawn P3 $NS exec a sleep 32\n" ..
      "await_comm $P1 sleep; await_comm $P2 sleep; await_comm $P3 sleep",
    cmd = { "$NS pids a | sort", "$NS pids a | sort -c -n && echo sorted" },
  },
  {
    name = "pids: the caller's own namespace includes itself",
    setup = "$NS attach me $$",
    cmd = { "$NS pids me | grep -c -x $$",
      [[sh -c 'echo $$; exec "$NS" pids me' | awk 'NR == 1 { p = $1; next }
        $1 == p { f = 1 } END { print f ? "self listed" : "self missing" }']],
      -- into a file: a pipe's other end may or may not be forked yet
      "$NS pids me >$T/pids; wc -l <$T/pids" },
  },
  {
    name = "monitor: creates the run dir, no mount; extra args ignored",
    cmd = { "mon_start $T/mon monitor extra args\nmkdir /run/netns/x\n" ..
      "mon_stop 1", "$NS list" },
  },
  {
    name = "monitor: directories, failed add, attach",
    setup = "$NS add a",
    cmd = "mon_start $T/mon monitor\n$NS add a; mkdir /run/netns/d\n" ..
      "rmdir /run/netns/d; $NS attach b $$; $NS delete b\n" ..
      "touch /run/netns/c\nmon_stop 5",
  },
  {
    name = "monitor: a failed add that already created the file",
    setup = "$NS add a",
    cmd = "mon_start $T/mon\n$NS attach x 99999999\nmon_stop 2",
  },
  {
    name = "monitor: -all delete and -all exec",
    setup = "$NS add a",
    cmd = "mon_start $T/mon\n$NS -all exec true; $NS -all delete\n" ..
      "mon_stop 1",
  },
  {
    name = "delete: a plain file, extra args, a name in use",
    setup = "$NS add a; touch /run/netns/p; $NS add b; $NS set b 4\n" ..
      "spawn P $NS exec b sleep 30\nawait_comm $P sleep",
    cmd = { "$NS delete p", "$NS delete a extra", "$NS delete b",
      "$NS list-id", "$NS list", "$NS add b", "$NS list-id" },
  },
  {
    name = "delete: -all with plain files and a symlink",
    setup = "mkdir -p /run/netns; touch /run/netns/p; " ..
      "ln -s /nonexistent /run/netns/l; $NS add a",
    cmd = { "$NS -all delete", "$NS list" },
  },
  {
    name = "add: a stale plain file and a directory block the name",
    setup = "mkdir -p /run/netns/d; touch /run/netns/p",
    cmd = { "$NS add p", "$NS add d", "$NS add d/x", "$NS list" },
    sorted = true,
  },
  {
    name = "add: run dir already a private mount point",
    setup = "mkdir /run/netns; mount --bind /run/netns /run/netns\n" ..
      "mount --make-private /run/netns",
    cmd = { "$NS add a", "$NS list" },
  },
  {
    name = "add: run dir already a shared mount point",
    setup = "mkdir /run/netns; mount -t tmpfs tmpfs /run/netns\n" ..
      "mount --make-shared /run/netns",
    cmd = { "$NS add a", "$NS add b", "$NS list" },
    sorted = true,
  },
  {
    name = "add: run dir with mode 0700 keeps its mode",
    setup = "mkdir -m 0700 /run/netns",
    cmd = { "$NS add a", "$NS list" },
  },
  {
    name = "add: read-only run dir that is already a mount",
    setup = "mkdir /run/netns; mount -t tmpfs -o ro tmpfs /run/netns",
    cmd = { "$NS add a", "$NS list", "$NS attach b $$" },
  },
  {
    name = "add: the new namespace has only a down lo",
    cmd = { "$NS add a", "$NS exec a ip -o link", "$NS exec a ip -o addr" },
  },
  {
    name = "add then delete, many times",
    cmd = "i=0; while [ $i -lt 20 ]; do $NS add n$i || exit 1; " ..
      "$NS delete n$i || exit 1; i=$((i + 1)); done; $NS list",
  },
  {
    name = "add: many names",
    cmd = { "i=0; while [ $i -lt 30 ]; do $NS add n$i || exit 1; " ..
      "i=$((i + 1)); done", "$NS list", "$NS -all exec true | wc -l" },
    sorted = true,
  },
}
