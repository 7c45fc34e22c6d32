#!/usr/bin/env bats
# podman, through conmon, driving rt (--runtime): how users and CRI tools call a runtime.
# conmon runs `create --bundle B --pid-file P [--console-socket S]`, `start`, `state`,
# `exec --process F --detach --pid-file P [--tty --console-socket S]`, `kill`, `delete`,
# and podman `pause`/`resume`.  Storage is a vfs store in the test dir; cgroups go under
# the test's own parent; a containers.conf of the test's own keeps podman's default
# ulimits within this machine's hard limits (no CAP_SYS_RESOURCE: podman's default nofile
# of 1048576 cannot be set by any runtime).

load helpers

setup() {
	command -v podman >/dev/null || skip "podman is not installed"
	setup_rt
	PM=$TEST_DIR/podman
	mkdir -p "$PM"
	cat >"$PM/containers.conf" <<-EOF
		[containers]
		default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
	EOF
	tar -C "$BUNDLE/rootfs" -c . >"$PM/rootfs.tar"
	pm import "$PM/rootfs.tar" localhost/rt-test-busybox >/dev/null
}

teardown() {
	local m left=()
	if [ -n "${PM:-}" ] && [ -d "$PM" ]; then
		pm rm -af -t 0 >/dev/null 2>&1 || true
		pm rmi -af >/dev/null 2>&1 || true
	fi
	# The container's cgroup (libpod-<id>) is rt's to remove; podman leaves its own
	# (the --cgroup-parent and conmon's cgroup below it), which we asked for: remove those.
	for m in $(cgroup_mounts); do
		[ -d "$m$CGROUP_PARENT/${ID:-none}" ] || continue
		left+=($(find "$m$CGROUP_PARENT/$ID" -mindepth 1 -type d -name 'libpod-*'))
		remove_cgroup_tree "$m$CGROUP_PARENT/$ID"
	done
	teardown_rt
	if [ "${#left[@]}" -gt 0 ]; then
		printf 'teardown: rt left the container cgroup %s\n' "${left[@]}" >&2
		return 1
	fi
}

pm() {
	pm_tty "$@" </dev/null
}

# podman with the caller's stdin (a pty under script).
pm_tty() {
	CONTAINERS_CONF=$PM/containers.conf podman --root "$PM/storage" --runroot "$PM/run" \
		--storage-driver vfs --cgroup-manager cgroupfs --runtime "$RT" "$@"
}

pm_run() {
	pm run --network none --cgroup-parent "$CGROUP_PARENT/$ID" "$@"
}

pm_status() {
	pm inspect -f '{{.State.Status}}' "$1"
}

# pm_sh 'CMD': a shell command line running podman (for script -c).
pm_sh() {
	printf 'CONTAINERS_CONF=%q podman --root %q --runroot %q --storage-driver vfs --cgroup-manager cgroupfs --runtime %q %s' \
		"$PM/containers.conf" "$PM/storage" "$PM/run" "$RT" "$1"
}

@test "podman: run through rt, pid 1 with its own hostname" {
	run pm_run --rm --hostname from-podman localhost/rt-test-busybox sh -c 'echo pid=$$ host=$(hostname)'
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[[ "$output" == *"pid=1 host=from-podman"* ]]
}

@test "podman: the container's exit status comes back" {
	run pm_run --rm localhost/rt-test-busybox sh -c 'exit 3'
	[ "$status" -eq 3 ]
}

@test "podman: exec (conmon's exec --process --detach --pid-file) with status, env, user" {
	run pm_run -d --name "$ID" localhost/rt-test-busybox sleep 100
	[ "$status" -eq 0 ]
	run pm exec "$ID" sh -c 'echo in=$$; exit 7'
	echo "$output" >&2
	[ "$status" -eq 7 ]
	[[ "$output" == *in=* ]]
	run pm exec -e FOO=bar -u 1000:1000 "$ID" sh -c 'echo $FOO $(id -u):$(id -g)'
	[ "$status" -eq 0 ]
	[[ "$output" == *"bar 1000:1000"* ]]
	# it ran in the container's pid namespace
	run pm exec "$ID" sh -c 'cat /proc/1/cmdline | tr "\0" " "'
	[[ "$output" == "sleep 100"* ]]
}

@test "podman: exec -t gets a pty from the container's devpts (console socket)" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	run pm_run -d --name "$ID" localhost/rt-test-busybox sleep 100
	[ "$status" -eq 0 ]
	run script -qec "$(pm_sh "exec -t $ID tty")" /dev/null
	echo "$output" >&2
	[[ "$output" == *"/dev/pts/"* ]]
}

@test "podman: pause, unpause, stop and rm" {
	run pm_run -d --name "$ID" localhost/rt-test-busybox sleep 100
	[ "$status" -eq 0 ]
	run pm pause "$ID"
	[ "$status" -eq 0 ]
	[ "$(pm_status "$ID")" = paused ]
	run pm unpause "$ID"
	[ "$status" -eq 0 ]
	[ "$(pm_status "$ID")" = running ]
	run pm stop -t 1 "$ID"
	[ "$status" -eq 0 ]
	[ "$(pm_status "$ID")" = exited ]
	run pm rm "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(pm ps -aq)" ]
}

