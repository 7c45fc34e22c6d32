#!/usr/bin/env bats
# What passes from the caller into the container: --preserve-fds and socket activation
# (LISTEN_FDS), and nothing else of the host's fds (CVE-2024-21626 class); NOTIFY_SOCKET,
# proxied from the container's own socket to the host's, with start and run -d returning
# once the container says READY=1.

load helpers

setup() {
	setup_rt
	LISTENER_PID=
	echo three >"$TEST_DIR/f3"
	echo four >"$TEST_DIR/f4"
	echo five >"$TEST_DIR/f5"
}

teardown() {
	[ -n "${TEST_DIR:-}" ] || return 0
	if [ -n "$LISTENER_PID" ]; then
		kill "$LISTENER_PID" 2>/dev/null
		wait "$LISTENER_PID" 2>/dev/null
	fi
	teardown_rt
}

# rt_fds ARG...: the runtime with stdio to $TEST_DIR/$ID.log, every other fd as the caller
# has it (unlike rt_logged, which closes bats' fd 3).  Sets $status and $output.
rt_fds() {
	status=0
	"$RT" --root "$ROOT" "$@" </dev/null >>"$TEST_DIR/$ID.log" 2>&1 || status=$?
	output=$(cat "$TEST_DIR/$ID.log")
	echo "$(basename "$RT") $* (status=$status):" >&2
	echo "$output" >&2
}

# The fds a process holds, as the host sees them.
host_fds() {
	ls "/proc/$1/fd" | sort -n | xargs
}

# ---- inherited fds ----

@test "run: no host fd reaches the container" {
	# bats' fd 3 is open too
	set_args ls -l /proc/self/fd
	run __rt run --bundle "$BUNDLE" "$ID" 5</etc/hostname 7<"$TEST_DIR" 9>"$TEST_DIR/w"
	[ "$status" -eq 0 ]
	# 0-2, and ls's own directory fd (3, whose link it cannot read any more)
	[ "$(grep -cE '^l[-rwx]{9}' <<<"$output")" -eq 4 ]
	[[ "$output" != *hostname* ]]
	[[ "$output" != *"$TEST_DIR"* ]]
	# the process as the host sees it: exactly 0, 1 and 2
	set_args sleep 100000
	rt_fds run -d --bundle "$BUNDLE" "$ID-2" 5</etc/hostname 7<"$TEST_DIR" 9>"$TEST_DIR/w"
	[ "$status" -eq 0 ]
	[ "$(host_fds "$(ctr_pid "$ID-2")")" = "0 1 2" ]
}

@test "create: no host fd reaches the container's init while it waits, nor its process" {
	set_args sleep 100000
	rt_fds create --bundle "$BUNDLE" "$ID" 5</etc/hostname 7<"$TEST_DIR"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	# waiting on exec.fifo: stdio and nothing of the caller's
	for fd in $(host_fds "$pid"); do
		[ "$fd" -le 2 ] || [ "$(readlink "/proc/$pid/fd/$fd")" != /etc/hostname ]
		[ "$fd" -le 2 ] || [ "$(readlink "/proc/$pid/fd/$fd")" != "$TEST_DIR" ]
	done
	runrt start "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -qx sleep "/proc/$pid/comm"
	[ "$(host_fds "$pid")" = "0 1 2" ]
}

@test "run --preserve-fds N passes fds 3..3+N-1 and only those" {
	set_args sh -c 'cat <&3; cat <&4; ls /proc/self/fd | xargs'
	run __rt run --preserve-fds 2 --bundle "$BUNDLE" "$ID" 3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4" 5<"$TEST_DIR/f5"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = three ]
	[ "${lines[1]}" = four ]
	# 5 is ls's own directory, not the host's f5
	[ "${lines[2]}" = "0 1 2 3 4 5" ]
}

