#!/usr/bin/env bats
# Namespaces: pid, uts, network, ipc, mount, cgroup, user, and joining one by path.

load helpers

setup() {
	setup_rt
	SLEEPERS=()
	NETNS=
}

teardown() {
	local pid
	for pid in "${SLEEPERS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	[ -z "$NETNS" ] || ip netns del "$NETNS" 2>/dev/null
	teardown_rt
}

# The host's namespace of TYPE, as readlink prints it ("net:[4026531840]").
host_ns() {
	readlink "/proc/self/ns/$1"
}

# Start a process of our own (killed by pid in teardown); its pid in SLEEPER.
start_sleeper() {
	"$@" </dev/null >/dev/null 2>&1 3>&- &
	SLEEPER=$!
	SLEEPERS+=("$SLEEPER")
}

@test "pid: the process is pid 1 and sees only its namespace's processes" {
	run_sh 'echo $$; readlink /proc/self/ns/pid; ls /proc | grep -c "^[0-9]"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" != "$(host_ns pid)" ]
	# sh, ls and grep
	[ "${lines[2]}" -le 3 ]
}

@test "uts: hostname" {
	update_config '.hostname = "rt-host"'
	run_sh 'hostname; readlink /proc/self/ns/uts'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = rt-host ]
	[ "${lines[1]}" != "$(host_ns uts)" ]
	# the host's is untouched
	[ "$(hostname)" != rt-host ]
}

@test "uts: domainname" {
	requires_rt "runc 1.1 ignores domainname"
	update_config '.hostname = "rt-host" | .domainname = "rt.example"'
	run_sh 'hostname; cat /proc/sys/kernel/domainname'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = rt-host ]
	[ "${lines[1]}" = rt.example ]
	[ "$(cat /proc/sys/kernel/domainname)" != rt.example ]
}

@test "network: a new namespace with only lo" {
	run_sh 'readlink /proc/self/ns/net; ls /sys/class/net; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(host_ns net)" ]
	[ "${lines[1]}" = lo ]
	[ "${lines[2]}" = lo ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "network: lo is up in a new network namespace, as runc brings it up" {
	run_sh 'ip -o link show lo'
	[ "$status" -eq 0 ]
	[[ "$output" =~ \<LOOPBACK,UP ]]
}

@test "no network namespace: the host's" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	run_sh 'readlink /proc/self/ns/net'
	[ "$status" -eq 0 ]
	[ "$output" = "$(host_ns net)" ]
}

@test "ipc: a new namespace" {
	run_sh 'readlink /proc/self/ns/ipc'
	[ "$status" -eq 0 ]
	[ "$output" != "$(host_ns ipc)" ]
}

@test "mount: a new namespace; the container's mounts stay inside" {
	set_args sh -c 'readlink /proc/self/ns/mnt; mount -t tmpfs none /tmp && touch /tmp/inside && echo mounted; sleep 100'
	update_config '.root.readonly = false | .process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" mounted
	[ "$(head -n1 "$TEST_DIR/$ID.log")" != "$(host_ns mnt)" ]
	# the host sees neither the tmpfs nor the rootfs' mounts
	! grep -q "$BUNDLE" /proc/self/mountinfo
	[ ! -e "$BUNDLE/rootfs/tmp/inside" ]
	[ -z "$(ls -A "$BUNDLE/rootfs/proc")" ]
}

@test "cgroup: a new namespace makes the container's cgroup its root" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	run_sh 'readlink /proc/self/ns/cgroup; cat /proc/self/cgroup'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(host_ns cgroup)" ]
	# every hierarchy's path is / inside
	local l
	for l in "${lines[@]:1}"; do
		[[ "$l" =~ :/$ ]]
	done
}

@test "no cgroup namespace: the container sees its host cgroup path" {
	run_sh 'cat /proc/self/cgroup'
	[ "$status" -eq 0 ]
	[[ "$output" == *":pids:$CGROUP_PARENT/$ID"* ]]
}

