#!/usr/bin/env bats
# Cgroups on this machine's layout (v1 controllers, cgroup2 at /sys/fs/cgroup/unified):
# the container's cgroup from linux.cgroupsPath, memory and pids limits, removal on delete;
# and the v2 manager in a pure cgroup2 mount namespace.

load helpers

setup() {
	setup_rt
	V2_PARENT=
}

teardown() {
	# A container made in the pure-v2 view must be deleted from there; then our cgroup.
	if [ -n "$V2_PARENT" ]; then
		[ -d "$ROOT/$ID" ] && rt_in_v2 delete --force "$ID"
		remove_cgroup_tree "$V2_PARENT"
	fi
	teardown_rt
}

# The v1 controllers mounted on the host (one hierarchy each here).
v1_controllers() {
	awk '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++)
		if (o[i] !~ /^(rw|ro|relatime|noexec|nosuid|nodev|clone_children|xattr)$/) print o[i] }' \
		/proc/self/mountinfo | sort -u
}

# Host directory of the container's cgroup in CONTROLLER's hierarchy.
v1_dir() {
	local pid=$1 ctrl=$2 mnt
	mnt=$(awk -v c="$ctrl" '$9 == "cgroup" && ("," $NF ",") ~ ("," c ",") { print $5; exit }' /proc/self/mountinfo)
	echo "$mnt$(cgroup_of_pid "$pid" "$ctrl")"
}

@test "the container is in its cgroup, in every v1 hierarchy" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid ctrl
	pid=$(ctr_pid "$ID")
	for ctrl in $(v1_controllers); do
		echo "$ctrl: $(cgroup_of_pid "$pid" "$ctrl")" >&2
		[ "$(cgroup_of_pid "$pid" "$ctrl")" = "$CGROUP_PARENT/$ID" ]
		grep -qx "$pid" "$(v1_dir "$pid" "$ctrl")/cgroup.procs"
	done
}

@test "memory.limit and pids.limit show in the host's cgroup files" {
	update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 42}'
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	[ "$(cat "$(v1_dir "$pid" memory)/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$(v1_dir "$pid" pids)/pids.max")" = 42 ]
}

@test "pids.limit is enforced: the container cannot fork past it" {
	update_config '.linux.resources.pids = {"limit": 5}'
	run_sh 'i=0; while [ $i -lt 8 ]; do sleep 10 & i=$((i + 1)); echo started $i; done'
	# sh and 4 sleeps; the fifth fork fails and the shell gives up
	[ "$status" -ne 0 ]
	[[ "$output" == *"started 4"* ]]
	[[ "$output" != *"started 5"* ]]
	[[ "$output" =~ "can't fork" ]]
}

@test "memory.limit is enforced: a process that needs more is killed" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	run_sh 'dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null && echo survived || echo killed'
	[ "$status" -eq 0 ]
	[ "$output" = killed ]
}

@test "the cgroup is removed on delete" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid ctrl dirs=()
	pid=$(ctr_pid "$ID")
	for ctrl in $(v1_controllers); do
		dirs+=("$(v1_dir "$pid" "$ctrl")")
	done
	[ -d "${dirs[0]}" ]
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	local d
	for d in "${dirs[@]}"; do
		[ ! -e "$d" ]
	done
}

@test "the cgroup is removed when run ends" {
	set_args true
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(leaked_cgroups)" ]
}

@test "an absolute cgroupsPath is used as given" {
	set_cgroup_path "$CGROUP_PARENT/$ID/nested/deeper"
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	[ "$(cgroup_of_pid "$pid" pids)" = "$CGROUP_PARENT/$ID/nested/deeper" ]
	[ "$(cgroup_of_pid "$pid" memory)" = "$CGROUP_PARENT/$ID/nested/deeper" ]
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$CGROUP_MNT/pids$CGROUP_PARENT/$ID/nested/deeper" ]
	# the parents the runtime made are not its to remove: clean them here
	local m
	for m in $(cgroup_mounts); do
		rmdir "$m$CGROUP_PARENT/$ID/nested" "$m$CGROUP_PARENT/$ID" 2>/dev/null || true
	done
}

