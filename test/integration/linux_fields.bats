#!/usr/bin/env bats
# Linux fields of the spec applied (issue 13): personality, timeOffsets, ioPriority,
# scheduler, execCPUAffinity, memoryPolicy, netDevices, tmpcopyup, idmapped mounts,
# recursive mount attributes, intelRdt; each shown from inside the container, or refused
# before anything is made.

load helpers

setup() {
	setup_rt
	VETH=
}

teardown() {
	[ -z "$VETH" ] || ip link del "$VETH" 2>/dev/null || true
	[ -z "${RO_MNT:-}" ] || umount -l "$RO_MNT" 2>/dev/null || true
	teardown_rt
}

# refused WHAT: run must fail with status 1 and a message matching WHAT, nothing left
# (teardown_rt checks the state dir, cgroups and mounts).
refused() {
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$1"* ]]
	[ -z "$(ls "$ROOT" 2>/dev/null)" ]
}

# ---- personality

@test "personality: LINUX32 makes uname -m show i686" {
	skip_on runc "runc 1.1 lacks linux.personality"
	update_config '.linux.personality = {"domain": "LINUX32"}'
	run_sh 'uname -m'
	[ "$status" -eq 0 ]
	[ "$output" = i686 ]
}

@test "personality: LINUX keeps the 64-bit machine" {
	update_config '.linux.personality = {"domain": "LINUX"}'
	run_sh 'uname -m'
	[ "$status" -eq 0 ]
	[ "$output" = "$(uname -m)" ]
}

@test "personality: LINUX32 holds for exec too" {
	skip_on runc "runc 1.1 lacks linux.personality"
	update_config '.linux.personality = {"domain": "LINUX32"}'
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt exec "$ID" uname -m
	[ "$status" -eq 0 ]
	[ "$output" = i686 ]
}

@test "personality: a flag is refused (the spec defines none)" {
	update_config '.linux.personality = {"domain": "LINUX", "flags": ["ADDR_NO_RANDOMIZE"]}'
	skip_on runc "runc 1.1 ignores linux.personality"
	refused "personality.flags"
}

# ---- timeOffsets

@test "timeOffsets: the time namespace has the offsets, the clocks show them" {
	skip_on runc "runc 1.1 lacks linux.timeOffsets"
	update_config '.linux.namespaces += [{"type": "time"}]
		| .linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 5}, "boottime": {"secs": 172800}}'
	run_sh 'cat /proc/self/timens_offsets; cut -d. -f1 /proc/uptime'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^monotonic\ +86400\ +5$ ]]
	[[ "${lines[1]}" =~ ^boottime\ +172800\ +0$ ]]
	# /proc/uptime is CLOCK_BOOTTIME in the namespace: two days ahead of the host's.
	host=$(cut -d. -f1 /proc/uptime)
	[ "${lines[2]}" -ge $((host + 172800 - 5)) ]
	[ "${lines[2]}" -le $((host + 172800 + 60)) ]
}

@test "timeOffsets: an exec'd process is in the same time namespace" {
	skip_on runc "runc 1.1 lacks linux.timeOffsets"
	update_config '.linux.namespaces += [{"type": "time"}]
		| .linux.timeOffsets = {"boottime": {"secs": 1000000}}'
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt exec "$ID" cat /proc/self/timens_offsets
	[ "$status" -eq 0 ]
	[[ "$output" == *"boottime"*"1000000"* ]]
}

@test "timeOffsets: refused without a new time namespace" {
	skip_on runc "runc 1.1 ignores linux.timeOffsets"
	update_config '.linux.timeOffsets = {"monotonic": {"secs": 10}}'
	refused "requires a new time namespace"
}

# ---- ioPriority

@test "ioPriority: the init's class and level" {
	skip_on runc "runc 1.1 lacks process.ioPriority"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
	run_sh 'ionice -p $$'
	[ "$status" -eq 0 ]
	[ "$output" = "best-effort: prio 6" ]
}

