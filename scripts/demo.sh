#!/bin/sh
# The main job on real namespaces: two named network namespaces joined by
# a veth pair, a ping across, and every netns command shown on them. It
# runs in private mount and network namespaces with its own run and etc
# directories, so the host's names and nsids are neither seen nor
# touched, and it removes all it made, also when interrupted. Usage (as
# root): sh scripts/demo.sh [path/to/netns]
set -eu

NETNS=$(readlink -f "${1:-build/netns}")

# A watchdog removes the /etc/netns the demo made even if the demo is
# killed with SIGKILL, when no trap runs: the demo marks in a directory
# of its own that it made one, and the watchdog waits for its process
# ($$ stays the same through the exec of unshare and of sh).
if [ "${NETNS_DEMO_INNER:-}" != 1 ]; then
	mark=$(mktemp -d)
	demo=$$
	(
		while kill -0 "$demo" 2>/dev/null; do
			sleep 0.5
		done
		if [ -e "$mark/made-etc" ]; then
			rmdir /etc/netns
		fi
		rm -rf "$mark"
	) </dev/null >/dev/null 2>&1 &
	NETNS_DEMO_INNER=1 NETNS_DEMO_MARK=$mark exec unshare --mount --net \
		--propagation private sh "$0" "$NETNS"
fi

made_etc= sleeper=
cleanup() {
	if [ -n "$sleeper" ]; then
		kill "$sleeper" 2>/dev/null || true
	fi
	"$NETNS" -all delete 2>/dev/null || true
	umount -n /etc/netns 2>/dev/null || true
	if [ -n "$made_etc" ]; then
		rmdir /etc/netns
		rm -f "$NETNS_DEMO_MARK/made-etc"
	fi
}
# The mount point /etc/netns is the host's own directory: the traps are
# set before it is made, and a signal ends the demo through cleanup.
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# A tmpfs over /run gives an empty run directory seen only here.
mount -n -t tmpfs netns-demo /run
if [ ! -d /etc/netns ]; then
	: > "$NETNS_DEMO_MARK/made-etc"
	mkdir /etc/netns
	made_etc=1
fi
mount -n -t tmpfs netns-demo /etc/netns

step() {
	printf '\n$ netns %s\n' "$*"
	"$NETNS" "$@"
}

step add demo-red
step add demo-blue
step list
step set demo-red 7
step set demo-blue auto
step list
step list-id

# Per-namespace configuration: /etc/netns/NAME/FILE replaces /etc/FILE.
mkdir -p /etc/netns/demo-red
echo "nameserver 192.0.2.53" > /etc/netns/demo-red/resolv.conf
step exec demo-red cat /etc/resolv.conf

# A veth pair from red to blue, addresses, and a ping across: the traffic
# stays between the two namespaces made above.
step exec demo-red ip link add demo-r type veth peer name demo-b \
	netns demo-blue
step exec demo-red ip addr add 198.51.100.1/30 dev demo-r
step exec demo-blue ip addr add 198.51.100.2/30 dev demo-b
step exec demo-red ip link set demo-r up
step exec demo-blue ip link set demo-b up
# A new veth end drops packets until the kernel's link watcher has seen
# its carrier, up to a second later: wait (at most 3 s) for both ends.
for i in $(seq 60); do
	"$NETNS" exec demo-red cat /sys/class/net/demo-r/operstate |
		grep -qx up &&
		"$NETNS" exec demo-blue cat /sys/class/net/demo-b/operstate |
		grep -qx up && break
	sleep 0.05
done
step exec demo-red ping -c 1 -W 2 198.51.100.2
step -j -p list

"$NETNS" exec demo-blue sleep 30 &
sleeper=$!
sleep 0.2
step pids demo-blue
step identify "$sleeper"
kill "$sleeper" 2>/dev/null || true
wait "$sleeper" 2>/dev/null || true
sleeper=

step -all exec ip -br link show up
step delete demo-red
step delete demo-blue
step list

# A whole topology from a Lua description, built in-process over
# rtnetlink: a router namespace between two subnets, checked by a ping
# that has to cross it.
here=$(dirname "$(readlink -f "$0")")
step "$here/router.lua" up
step "$here/router.lua" status
step -all exec ip -br addr show scope global
step "$here/router.lua" down
step list
printf '\ndemo finished: namespaces made, used and removed.\n'
