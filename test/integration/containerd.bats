#!/usr/bin/env bats
# containerd driving the runtime through its io.containerd.runc.v2 shim (ctr --runc-binary):
# the shim calls `--root R --log F --log-format json create|start|exec|ps|kill|delete|
# pause|resume`.  The suite starts its own containerd (own root, state, sockets and config
# under a temporary directory; no CRI, no network), imports busybox from an OCI archive
# made here (scripts/make-oci-image.sh), and stops it, its shims and their mounts at the end.

load helpers

setup_file() {
	command -v containerd >/dev/null && command -v ctr >/dev/null &&
		command -v containerd-shim-runc-v2 >/dev/null || return 0
	[ "$(id -u)" = 0 ] || return 0
	CTD=$(mktemp -d /tmp/rt-containerd.XXXXXX)
	export CTD
	chmod 755 "$CTD"
	cat >"$CTD/config.toml" <<-EOF
		version = 2
		root = "$CTD/root"
		state = "$CTD/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
		  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
		  "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp",
		  "io.containerd.internal.v1.tracing"]
		[grpc]
		  address = "$CTD/containerd.sock"
		[ttrpc]
		  address = "$CTD/containerd.sock.ttrpc"
		[debug]
		  address = "$CTD/debug.sock"
		[metrics]
		  address = ""
	EOF
	containerd --config "$CTD/config.toml" </dev/null >"$CTD/containerd.log" 2>&1 3>&- &
	echo $! >"$CTD/containerd.pid"
	local i
	for ((i = 0; i < 100; i++)); do
		ctr --address "$CTD/containerd.sock" version >/dev/null 2>&1 && break
		kill -0 "$(cat "$CTD/containerd.pid")" 2>/dev/null || break
		sleep 0.1
	done
	env -u RT "$REPO_ROOT/scripts/make-bundle.sh" "$CTD/bundle" sh >/dev/null
	"$REPO_ROOT/scripts/make-oci-image.sh" "$CTD/bundle/rootfs" "$CTD/busybox.tar" "$IMAGE"
	ctd images import "$CTD/busybox.tar" >&2
}

# The image's name, and ctr against our daemon in a namespace of ours.
IMAGE=localhost/rt-busybox:latest
ctd() {
	ctr --address "$CTD/containerd.sock" --namespace rt-test "$@"
}

# The shims serving our daemon: found by the socket they were started for, ended by pid.
our_shims() {
	local f
	for f in $(grep -lsaF -e "-address $CTD/containerd.sock" /proc/[0-9]*/cmdline); do
		grep -qsa containerd-shim "$f" && f=${f#/proc/} && echo "${f%/cmdline}"
	done
}

teardown_file() {
	[ -n "${CTD:-}" ] || return 0
	local pid i m
	pid=$(cat "$CTD/containerd.pid" 2>/dev/null)
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	for pid in $(our_shims); do
		kill -KILL "$pid" 2>/dev/null
	done
	while read -r m; do
		umount -l "$m" 2>/dev/null
	done < <(awk -v t="$CTD/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
	rm -rf "$CTD"
}

setup() {
	[ -n "${CTD:-}" ] || skip "containerd, ctr or containerd-shim-runc-v2 is not installed"
	ctd version >/dev/null 2>&1 || skip "our containerd did not start: $(tail -3 "$CTD/containerd.log")"
	setup_rt
	# The shim keeps the runtime's state under RUNC_ROOT/<namespace>.
	RUNC_ROOT=$TEST_DIR/runc-root
}

# Remove every container of the namespace; then nothing of the test may be left: runtime
# state, shim, mount of the snapshotter, cgroup (teardown_rt).
teardown() {
	[ -n "${TEST_DIR:-}" ] || return 0
	local c leaks=()
	for c in $(ctd containers ls -q 2>/dev/null); do
		ctd tasks kill -s KILL "$c" >/dev/null 2>&1
		ctd tasks rm -f "$c" >/dev/null 2>&1
		ctd containers rm "$c" >/dev/null 2>&1
	done
	[ -z "$(ls -A "$RUNC_ROOT/rt-test" 2>/dev/null)" ] ||
		leaks+=("runtime state: $(ls "$RUNC_ROOT/rt-test")")
	retry 50 0.1 eval '[ -z "$(our_shims)" ]' || leaks+=("shims: $(our_shims)")
	[ -z "$(awk -v t="$CTD/" 'index($5, t) == 1' /proc/self/mountinfo)" ] ||
		leaks+=("mounts under $CTD")
	teardown_rt || leaks+=("(teardown_rt)")
	if [ "${#leaks[@]}" -gt 0 ]; then
		printf 'teardown: left behind: %s\n' "${leaks[@]}" >&2
		return 1
	fi
}

# ctd_run ARG...: `ctr run` with the runtime under test, its root and a cgroup of ours.
ctd_run() {
	ctd run --runc-binary "$RT" --runc-root "$RUNC_ROOT" --fifo-dir "$TEST_DIR/fifo" \
		--cgroup "$CGROUP_PARENT/$ID" "$@"
}

task_status() {
	ctd tasks ls | awk -v id="$1" '$1 == id { print $3 }'
}

@test "containerd: ctr run --rm echo hi, through the runc v2 shim" {
	run ctd_run --rm "$IMAGE" "$ID" echo hi
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "$output" = hi ]
	[ -z "$(ctd containers ls -q)" ]
}

@test "containerd: the exit status of the container comes back" {
	run ctd_run --rm "$IMAGE" "$ID" sh -c 'exit 5'
	[ "$status" -eq 5 ]
}

@test "containerd: run -d, then task exec with its output and exit status" {
	run ctd_run -d "$IMAGE" "$ID" sleep 100
	[ "$status" -eq 0 ]
	[ "$(task_status "$ID")" = RUNNING ]
	# the shim runs `state` and `ps --format json` on its own: the runtime's view agrees
	[ "$(ctr_state_ctd "$ID")" = running ]
	run ctd tasks exec --fifo-dir "$TEST_DIR/fifo" --exec-id e1 "$ID" \
		sh -c 'echo in=$(cat /proc/1/cmdline | tr "\0" " "); exit 3'
	echo "$output" >&2
	[ "$status" -eq 3 ]
	[ "$output" = "in=sleep 100" ]
	run ctd tasks ps "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$(ctd tasks ls | awk -v id="$ID" '$1 == id { print $2 }')"* ]]
}