@test "ioPriority: idle class, and exec takes its own process's" {
	skip_on runc "runc 1.1 lacks process.ioPriority"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}'
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	[ "$(ionice -p "$(ctr_pid "$ID")")" = "idle" ]
	jq '.process | .args = ["sh", "-c", "ionice -p $$"] | .ioPriority = {"class": "IOPRIO_CLASS_RT", "priority": 2}' \
		"$BUNDLE/config.json" >"$TEST_DIR/process.json"
	runrt exec --process "$TEST_DIR/process.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "realtime: prio 2" ]
}

# ---- scheduler

# policy and nice of the container's shell: /proc/self/stat fields 41 and 19 (after the
# command name, which has no spaces here).
SCHED_PROBE='set -- $(cat /proc/self/stat); eval "echo policy=\${41} nice=\${19}"'

@test "scheduler: SCHED_BATCH with nice" {
	skip_on runc "runc 1.1 lacks process.scheduler"
	update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 7}'
	run_sh "$SCHED_PROBE"
	[ "$status" -eq 0 ]
	[ "$output" = "policy=3 nice=7" ]
}

@test "scheduler: SCHED_IDLE for exec's process" {
	skip_on runc "runc 1.1 lacks process.scheduler"
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	jq --arg p "$SCHED_PROBE" '.process | .args = ["sh", "-c", $p] | .scheduler = {"policy": "SCHED_IDLE"}' \
		"$BUNDLE/config.json" >"$TEST_DIR/process.json"
	runrt exec --process "$TEST_DIR/process.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "policy=5 nice=0" ]
}

@test "scheduler: SCHED_DEADLINE with runtime, deadline and period" {
	skip_on runc "runc 1.1 lacks process.scheduler"
	update_config '.process.scheduler = {"policy": "SCHED_DEADLINE", "runtime": 1000000, "deadline": 5000000, "period": 10000000, "flags": ["SCHED_FLAG_RESET_ON_FORK"]}'
	# a deadline task may not fork: cat is the process itself
	set_args cat /proc/self/sched
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" =~ policy\ +:\ +6 ]]
	# dl.runtime there is what is left of the period's runtime (1 ms at most), dl.deadline
	# the absolute deadline of the current period
	left=$(awk '$1 == "dl.runtime" { print $3 }' <<<"$output")
	[ "$left" -gt 0 ] && [ "$left" -le 1000000 ]
}

@test "scheduler: SCHED_ISO is refused (Linux never had it)" {
	skip_on runc "runc 1.1 ignores process.scheduler"
	update_config '.process.scheduler = {"policy": "SCHED_ISO"}'
	refused "SCHED_ISO"
}

# ---- execCPUAffinity

@test "execCPUAffinity: final is the process's affinity, initial the runtime's before" {
	skip_on runc "runc 1.1 lacks process.execCPUAffinity"
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	update_config '.process.execCPUAffinity = {"initial": "1", "final": "0"}'
	run_sh 'grep Cpus_allowed_list /proc/self/status'
	[ "$status" -eq 0 ]
	[[ "$output" =~ Cpus_allowed_list:.0$ ]]
}

@test "execCPUAffinity: initial alone stays the process's, for create and exec" {
	skip_on runc "runc 1.1 lacks process.execCPUAffinity"
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	update_config '.process.execCPUAffinity = {"initial": "1"}'
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	grep -q 'Cpus_allowed_list:.1$' "/proc/$(ctr_pid "$ID")/status"
	jq '.process | .args = ["grep", "Cpus_allowed_list", "/proc/self/status"] | .execCPUAffinity = {"initial": "0", "final": "1"}' \
		"$BUNDLE/config.json" >"$TEST_DIR/process.json"
	runrt exec --process "$TEST_DIR/process.json" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" =~ Cpus_allowed_list:.1$ ]]
}

@test "execCPUAffinity: a CPU list that is not one is refused" {
	skip_on runc "runc 1.1 ignores process.execCPUAffinity"
	update_config '.process.execCPUAffinity = {"final": "3-1"}'
	refused "execCPUAffinity.final"
}

# ---- memoryPolicy

@test "memoryPolicy: MPOL_BIND to node 0 shows in numa_maps" {
	skip_on runc "runc 1.1 lacks linux.memoryPolicy"
	[ -f /proc/self/numa_maps ] || skip "kernel without NUMA"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}'
	set_args head -n1 /proc/self/numa_maps
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *" bind=static:0 "* ]]
}

