#!/usr/bin/env bats
# Terminals: the pty comes from the container's own devpts; a foreground run or exec -t
# proxies the caller's terminal (raw mode, window size, SIGWINCH, restored on exit),
# driven here through a tmux server of the test's own; with --console-socket the master
# goes to the socket by SCM_RIGHTS (runc's protocol), received by test/tools/recvtty.

load helpers

setup() {
	setup_rt
	# in the test's directory, so that teardown_rt removes it with the rest
	TMUX_SOCK=$TEST_DIR/tmux.sock
	RECVTTY_PID=
}

teardown() {
	[ -n "${TEST_DIR:-}" ] || return 0
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
	stop_recvtty
	teardown_rt
}

# ---- tmux: a server of the test's own, one 101x31 window running bash ----

tmx() {
	tmux -S "$TMUX_SOCK" "$@"
}

# No readline (--noediting): at the prompt the terminal stays in its plain canonical mode.
tmux_start() {
	tmx -f /dev/null new-session -d -x 101 -y 31 \
		"env -i PATH=$PATH TERM=xterm PS1='rt-test\$ ' bash --norc --noprofile --noediting"
	PANE_TTY=$(tmx display -p '#{pane_tty}')
	[ -c "$PANE_TTY" ]
	# typed before the prompt, the command's echo and its output would share lines
	wait_screen_line 'rt-test$'

}

# Type CMD into the pane's shell; its exit status goes to $TEST_DIR/rc.
tmux_type() {
	rm -f "$TEST_DIR/rc"
	tmx send-keys -l "$1; echo \$? >$TEST_DIR/rc"
	tmx send-keys Enter
}

# Wait (10 s at most) for the typed command to end; print its status.
tmux_rc() {
	retry 100 0.1 test -s "$TEST_DIR/rc" || return 1
	cat "$TEST_DIR/rc"
}

# What the pane shows, wrapped lines joined, trailing blanks gone.
screen() {
	tmx capture-pane -p -J -S - | sed 's/[[:space:]]*$//'
}

screen_has_line() {
	screen | grep -qxF -- "$1"
}

wait_screen_line() {
	retry 50 0.1 screen_has_line "$1"
}

# ---- recvtty ----

# start_recvtty [ARG...]: listen on $TEST_DIR/console.sock; what the container writes to
# its terminal goes to $TEST_DIR/console.out.  Stdin from $RECVTTY_IN when set.
start_recvtty() {
	local recvtty
	recvtty=$(tool recvtty) || return 1
	CONSOLE_SOCK=$TEST_DIR/console.sock
	"$recvtty" --pid-file "$TEST_DIR/recvtty.pid" "$@" "$CONSOLE_SOCK" \
		<"${RECVTTY_IN:-/dev/null}" >"$TEST_DIR/console.out" 2>&1 3>&- &
	RECVTTY_PID=$!
	retry 50 0.1 test -s "$TEST_DIR/recvtty.pid"
}

# Wait (10 s at most) for a --once recvtty to see its terminal close.
wait_recvtty() {
	retry 100 0.1 eval '! kill -0 "$RECVTTY_PID" 2>/dev/null' || return 1
	wait "$RECVTTY_PID"
}

stop_recvtty() {
	[ -n "${RECVTTY_PID:-}" ] || return 0
	kill "$RECVTTY_PID" 2>/dev/null
	wait "$RECVTTY_PID" 2>/dev/null
	RECVTTY_PID=
}

# What the terminal showed, without the pty's carriage returns.
console_out() {
	tr -d '\r' <"$TEST_DIR/console.out"
}

# ---- foreground: the caller's terminal ----

@test "run: the terminal is a pty of the container's devpts" {
	update_config '.process.terminal = true'
	set_args sh -c 'tty; ls /dev/pts | xargs; readlink /proc/self/fd/1'
	tmux_start
	tmux_type "$RT --root $ROOT run --bundle $BUNDLE $ID"
	[ "$(tmux_rc)" = 0 ]
	screen >&2
	# the container's own devpts instance: only its pty, not the host's (tmux's among them)
	[ "$(screen | grep -m1 -A2 -xF /dev/pts/0 | xargs)" = "/dev/pts/0 0 ptmx /dev/pts/0" ]
}

