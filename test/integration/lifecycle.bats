#!/usr/bin/env bats
# create / start / state / kill / delete / list / run, their flags and exit codes.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

@test "run: prints from inside the container and exits 0" {
	run_sh 'echo hello from $$'
	[ "$status" -eq 0 ]
	[ "$output" = "hello from 1" ]
	# run without --keep deletes the container
	runrt state "$ID"
	[ "$status" -ne 0 ]
}

@test "run: exits with the container's exit status (3)" {
	run_sh 'exit 3'
	[ "$status" -eq 3 ]
}

@test "run: a container killed by SIGKILL makes run exit 137" {
	set_args sleep 100
	rt_run_bg "$ID"
	wait_status "$ID" running
	runrt kill "$ID" KILL
	[ "$status" -eq 0 ]
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 137 ]
}

@test "run: forwards signals to the container" {
	set_args sh -c 'trap "echo got TERM; exit 7" TERM; echo ready; while :; do sleep 0.1; done'
	rt_run_bg "$ID"
	wait_log "$ID" ready
	kill -TERM "$RUN_PID"
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 7 ]
	grep -q "got TERM" "$TEST_DIR/$ID.log"
}

@test "create, state, start, kill, delete" {
	set_args sh -c 'echo started; trap "echo got TERM; exit 0" TERM; while :; do sleep 0.1; done'
	create_ctr "$ID"
	[ "$status" -eq 0 ]

	runrt state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id <<<"$output")" = "$ID" ]
	[ "$(jq -r .status <<<"$output")" = created ]
	[ "$(jq -r .bundle <<<"$output")" = "$BUNDLE" ]
	[ -n "$(jq -r .ociVersion <<<"$output")" ]
	local pid
	pid=$(jq -r .pid <<<"$output")
	[ "$pid" -gt 1 ]
	[ -d "/proc/$pid" ]
	# the user process has not run yet: init waits on exec.fifo
	[ -p "$ROOT/$ID/exec.fifo" ]
	! grep -q started "$TEST_DIR/$ID.log"

	runrt start "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" started
	runrt state "$ID"
	[ "$(jq -r .status <<<"$output")" = running ]
	[ "$(jq -r .pid <<<"$output")" = "$pid" ]
	[ ! -e "$ROOT/$ID/exec.fifo" ]

	runrt kill "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	grep -q "got TERM" "$TEST_DIR/$ID.log"
	[ ! -d "/proc/$pid" ] || [ "$(awk '{print $3}' "/proc/$pid/stat")" = Z ]

	runrt delete "$ID"
	[ "$status" -eq 0 ]
	runrt state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "delete: a created container that never started" {
	set_args sh -c 'echo never'
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	[ -d "/proc/$pid" ]
	runrt delete "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 test ! -d "/proc/$pid"
	! grep -q never "$TEST_DIR/$ID.log"
	runrt list -q
	[ "$output" = "" ]
}

@test "delete --force: a running container" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	[ -d "/proc/$pid" ]
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 test ! -d "/proc/$pid"
	runrt state "$ID"
	[ "$status" -ne 0 ]
}

@test "delete -f: a created container" {
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	runrt delete -f "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "run -d: detaches, the container keeps running" {
	set_args sh -c 'echo detached; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" detached
	[ "$(ctr_state "$ID")" = running ]
	local pid
	pid=$(ctr_pid "$ID")
	[ "$(cat "/proc/$pid/comm")" = sleep ]
}

@test "run: of concurrent runs of one id, one starts and the others leave it alone" {
	set_args sleep 100
	local i pids=() started=0 refused=0
	for i in 1 2 3 4 5 6; do
		"$RT" --root "$ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null >"$TEST_DIR/race.$i" 2>&1 3>&- &
		pids+=($!)
	done
	for i in 1 2 3 4 5 6; do
		if wait "${pids[$((i - 1))]}"; then
			started=$((started + 1))
		elif grep -q "exists" "$TEST_DIR/race.$i"; then
			refused=$((refused + 1))
		else
			cat "$TEST_DIR/race.$i" >&2
		fi
	done
	[ "$started" -eq 1 ]
	[ "$refused" -eq 5 ]
	# the one that started runs, alone in its cgroup: the others killed only their own
	[ "$(ctr_state "$ID")" = running ]
	local pid
	pid=$(ctr_pid "$ID")
	[ "$(cat "/proc/$pid/comm")" = sleep ]
	[ "$(cat "$(v1_cg pids)/cgroup.procs")" = "$pid" ]
}