@test "memoryPolicy: MPOL_INTERLEAVE without nodes is refused" {
	skip_on runc "runc 1.1 ignores linux.memoryPolicy"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE"}'
	refused "needs nodes"
}

# ---- netDevices

# make_veth: a veth pair on the host, its ends in VETH (removed in teardown) and PEER,
# with a permanent global address on VETH.
make_veth() {
	VETH=rtv${BATS_SUITE_TEST_NUMBER:-0}a$$
	VETH=${VETH:0:15}
	PEER=${VETH:0:14}p
	ip link add "$VETH" type veth peer name "$PEER"
	ip addr add 192.0.2.10/24 dev "$VETH"
}

@test "netDevices: a host interface moves in, renamed, up, with its address" {
	skip_on runc "runc 1.1 lacks linux.netDevices"
	make_veth
	update_config ".linux.netDevices = {\"$VETH\": {\"name\": \"ctr0\"}}"
	run_sh 'ip -o addr show dev ctr0; ip -o link show dev ctr0'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"inet 192.0.2.10/24"* ]]
	[[ "${lines[1]}" == *"<"*UP*">"* ]]
	# gone from the host while the namespace lived; the kernel destroys a virtual device
	# with its namespace (the runtime must not move it back)
	! ip link show "$VETH" 2>/dev/null
	! ip link show "$PEER" 2>/dev/null
	VETH=
}

@test "netDevices: the host name is kept without a new name" {
	skip_on runc "runc 1.1 lacks linux.netDevices"
	make_veth
	update_config ".linux.netDevices = {\"$VETH\": {}}"
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	! ip link show "$VETH" 2>/dev/null
	runrt exec "$ID" cat "/sys/class/net/$VETH/operstate"
	[ "$status" -eq 0 ]
	# up, but a veth whose peer is down has no carrier
	[[ "$output" = lowerlayerdown || "$output" = up ]]
}

@test "netDevices: a name taken in the container is refused, nothing left" {
	skip_on runc "runc 1.1 lacks linux.netDevices"
	make_veth
	update_config ".linux.netDevices = {\"$VETH\": {\"name\": \"lo\"}}"
	refused "as \"lo\""
}

@test "netDevices: a missing host interface is refused before anything is made" {
	skip_on runc "runc 1.1 ignores linux.netDevices"
	update_config '.linux.netDevices = {"rt-no-such0": {}}'
	refused 'host interface "rt-no-such0"'
}

# ---- intelRdt

@test "intelRdt: refused where no resctrl is mounted, naming it" {
	skip_on runc "runc 1.1 runs the container, ignoring intelRdt, when resctrl is missing"
	grep -q ' - resctrl ' /proc/self/mountinfo && skip "resctrl is mounted here"
	update_config '.linux.intelRdt = {"closID": "guaranteed_group"}'
	refused "no resctrl file system is mounted"
}

# ---- tmpcopyup

@test "tmpcopyup: the tmpfs starts with the image's directory, owners and modes kept" {
	skip_on runc "runc 1.1 lacks tmpcopyup"
	mkdir -p "$BUNDLE/rootfs/srv/data/sub"
	echo hello >"$BUNDLE/rootfs/srv/data/sub/file"
	chmod 604 "$BUNDLE/rootfs/srv/data/sub/file"
	chown 1234:2345 "$BUNDLE/rootfs/srv/data/sub/file"
	ln -s sub/file "$BUNDLE/rootfs/srv/data/link"
	update_config '.mounts += [{"destination": "/srv/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "ro"]}]'
	run_sh 'grep " /srv/data " /proc/mounts; cat /srv/data/link; stat -c "%a %u %g" /srv/data/sub/file; touch /srv/data/new'
	[ "$status" -ne 0 ] # read-only once copied
	[[ "${lines[0]}" == "tmpfs /srv/data tmpfs ro,"* ]]
	[ "${lines[1]}" = hello ]
	[ "${lines[2]}" = "604 1234 2345" ]
	[[ "${lines[3]}" == *"Read-only file system"* ]]
	# the image itself is untouched
	[ ! -e "$BUNDLE/rootfs/srv/data/new" ]
}

