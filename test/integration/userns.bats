#!/usr/bin/env bats
# User namespaces, as root: the id maps (one range, several), setgroups, who owns what
# the container makes, devices bound from the host where mknod is not allowed, and
# joining an existing user namespace by path.  (Rootless: rootless.bats.)

load helpers

setup() {
	setup_rt
	# Root in the container is 100000 outside (gid 200000); the rootfs is theirs.
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	chown -R -h 100000:200000 "$BUNDLE/rootfs"
}

teardown() {
	if [ -n "${RO_MNT:-}" ]; then
		umount -l "$RO_MNT" 2>/dev/null
	fi
	if [ -n "${SLEEPER:-}" ]; then
		kill -KILL "$SLEEPER" 2>/dev/null
		wait "$SLEEPER" 2>/dev/null
	fi
	teardown_rt
}

# Lines of the container's log, once it printed "ready" (run_detached ... ; echo ready).
ready_lines() {
	wait_log "$1" ready
	mapfile -t lines <"$TEST_DIR/$1.log"
}

@test "userns: one range, seen in /proc/self/uid_map and gid_map" {
	set_args sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; readlink /proc/self/ns/user; echo ready; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	ready_lines "$ID"
	[ "$(echo ${lines[0]})" = "0 100000 65536" ]
	[ "$(echo ${lines[1]})" = "0 200000 65536" ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = 0 ]
	[ "${lines[4]}" != "$(readlink /proc/self/ns/user)" ]
	local pid
	pid=$(ctr_pid "$ID")
	[ "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" = 100000 ]
	[ "$(awk '/^Gid:/ { print $2 }' "/proc/$pid/status")" = 200000 ]
	[ "$(cat "/proc/$pid/uid_map" | xargs)" = "0 100000 65536" ]
}

@test "userns: several ranges" {
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000},
			{"containerID": 1000, "hostID": 300000, "size": 10},
			{"containerID": 2000, "hostID": 400000, "size": 1}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 1000},
			{"containerID": 1000, "hostID": 500000, "size": 10}]
		| .process.user = {"uid": 1005, "gid": 1005}'
	run_sh 'cat /proc/self/uid_map; echo --; cat /proc/self/gid_map; echo --; id -u; id -g'
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "0 100000 1000" ]
	[ "$(echo ${lines[1]})" = "1000 300000 10" ]
	[ "$(echo ${lines[2]})" = "2000 400000 1" ]
	[ "${lines[3]}" = -- ]
	[ "$(echo ${lines[4]})" = "0 200000 1000" ]
	[ "$(echo ${lines[5]})" = "1000 500000 10" ]
	[ "${lines[6]}" = -- ]
	[ "${lines[7]}" = 1005 ]
	[ "${lines[8]}" = 1005 ]
}

@test "userns: an id outside the maps is refused" {
	update_config '.process.user = {"uid": 70000, "gid": 0}'
	run_sh 'id -u'
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

# Root keeps setgroups allowed: the container's root can set its groups, and does
# (additionalGids), and drops the host's supplementary groups.
@test "userns: setgroups stays allowed for root, additionalGids are set" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20]}'
	run_sh 'cat /proc/self/setgroups; id -u; id -G'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = allow ]
	[ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = "1000 10 20" ]
}

@test "userns: root has no supplementary groups, not even unmapped host ones" {
	run_sh 'grep ^Groups: /proc/self/status; id -G'
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "Groups:" ]
	[ "${lines[1]}" = 0 ]
}

@test "userns: files are owned by the mapped ids" {
	update_config '.root.readonly = false'
	# a host file of an unmapped owner is the overflow id (nobody) inside
	touch "$BUNDLE/rootfs/etc/hostroot"
	chown 0:0 "$BUNDLE/rootfs/etc/hostroot"
	set_args sh -c 'stat -c %u:%g /bin/busybox /etc/hostroot; touch /tmp/by-root'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = 65534:65534 ]
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/tmp/by-root")" = 100000:200000 ]
	# a user of the container: its id plus the range's start
	local id2
	id2=$(new_id)
	update_config ".process.user = {\"uid\": 1000, \"gid\": 1000} | .linux.cgroupsPath = \"$CGROUP_PARENT/$id2\""
	set_args sh -c 'touch /tmp/by-user; stat -c %u:%g /home/user /tmp/by-user'
	runrt run --bundle "$BUNDLE" "$id2"
	[ "$status" -eq 0 ]
	# make-bundle.sh made /home/user 1000:1000 on the host: 101000:201000 after the chown
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/tmp/by-user")" = 101000:201000 ]
	[ "${lines[1]}" = 1000:1000 ]
}

