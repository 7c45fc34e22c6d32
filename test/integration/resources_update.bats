#!/usr/bin/env bats
# rt update: runc 1.1's flags and -r/--resources, on a running container; the kernel's
# files change, and so does what the container can do.

load helpers

setup() {
	setup_rt
	set_args sleep 100
}

teardown() {
	teardown_rt
}

@test "update: every flag lands in the kernel's files" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt update --memory 100M --memory-swap 200M --memory-reservation 50M --pids-limit 20 \
		--cpu-share 256 --cpu-quota 50000 --cpu-period 200000 --cpuset-cpus 0 --cpuset-mems 0 \
		--blkio-weight 300 "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(cat "$(v1_cg memory)/memory.limit_in_bytes")" = 104857600 ]
	[ "$(cat "$(v1_cg memory)/memory.memsw.limit_in_bytes")" = 209715200 ]
	[ "$(cat "$(v1_cg memory)/memory.soft_limit_in_bytes")" = 52428800 ]
	[ "$(cat "$(v1_cg pids)/pids.max")" = 20 ]
	[ "$(cat "$(v1_cg cpu)/cpu.shares")" = 256 ]
	[ "$(cat "$(v1_cg cpu)/cpu.cfs_quota_us")" = 50000 ]
	[ "$(cat "$(v1_cg cpu)/cpu.cfs_period_us")" = 200000 ]
	[ "$(cat "$(v1_cg cpuset)/cpuset.cpus")" = 0 ]
	[ "$(cat "$(v1_cg cpuset)/cpuset.mems")" = 0 ]
	[ "$(cat "$(v1_cg blkio)/blkio.bfq.weight")" = 300 ]
}

@test "update: what is not given stays; --pids-limit -1 is max; --cpu-shares works too (rt)" {
	update_config '.linux.resources.pids = {"limit": 10} | .linux.resources.memory = {"limit": 67108864}'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt update --cpu-share 300 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg pids)/pids.max")" = 10 ]
	[ "$(cat "$(v1_cg memory)/memory.limit_in_bytes")" = 67108864 ]
	runrt update --pids-limit -1 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg pids)/pids.max")" = max ]
	is_rt || return 0
	runrt update --cpu-shares 400 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg cpu)/cpu.shares")" = 400 ]
}

@test "update: raising and lowering the memory limit with swap, in either order" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 67108864}'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local d
	d=$(v1_cg memory)
	# up: above the old memsw, so memsw must be written first
	runrt update --memory 256M --memory-swap 512M "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$d/memory.limit_in_bytes")" = 268435456 ]
	[ "$(cat "$d/memory.memsw.limit_in_bytes")" = 536870912 ]
	# down: below the old limit, so the limit goes first
	runrt update --memory 16M --memory-swap 32M "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$d/memory.limit_in_bytes")" = 16777216 ]
	[ "$(cat "$d/memory.memsw.limit_in_bytes")" = 33554432 ]
	# -1: unlimited, swap with it
	runrt update --memory -1 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$d/memory.limit_in_bytes")" = "$(cat "$CGROUP_MNT/memory/memory.limit_in_bytes")" ]
}

@test "update --pids-limit: the running container can no longer fork past it" {
	set_args sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done;
		for i in 1 2 3 4 5 6; do sleep 30 & done; wait'
	update_config '.root.readonly = false'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt update --pids-limit 4 "$ID"
	[ "$status" -eq 0 ]
	touch "$BUNDLE/rootfs/tmp/go"
	wait_log "$ID" "can't fork"
	[ "$(cat "$(v1_cg pids)/pids.current")" -le 4 ]
	rm -f "$BUNDLE/rootfs/tmp/go"
}