@test "tmpcopyup: refused on a mount that is not a tmpfs" {
	skip_on runc "runc 1.1 lacks tmpcopyup"
	update_config '.mounts += [{"destination": "/srv", "type": "bind", "source": "/tmp", "options": ["bind", "tmpcopyup"]}]'
	refused "tmpcopyup needs a tmpfs"
}

# ---- idmapped mounts

# The kernel maps idmapped mounts only on file systems that allow it: tmpfs from 6.3.
idmap_dir() {
	IDMAP_SRC=$TEST_DIR/idmap-src
	mkdir -p "$IDMAP_SRC"
	mount -t tmpfs tmpfs "$IDMAP_SRC"
	touch "$IDMAP_SRC/owned-by-1000"
	# the kernel refuses writes to an inode whose owner the mount does not map
	chown 1000:1000 "$IDMAP_SRC" "$IDMAP_SRC/owned-by-1000"
}

idmap_cleanup() {
	umount "$IDMAP_SRC"
}

# Run SCRIPT in the container, take the host's owner of FILE (under the source) and
# unmount the source, all before any assertion can fail: sets st, out and host_owner.
idmap_run() {
	run_sh "$1"
	st=$status
	out=$output
	host_owner=$(stat -c %u:%g "$IDMAP_SRC/$2" 2>&1) || true
	idmap_cleanup
}

@test "idmap: files made through the mount get the mapped owner on the host" {
	skip_on runc "runc 1.1 lacks idmapped mounts"
	idmap_dir
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$IDMAP_SRC\", \"options\": [\"bind\", \"idmap\"],
		\"uidMappings\": [{\"containerID\": 1000, \"hostID\": 0, \"size\": 1}],
		\"gidMappings\": [{\"containerID\": 1000, \"hostID\": 0, \"size\": 1}]}]"
	idmap_run 'touch /mnt/made-inside && stat -c "%u:%g" /mnt/owned-by-1000 /mnt' made-inside
	[ "$st" -eq 0 ]
	# a file of 1000 on disk is root's through the mount, root's new file is 1000's on disk
	[ "$out" = $'0:0\n0:0' ]
	[ "$host_owner" = 1000:1000 ]
}

# A container with a user namespace: root inside is 100000 (gid 200000) outside.
userns_config() {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	chown -R -h 100000:200000 "$BUNDLE/rootfs"
}

@test "idmap in a user namespace: the container's mapping by default (rt makes the mount)" {
	skip_on runc "runc 1.1 lacks idmapped mounts"
	userns_config
	idmap_dir
	chown 0:0 "$IDMAP_SRC"
	touch "$IDMAP_SRC/host-root"
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$IDMAP_SRC\", \"options\": [\"bind\", \"idmap\"]}]"
	idmap_run 'stat -c "%u:%g" /mnt/host-root && touch /mnt/made-inside' made-inside
	[ "$st" -eq 0 ]
	# host root's file is the container's root's, and back
	[ "$out" = 0:0 ]
	[ "$host_owner" = 0:0 ]
}

@test "idmap in a user namespace: the mount's own mappings" {
	skip_on runc "runc 1.1 lacks idmapped mounts"
	userns_config
	idmap_dir
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$IDMAP_SRC\", \"options\": [\"bind\", \"idmap\"],
		\"uidMappings\": [{\"containerID\": 1000, \"hostID\": 100000, \"size\": 1}],
		\"gidMappings\": [{\"containerID\": 1000, \"hostID\": 200000, \"size\": 1}]}]"
	idmap_run 'stat -c "%u:%g" /mnt/owned-by-1000 && touch /mnt/made-inside' made-inside
	[ "$st" -eq 0 ]
	[ "$out" = 0:0 ]
	[ "$host_owner" = 1000:1000 ]
}