@test "run: the pty has the caller's window size before the process starts" {
	skip_on runc "it sizes the pty after starting the process: a race the first stty loses"
	update_config '.process.terminal = true'
	set_args stty size
	tmux_start
	tmux_type "$RT --root $ROOT run --bundle $BUNDLE $ID"
	[ "$(tmux_rc)" = 0 ]
	screen >&2
	screen_has_line "31 101"
}

@test "run: raw mode while the container runs, restored on exit; input and exit status pass" {
	update_config '.process.terminal = true'
	set_args sh -c 'echo waiting; read line; echo "got <$line>"; exit 3'
	tmux_start
	local before
	before=$(stty -F "$PANE_TTY" -g)
	stty -F "$PANE_TTY" -a | grep -qw icanon
	tmux_type "$RT --root $ROOT run --bundle $BUNDLE $ID"
	wait_screen_line waiting
	# the caller's terminal is raw: no line editing, no echo, no signals of its own
	stty -F "$PANE_TTY" -a | grep -qw -- -icanon
	stty -F "$PANE_TTY" -a | grep -qw -- -echo
	stty -F "$PANE_TTY" -a | grep -qw -- -isig
	tmx send-keys -l 'hello there'
	tmx send-keys Enter
	[ "$(tmux_rc)" = 3 ]
	screen >&2
	screen_has_line "got <hello there>"
	[ "$(stty -F "$PANE_TTY" -g)" = "$before" ]
}

@test "run: a window size change reaches the container (SIGWINCH)" {
	update_config '.process.terminal = true'
	set_args sh -c 'echo ready; read a; stty size'
	tmux_start
	tmux_type "$RT --root $ROOT run --bundle $BUNDLE $ID"
	wait_screen_line ready
	tmx resize-window -x 120 -y 40
	retry 50 0.1 eval '[ "$(stty -F "$PANE_TTY" size)" = "40 120" ]'
	tmx send-keys Enter
	[ "$(tmux_rc)" = 0 ]
	screen >&2
	screen_has_line "40 120"
}

@test "run: ^C goes to the container as a character (raw mode), not as rt's SIGINT" {
	update_config '.process.terminal = true'
	set_args sh -c 'trap "echo got INT; exit 4" INT; echo ready; while :; do sleep 0.1; done'
	tmux_start
	tmux_type "$RT --root $ROOT run --bundle $BUNDLE $ID"
	wait_screen_line ready
	tmx send-keys C-c
	[ "$(tmux_rc)" = 4 ]
	screen >&2
	# the container's pty echoes the ^C
	screen | grep -qE '^(\^C)?got INT$'
}

@test "exec -t: a pty of the container's devpts, the caller's window size, the exit status" {
	set_args sleep 100000
	run_detached "$ID"
	[ "$status" -eq 0 ]
	tmux_start
	tmux_type "$RT --root $ROOT exec -t $ID sh -c 'tty; ls /dev/pts | xargs; stty size; read a; stty size; exit 5'"
	wait_screen_line "31 101"
	tmx resize-window -x 90 -y 20
	retry 50 0.1 eval '[ "$(stty -F "$PANE_TTY" size)" = "20 90" ]'
	tmx send-keys Enter
	[ "$(tmux_rc)" = 5 ]
	screen >&2
	screen_has_line /dev/pts/0
	# the container's own devpts instance: only this pty
	screen_has_line "0 ptmx"
	screen_has_line "20 90"
}

@test "run: a terminal without one on stdin still proxies the output" {
	skip_on runc "it needs a controlling terminal (open /dev/tty)"
	update_config '.process.terminal = true'
	set_args sh -c 'tty; echo done'
	run __rt run --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "$(tr -d '\r' <<<"$output" | xargs)" = "/dev/pts/0 done" ]
}

# ---- --console-socket ----

@test "run -d --console-socket: the master goes to the socket (recvtty)" {
	update_config '.process.terminal = true | .process.consoleSize = {"height": 25, "width": 90}'
	set_args sh -c 'tty; ls /dev/pts | xargs; stty size; readlink /proc/self/fd/0; readlink /proc/self/fd/2'
	start_recvtty --once --no-stdin
	run_detached "$ID" --console-socket "$CONSOLE_SOCK"
	[ "$status" -eq 0 ]
	wait_recvtty
	console_out >&2
	[ "$(console_out)" = $'/dev/pts/0\n0 ptmx\n25 90\n/dev/pts/0\n/dev/pts/0' ]
	# nothing went through the runtime's own stdio
	[ -z "$(container_log "$ID")" ]
}

