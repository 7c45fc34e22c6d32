#!/usr/bin/env bats
# The cgroup v2 manager, in a pure cgroup2 view of this machine (rtv2 in helpers.bash):
# only freeze, kill, procs, the eBPF device filter, core unified keys and (when the
# machine's root delegates it) hugetlb exist there; memory, pids, cpu and io do not.

load helpers

setup() {
	setup_rt
	v2_available || skip "no cgroup2 mount at $CGROUP_MNT/unified"
	mkdir -p "$TEST_DIR/out"
	update_config ".mounts += [{\"destination\": \"/out\", \"type\": \"bind\",
		\"source\": \"$TEST_DIR/out\", \"options\": [\"rbind\", \"rw\"]}]"
	set_args sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/out/count; sleep 0.02; done'
	EV_PID=
}

teardown() {
	if [ -n "$EV_PID" ]; then
		kill "$EV_PID" 2>/dev/null
		wait "$EV_PID" 2>/dev/null
	fi
	v2_teardown
	teardown_rt
}

@test "v2: pause and resume through cgroup.freeze; the processes stop and go on" {
	rtv2 run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 test -s "$TEST_DIR/out/count"
	counting
	rtv2 pause "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v2_cg)/cgroup.freeze")" = 1 ]
	grep -qx "frozen 1" "$(v2_cg)/cgroup.events"
	rtv2 state "$ID"
	[ "$(jq -r .status <<<"$output")" = paused ]
	tasks_frozen "$(v2_cg)"
	rtv2 resume "$ID"
	[ "$status" -eq 0 ]
	grep -qx "frozen 0" "$(v2_cg)/cgroup.events"
	rtv2 state "$ID"
	[ "$(jq -r .status <<<"$output")" = running ]
	counting
}

@test "v2: delete --force of a paused container" {
	rtv2 run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	rtv2 pause "$ID"
	[ "$status" -eq 0 ]
	rtv2 delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$(v2_cg)" ]
	[ ! -e "$ROOT/$ID" ]
}

@test "v2: kill --all through cgroup.kill, ps through cgroup.procs" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'sleep 100 & sleep 101 & exec sleep 102'
	rtv2 run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v2_cg)/cgroup.procs")" -eq 3 ]'
	rtv2 ps --format json "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -c sort <<<"$output")" = "$(sort -n "$(v2_cg)/cgroup.procs" | jq -cs .)" ]
	rtv2 kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -qx "populated 0" "$(v2_cg)/cgroup.events"
}

@test "v2: events --stats: cpu from cpu.stat, pids counted from cgroup.procs" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; sleep 100 & exec sleep 101'
	rtv2 run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v2_cg)/cgroup.procs")" -eq 2 ]'
	rtv2 events --stats "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .type <<<"$output")" = stats ]
	[ "$(jq .data.pids.current <<<"$output")" = 2 ]
	local usec
	usec=$(awk '$1 == "usage_usec" { print $2 }' "$(v2_cg)/cpu.stat")
	[ "$(jq .data.cpu.usage.total <<<"$output")" -gt 0 ]
	[ "$(jq .data.cpu.usage.total <<<"$output")" -le $((usec * 1000)) ]
}

@test "v2: the events stream ends when the container's processes are gone" {
	skip_on runc "runc 1.1's events watch memory.events, which the pure cgroup2 view here lacks (no memory controller)"
	set_args sleep 100
	rtv2 run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	rtv2_bg "$TEST_DIR/events.log" events --interval 100ms "$ID"
	EV_PID=$BG_PID
	retry 50 0.1 grep -q '"type":"stats"' "$TEST_DIR/events.log"
	rtv2 kill "$ID" KILL
	[ "$status" -eq 0 ]
	retry 50 0.1 eval "! kill -0 $EV_PID 2>/dev/null"
	wait "$EV_PID"
	EV_PID=
}

@test "v2: device rules as an eBPF program: /dev/fuse only when allowed" {
	update_config '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10,
		"minor": 229, "fileMode": 438}]'
	set_args sh -c 'true </dev/fuse && echo fuse-open; head -c 3 /dev/zero | wc -c'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"fuse"*"Operation not permitted"* ]]
	[[ "$output" != *fuse-open* ]]
	[ "${lines[-1]}" = 3 ]
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 10,
		"minor": 229, "access": "rw"}]'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *fuse-open* ]]
}