@test "run -d --pid-file: the file holds the container's pid" {
	set_args sleep 100
	run_detached "$ID" --pid-file "$TEST_DIR/pid"
	[ "$status" -eq 0 ]
	[ -s "$TEST_DIR/pid" ]
	[ "$(cat "$TEST_DIR/pid")" = "$(ctr_pid "$ID")" ]
}

@test "create --pid-file: the file holds init's pid (relative path too)" {
	create_ctr "$ID" --pid-file "$TEST_DIR/pid"
	[ "$status" -eq 0 ]
	[ "$(cat "$TEST_DIR/pid")" = "$(ctr_pid "$ID")" ]
	local id2
	id2=$(new_id)
	local b2
	b2=$(clone_bundle 2)
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$id2\"" "$b2"
	(cd "$TEST_DIR" && CTR_BUNDLE=bundle-2 create_ctr "$id2" --pid-file pid2)
	[ "$(cat "$TEST_DIR/pid2")" = "$(ctr_pid "$id2")" ]
}

@test "run --keep: the stopped container stays until deleted" {
	set_args sh -c 'exit 5'
	runrt run --keep --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 5 ]
	[ "$(ctr_state "$ID")" = stopped ]
	runrt list -q
	[ "$output" = "$ID" ]
	runrt delete "$ID"
	[ "$status" -eq 0 ]
	runrt list -q
	[ "$output" = "" ]
}

@test "run: the bundle defaults to the current directory" {
	set_args sh -c 'echo cwd bundle'
	run bash -c 'cd "$1" && "$4" --root "$2" run "$3"' _ "$BUNDLE" "$ROOT" "$ID" "$RT"
	[ "$status" -eq 0 ]
	[ "$output" = "cwd bundle" ]
}

@test "list: table, -q and --format json" {
	set_args sleep 100
	local id2
	id2=$(new_id)
	local b2
	b2=$(clone_bundle 2)
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$id2\"" "$b2"
	run_detached "$ID"
	[ "$status" -eq 0 ]
	CTR_BUNDLE=$b2 create_ctr "$id2"
	[ "$status" -eq 0 ]

	runrt list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER ]]
	[ "${#lines[@]}" -eq 3 ]
	[[ "$output" =~ $ID\ +[0-9]+\ +running\ +$BUNDLE\  ]]
	[[ "$output" =~ $id2\ +[0-9]+\ +created\ +$b2\  ]]

	runrt list -q
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output")" = "$(printf '%s\n' "$ID" "$id2" | sort)" ]

	runrt list --format json
	[ "$status" -eq 0 ]
	[ "$(jq length <<<"$output")" -eq 2 ]
	[ "$(jq -r ".[] | select(.id == \"$ID\") | .status" <<<"$output")" = running ]
	[ "$(jq -r ".[] | select(.id == \"$id2\") | .status" <<<"$output")" = created ]
	[ "$(jq -r ".[] | select(.id == \"$ID\") | .pid" <<<"$output")" = "$(ctr_pid "$ID")" ]
	[ "$(jq -r ".[] | select(.id == \"$ID\") | .bundle" <<<"$output")" = "$BUNDLE" ]
}

@test "list: an empty root" {
	runrt list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^ID\ +PID\ +STATUS ]]
	[ "${#lines[@]}" -eq 1 ]
	runrt list --format json
	[ "$status" -eq 0 ]
	[ "$(jq length <<<"$output")" -eq 0 ]
}

@test "kill: by signal name, SIG-name and number" {
	set_args sh -c 'trap "echo got USR1" USR1; trap "echo got USR2" USR2; trap "echo got HUP" HUP
		echo ready; while :; do sleep 0.1; done'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" ready
	runrt kill "$ID" USR1
	[ "$status" -eq 0 ]
	wait_log "$ID" "got USR1"
	runrt kill "$ID" SIGUSR2
	[ "$status" -eq 0 ]
	wait_log "$ID" "got USR2"
	runrt kill "$ID" 1
	[ "$status" -eq 0 ]
	wait_log "$ID" "got HUP"
	[ "$(ctr_state "$ID")" = running ]
}

@test "kill --all: every process of the container" {
	set_args sh -c 'sleep 100 & sleep 101 & echo ready; wait'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" ready
	local cg
	cg=$CGROUP_MNT/pids$(cgroup_of_pid "$(ctr_pid "$ID")" pids)
	[ "$(wc -l <"$cg/cgroup.procs")" -eq 3 ]
	runrt kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	retry 50 0.1 test ! -s "$cg/cgroup.procs"
}

@test "state: pid and status follow the container" {
	set_args sh -c 'exit 0'
	create_ctr "$ID"
	local pid
	pid=$(ctr_pid "$ID")
	runrt start "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	runrt state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = stopped ]
	# a stopped container reports pid 0, as runc does
	[ "$(jq -r .pid <<<"$output")" = 0 ]
	[ "$(jq -r .id <<<"$output")" = "$ID" ]
}

@test "--version and --help" {
	run "$RT" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ version ]]
	[[ "$output" =~ spec:\ 1\. ]]
	local cmd
	for cmd in create start run exec state kill delete list spec pause resume update events ps \
		checkpoint restore; do
		run "$RT" "$cmd" --help
		echo "$cmd --help: $status" >&2
		[ "$status" -eq 0 ]
		[[ "$output" =~ $cmd ]]
	done
	run "$RT" --help
	[ "$status" -eq 0 ]
	for cmd in create start run exec state kill delete list spec pause resume update events ps; do
		[[ "$output" =~ $cmd ]]
	done
}

