#!/usr/bin/env bats
# pause and resume through the freezer (v1 freezer.state): the state says "paused" and the
# container's processes stop doing anything until resumed.  kill and delete --force of a
# paused container.

load helpers

setup() {
	setup_rt
	# a counter the host can watch: a bind mount of a directory of the test's
	mkdir -p "$TEST_DIR/out"
	update_config ".mounts += [{\"destination\": \"/out\", \"type\": \"bind\",
		\"source\": \"$TEST_DIR/out\", \"options\": [\"rbind\", \"rw\"]}]"
	set_args sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/out/count; sleep 0.02; done'
}

teardown() {
	teardown_rt
}

# SIGTERM is pending for process PID (sent, not yet taken: bit 15 of its shared pending set).
term_pending() {
	local p
	p=$(awk '$1 == "ShdPnd:" { print $2 }' "/proc/$1/status")
	echo "pid $1 ShdPnd $p" >&2
	(((0x$p >> 14) & 1))
}

@test "pause: state paused, freezer FROZEN, the processes stop; resume: they go on" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 test -s "$TEST_DIR/out/count"
	counting
	runrt pause "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(ctr_state "$ID")" = paused ]
	[ "$(cat "$(v1_cg freezer)/freezer.state")" = FROZEN ]
	tasks_frozen "$(v1_cg freezer)"
	runrt list
	[[ "$output" == *"$ID"*paused* ]]
	runrt resume "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(ctr_state "$ID")" = running ]
	[ "$(cat "$(v1_cg freezer)/freezer.state")" = THAWED ]
	counting
}

@test "pause twice, resume a running container: runc's errors" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt resume "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"container not paused"* ]]
	runrt pause "$ID"
	[ "$status" -eq 0 ]
	runrt pause "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"container not running"* ]]
	[ "$(ctr_state "$ID")" = paused ]
}

@test "pause a stopped or missing container" {
	set_args true
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	runrt pause "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"container not running"* ]]
	runrt resume nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "pause a created container (runc allows it); start after resume" {
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	runrt pause "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg freezer)/freezer.state")" = FROZEN ]
	[ "$(ctr_state "$ID")" = paused ]
	runrt pause "$ID"
	[ "$status" -eq 1 ]
	runrt resume "$ID"
	[ "$status" -eq 0 ]
	[ "$(ctr_state "$ID")" = created ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 test -s "$TEST_DIR/out/count"
	counting
}

@test "kill of a paused container: TERM waits for resume, KILL does not" {
	# init ignores signals it has no handler for
	set_args sh -c 'trap "exit 0" TERM; while :; do sleep 0.02; done'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt pause "$ID"
	[ "$status" -eq 0 ]
	runrt kill "$ID" TERM
	[ "$status" -eq 0 ]
	# pending in the kernel (SIGTERM is bit 15 of ShdPnd), the init frozen before taking it
	term_pending "$(ctr_pid "$ID")"
	tasks_frozen "$(v1_cg freezer)"
	[ "$(ctr_state "$ID")" = paused ]
	runrt resume "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped

	local id2
	id2=$(new_id)
	set_cgroup_path "$CGROUP_PARENT/$id2"
	run_detached "$id2"
	[ "$status" -eq 0 ]
	runrt pause "$id2"
	[ "$status" -eq 0 ]
	runrt kill "$id2" KILL
	[ "$status" -eq 0 ]
	wait_status "$id2" stopped
}

@test "kill --all of a paused container: the signal waits for resume, KILL does not (rt)" {
	requires_rt "runc 1.1 thaws a paused container after kill --all"
	# no pid namespace: the processes are found through the cgroup
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'sleep 100 & sleep 100 & exec sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]'
	runrt pause "$ID"
	[ "$status" -eq 0 ]
	runrt kill --all "$ID" TERM
	[ "$status" -eq 0 ]
	local pid
	for pid in $(cat "$(v1_cg pids)/cgroup.procs"); do
		term_pending "$pid"
	done
	tasks_frozen "$(v1_cg freezer)"
	[ "$(ctr_state "$ID")" = paused ]
	[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]
	runrt kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	retry 50 0.1 test ! -s "$(v1_cg pids)/cgroup.procs"
	wait_status "$ID" stopped
}

@test "delete --force of a paused container: every process gone, cgroup removed" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'sleep 100 & sleep 100 & exec sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pids
	retry 50 0.1 eval '[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]'
	pids=$(cat "$(v1_cg pids)/cgroup.procs")
	runrt pause "$ID"
	[ "$status" -eq 0 ]
	runrt delete "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"paused"* ]]
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	local p
	for p in $pids; do
		retry 50 0.1 test ! -e "/proc/$p"
	done
	[ ! -e "$(v1_cg freezer)" ]
	[ ! -e "$ROOT/$ID" ]
}