@test "v2: unified cgroup.max.descendants: the container cannot make more cgroups" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	update_config '(.mounts[] | select(.destination == "/sys/fs/cgroup") | .options) |= map(select(. != "ro"))'
	update_config '.linux.resources.unified = {"cgroup.max.descendants": "2"}'
	set_args sh -c 'cat /sys/fs/cgroup/cgroup.max.descendants; for d in a b c; do mkdir /sys/fs/cgroup/$d && echo made-$d; done'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "${lines[0]}" = 2 ]
	[[ "$output" == *made-a* && "$output" == *made-b* ]]
	[[ "$output" != *made-c* ]]
	[[ "$output" == *"mkdir"*"/sys/fs/cgroup/c"* ]]
}

@test "v2: unified keys: a missing controller and slashes are refused (rt)" {
	requires_rt "runc's messages differ"
	update_config '.linux.resources.unified = {"memory.max": "100000000"}'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *'unified resource "memory.max" can'"'"'t be set: controller "memory" not available'* ]]
	[ ! -e "$(v2_cg)" ]
	update_config '.linux.resources.unified = {"../cgroup.procs": "1"}'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"must be a file name (no slashes)"* ]]
}

@test "v2: a limit whose controller this view lacks is an error; v1-only fields are refused (rt)" {
	requires_rt "the messages are rt's"
	update_config '.linux.resources.pids = {"limit": 10}'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"pids.limit: the pids controller is not available in cgroup"* ]]
	update_config 'del(.linux.resources.pids) | .linux.resources.memory = {"swappiness": 10}'
	set_args true
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.memory.swappiness: cgroup v2 has no such setting"* ]]
	[ -z "$(ls "$ROOT")" ]
	update_config 'del(.linux.resources.memory) | .linux.resources.network = {"classID": 1}'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.network (net_cls, net_prio): cgroup v2 has no such setting"* ]]
	# what asks for nothing passes (the spec's example values)
	update_config 'del(.linux.resources.network) | .linux.resources.memory = {"kernel": -1, "kernelTCP": -1, "disableOOMKiller": false}'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
}

@test "v2: update: unified keys through -r; no pids controller here (rt)" {
	requires_rt
	set_args sleep 100
	rtv2 run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	echo '{"unified": {"cgroup.max.depth": "3"}}' >"$TEST_DIR/r.json"
	rtv2 update -r "$TEST_DIR/r.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v2_cg)/cgroup.max.depth")" = 3 ]
	rtv2 update --pids-limit 5 "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"the pids controller is not available"* ]]
}

@test "v2: hugepageLimits where the machine's cgroup2 root delegates hugetlb, else an error (rt)" {
	requires_rt
	set_args true
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 6291456}]'
	set_args cat /sys/fs/cgroup/hugetlb.2MB.max
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	V2_ROOT=$CGROUP_MNT/unified/$TEST_PREFIX-v2
	mkdir -p "$V2_ROOT"
	if grep -qw hugetlb "$V2_ROOT/cgroup.controllers" &&
		echo +hugetlb >"$V2_ROOT/cgroup.subtree_control"; then
		rtv2 run --bundle "$BUNDLE" "$ID"
		[ "$status" -eq 0 ]
		[ "${lines[-1]}" = 6291456 ]
	else
		rtv2 run --bundle "$BUNDLE" "$ID"
		[ "$status" -ne 0 ]
		[[ "$output" == *"hugepageLimits: the hugetlb controller is not available"* ]]
	fi
}

@test "v2: the cgroup mount: the container's own cgroup as root, read-only" {
	skip_on runc "without a cgroup namespace runc 1.1 mounts the whole cgroup2 hierarchy (root /), rt only the container's cgroup, as crun"
	set_args sh -c 'grep "^0::" /proc/self/cgroup; grep " /sys/fs/cgroup " /proc/self/mountinfo;
		cat /sys/fs/cgroup/cgroup.procs | wc -l; touch /sys/fs/cgroup/x'
	# without a cgroup namespace: the container's cgroup is bound there
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "${lines[0]}" = "0::$CGROUP_PARENT/$ID" ]
	[[ "${lines[1]}" == *" $CGROUP_PARENT/$ID /sys/fs/cgroup ro,"* ]]
	[ "${lines[2]}" -ge 1 ]
	[[ "$output" == *"Read-only file system"* ]]
	# with one: a cgroup2 mount rooted there
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	rtv2 run --bundle "$BUNDLE" "$ID"
	[ "${lines[0]}" = "0::/" ]
	[[ "${lines[1]}" == *" / /sys/fs/cgroup ro,"*" - cgroup2 "* ]]
	[[ "$output" == *"Read-only file system"* ]]
}
