#!/usr/bin/env bats
# Signals and reaping: a foreground run or exec forwards every catchable signal to the
# container's process, is child subreaper, reaps, and exits with the process's status
# (128+N when killed by signal N).  kill takes names and numbers.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

# A container whose init traps each of SIGNALS, saying "got NAME" for each.  It says
# "ready" once the traps are in place, and exits 9 on TERM when TERM is not among them.
trap_args() {
	local s script=''
	for s in "$@"; do
		script+="trap 'echo got $s' $s; "
	done
	script+="trap 'echo got TERM; exit 9' TERM; echo ready; while :; do sleep 0.1; done"
	set_args sh -c "$script"
}

# signal_seen PID SIG NAME: send SIG (a name or a number) to PID, wait until the
# container's log says it got NAME.
signal_seen() {
	kill -"$2" "$1"
	retry 50 0.1 grep -qx "got $3" "$TEST_DIR/$ID.log"
}

@test "run: a trap in the container sees SIGUSR1 sent to rt; TERM ends it with its status" {
	trap_args USR1
	rt_run_bg "$ID"
	wait_log "$ID" '^ready$'
	signal_seen "$RUN_PID" USR1 USR1
	# and again: each one is forwarded
	kill -USR1 "$RUN_PID"
	retry 50 0.1 eval '[ "$(grep -cx "got USR1" "$TEST_DIR/$ID.log")" -eq 2 ]'

	kill -TERM "$RUN_PID"
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 9 ]
	wait_log "$ID" '^got TERM$'
	# run deleted the container
	[ ! -e "$ROOT/$ID" ]
}

@test "run: every catchable signal is forwarded (SIGCHLD is rt's own)" {
	skip_on runc "the Go runtime keeps SIGPROF to itself"
	local sigs=(HUP INT QUIT ILL TRAP ABRT BUS FPE USR1 SEGV USR2 PIPE ALRM STKFLT CONT TSTP TTIN TTOU
		URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS) s
	trap_args "${sigs[@]}" 34 40 50 64
	rt_run_bg "$ID"
	wait_log "$ID" '^ready$'
	for s in "${sigs[@]}"; do
		signal_seen "$RUN_PID" "$s" "$s"
	done
	for s in 34 40 50 64; do
		signal_seen "$RUN_PID" "$s" "$s"
	done
	# none of them stopped or killed rt
	kill -0 "$RUN_PID"
	[ "$(ps -o stat= -p "$RUN_PID" | cut -c1)" != T ]
	kill -TERM "$RUN_PID"
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 9 ]
}

@test "run: a container killed by SIGKILL gives 137" {
	set_args sleep 100000
	rt_run_bg "$ID"
	wait_status "$ID" running
	runrt kill "$ID" KILL
	[ "$status" -eq 0 ]
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 137 ]
}

@test "run: the exit status is the container's" {
	set_args sh -c 'exit 42'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 42 ]
}

@test "exec: signals reach the exec'd process; its status is rt's" {
	set_args sleep 100000
	run_detached "$ID"
	[ "$status" -eq 0 ]
	"$RT" --root "$ROOT" exec "$ID" sh -c \
		'trap "echo got USR2" USR2; trap "echo got HUP; exit 4" HUP; echo ready; while :; do sleep 0.1; done' \
		</dev/null >"$TEST_DIR/$ID.log" 2>&1 3>&- &
	local pid=$! rc=0
	wait_log "$ID" '^ready$'
	signal_seen "$pid" USR2 USR2
	kill -HUP "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -eq 4 ]
	grep -qx "got HUP" "$TEST_DIR/$ID.log"

	# no trap: the default action, and 128+N
	"$RT" --root "$ROOT" exec "$ID" sleep 100 </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	# the process is rt's child (CLONE_PARENT): running sleep once exec'd
	retry 50 0.1 eval '[ -n "$(pgrep -P "$pid" -x sleep)" ]'
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ]
}

@test "run: rt is child subreaper: what the container orphans is reparented to rt and reaped" {
	# Without a pid namespace, the container's orphans are not its init's to reap.
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c '(sleep 1.5 &); echo orphaned; sleep 3'
	rt_run_bg "$ID"
	wait_log "$ID" '^orphaned$'
	local orphan
	retry 50 0.1 eval 'orphan=$(ps -e -o pid=,args= | awk '\''$2 == "sleep" && $3 == "1.5" { print $1 }'\''); [ -n "$orphan" ]'
	[ "$(awk '/^PPid:/ { print $2 }' "/proc/$orphan/status")" = "$RUN_PID" ]
	# once it exits, rt reaps it while the container still runs: no zombie
	retry 30 0.1 eval '! kill -0 "$orphan" 2>/dev/null'
	[ -z "$(ps -o pid=,stat= --ppid "$RUN_PID" | awk '$2 ~ /^Z/')" ]
	wait "$RUN_PID"
}

@test "kill: names and numbers" {
	trap_args USR1 USR2 HUP INT
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" '^ready$'
	runrt kill "$ID" USR1
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -qx "got USR1" "$TEST_DIR/$ID.log"
	runrt kill "$ID" SIGUSR2
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -qx "got USR2" "$TEST_DIR/$ID.log"
	runrt kill "$ID" 1
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -qx "got HUP" "$TEST_DIR/$ID.log"
	runrt kill "$ID" sigint
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -qx "got INT" "$TEST_DIR/$ID.log"
	runrt kill "$ID" NOPE
	[ "$status" -ne 0 ]
	[[ "$output" == *NOPE* ]]
	runrt kill "$ID" 99
	[ "$status" -ne 0 ]
	# the default is SIGTERM
	runrt kill "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	grep -qx "got TERM" "$TEST_DIR/$ID.log"
}