@test "create --console-socket, start: the terminal carries input and output" {
	update_config '.process.terminal = true'
	set_args sh -c 'read line; echo "got <$line>"'
	mkfifo "$TEST_DIR/in"
	# read-write, so that neither end waits for the other to open
	exec 8<>"$TEST_DIR/in"
	RECVTTY_IN=$TEST_DIR/in start_recvtty --once
	exec 8>&-
	create_ctr "$ID" --console-socket "$CONSOLE_SOCK"
	[ "$status" -eq 0 ]
	[ "$(ctr_state "$ID")" = created ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	echo "typed in" >"$TEST_DIR/in"
	wait_recvtty
	console_out >&2
	console_out | grep -qxF "got <typed in>"
}

@test "exec --process --detach --pid-file --tty --console-socket (as conmon calls it)" {
	set_args sleep 100000
	run_detached "$ID"
	[ "$status" -eq 0 ]
	cat >"$TEST_DIR/process.json" <<-'EOF'
		{"terminal": true, "consoleSize": {"height": 33, "width": 77},
		 "user": {"uid": 1000, "gid": 1000},
		 "args": ["sh", "-c", "tty; stty size; id -u; ls -l $(tty) | awk '{ print $3 }'; read line; echo \"got <$line>\"; exit 6"],
		 "env": ["PATH=/bin", "TERM=xterm"], "cwd": "/"}
	EOF
	mkfifo "$TEST_DIR/in"
	exec 8<>"$TEST_DIR/in"
	RECVTTY_IN=$TEST_DIR/in start_recvtty --once
	exec 8>&-
	rt_logged exec exec --process "$TEST_DIR/process.json" --detach --pid-file "$TEST_DIR/exec.pid" \
		--tty --console-socket "$CONSOLE_SOCK" "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(cat "$TEST_DIR/exec.pid")
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink "/proc/$(ctr_pid "$ID")/ns/pid")" ]
	retry 50 0.1 grep -qx user <(console_out)
	echo "over the socket" >"$TEST_DIR/in"
	wait_recvtty
	console_out >&2
	console_out | grep -qxE '/dev/pts/[0-9]+'
	console_out | grep -qxF "33 77"
	console_out | grep -qxF 1000
	console_out | grep -qxF "got <over the socket>"
	[ -z "$(container_log exec)" ]
}

@test "detached with a terminal and no console socket is refused" {
	update_config '.process.terminal = true'
	run_detached "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot allocate tty if"*"detach without setting console socket"* ]]
	[ ! -e "$ROOT/$ID" ]
	create_ctr "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot allocate tty if"* ]]
	[ ! -e "$ROOT/$ID" ]

	update_config '.process.terminal = false'
	set_args sleep 100000
	run_detached "$ID"
	[ "$status" -eq 0 ]
	rt_logged exec exec -d -t "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"cannot allocate tty if"*"detach without setting console socket"* ]]
}

@test "a console socket without a terminal (or without detaching) is refused" {
	start_recvtty --no-stdin
	run_detached "$ID" --console-socket "$CONSOLE_SOCK"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot use console socket if"* ]]
	[ ! -e "$ROOT/$ID" ]

	update_config '.process.terminal = true'
	runrt run --console-socket "$CONSOLE_SOCK" --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot use console socket if"* ]]
	[ ! -e "$ROOT/$ID" ]

	update_config '.process.terminal = false'
	set_args sleep 100000
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt exec --console-socket "$CONSOLE_SOCK" "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"cannot use console socket if"* ]]
	runrt exec -t --console-socket "$CONSOLE_SOCK" "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"cannot use console socket if"* ]]
}

@test "a console socket nobody listens on is an error, and nothing is left" {
	update_config '.process.terminal = true'
	run_detached "$ID" --console-socket "$TEST_DIR/nobody.sock"
	[ "$status" -eq 1 ]
	[[ "${output,,}" == *"no such file or directory"* ]]
	[ ! -e "$ROOT/$ID" ]
}