# mknod is not allowed in a user namespace: the host's nodes are bound instead.
@test "userns: devices are bind-mounted from the host" {
	update_config '.linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11, "fileMode": 420}]
		| .linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]'
	set_args sh -c 'for d in null zero full random urandom tty kmsg; do
			grep -q " /dev/$d " /proc/self/mountinfo && echo "$d bound"; done
		stat -c "%t:%T" /dev/null /dev/kmsg
		echo x >/dev/null && echo null-ok
		[ "$(head -c 4 /dev/zero | od -An -tx1 | xargs)" = "00 00 00 00" ] && echo zero-ok
		echo x >/dev/full || echo full-enospc'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local d
	for d in null zero full random urandom tty kmsg; do
		[[ "$output" == *"$d bound"* ]]
	done
	[[ "$output" == *$'1:3\n1:b'* ]]
	[[ "$output" == *null-ok* ]]
	[[ "$output" == *zero-ok* ]]
	[[ "$output" == *"No space left on device"* ]]
	# without a user namespace they are made with mknod: no bind mounts
	local id2
	id2=$(new_id)
	update_config ".linux.namespaces |= map(select(.type != \"user\"))
		| del(.linux.uidMappings, .linux.gidMappings) | .linux.cgroupsPath = \"$CGROUP_PARENT/$id2\""
	set_args sh -c 'grep -c " /dev/null " /proc/self/mountinfo'
	runrt run --bundle "$BUNDLE" "$id2"
	[ "$output" = 0 ]
}

@test "userns: joining another container's user namespace by path" {
	set_args sh -c 'echo ready; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" ready
	local pid1 id2 b2
	pid1=$(ctr_pid "$ID")
	id2=$(new_id)
	b2=$(clone_bundle 2)
	# joined: the maps are the namespace's (runc 1.1 wants them in the config all the
	# same; they must agree, and are not written again)
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$id2\"
		| .linux.namespaces |= map(if .type == \"user\" then .path = \"/proc/$pid1/ns/user\" else . end)
		| .process.args = [\"sh\", \"-c\", \"readlink /proc/self/ns/user; cat /proc/self/uid_map /proc/self/gid_map; id -u\"]" "$b2"
	runrt run --bundle "$b2" "$id2"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink "/proc/$pid1/ns/user")" ]
	[ "$(echo ${lines[1]})" = "0 100000 65536" ]
	[ "$(echo ${lines[2]})" = "0 200000 65536" ]
	[ "${lines[3]}" = 0 ]
}

@test "userns: joining a user namespace made outside the runtime" {
	# a namespace of our own, mapped from here as the runtime's stage 0 does
	unshare --user sleep 100 </dev/null >/dev/null 2>&1 3>&- &
	local ns
	SLEEPER=$!
	retry 50 0.1 grep -q sleep "/proc/$SLEEPER/comm"
	echo "0 100000 65536" >"/proc/$SLEEPER/uid_map"
	echo "0 200000 65536" >"/proc/$SLEEPER/gid_map"
	ns=$(readlink "/proc/$SLEEPER/ns/user")
	[ "$ns" != "$(readlink /proc/self/ns/user)" ]
	update_config ".linux.namespaces |= map(if .type == \"user\" then .path = \"/proc/$SLEEPER/ns/user\" else . end)"
	run_sh 'readlink /proc/self/ns/user; id -u'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$ns" ]
	[ "${lines[1]}" = 0 ]
}

@test "userns: with a cgroup namespace, the cgroup hierarchies are mounted inside" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	run_sh 'grep -E ":(pids|memory):" /proc/self/cgroup; ls /sys/fs/cgroup/pids/pids.max; mkdir /sys/fs/cgroup/pids/x'
	[ "$status" -ne 0 ]
	[[ "${lines[0]}" == *":pids:/" ]]
	[[ "$output" == */sys/fs/cgroup/pids/pids.max* ]]
	# read-only, as the spec asks
	[[ "$output" == *"Read-only file system"* ]]
}

@test "userns: exec joins the user namespace and keeps the maps" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt exec "$ID" sh -c 'cat /proc/self/uid_map; id -u'
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "0 100000 65536" ]
	[ "${lines[1]}" = 0 ]
}

@test "userns: a bind source under a directory only host root can enter still mounts (opened on the host)" {
	mkdir -m 700 "$TEST_DIR/private"
	mkdir "$TEST_DIR/private/data"
	echo secret-but-shared >"$TEST_DIR/private/data/file"
	echo host-only >"$TEST_DIR/private/file"
	update_config ".mounts += [{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$TEST_DIR/private/data\", \"options\": [\"bind\", \"ro\"]},
		{\"destination\": \"/one\", \"type\": \"bind\", \"source\": \"$TEST_DIR/private/file\", \"options\": [\"bind\"]}]"
	run_sh 'cat /data/file /one; touch /data/x 2>/dev/null && echo writable || echo read-only'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = secret-but-shared ]
	[ "${lines[1]}" = host-only ]
	[ "${lines[2]}" = read-only ]
}

@test "userns: a bind of a read-only host mount stays read-only to the container's root" {
	RO_MNT=$TEST_DIR/ro
	mkdir -m 777 "$RO_MNT"
	mount --bind "$RO_MNT" "$RO_MNT"
	mount -o remount,bind,ro "$RO_MNT"
	update_config ".mounts += [{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$RO_MNT\", \"options\": [\"bind\"]}]
		| .process.capabilities.bounding += [\"CAP_SYS_ADMIN\"] | .process.capabilities.effective += [\"CAP_SYS_ADMIN\"]
		| .process.capabilities.permitted += [\"CAP_SYS_ADMIN\"]"
	run_sh 'mount -o remount,bind,rw /data 2>/dev/null && echo remounted || echo refused; touch /data/x 2>/dev/null && echo wrote || echo read-only'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = refused ]
	[ "${lines[1]}" = read-only ]
	[ ! -e "$RO_MNT/x" ]
	umount "$RO_MNT"
	RO_MNT=
}
