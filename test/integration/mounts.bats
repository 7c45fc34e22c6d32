#!/usr/bin/env bats
# mounts[]: proc, sysfs, tmpfs, devpts, mqueue, cgroup, bind and rbind with their options
# and propagation flags, proven from /proc/self/mountinfo inside the container.

load helpers

setup() {
	setup_rt
	HOST_MOUNTS=()
}

teardown() {
	local m
	for ((m = ${#HOST_MOUNTS[@]} - 1; m >= 0; m--)); do
		umount -l "${HOST_MOUNTS[$m]}" 2>/dev/null
	done
	teardown_rt
}

# A host mount made by the test (undone in teardown, last first).
host_mount() {
	mount "$@"
	HOST_MOUNTS+=("${!#}")
}

# add_mount JSON: append a mount to the config.
add_mount() {
	update_config ".mounts += [$1]"
}

# The mountinfo line of mount point $1 (the last one mounted there), from $output.
mnt_line() {
	awk -v m="$1" '$5 == m' <<<"$output" | tail -n1
}

# Per-mount options (field 6) of mount point $1, one per line.
mnt_opts() {
	mnt_line "$1" | awk '{print $6}' | tr , '\n'
}

# Superblock options (the last field) of mount point $1, one per line.
super_opts() {
	mnt_line "$1" | awk '{print $NF}' | tr , '\n'
}

# fstype (the field after " - ") of mount point $1.
mnt_type() {
	mnt_line "$1" | sed 's/.* - \([^ ]*\) .*/\1/'
}

has_opt() { # has_opt OPT <<<list
	grep -qx -- "$1"
}

@test "proc at /proc" {
	run_sh 'cat /proc/self/mountinfo; echo pid=$(cat /proc/self/stat | cut -d" " -f1)'
	[ "$status" -eq 0 ]
	[ "$(mnt_type /proc)" = proc ]
	# a proc of the container's pid namespace
	[[ "$output" =~ pid=[0-9]+ ]]
	[ "${output##*pid=}" -lt 10 ]
}

@test "sysfs at /sys: ro,nosuid,nodev,noexec" {
	run_sh 'cat /proc/self/mountinfo; touch /sys/x 2>/dev/null || echo refused'
	[ "$status" -eq 0 ]
	[ "$(mnt_type /sys)" = sysfs ]
	local o
	for o in ro nosuid nodev noexec; do
		mnt_opts /sys | has_opt "$o"
	done
	[ "${lines[-1]}" = refused ]
}

@test "tmpfs with size and mode, at a path the runtime creates" {
	add_mount '{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs",
		"options": ["size=1m", "mode=1750", "nosuid", "nodev"]}'
	run_sh 'cat /proc/self/mountinfo; stat -c "mode=%a" /mnt/t; df -k /mnt/t | tail -n1'
	[ "$status" -eq 0 ]
	[ "$(mnt_type /mnt/t)" = tmpfs ]
	super_opts /mnt/t | has_opt size=1024k
	super_opts /mnt/t | has_opt mode=1750
	mnt_opts /mnt/t | has_opt nosuid
	mnt_opts /mnt/t | has_opt nodev
	! mnt_opts /mnt/t | has_opt noexec
	[[ "$output" =~ mode=1750 ]]
	[ "$(awk '{print $2}' <<<"${lines[-1]}")" -eq 1024 ]
	# the rootfs is read-only, yet the mount point was made: in the bundle, not the host
	[ -d "$BUNDLE/rootfs/mnt/t" ]
}

@test "tmpfs: noexec and ro" {
	add_mount '{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs", "options": ["noexec", "ro"]}'
	run_sh 'cat /proc/self/mountinfo; touch /mnt/t/x 2>/dev/null || echo refused'
	[ "$status" -eq 0 ]
	mnt_opts /mnt/t | has_opt noexec
	mnt_opts /mnt/t | has_opt ro
	[ "${lines[-1]}" = refused ]
}

@test "devpts at /dev/pts: newinstance, ptmxmode, mode, gid" {
	run_sh 'cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[ "$(mnt_type /dev/pts)" = devpts ]
	super_opts /dev/pts | has_opt gid=5
	super_opts /dev/pts | has_opt mode=620
	super_opts /dev/pts | has_opt ptmxmode=666
	mnt_opts /dev/pts | has_opt nosuid
	mnt_opts /dev/pts | has_opt noexec
}

@test "mqueue at /dev/mqueue" {
	run_sh 'cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[ "$(mnt_type /dev/mqueue)" = mqueue ]
	local o
	for o in nosuid nodev noexec; do
		mnt_opts /dev/mqueue | has_opt "$o"
	done
}

@test "cgroup at /sys/fs/cgroup: read-only, the container's own cgroup" {
	run_sh 'cat /proc/self/mountinfo; echo procs; cat /sys/fs/cgroup/pids/cgroup.procs; mkdir /sys/fs/cgroup/pids/x 2>/dev/null || echo refused'
	[ "$status" -eq 0 ]
	[ "$(mnt_type /sys/fs/cgroup/pids)" = cgroup ]
	mnt_opts /sys/fs/cgroup/pids | has_opt ro
	super_opts /sys/fs/cgroup/pids | has_opt pids
	# without a cgroup namespace, the mount's root is the container's cgroup
	[ "$(mnt_line /sys/fs/cgroup/pids | awk '{print $4}')" = "$CGROUP_PARENT/$ID" ]
	[ "$(mnt_type /sys/fs/cgroup/memory)" = cgroup ]
	# the container's processes, with their pids inside
	[[ "$output" =~ procs$'\n'1$'\n' ]]
	[ "${lines[-1]}" = refused ]
}

@test "bind: ro,nosuid,nodev,noexec" {
	mkdir "$TEST_DIR/src"
	echo hostdata >"$TEST_DIR/src/file"
	add_mount "{\"destination\": \"/mnt/b\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\",
		\"options\": [\"bind\", \"ro\", \"nosuid\", \"nodev\", \"noexec\"]}"
	run_sh 'cat /proc/self/mountinfo; cat /mnt/b/file; touch /mnt/b/new 2>/dev/null || echo refused'
	[ "$status" -eq 0 ]
	[ "$(mnt_line /mnt/b | awk '{print $4}')" = "$TEST_DIR/src" ]
	local o
	for o in ro nosuid nodev noexec; do
		mnt_opts /mnt/b | has_opt "$o"
	done
	[ "${lines[-2]}" = hostdata ]
	[ "${lines[-1]}" = refused ]
	[ ! -e "$TEST_DIR/src/new" ]
}

@test "bind: rw by default, writes reach the host" {
	mkdir "$TEST_DIR/src"
	add_mount "{\"destination\": \"/mnt/b\", \"type\": \"none\", \"source\": \"$TEST_DIR/src\", \"options\": [\"bind\"]}"
	run_sh 'cat /proc/self/mountinfo; echo from-ctr >/mnt/b/new'
	[ "$status" -eq 0 ]
	mnt_opts /mnt/b | has_opt rw
	[ "$(cat "$TEST_DIR/src/new")" = from-ctr ]
}

@test "bind: atime flags relatime, noatime, strictatime" {
	local flag
	for flag in relatime noatime strictatime; do
		mkdir -p "$TEST_DIR/src-$flag"
		add_mount "{\"destination\": \"/mnt/$flag\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src-$flag\",
			\"options\": [\"bind\", \"$flag\"]}"
	done
	run_sh 'cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	mnt_opts /mnt/relatime | has_opt relatime
	mnt_opts /mnt/noatime | has_opt noatime
	! mnt_opts /mnt/strictatime | has_opt relatime
	! mnt_opts /mnt/strictatime | has_opt noatime
}

@test "bind: a single file" {
	echo filedata >"$TEST_DIR/hostfile"
	add_mount "{\"destination\": \"/etc/bound\", \"type\": \"bind\", \"source\": \"$TEST_DIR/hostfile\", \"options\": [\"bind\", \"ro\"]}"
	run_sh 'cat /etc/bound; cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = filedata ]
	mnt_opts /etc/bound | has_opt ro
}

@test "bind vs rbind: submounts of the source" {
	mkdir -p "$TEST_DIR/src/sub"
	host_mount -t tmpfs -o size=1m rt-test-sub "$TEST_DIR/src/sub"
	echo insub >"$TEST_DIR/src/sub/f"
	add_mount "{\"destination\": \"/mnt/bind\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"bind\"]}"
	add_mount "{\"destination\": \"/mnt/rbind\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"rbind\"]}"
	run_sh 'cat /proc/self/mountinfo; cat /mnt/rbind/sub/f; ls /mnt/bind/sub | wc -l'
	[ "$status" -eq 0 ]
	[ "$(mnt_type /mnt/rbind/sub)" = tmpfs ]
	[ -z "$(mnt_line /mnt/bind/sub)" ]
	[ "${lines[-2]}" = insub ]
	[ "${lines[-1]}" = 0 ]
}

@test "bind propagation: rprivate, shared, unbindable" {
	local p
	for p in rprivate shared unbindable; do
		mkdir -p "$TEST_DIR/src-$p"
		add_mount "{\"destination\": \"/mnt/$p\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src-$p\",
			\"options\": [\"rbind\", \"$p\"]}"
	done
	run_sh 'cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /mnt/rprivate)" != *shared:* ]]
	[[ "$(mnt_line /mnt/rprivate)" != *master:* ]]
	[[ "$(mnt_line /mnt/shared)" =~ \ shared:[0-9]+\  ]]
	[[ "$(mnt_line /mnt/unbindable)" =~ \ unbindable\  ]]
}

@test "bind propagation: rslave of a shared host mount sees the host's new mounts" {
	mkdir -p "$TEST_DIR/src"
	host_mount --bind "$TEST_DIR/src" "$TEST_DIR/src"
	mount --make-shared "$TEST_DIR/src"
	add_mount "{\"destination\": \"/mnt/slave\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"rbind\", \"rslave\"]}"
	set_args sh -c 'cat /proc/self/mountinfo; echo ready
		while ! grep -q " /mnt/slave/late " /proc/self/mountinfo; do sleep 0.1; done; cat /mnt/slave/late/f'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" ready
	output=$(container_log "$ID")
	[[ "$(mnt_line /mnt/slave)" =~ \ master:[0-9]+\  ]]
	# a mount made on the host after start propagates into the container
	mkdir "$TEST_DIR/src/late"
	host_mount -t tmpfs rt-test-late "$TEST_DIR/src/late"
	echo late >"$TEST_DIR/src/late/f"
	wait_status "$ID" stopped
	[ "$(tail -n1 "$TEST_DIR/$ID.log")" = late ]
}

@test "bind: a missing source fails create" {
	add_mount "{\"destination\": \"/mnt/b\", \"type\": \"bind\", \"source\": \"$TEST_DIR/nonexistent\", \"options\": [\"bind\"]}"
	set_args true
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"$TEST_DIR/nonexistent"* ]]
}

@test "mounts are made in order: a tmpfs on top of another" {
	add_mount '{"destination": "/mnt/a", "type": "tmpfs", "source": "first", "options": ["size=1m"]}'
	add_mount '{"destination": "/mnt/a/b", "type": "tmpfs", "source": "second", "options": ["size=2m"]}'
	run_sh 'cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /mnt/a)" =~ \ first\  ]]
	[[ "$(mnt_line /mnt/a/b)" =~ \ second\  ]]
	super_opts /mnt/a/b | has_opt size=2048k
}
