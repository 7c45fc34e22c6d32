#!/usr/bin/env bats
# rt events: JSON lines as runc's; "stats" figures match the kernel's files, "oom" comes
# when the container hits its memory limit, and the stream ends with the container.

load helpers

setup() {
	setup_rt
	set_args sleep 100
	EV_PID=
}

teardown() {
	# an events stream still running is ours: it ends with its container, or here
	if [ -n "$EV_PID" ]; then
		kill "$EV_PID" 2>/dev/null
		wait "$EV_PID" 2>/dev/null
	fi
	teardown_rt
}

# events ARG... in the background, JSON lines to $TEST_DIR/events.log.
events_bg() {
	"$RT" --root "$ROOT" events "$@" </dev/null >"$TEST_DIR/events.log" 2>"$TEST_DIR/events.err" 3>&- &
	EV_PID=$!
}

@test "events --stats: one line of runc's shape, figures from the kernel's files" {
	update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 50}
		| .linux.resources.cpu = {"cpus": "0"}'
	set_args sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	# the loop is done once sleep runs (no output: a page of cache would add memory.cache)
	retry 50 0.1 eval 'grep -qx sleep $(sed "s|^|/proc/|; s|$|/comm|" "$(v1_cg pids)/cgroup.procs") 2>/dev/null'
	runrt --separate-stderr events --stats "$ID"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	local j=${lines[0]}
	[ "$(jq -r .type <<<"$j")" = stats ]
	[ "$(jq -r .id <<<"$j")" = "$ID" ]
	# the same keys as runc 1.1, in the same order
	[ "$(jq -c '.data | keys_unsorted' <<<"$j")" = '["cpu","cpuset","memory","pids","blkio","hugetlb","intel_rdt","network_interfaces"]' ]
	[ "$(jq -c '.data.memory | keys_unsorted' <<<"$j")" = '["usage","swap","kernel","kernelTCP","raw"]' ]
	[ "$(jq .data.memory.usage.limit <<<"$j")" = 67108864 ]
	[ "$(jq .data.memory.usage.usage <<<"$j")" -gt 0 ]
	[ "$(jq .data.memory.raw.rss <<<"$j")" -ge 0 ]
	[ "$(jq .data.pids.current <<<"$j")" = 1 ]
	[ "$(jq .data.pids.limit <<<"$j")" = 50 ]
	[ "$(jq -c .data.cpuset.cpus <<<"$j")" = "[0]" ]
	[ "$(jq .data.cpu.usage.total <<<"$j")" -gt 0 ]
	[ "$(jq '.data.cpu.usage.percpu | length' <<<"$j")" = "$(nproc)" ]
	[ "$(jq .data.cpu.usage.total <<<"$j")" -le "$(cat "$(v1_cg cpuacct)/cpuacct.usage")" ]
	[ "$(jq -c .data.network_interfaces <<<"$j")" = null ]
}

@test "events --stats: blkio figures after the container reads a disk" {
	# the container reads 1 MiB from a file of its rootfs, bypassing the page cache
	head -c 1048576 /dev/urandom >"$BUNDLE/rootfs/blob"
	set_args sh -c 'dd if=/blob of=/dev/null bs=64k iflag=direct 2>/dev/null; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	# wait for the kernel to count the whole MiB (the first "Read" line can be partial)
	local f
	f="$(v1_cg blkio)/blkio.throttle.io_service_bytes_recursive"
	retry 50 0.1 eval '[ "$(awk '\''$2 == "Read" { s += $3 } END { print s + 0 }'\'' "$f")" -ge 1048576 ]'
	runrt --separate-stderr events --stats "$ID"
	[ "$status" -eq 0 ]
	local read
	read=$(jq '[.data.blkio.ioServiceBytesRecursive[] | select(.op == "Read") | .value] | add' <<<"${lines[0]}")
	[ "$read" -ge 1048576 ]
	[ "$(jq '.data.blkio.ioServicedRecursive | length' <<<"${lines[0]}")" -gt 0 ]
}

@test "events --interval: a stats line every interval, until the container is deleted" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	events_bg --interval 200ms "$ID"
	retry 30 0.1 eval '[ "$(wc -l <"$TEST_DIR/events.log")" -ge 3 ]'
	jq -e 'select(.type == "stats" and .id == "'"$ID"'")' "$TEST_DIR/events.log" >/dev/null
	runrt delete --force "$ID"
	[ "$status" -eq 0 ]
	# the stream ends by itself once the cgroup is gone
	retry 50 0.1 eval "! kill -0 $EV_PID 2>/dev/null"
	wait "$EV_PID"
	EV_PID=
}

@test "events: an allocation over the memory limit is OOM-killed and reported" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	update_config '.root.readonly = false'
	set_args sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done;
		dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd-status=$?; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	events_bg --interval 10s "$ID"
	# events has registered for OOM notifications (its eventfd exists) before the allocation
	retry 50 0.1 eval 'ls -l /proc/$EV_PID/fd 2>/dev/null | grep -q "anon_inode:\[eventfd\]"'
	touch "$BUNDLE/rootfs/tmp/go"
	wait_log "$ID" "dd-status="
	[[ "$(container_log "$ID")" == *"dd-status=137"* ]] || [[ "$(container_log "$ID")" == *Killed* ]]
	retry 30 0.1 grep -q oom "$TEST_DIR/events.log"
	[ "$(grep -c . "$TEST_DIR/events.log")" -ge 1 ]
	[ "$(grep oom "$TEST_DIR/events.log" | head -1)" = "{\"type\":\"oom\",\"id\":\"$ID\"}" ]
	grep -q "^oom_kill [1-9]" "$(v1_cg memory)/memory.oom_control"
	rm -f "$BUNDLE/rootfs/tmp/go"
}

@test "events: a stopped or missing container, and bad intervals" {
	set_args true
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	runrt events --stats "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"container with id $ID is not running"* ]]
	runrt events nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not exist"* ]]
	runrt events --interval 0 "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"duration interval must be greater than 0"* ]]
	runrt events --interval 1x "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *'invalid value "1x" for flag -interval'* ]] ||
		[[ "$output" == *'invalid value \"1x\" for flag -interval'* ]]
}
