#!/usr/bin/env bats
# Failure cases: each is one line on stderr, exit status 1, and leaves nothing behind.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

@test "create: missing config.json" {
	rm "$BUNDLE/config.json"
	snapshot_pids
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ config.json ]]
	nothing_left "$ID"
}

@test "create: a bundle that does not exist" {
	runrt --separate-stderr create --bundle "$TEST_DIR/nonexistent" "$ID"
	one_line_error
	nothing_left "$ID"
}

@test "create: malformed config.json" {
	echo '{"ociVersion": "1.0.2", "process": {' >"$BUNDLE/config.json"
	snapshot_pids
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	nothing_left "$ID"
}

@test "create: a known key with a value of the wrong type" {
	update_config '.process.args = "sh"'
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	nothing_left "$ID"
}

@test "create: an unknown namespace type" {
	update_config '.linux.namespaces += [{"type": "bogus"}]'
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ bogus ]]
	nothing_left "$ID"
}

@test "create: an unknown rlimit" {
	update_config '.process.rlimits += [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]'
	snapshot_pids
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ RLIMIT_BOGUS ]]
	nothing_left "$ID"
}

# The OCI spec (config.md, Extensibility): runtimes MUST NOT generate an error for an
# unknown property, they MUST ignore it.
@test "run: an unknown key is ignored, as the OCI spec requires" {
	update_config '.bogusTopLevelKey = {"a": 1} | .process.bogusKey = true'
	run_sh 'echo ran'
	[ "$status" -eq 0 ]
	[[ "$output" =~ ran ]]
}

@test "unknown id: state, start, kill, delete" {
	local cmd
	for cmd in state start kill delete; do
		runrt --separate-stderr "$cmd" "$ID"
		one_line_error
	done
}

@test "create: a duplicate id fails and leaves the first container alone" {
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	local b2
	b2=$(clone_bundle 2)
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$ID-dup\"" "$b2"
	runrt --separate-stderr create --bundle "$b2" "$ID"
	one_line_error
	[ "$(ctr_state "$ID")" = created ]
	[ "$(ctr_pid "$ID")" = "$pid" ]
	[ -d "/proc/$pid" ]
	runrt --separate-stderr run --bundle "$b2" "$ID"
	one_line_error
	[ "$(ctr_state "$ID")" = created ]
}

@test "create: invalid ids" {
	local id
	for id in "a/b" ".." "." "a b" "../escape" "a:b" ""; do
		runrt --separate-stderr create --bundle "$BUNDLE" "$id"
		one_line_error
	done
	# nothing was created, in the root or beside it
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
	[ ! -e "$TEST_DIR/escape" ]
	[ -z "$(leaked_cgroups)" ]
}

@test "create: an id longer than 1024 characters is invalid (rt)" {
	requires_rt
	local id
	id=$(head -c 1025 /dev/zero | tr '\0' a)
	runrt --separate-stderr create --bundle "$BUNDLE" "$id"
	one_line_error
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "start: twice" {
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	runrt --separate-stderr start "$ID"
	one_line_error
	[ "$(ctr_state "$ID")" = running ]
}

@test "start: a stopped container" {
	set_args true
	create_ctr "$ID"
	runrt start "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	runrt --separate-stderr start "$ID"
	one_line_error
}

@test "kill: a stopped container" {
	set_args true
	create_ctr "$ID"
	runrt start "$ID"
	wait_status "$ID" stopped
	runrt --separate-stderr kill "$ID" KILL
	one_line_error
	[ "$(ctr_state "$ID")" = stopped ]
}

@test "kill: an unknown signal" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt --separate-stderr kill "$ID" SIGBOGUS
	one_line_error
	[ "$(ctr_state "$ID")" = running ]
}

@test "delete: a running container without --force" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	runrt --separate-stderr delete "$ID"
	one_line_error
	[ "$(ctr_state "$ID")" = running ]
	[ -d "/proc/$pid" ]
}

@test "create: a process that cannot be executed fails create and leaves nothing" {
	set_args /no/such/binary
	snapshot_pids
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ /no/such/binary ]]
	nothing_left "$ID"
}

@test "create: a mount that fails inside the container comes back as an error" {
	update_config '.mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "none"}]'
	snapshot_pids
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ /mnt ]]
	nothing_left "$ID"
}

@test "run: a failing create exits 1 and leaves nothing" {
	set_args /no/such/binary
	snapshot_pids
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	one_line_error
	nothing_left "$ID"
}

@test "--log --log-format json: the error is a JSON line in the log" {
	runrt --separate-stderr --log "$TEST_DIR/log.json" --log-format json state "$ID"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "$(jq -r 'select(.level == "error") | .msg' "$TEST_DIR/log.json" | wc -l)" -eq 1 ]
	[[ "$(jq -r 'select(.level == "error") | .msg' "$TEST_DIR/log.json")" =~ "does not exist" ]]
	[ -n "$(jq -r 'select(.level == "error") | .time' "$TEST_DIR/log.json")" ]
}

@test "errors name the container and the step (rt)" {
	requires_rt
	# rt: CMD ID: ... on one line
	runrt --separate-stderr state "$ID"
	one_line_error
	[[ "$stderr" =~ ^rt:\ state\ $ID:\  ]]

	rm "$BUNDLE/config.json"
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ ^rt:\ create\ $ID:\ .*config.json ]]
	[ ! -e "$ROOT/$ID" ]

	"$REPO_ROOT/scripts/make-bundle.sh" "$BUNDLE" /no/such/binary >&2
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$ID\""
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ ^rt:\ create\ $ID:\ .*/no/such/binary ]]

	update_config '.process.args = ["true"] | .mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "none"}]'
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ ^rt:\ create\ $ID:\ .*mount.*/mnt ]]

	update_config '.mounts |= .[:-1] | .process.args = ["sleep", "100"]'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt --separate-stderr start "$ID"
	one_line_error
	[[ "$stderr" =~ ^rt:\ start\ $ID:\  ]]
	runrt --separate-stderr delete "$ID"
	one_line_error
	[[ "$stderr" =~ ^rt:\ delete\ $ID:\  ]]
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" =~ ^rt:\ create\ $ID:\ .*exists ]]
	runrt kill "$ID" KILL
	wait_status "$ID" stopped
	runrt --separate-stderr kill "$ID" KILL
	one_line_error
	[[ "$stderr" =~ ^rt:\ kill\ $ID:\  ]]
}

# When stage 0 fails (here the kernel refuses overlapping uid ranges), rt reports stage
# 0's reason, not stage 1's consequential "short read" on the sync socket.
@test "errors: a failure in the stub's parent stage is reported by its cause" {
	requires_rt
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}, {"containerID": 5, "hostID": 200000, "size": 10}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"uid_map"* ]]
	[[ "$output" != *"short read"* ]]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}
