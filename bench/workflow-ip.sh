#!/bin/sh
# bench/workflow-ip.sh N [up|down]: bench/run's scenario 4 (see
# bench/workflow.lua) as a shell script of ip commands, one command per
# step, each as short as ip allows (the port is made up and in br0 at
# once). IP names the ip binary (default: ip from PATH).

set -e
n=$1
what=${2:-}
ip=${IP:-ip}

up() {
	"$ip" netns add w-hub
	"$ip" -n w-hub link set lo up
	"$ip" -n w-hub link add br0 up type bridge
	i=1
	while [ "$i" -le "$n" ]; do
		"$ip" netns add "w$i"
		"$ip" -n "w$i" link set lo up
		"$ip" -n w-hub link add "v$i" up master br0 \
			type veth peer name eth0 netns "w$i"
		"$ip" -n "w$i" link set eth0 up
		"$ip" -n "w$i" addr add "198.51.100.$i/24" dev eth0
		"$ip" -n w-hub addr add "203.0.113.$i/24" dev "v$i"
		i=$((i + 1))
	done
}

down() {
	i=1
	while [ "$i" -le "$n" ]; do
		"$ip" netns delete "w$i"
		i=$((i + 1))
	done
	"$ip" netns delete w-hub
}

[ "$what" = down ] || up
[ "$what" = up ] || down