@test "podman: run --rm echo, with containers.conf's default ulimits" {
	run pm_run --rm localhost/rt-test-busybox sh -c 'echo hello; ulimit -n; ulimit -u'
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "$output" = "hello
1024
1024" ]
	[ -z "$(pm ps -aq)" ]
}

@test "podman: run -d, logs, and the error of a command that does not exist" {
	run pm_run -d --name "$ID" localhost/rt-test-busybox sh -c 'echo detached; sleep 100'
	[ "$status" -eq 0 ]
	[ "$(pm_status "$ID")" = running ]
	retry 50 0.1 eval '[ "$(pm logs "$ID")" = detached ]'
	# rt's error comes back through conmon (--log, --log-format json) to the user
	run -127 pm_run --rm localhost/rt-test-busybox /nonexistent
	echo "$output" >&2
	[ "$status" -eq 127 ]
	[[ "$output" == *"/nonexistent"*"no such file or directory"* ]]
}

@test "podman: exec -it under script: input reaches the process on a pty" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	run pm_run -d --name "$ID" localhost/rt-test-busybox sleep 100
	[ "$status" -eq 0 ]
	run script -qec "$(pm_sh "exec -it $ID sh -c 'tty; read line; echo got=\$line'")" /dev/null <<<"typed-in"
	echo "$output" >&2
	[[ "$output" == *"/dev/pts/"* ]]
	[[ "$output" == *"got=typed-in"* ]]
}

@test "podman: kill -s USR1 reaches the container's process" {
	run pm_run -d --name "$ID" localhost/rt-test-busybox \
		sh -c 'trap "echo got-usr1" USR1; echo ready; while :; do sleep 0.1; done'
	[ "$status" -eq 0 ]
	retry 50 0.1 eval 'pm logs "$ID" | grep -q ready'
	run pm kill -s USR1 "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 eval 'pm logs "$ID" | grep -q got-usr1'
	[ "$(pm_status "$ID")" = running ]
}

@test "podman: top and stats --no-stream (the container's processes and cgroup)" {
	run pm_run -d --name "$ID" localhost/rt-test-busybox sleep 100
	[ "$status" -eq 0 ]
	run pm top "$ID"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[[ "$output" == *"sleep 100"* ]]
	run pm stats --no-stream --format '{{.Name}} {{.PIDs}}' "$ID"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "$output" = "$ID 1" ]
}

@test "podman: restart gives a new process; rm -f removes a running container" {
	run pm_run -d --name "$ID" localhost/rt-test-busybox sleep 100
	[ "$status" -eq 0 ]
	local pid1 pid2
	pid1=$(pm inspect -f '{{.State.Pid}}' "$ID")
	run pm restart -t 0 "$ID"
	[ "$status" -eq 0 ]
	[ "$(pm_status "$ID")" = running ]
	pid2=$(pm inspect -f '{{.State.Pid}}' "$ID")
	[ "$pid1" != "$pid2" ]
	[ "$(tr '\0' ' ' <"/proc/$pid2/cmdline")" = "sleep 100 " ]
	run pm rm -f -t 0 "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(pm ps -aq)" ]
	[ ! -e "/proc/$pid2" ] || [ "$(awk '/^State:/ { print $2 }' "/proc/$pid2/status")" = Z ]
}

@test "podman: create, then start" {
	run pm create --name "$ID" --network none --cgroup-parent "$CGROUP_PARENT/$ID" \
		localhost/rt-test-busybox sh -c 'echo started; sleep 100'
	[ "$status" -eq 0 ]
	[ "$(pm_status "$ID")" = created ]
	run pm start "$ID"
	[ "$status" -eq 0 ]
	[ "$(pm_status "$ID")" = running ]
	retry 50 0.1 eval '[ "$(pm logs "$ID")" = started ]'
}

@test "podman: the runtime chosen in containers.conf ([engine.runtimes]) instead of --runtime" {
	cat >>"$PM/containers.conf" <<-EOF
		[engine]
		runtime = "rt-test"
		[engine.runtimes]
		rt-test = ["$RT"]
	EOF
	run env CONTAINERS_CONF="$PM/containers.conf" podman --root "$PM/storage" --runroot "$PM/run" \
		--storage-driver vfs --cgroup-manager cgroupfs info --format '{{.Host.OCIRuntime.Path}}'
	[ "$status" -eq 0 ]
	[ "$output" = "$RT" ]
	run env CONTAINERS_CONF="$PM/containers.conf" podman --root "$PM/storage" --runroot "$PM/run" \
		--storage-driver vfs --cgroup-manager cgroupfs run --rm --network none \
		--cgroup-parent "$CGROUP_PARENT/$ID" localhost/rt-test-busybox echo via-conf </dev/null
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "$output" = via-conf ]
}