@test "user: uidMappings and gidMappings, seen in /proc/self/uid_map" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	chown -R -h 100000:200000 "$BUNDLE/rootfs"
	set_args sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; readlink /proc/self/ns/user; echo ready; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" ready
	local -a l
	mapfile -t l <"$TEST_DIR/$ID.log"
	[ "$(echo ${l[0]})" = "0 100000 65536" ]
	[ "$(echo ${l[1]})" = "0 200000 65536" ]
	[ "${l[2]}" = 0 ]
	[ "${l[3]}" = 0 ]
	[ "${l[4]}" != "$(host_ns user)" ]
	# seen from the host, the container's root is 100000:200000
	local pid
	pid=$(ctr_pid "$ID")
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 100000 ]
	[ "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" = 200000 ]
}

@test "user: a multi-range mapping" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000},
			{"containerID": 1000, "hostID": 101000, "size": 1}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 1001}]'
	chown -R -h 100000:100000 "$BUNDLE/rootfs"
	run_sh 'cat /proc/self/uid_map; echo; cat /proc/self/gid_map'
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "0 100000 1000" ]
	[ "$(echo ${lines[1]})" = "1000 101000 1" ]
	[ "$(echo ${lines[2]})" = "0 100000 1001" ]
}

@test "join: a network namespace made with ip netns add" {
	NETNS=$ID
	ip netns add "$NETNS"
	ip netns exec "$NETNS" ip link set lo up
	ip netns exec "$NETNS" ip link add rtveth0 type veth peer name rtveth1
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/run/netns/$NETNS\" else . end)"
	run_sh 'readlink /proc/self/ns/net; ls /sys/class/net | tr "\n" " "; echo; cat /sys/class/net/lo/operstate'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "net:[$(stat -L -c %i "/run/netns/$NETNS")]" ]
	[ "${lines[1]}" = "lo rtveth0 rtveth1 " ]
	[ "${lines[2]}" = unknown ]
}

@test "join: the uts and net namespaces of a process of our own" {
	start_sleeper unshare --uts --net sh -c 'hostname joined-uts; exec sleep 100'
	# sleep runs once unshare made the namespaces and sh set the hostname
	retry 50 0.1 grep -q sleep "/proc/$SLEEPER/comm"
	[ "$(readlink "/proc/$SLEEPER/ns/uts")" != "$(host_ns uts)" ]
	update_config "del(.hostname) | .linux.namespaces |= map(
		if .type == \"uts\" then .path = \"/proc/$SLEEPER/ns/uts\"
		elif .type == \"network\" then .path = \"/proc/$SLEEPER/ns/net\" else . end)"
	run_sh 'hostname; readlink /proc/self/ns/uts; readlink /proc/self/ns/net'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = joined-uts ]
	[ "${lines[1]}" = "$(readlink "/proc/$SLEEPER/ns/uts")" ]
	[ "${lines[2]}" = "$(readlink "/proc/$SLEEPER/ns/net")" ]
}

@test "join: another container's pid and ipc namespaces" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid1 id2 b2
	pid1=$(ctr_pid "$ID")
	id2=$(new_id)
	b2=$(clone_bundle 2)
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$id2\"
		| .process.args = [\"sh\", \"-c\", \"echo \$\$; ps -o pid,comm | grep -w sleep; readlink /proc/self/ns/ipc\"]
		| .linux.namespaces |= map(
			if .type == \"pid\" then .path = \"/proc/$pid1/ns/pid\"
			elif .type == \"ipc\" then .path = \"/proc/$pid1/ns/ipc\" else . end)" "$b2"
	runrt run --bundle "$b2" "$id2"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -gt 1 ]
	[[ "${lines[1]}" =~ ^\ *1\ +sleep ]]
	[ "${lines[2]}" = "$(readlink "/proc/$pid1/ns/ipc")" ]
}

@test "join: a path that is not a namespace of that type fails" {
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/uts" else . end)'
	set_args true
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ -z "$(leaked_cgroups)" ]
}