@test "the default cgroupsPath is /rt/<id> (rt)" {
	requires_rt "runc and crun put the container under their own cgroup"
	update_config 'del(.linux.cgroupsPath)'
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid ctrl
	pid=$(ctr_pid "$ID")
	for ctrl in memory pids cpu; do
		[ "$(cgroup_of_pid "$pid" "$ctrl")" = "/rt/$ID" ]
	done
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$CGROUP_MNT/pids/rt/$ID" ]
}

@test "a relative cgroupsPath is placed under each hierarchy's root (rt)" {
	requires_rt "runc and crun resolve a relative path under their own cgroup"
	set_cgroup_path "$TEST_PREFIX-rel/$ID"
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid ctrl
	pid=$(ctr_pid "$ID")
	# never under the runtime's own cgroup (the memory one belongs to the machine)
	for ctrl in memory pids cpu; do
		[ "$(cgroup_of_pid "$pid" "$ctrl")" = "/$TEST_PREFIX-rel/$ID" ]
	done
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$CGROUP_MNT/memory/$TEST_PREFIX-rel/$ID" ]
	local m
	for m in $(cgroup_mounts); do
		rmdir "$m/$TEST_PREFIX-rel" 2>/dev/null || true
	done
}

# Run "$RT ARGS..." in a pure cgroup2 view: a private mount namespace with cgroup2 on
# /sys/fs/cgroup, inside a cgroup namespace rooted at a cgroup of our own (V2_PARENT), so
# that nothing the runtime does can touch the real cgroup2 root (runc writes the
# subtree_control of every ancestor). stdio to $TEST_DIR/v2.log (a detached container
# keeps it); sets $status and $output.
rt_in_v2() {
	V2_PARENT=$CGROUP_MNT/unified/$TEST_PREFIX-v2
	mkdir -p "$V2_PARENT"
	: >"$TEST_DIR/v2.log"
	status=0
	unshare -m sh -c 'echo $$ >"$1/cgroup.procs" && shift &&
		exec unshare -C sh -c "mount --make-rprivate / && umount -l /sys/fs/cgroup &&
			mount -t cgroup2 none /sys/fs/cgroup && exec \"\$@\"" sh "$@"' \
		sh "$V2_PARENT" "$RT" --root "$ROOT" "$@" </dev/null >"$TEST_DIR/v2.log" 2>&1 3>&- || status=$?
	output=$(cat "$TEST_DIR/v2.log")
	echo "v2: $RT $* (status=$status):" >&2
	echo "$output" >&2
}

@test "cgroup v2: the container is placed in its cgroup, removed when run ends" {
	[ -d "$CGROUP_MNT/unified" ] || skip "no cgroup2 mount at $CGROUP_MNT/unified"
	set_args sh -c 'grep ^0:: /proc/self/cgroup'
	rt_in_v2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "0::$CGROUP_PARENT/$ID" ]
	[ ! -e "$V2_PARENT$CGROUP_PARENT/$ID" ]
}

@test "cgroup v2: run -d, state, kill, delete" {
	[ -d "$CGROUP_MNT/unified" ] || skip "no cgroup2 mount at $CGROUP_MNT/unified"
	set_args sleep 100
	rt_in_v2 run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	rt_in_v2 state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	local pid
	pid=$(jq -r .pid <<<"$output")
	grep -qx "$pid" "$V2_PARENT$CGROUP_PARENT/$ID/cgroup.procs"
	rt_in_v2 kill "$ID" KILL
	[ "$status" -eq 0 ]
	retry 50 0.1 test ! -s "$V2_PARENT$CGROUP_PARENT/$ID/cgroup.procs"
	rt_in_v2 delete "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$V2_PARENT$CGROUP_PARENT/$ID" ]
	[ ! -e "$ROOT/$ID" ]
}