@test "update -r FILE and -r -: the resources JSON" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	cat >"$TEST_DIR/r.json" <<-EOF
		{"memory": {"limit": 134217728, "reservation": 67108864},
		 "cpu": {"shares": 128, "quota": 30000, "period": 100000, "cpus": "0"},
		 "blockIO": {"weight": 250}, "pids": {"limit": 30}}
	EOF
	runrt update -r "$TEST_DIR/r.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg memory)/memory.limit_in_bytes")" = 134217728 ]
	[ "$(cat "$(v1_cg memory)/memory.soft_limit_in_bytes")" = 67108864 ]
	[ "$(cat "$(v1_cg cpu)/cpu.shares")" = 128 ]
	[ "$(cat "$(v1_cg cpu)/cpu.cfs_quota_us")" = 30000 ]
	[ "$(cat "$(v1_cg blkio)/blkio.bfq.weight")" = 250 ]
	[ "$(cat "$(v1_cg pids)/pids.max")" = 30 ]
	# from stdin, and the other flags are ignored
	run bash -c 'echo "{\"pids\": {\"limit\": 31}}" | "$0" --root "$1" update -r - --pids-limit 99 "$2"' \
		"$RT" "$ROOT" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg pids)/pids.max")" = 31 ]
}

@test "update -r: checkBeforeUpdate refuses a limit below the usage (rt)" {
	requires_rt "runc 1.1 checks it on cgroup v2 only"
	# tmpfs pages are charged to the writer's memory cgroup
	set_args sh -c 'head -c 4000000 /dev/zero >/dev/shm/x; sleep 100'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	retry 30 0.1 eval '[ "$(cat "$(v1_cg memory)/memory.usage_in_bytes")" -gt 2000000 ]'
	echo '{"memory": {"limit": 1048576, "checkBeforeUpdate": true}}' >"$TEST_DIR/r.json"
	runrt update -r "$TEST_DIR/r.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"rejecting memory limit 1048576 below usage"* ]]
	[ "$(cat "$(v1_cg memory)/memory.limit_in_bytes")" != 1048576 ]
	[ "$(ctr_state "$ID")" = running ]
}

@test "update -r: a malformed file or a wrong type is refused with where (rt)" {
	requires_rt "runc's messages are Go's"
	run_detached "$ID"
	[ "$status" -eq 0 ]
	echo '{"memory": {"limit": "64M"}}' >"$TEST_DIR/r.json"
	runrt update -r "$TEST_DIR/r.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"resources.memory.limit: want a 64-bit integer, got a string"* ]]
	echo '{"memory": ' >"$TEST_DIR/r.json"
	runrt update -r "$TEST_DIR/r.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"resources: line"*"parse error"* ]]
	runrt update -r "$TEST_DIR/missing.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"read resources"*"no such file or directory"* ]]
	# unknown keys are ignored, as in config.json (and as runc's decoder does)
	echo '{"pids": {"limit": 12}, "future": {"x": 1}}' >"$TEST_DIR/r.json"
	runrt update -r "$TEST_DIR/r.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg pids)/pids.max")" = 12 ]
}

@test "update: bad values and usage errors, as runc" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt update --memory abc "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid value for memory: invalid size: 'abc'"* ]]
	runrt update --cpu-quota x "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid value for cpu-quota: strconv.ParseInt: parsing "*x*": invalid syntax"* ]]
	runrt update --pids-limit x "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid value "*x*" for flag -pids-limit"* ]]
	runrt update "$ID" extra
	[ "$status" -eq 1 ]
	[[ "$output" == *'"update'*'requires exactly 1 argument(s)'* ]]
}

@test "update: a stopped or missing container" {
	set_args true
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	runrt update --memory 64M "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"container not running"* ]]
	runrt update --memory 64M nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "update of a paused container applies; it stays paused" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt pause "$ID"
	[ "$status" -eq 0 ]
	runrt update --pids-limit 7 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg pids)/pids.max")" = 7 ]
	[ "$(ctr_state "$ID")" = paused ]
}

@test "update leaves the device rules alone (rt)" {
	requires_rt
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local before
	before=$(cat "$(v1_cg devices)/devices.list")
	echo '{"devices": [{"allow": true}], "pids": {"limit": 9}}' >"$TEST_DIR/r.json"
	runrt update -r "$TEST_DIR/r.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg devices)/devices.list")" = "$before" ]
	[ "$(cat "$(v1_cg pids)/pids.max")" = 9 ]
}

@test "update --l3-cache-schema: no Intel RDT here (rt)" {
	requires_rt "runc's message differs"
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt update --l3-cache-schema "L3:0=f" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Intel RDT/CAT: l3 cache schema is not enabled"* ]]
}