@test "idmap in a user namespace: a read-only host mount stays read-only to the container's root" {
	skip_on runc "runc 1.1 lacks idmapped mounts"
	userns_config
	RO_MNT=$TEST_DIR/idmap-ro
	mkdir -p "$RO_MNT"
	mount -t tmpfs tmpfs "$RO_MNT"
	echo host >"$RO_MNT/file"
	# read-only as a mount (the superblock stays writable): what a container must not undo
	mount -o remount,bind,ro "$RO_MNT"
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$RO_MNT\", \"options\": [\"bind\", \"idmap\"]}]
		| .process.capabilities.bounding += [\"CAP_SYS_ADMIN\"] | .process.capabilities.effective += [\"CAP_SYS_ADMIN\"]
		| .process.capabilities.permitted += [\"CAP_SYS_ADMIN\"]"
	run_sh 'stat -c %u:%g /mnt/file; mount -o remount,bind,rw /mnt 2>/dev/null && echo remounted || echo refused
		{ echo container >/mnt/file; } 2>/dev/null && echo wrote || echo read-only'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = refused ]
	[ "${lines[2]}" = read-only ]
	[ "$(cat "$RO_MNT/file")" = host ]
	umount "$RO_MNT"
	RO_MNT=
}

@test "idmap: without mappings and without a user namespace is refused" {
	skip_on runc "runc 1.1 lacks idmapped mounts"
	update_config '.mounts += [{"destination": "/mnt", "type": "bind", "source": "/tmp", "options": ["bind", "idmap"]}]'
	refused "needs a user namespace"
}

@test "ridmap: the mapping holds for mounts below the source too" {
	skip_on runc "runc 1.1 lacks idmapped mounts"
	idmap_dir
	mkdir "$IDMAP_SRC/sub"
	mount -t tmpfs tmpfs "$IDMAP_SRC/sub"
	chown 2000:2000 "$IDMAP_SRC/sub"
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$IDMAP_SRC\", \"options\": [\"rbind\", \"ridmap\"],
		\"uidMappings\": [{\"containerID\": 2000, \"hostID\": 0, \"size\": 1}],
		\"gidMappings\": [{\"containerID\": 2000, \"hostID\": 0, \"size\": 1}]}]"
	run_sh 'touch /mnt/sub/deep'
	st=$status
	host_owner=$(stat -c %u "$IDMAP_SRC/sub/deep" 2>&1) || true
	umount "$IDMAP_SRC/sub"
	idmap_cleanup
	[ "$st" -eq 0 ]
	[ "$host_owner" = 2000 ]
}

# ---- recursive mount attributes

@test "rro, rnosuid, rnodev, rnoexec, rnoatime: the whole tree of an rbind" {
	skip_on runc "runc 1.1 lacks recursive mount attributes"
	SRC=$TEST_DIR/rsrc
	mkdir -p "$SRC/sub"
	mount -t tmpfs tmpfs "$SRC/sub"
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"rbind\", \"rro\", \"rnosuid\", \"rnodev\", \"rnoexec\", \"rnoatime\", \"rnosymfollow\"]}]"
	run_sh 'grep " /mnt/sub " /proc/mounts'
	st=$status
	out=$output
	umount "$SRC/sub"
	[ "$st" -eq 0 ]
	[[ "$out" == *" ro,nosuid,nodev,noexec,noatime,nosymfollow"* ]]
}

@test "rrw, rsuid, rexec, rstrictatime clear what the source had below" {
	skip_on runc "runc 1.1 lacks recursive mount attributes"
	SRC=$TEST_DIR/rsrc
	mkdir -p "$SRC/sub"
	mount -t tmpfs tmpfs "$SRC/sub"
	# flags of the mount, not of the file system (the kernel keeps a read-only superblock)
	mount -o remount,bind,ro,nosuid,noexec,noatime "$SRC/sub"
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"rbind\", \"rrw\", \"rsuid\", \"rexec\", \"rstrictatime\"]}]"
	run_sh 'grep " /mnt/sub " /proc/mounts'
	st=$status
	out=$output
	umount "$SRC/sub"
	[ "$st" -eq 0 ]
	[[ "$out" == *" rw "* || "$out" == *" rw,"* ]]
	[[ "$out" != *nosuid* && "$out" != *noexec* && "$out" != *noatime* && "$out" != *relatime* ]]
}
