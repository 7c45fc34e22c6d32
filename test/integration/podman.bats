#!/usr/bin/env bats
# podman, through conmon, driving rt (--runtime): how users and CRI tools call a runtime.
# conmon runs `create --bundle B --pid-file P [--console-socket S]`, `start`, `state`,
# `exec --process F --detach --pid-file P [--tty --console-socket S]`, `kill`, `delete`,
# and podman `pause`/`resume`.  Storage is a vfs store in the test dir; cgroups go under
# the test's own parent.

load helpers

setup() {
	command -v podman >/dev/null || skip "podman is not installed"
	setup_rt
	PM=$TEST_DIR/podman
	mkdir -p "$PM"
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
	podman --root "$PM/storage" --runroot "$PM/run" --storage-driver vfs \
		--cgroup-manager cgroupfs --runtime "$RT" "$@" </dev/null
}

# Limits within this machine's hard limits (no CAP_SYS_RESOURCE here: podman's default
# nofile of 1048576 cannot be set by any runtime).
pm_run() {
	pm run --network none --cgroup-parent "$CGROUP_PARENT/$ID" \
		--ulimit nofile=1024:20000 --ulimit nproc=1024:32768 "$@"
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
	run script -qec "podman --root $PM/storage --runroot $PM/run --storage-driver vfs --cgroup-manager cgroupfs --runtime $RT exec -t $ID tty" /dev/null
	echo "$output" >&2
	[[ "$output" == *"/dev/pts/"* ]]
}

@test "podman: pause, unpause, stop and rm" {
	run pm_run -d --name "$ID" localhost/rt-test-busybox sleep 100
	[ "$status" -eq 0 ]
	run pm pause "$ID"
	[ "$status" -eq 0 ]
	[ "$(pm inspect -f '{{.State.Status}}' "$ID")" = paused ]
	run pm unpause "$ID"
	[ "$status" -eq 0 ]
	[ "$(pm inspect -f '{{.State.Status}}' "$ID")" = running ]
	run pm stop -t 1 "$ID"
	[ "$status" -eq 0 ]
	[ "$(pm inspect -f '{{.State.Status}}' "$ID")" = exited ]
	run pm rm "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(pm ps -aq)" ]
}
