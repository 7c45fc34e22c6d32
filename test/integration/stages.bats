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

# A stage process must not be reachable through /proc/PID by anyone without
# CAP_SYS_PTRACE, even a same-uid process, until the user process is executed:
# /proc/PID/exe (the CVE-2019-5736 door) cannot be read without that capability when the
# process is non-dumpable, and can once the user's process runs.
@test "stages: the init is non-dumpable until start, the user process is dumpable" {
	requires_rt "runc 1.1's init is dumpable while it waits on exec.fifo"
	command -v capsh >/dev/null || skip "capsh (libcap2-bin) is not installed"
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	run capsh --drop=cap_sys_ptrace -- -c "readlink /proc/$pid/exe"
	[ "$status" -ne 0 ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -qx sleep "/proc/$pid/comm"
	run capsh --drop=cap_sys_ptrace -- -c "readlink /proc/$pid/exe"
	[ "$status" -eq 0 ]
	[[ "$output" == *sleep* || "$output" == *busybox* ]]
}

# nsinit refuses a bootstrap message of another protocol version (or none): a stub from
# another build must not half-understand the front end.  The message is read from fd 3.
@test "stages: nsinit refuses a bootstrap message of another protocol version" {
	requires_rt
	local nsinit
	nsinit=$(dirname "$RT")/nsinit
	[ -x "$nsinit" ] || nsinit=$(dirname "$RT")/../libexec/rt/nsinit
	# nlmsghdr {len 24, type 62000, flags 0, seq 0, pid 0}, PROTOCOL_VERSION (27300) = 2
	printf '\x18\x00\x00\x00\x30\xf2\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\xa4\x6a\x02\x00\x00\x00' >"$TEST_DIR/v2.blob"
	run env _RT_INITPIPE=3 "$nsinit" 3<"$TEST_DIR/v2.blob"
	[ "$status" -eq 1 ]
	[[ "$output" == *"protocol version 2, this nsinit speaks 1"* ]]
	# runc's messages carry no version at all
	printf '\x10\x00\x00\x00\x30\xf2\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' >"$TEST_DIR/none.blob"
	run env _RT_INITPIPE=3 "$nsinit" 3<"$TEST_DIR/none.blob"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no PROTOCOL_VERSION attribute"* ]]
	# and the front end's own message is accepted by the same stub (sanity: the test
	# would pass against a stub that refuses everything otherwise)
	run "$RT" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
}

# the steps of `--debug`'s timing breakdown of create, in the order one waits for the other
timing_steps=("rt started" "config loaded" "state dir made" "cgroup made"
	"stage-0 PARENT: nsinit running" "stage-1 CHILD: cloned" "stage-1 CHILD: namespaces made"
	"stage-2 INIT: cloned" "init: config received" "init: rootfs prepared" "init: mounts done"
	"init: devices, hooks, pivot_root" "init: ready" "ready received" "init: run received"
	"init: exec" "init running: created")

@test "stages: --debug prints a timing breakdown of create, every step in time order" {
	requires_rt "runc and crun print no timing breakdown"
	set_args true
	rt_logged "$ID" --debug create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	grep -q "timing of create" "$TEST_DIR/$ID.log"
	local step prev=-1 ms
	for step in "${timing_steps[@]}"; do
		# "timing:    1.234   +0.321  nsinit stage-1 CHILD: cloned": the ms since rt started
		ms=$(grep -F "$step" "$TEST_DIR/$ID.log" | grep -o 'timing: *[0-9.]*' | grep -o '[0-9.]*$')
		[ -n "$ms" ] || { echo "no step $step" >&2; false; }
		awk -v a="$prev" -v b="$ms" 'BEGIN { exit !(b >= a) }'
		prev=$ms
	done
	# rt's steps that overlap the stub's
	grep -q "timing: .* nsinit spawned" "$TEST_DIR/$ID.log"
	grep -q "timing: .* seccomp filter compiled" "$TEST_DIR/$ID.log"
	runrt start "$ID"
	[ "$status" -eq 0 ]
}

@test "stages: without --debug no timing; exec --debug times the setns path" {
	requires_rt "runc and crun print no timing breakdown"
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	! grep -q timing "$TEST_DIR/$ID.log"
	runrt --debug exec "$ID" true
	[ "$status" -eq 0 ]
	[[ "$output" == *"timing of exec"* ]]
	[[ "$output" == *"stage-2 INIT: released, to main"* ]]
	[[ "$output" == *"init: exec"* ]]
	[[ "$output" == *"process running"* ]]
}

@test "stages: run waits for the init in poll, it does not spin on a pipe (EAGAIN reads)" {
	command -v strace >/dev/null || skip "strace is not installed"
	set_args true
	local i
	# a spin read the empty log pipe tens to thousands of times while the init finished;
	# how long the init takes varies, so look at a few runs
	for i in 1 2 3 4 5; do
		run strace -f -qq -e trace=read -e status=failed -o "$TEST_DIR/trace" "$RT" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
		[ "$status" -eq 0 ]
		[ "$(grep -c EAGAIN "$TEST_DIR/trace")" -lt 20 ]
	done
}
