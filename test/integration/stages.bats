#!/usr/bin/env bats
# The bootstrap's stage processes carry runc's names: <runtime>:[0:PARENT], [1:CHILD],
# [2:INIT] (rt:[...] for rt, runc:[...] for runc).  They live for milliseconds: strace -f
# sees them name themselves; the init keeps its name while it waits on exec.fifo.

load helpers

setup() {
	skip_on crun "crun has no stage processes"
	setup_rt
	PREFIX=$(runtime_name)
}

teardown() {
	teardown_rt
}

@test "stages: prctl(PR_SET_NAME) 0:PARENT, 1:CHILD, 2:INIT" {
	command -v strace >/dev/null || skip "strace is not installed"
	set_args true
	run strace -f -qq -e trace=prctl -o "$TEST_DIR/trace" "$RT" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local stage
	for stage in 0:PARENT 1:CHILD 2:INIT; do
		grep -F "PR_SET_NAME, \"$PREFIX:[$stage]\"" "$TEST_DIR/trace"
	done
}

@test "stages: the created container's init is named 2:INIT until start" {
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	[ "$(cat "/proc/$pid/comm")" = "$PREFIX:[2:INIT]" ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -qx sleep "/proc/$pid/comm"
}