@test "hooks: the largest timeout (INT32_MAX seconds) does not overflow; a short one still fires" {
	local mark=$TEST_DIR/hook-ran
	update_config ".hooks.prestart = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo ran >$mark\"], \"timeout\": 2147483647}]"
	set_args true
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$mark")" = ran ]
	# a hook past its timeout fails the run (it is killed, not waited for)
	update_config '.hooks.prestart = [{"path": "/bin/sleep", "args": ["sleep", "60"], "timeout": 1}]'
	local id2 start
	id2=$(new_id)
	start=$SECONDS
	runrt run --bundle "$BUNDLE" "$id2"
	[ "$status" -ne 0 ]
	[ $((SECONDS - start)) -lt 30 ]
}

@test "--pid-file that is a symlink: replaced by a file with the pid, its target untouched" {
	echo precious >"$TEST_DIR/target"
	ln -s "$TEST_DIR/target" "$TEST_DIR/pid"
	set_args sleep 100
	create_ctr "$ID" --pid-file "$TEST_DIR/pid"
	[ "$status" -eq 0 ]
	[ "$(cat "$TEST_DIR/target")" = precious ]
	[ ! -L "$TEST_DIR/pid" ]
	[ "$(cat "$TEST_DIR/pid")" = "$(ctr_pid "$ID")" ]
	# no temporary file is left beside it
	[ "$(ls "$TEST_DIR" | grep -c '^pid')" -eq 1 ]
}

@test "kill, exec and delete reach the init only while its pid and start time match (rt)" {
	requires_rt "edits rt's state.json to stand for a reused pid"
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	local state=$ROOT/$ID/state.json other pid
	pid=$(ctr_pid "$ID")
	cp "$state" "$TEST_DIR/state.json.orig"
	# the init's pid now belongs to another process (a sleep of the test's own)
	sleep 100 &
	other=$!
	sed -i "1s/\"pid\":$pid,/\"pid\":$other,/" "$state"
	runrt kill "$ID" KILL
	[ "$status" -ne 0 ]
	runrt exec "$ID" true
	[ "$status" -ne 0 ]
	kill -0 "$other"
	[ "$(readlink /proc/$other/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]
	# the real identity back: delete -f kills the real init
	cp "$TEST_DIR/state.json.orig" "$state"
	runrt delete -f "$ID"
	[ "$status" -eq 0 ]
	# gone, or a zombie until its new parent reaps it
	local st
	st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
	[ -z "$st" ] || [ "$st" = Z ]
	kill "$other"
	wait "$other" || true
}