# The state as the runtime has it in the shim's root.
ctr_state_ctd() {
	"$RT" --root "$RUNC_ROOT/rt-test" state "$1" 2>/dev/null | jq -r .status
}

@test "containerd: task pause and resume freeze and thaw the container" {
	run ctd_run -d "$IMAGE" "$ID" sh -c 'i=0; while :; do i=$((i+1)); echo $i >/tmp/count; sleep 0.05; done'
	[ "$status" -eq 0 ]
	run ctd tasks pause "$ID"
	[ "$status" -eq 0 ]
	[ "$(task_status "$ID")" = PAUSED ]
	[ "$(ctr_state_ctd "$ID")" = paused ]
	local a b
	a=$(ctd tasks exec --fifo-dir "$TEST_DIR/fifo" --exec-id r1 "$ID" cat /tmp/count 2>/dev/null || echo frozen)
	[ "$a" = frozen ] # an exec cannot start in a frozen cgroup
	run ctd tasks resume "$ID"
	[ "$status" -eq 0 ]
	[ "$(task_status "$ID")" = RUNNING ]
	a=$(ctd tasks exec --fifo-dir "$TEST_DIR/fifo" --exec-id r2 "$ID" cat /tmp/count)
	retry 50 0.1 eval '[ "$(ctd tasks exec --fifo-dir "$TEST_DIR/fifo" --exec-id r3-$RANDOM "$ID" cat /tmp/count)" != "$a" ]'
}

@test "containerd: task kill (a signal, then SIGKILL), task rm, container rm" {
	run ctd_run -d "$IMAGE" "$ID" sh -c 'trap "echo got-usr1 >/tmp/usr1" USR1; while :; do sleep 0.05; done'
	[ "$status" -eq 0 ]
	run ctd tasks kill -s USR1 "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 ctd tasks exec --fifo-dir "$TEST_DIR/fifo" --exec-id "k$RANDOM" "$ID" test -e /tmp/usr1
	[ "$(task_status "$ID")" = RUNNING ]
	run ctd tasks kill -s KILL "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval '[ "$(task_status "$ID")" = STOPPED ]'
	run ctd tasks rm "$ID"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ -z "$(ctd tasks ls -q)" ]
	# the shim deleted the container in the runtime
	[ -z "$(ls -A "$RUNC_ROOT/rt-test" 2>/dev/null)" ]
	run ctd containers rm "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(ctd containers ls -q)" ]
}

@test "containerd: the runtime's error reaches ctr (the shim reads --log-format json)" {
	run ctd_run --rm "$IMAGE" "$ID" /nonexistent
	echo "$output" >&2
	[ "$status" -ne 0 ]
	[[ "$output" == *"/nonexistent"*"no such file or directory"* ]]
	[ -z "$(ctd containers ls -q)" ]
}

@test "containerd: run -t under script: the process has a pty (the shim's --console-socket)" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	run script -qec "ctr --address $CTD/containerd.sock --namespace rt-test run -t --rm --runc-binary $RT --runc-root $RUNC_ROOT --fifo-dir $TEST_DIR/fifo --cgroup $CGROUP_PARENT/$ID $IMAGE $ID sh -c 'tty; read line; echo got=\$line'" /dev/null <<<"typed-in"
	echo "$output" >&2
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"got=typed-in"* ]]
}

@test "containerd: task exec -t under script: the exec gets a pty" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	run ctd_run -d "$IMAGE" "$ID" sleep 100
	[ "$status" -eq 0 ]
	run script -qec "ctr --address $CTD/containerd.sock --namespace rt-test tasks exec -t --fifo-dir $TEST_DIR/fifo --exec-id t1 $ID sh -c 'tty; read line; echo got=\$line'" /dev/null <<<"typed-in"
	echo "$output" >&2
	[[ "$output" == *"/dev/pts/"* ]]
	[[ "$output" == *"got=typed-in"* ]]
}
