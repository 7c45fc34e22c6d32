#!/usr/bin/env bats
# The cgroup mount inside the container on this v1 host: one directory per hierarchy,
# the container's own cgroup as its root, read-only unless the spec says otherwise; and
# the cgroup namespace.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

@test "cgroup mount: every hierarchy, rooted at the container's cgroup, read-only" {
	update_config '.linux.resources.pids = {"limit": 77}'
	set_args sh -c 'ls /sys/fs/cgroup; grep " /sys/fs/cgroup/pids " /proc/self/mountinfo;
		echo max=$(cat /sys/fs/cgroup/pids/pids.max) procs=$(grep -c . /sys/fs/cgroup/pids/cgroup.procs);
		mkdir /sys/fs/cgroup/pids/sub'
	runrt run --bundle "$BUNDLE" "$ID"
	local h
	for h in cpu cpuacct cpuset memory devices freezer blkio pids systemd; do
		[[ "$output" == *"$h"* ]]
	done
	[[ "$output" == *" $CGROUP_PARENT/$ID /sys/fs/cgroup/pids ro,"* ]]
	# its own limit, and only its own processes (sh and the one running)
	[[ "$output" == *"max=77 procs=2"* ]]
	[[ "$output" == *"Read-only file system"* ]]
}

@test "cgroup mount without ro: the container can make its own sub-cgroups; delete removes them" {
	update_config '(.mounts[] | select(.destination == "/sys/fs/cgroup") | .options) |= map(select(. != "ro"))'
	set_args sh -c 'mkdir /sys/fs/cgroup/pids/sub && echo $$ >/sys/fs/cgroup/pids/sub/cgroup.procs &&
		grep pids: /proc/self/cgroup; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" "pids:"
	grep -q "pids:$CGROUP_PARENT/$ID/sub" "$TEST_DIR/$ID.log"
	[ -d "$(v1_cg pids)/sub" ]
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$(v1_cg pids)" ]
}

@test "cgroup namespace: the container sees its cgroup as /" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	set_args sh -c 'cat /proc/self/cgroup; grep " /sys/fs/cgroup/memory " /proc/self/mountinfo'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"4:memory:/"$'\n'* ]] || [[ "$output" == *":memory:/"$'\n'* ]]
	[[ "$output" != *"$CGROUP_PARENT"* ]]
	[[ "$output" == *" / /sys/fs/cgroup/memory ro,"* ]]
}