@test "create --preserve-fds: the fds wait with the init and reach the process at start" {
	set_args sh -c 'cat <&3; ls /proc/self/fd | xargs'
	rt_fds create --preserve-fds 1 --bundle "$BUNDLE" "$ID" 3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4"
	[ "$status" -eq 0 ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	[ "$(container_log "$ID")" = $'three\n0 1 2 3 4' ]
}

@test "--preserve-fds: a missing fd is an error, and nothing is left" {
	requires_rt "runc checks /proc/self/fd/N after opening fds of its own"
	run __rt run --preserve-fds 3 --bundle "$BUNDLE" "$ID" 3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4" 5<&-
	[ "$status" -ne 0 ]
	[[ "$output" == *"unable to stat preserved-fd 2 (of 3)"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "LISTEN_FDS: socket activation passes fds 3.. with LISTEN_FDS=N, LISTEN_PID=1" {
	set_args sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; cat <&3; cat <&4; cat <&5; ls /proc/self/fd | xargs'
	update_config '.process.env += ["LISTEN_PID=77"]'
	# as systemd starts a service: LISTEN_PID is the runtime's own pid
	run sh -c 'LISTEN_PID=$$ LISTEN_FDS=2 exec "$@"' sh "$RT" --root "$ROOT" \
		run --preserve-fds 1 --bundle "$BUNDLE" "$ID" 3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4" 5<"$TEST_DIR/f5"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "2 1" ]
	[ "${lines[1]}" = three ]
	[ "${lines[2]}" = four ]
	# --preserve-fds come after the activation fds
	[ "${lines[3]}" = five ]
	[ "${lines[4]}" = "0 1 2 3 4 5 6" ]
}

@test "LISTEN_FDS meant for another process passes nothing" {
	set_args sh -c 'echo "[$LISTEN_FDS]"; ls /proc/self/fd | xargs'
	run env LISTEN_PID=1 LISTEN_FDS=2 "$RT" --root "$ROOT" run --bundle "$BUNDLE" "$ID" \
		3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "[]" ]
	[ "${lines[1]}" = "0 1 2 3" ]
}

# ---- NOTIFY_SOCKET ----

# The host's socket ($TEST_DIR/notify.sock, what it gets in notify.out) and sd-notify in
# the container; /shared is the test's $TEST_DIR/shared, to hold the container back.
setup_notify() {
	local sdn
	sdn=$(tool sd-notify) || return 1
	cp "$sdn" "$BUNDLE/rootfs/bin/sd-notify"
	mkdir "$TEST_DIR/shared"
	update_config ".mounts += [{\"destination\": \"/shared\", \"type\": \"bind\",
		\"source\": \"$TEST_DIR/shared\", \"options\": [\"rbind\", \"rw\"]}]"
	"$sdn" --listen "$TEST_DIR/notify.sock" </dev/null >"$TEST_DIR/notify.out" 2>&1 3>&- &
	LISTENER_PID=$!
	retry 50 0.1 test -S "$TEST_DIR/notify.sock"
	export NOTIFY_SOCKET=$TEST_DIR/notify.sock
}

# A container that says READY=1 once /shared/go exists, then sleeps.
ready_on_go() {
	set_args sh -c 'until [ -e /shared/go ]; do sleep 0.1; done; sd-notify READY=1 STATUS=serving; exec sleep 100000'
}

@test "NOTIFY_SOCKET: the container's own socket at /run/notify, read-only" {
	setup_notify
	set_args sh -c 'echo "$NOTIFY_SOCKET"; ls -l /run/notify/notify.sock | cut -c1; grep " /run/notify " /proc/self/mountinfo; sd-notify READY=1; exec sleep 100000'
	# (detached: runc's foreground run would wait for READY=1 forever once it exited)
	run_detached "$ID"
	[ "$status" -eq 0 ]
	mapfile -t lines < <(container_log "$ID")
	[ "${lines[0]}" = /run/notify/notify.sock ]
	[ "${lines[1]}" = s ]
	# a bind of <root>/<id>/notify, read-only, nosuid, nodev, noexec
	[[ "${lines[2]}" == *" $ROOT/$ID/notify /run/notify ro,nosuid,nodev,noexec"* ]]
}

@test "NOTIFY_SOCKET: run -d returns once the container says READY=1, forwarded with MAINPID" {
	setup_notify
	ready_on_go
	"$RT" --root "$ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null >"$TEST_DIR/$ID.log" 2>&1 3>&- &
	local job=$!
	wait_status "$ID" running
	# still waiting: the container is not ready, rt sleeps in poll for its notify socket
	retry 50 0.1 in_poll "$job"
	kill -0 "$job"
	! grep -q READY "$TEST_DIR/notify.out"
	touch "$TEST_DIR/shared/go"
	wait "$job"
	retry 50 0.1 grep -qx READY=1 "$TEST_DIR/notify.out"
	retry 50 0.1 grep -qx "MAINPID=$(ctr_pid "$ID")" "$TEST_DIR/notify.out"
	[ "$(ctr_state "$ID")" = running ]
}

@test "NOTIFY_SOCKET: start returns once the container says READY=1" {
	setup_notify
	ready_on_go
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	# the directory is bound now; the socket is bound by start
	[ -d "$ROOT/$ID/notify" ]
	"$RT" --root "$ROOT" start "$ID" </dev/null >"$TEST_DIR/start.log" 2>&1 3>&- &
	local job=$!
	wait_status "$ID" running
	retry 50 0.1 in_poll "$job"
	kill -0 "$job"
	touch "$TEST_DIR/shared/go"
	wait "$job"
	retry 50 0.1 grep -qx READY=1 "$TEST_DIR/notify.out"
	retry 50 0.1 grep -qx "MAINPID=$(ctr_pid "$ID")" "$TEST_DIR/notify.out"
}

@test "NOTIFY_SOCKET: start returns when the container exits without READY=1" {
	setup_notify
	set_args sh -c 'sleep 0.5; exit 0'
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	run timeout 10 "$RT" --root "$ROOT" start "$ID"
	[ "$status" -eq 0 ]
	[ "$(ctr_state "$ID")" = stopped ]
	! grep -q READY "$TEST_DIR/notify.out"
}

@test "NOTIFY_SOCKET: a foreground run forwards every message; MAINPID is rt's" {
	requires_rt "runc forwards READY=1 only, and waits for it before anything else"
	setup_notify
	set_args sh -c 'sd-notify STATUS=starting; sd-notify READY=1 MAINPID=1; sleep 0.3; sd-notify STATUS=stopping; sleep 0.3; exit 5'
	rt_run_bg "$ID"
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 5 ]
	retry 50 0.1 grep -qx STATUS=stopping "$TEST_DIR/notify.out"
	cat "$TEST_DIR/notify.out" >&2
	# in order; the container's own MAINPID (a pid of its namespace) is dropped
	[ "$(xargs <"$TEST_DIR/notify.out")" = "STATUS=starting READY=1 MAINPID=$RUN_PID STATUS=stopping" ]
}

@test "no NOTIFY_SOCKET: nothing of it in the container" {
	unset NOTIFY_SOCKET
	set_args sh -c 'echo "[$NOTIFY_SOCKET]"; ls /run/notify 2>&1 | head -1'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "[]" ]
	[[ "${lines[1]}" == *"No such file or directory"* ]]
}
