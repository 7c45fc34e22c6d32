#!/usr/bin/env bats
# rt ps: the container's processes (found through its cgroup) as a ps(1) table or JSON,
# and kill --all / delete --force reaching every process through the cgroup.

load helpers

setup() {
	setup_rt
	set_args sh -c 'sleep 100 & sleep 101 & exec sleep 102'
}

teardown() {
	teardown_rt
}

# The host pids in the container's cgroup, sorted.
cgroup_pids() {
	sort -n "$(v1_cg pids)/cgroup.procs"
}

@test "ps: the ps -ef table, reduced to the container's processes" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]'
	runrt --separate-stderr ps "$ID"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "UID"*"PID"*"PPID"*"CMD" ]]
	[ "${#lines[@]}" -eq 4 ]
	local want got
	want=$(cgroup_pids | tr '\n' ' ')
	got=$(printf '%s\n' "${lines[@]:1}" | awk '{ print $2 }' | sort -n | tr '\n' ' ')
	[ "$got" = "$want" ]
	[[ "$output" == *"sleep 100"* && "$output" == *"sleep 101"* && "$output" == *"sleep 102"* ]]
}

@test "ps --format json: the pids" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]'
	runrt --separate-stderr ps --format json "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'sort' <<<"$output")" = "$(cgroup_pids | jq -cs .)" ]
	runrt --separate-stderr ps -f json "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq length <<<"$output")" = 3 ]
}

@test "ps with ps options: -o pid,comm" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]'
	runrt --separate-stderr ps "$ID" -o pid,comm
	[ "$status" -eq 0 ]
	[ "$(awk '{ print $1 }' <<<"${lines[0]}")" = PID ]
	[ "${#lines[@]}" -eq 4 ]
	[ "$(printf '%s\n' "${lines[@]:1}" | awk '{ print $2 }' | sort -u)" = sleep ]
	# a ps output without a PID column
	runrt ps "$ID" -o comm
	[ "$status" -eq 1 ]
	[[ "$output" == *"couldn't find PID field in ps output"* ]]
}

@test "ps: a stopped container has none; a missing one and a bad format are errors" {
	set_args true
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	runrt --separate-stderr ps "$ID"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "UID"*"PID"* ]]
	runrt --separate-stderr ps -f json "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = null ]
	runrt ps -f xml "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid format option"* ]]
	runrt ps nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "kill --all: every process of the cgroup gets the signal (no pid namespace)" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]'
	local pids p
	pids=$(cgroup_pids)
	runrt kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	for p in $pids; do
		retry 50 0.1 test ! -e "/proc/$p"
	done
	wait_status "$ID" stopped
	[ ! -s "$(v1_cg pids)/cgroup.procs" ]
}

@test "kill without --all: only init; the others stay in the cgroup" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]'
	runrt kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 2 ]
	# delete of the stopped container takes the rest along, and the cgroup
	runrt delete "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$(v1_cg pids)" ]
}

@test "delete --force of a running container without a pid namespace: every process dies" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(wc -l <"$(v1_cg pids)/cgroup.procs")" -eq 3 ]'
	local pids p
	pids=$(cgroup_pids)
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	for p in $pids; do
		retry 50 0.1 test ! -e "/proc/$p"
	done
	local m
	for m in $(cgroup_mounts); do
		[ ! -e "$m$CGROUP_PARENT/$ID" ]
	done
	[ ! -e "$ROOT/$ID" ]
}
