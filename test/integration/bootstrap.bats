#!/usr/bin/env bats
# The bootstrap blob (rt only): RT_BOOTSTRAP_DUMP=FILE makes rt save the netlink message it
# sends to nsinit; rt-bootstrap-dump decodes it (and runc's, captured with
# scripts/capture-runc-blob.sh).

load helpers

setup() {
	requires_rt "RT_BOOTSTRAP_DUMP and rt-bootstrap-dump are rt's"
	setup_rt
	[ -x "$RT_DUMP" ] || skip "no rt-bootstrap-dump at $RT_DUMP"
	BLOB=$TEST_DIR/blob
}

teardown() {
	[ -z "${NETNS:-}" ] || ip netns del "$NETNS" 2>/dev/null
	teardown_rt
}

# Run the bundle's container (true) with RT_BOOTSTRAP_DUMP=$BLOB.
run_with_dump() {
	set_args true
	RT_BOOTSTRAP_DUMP=$BLOB runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ -s "$BLOB" ]
}

# The CLONE_FLAGS line of a text dump in $output.
clone_flags_line() {
	grep CLONE_FLAGS <<<"$output"
}

@test "RT_BOOTSTRAP_DUMP: rt writes the netlink message it sends (INIT_MSG 62000)" {
	run_with_dump
	# struct nlmsghdr: u32 len (= the file's size), u16 type 62000 = 0xf230
	[ "$(od -An -tu4 -N4 "$BLOB" | tr -d ' ')" = "$(stat -c %s "$BLOB")" ]
	[ "$(od -An -tu2 -j4 -N2 "$BLOB" | tr -d ' ')" = 62000 ]
}

@test "rt-bootstrap-dump: clone flags of the default config, by name" {
	run_with_dump
	run "$RT_DUMP" "$BLOB"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ INIT_MSG ]]
	local f
	f=$(clone_flags_line)
	for ns in NEWNS NEWPID NEWNET NEWIPC NEWUTS; do
		[[ "$f" == *"CLONE_$ns"* ]]
	done
	[[ "$f" != *CLONE_NEWUSER* ]]
	[[ "$f" != *CLONE_NEWCGROUP* ]]
	[[ "$output" =~ PROTOCOL_VERSION ]]
}

@test "rt-bootstrap-dump: follows the config (cgroup ns, no network ns)" {
	update_config '.linux.namespaces |= (map(select(.type != "network")) + [{"type": "cgroup"}])'
	run_with_dump
	run "$RT_DUMP" "$BLOB"
	[ "$status" -eq 0 ]
	local f
	f=$(clone_flags_line)
	[[ "$f" == *CLONE_NEWCGROUP* ]]
	[[ "$f" != *CLONE_NEWNET* ]]
}

@test "rt-bootstrap-dump: user namespace maps as text" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	chown -R -h 100000:200000 "$BUNDLE/rootfs"
	run_with_dump
	run "$RT_DUMP" "$BLOB"
	[ "$status" -eq 0 ]
	[[ "$(clone_flags_line)" == *CLONE_NEWUSER* ]]
	[[ "$(grep -A1 UIDMAP <<<"$output")" == *"0 100000 65536"* ]]
	[[ "$(grep -A1 GIDMAP <<<"$output")" == *"0 200000 65536"* ]]
}

@test "rt-bootstrap-dump: namespace paths and oom_score_adj" {
	NETNS=$ID
	ip netns add "$NETNS"
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/run/netns/$NETNS\" else . end)
		| .process.oomScoreAdj = 300"
	run_with_dump
	run "$RT_DUMP" "$BLOB"
	[ "$status" -eq 0 ]
	[[ "$(grep -A1 NS_PATHS <<<"$output")" == *"net:/run/netns/$NETNS"* ]]
	# joined, not created
	[[ "$(clone_flags_line)" != *CLONE_NEWNET* ]]
	[[ "$(grep -A1 OOM_SCORE_ADJ <<<"$output")" == *300* ]]
}

@test "rt-bootstrap-dump --json: parses with jq" {
	run_with_dump
	run "$RT_DUMP" --json "$BLOB"
	[ "$status" -eq 0 ]
	jq -e . <<<"$output" >/dev/null
	[ "$(jq -r .header.type <<<"$output")" = 62000 ]
	[ "$(jq -r .header.len <<<"$output")" = "$(stat -c %s "$BLOB")" ]
	local flags
	flags=$(jq -r '.attributes[] | select(.name == "CLONE_FLAGS") | .. | strings' <<<"$output")
	[[ "$flags" == *CLONE_NEWPID* ]]
	[ "$(jq '[.attributes[] | select(.name == "PROTOCOL_VERSION")] | length' <<<"$output")" = 1 ]
}

@test "rt-bootstrap-dump: reads stdin with -" {
	run_with_dump
	run sh -c '"$1" - <"$2"' _ "$RT_DUMP" "$BLOB"
	[ "$status" -eq 0 ]
	[[ "$(clone_flags_line)" == *CLONE_NEWPID* ]]
}

@test "rt-bootstrap-dump: a truncated blob is an error naming the offset" {
	run_with_dump
	local size
	size=$(stat -c %s "$BLOB")
	head -c $((size - 3)) "$BLOB" >"$TEST_DIR/short"
	run --separate-stderr "$RT_DUMP" "$TEST_DIR/short"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" =~ offset ]]
	# cut inside the 16-byte header
	head -c 10 "$BLOB" >"$TEST_DIR/short"
	run --separate-stderr "$RT_DUMP" "$TEST_DIR/short"
	[ "$status" -eq 1 ]
	[ -n "$stderr" ]
}

@test "rt-bootstrap-dump: a wrong message type and an attribute past the end are errors" {
	run_with_dump
	# type 62001
	cp "$BLOB" "$TEST_DIR/bad"
	printf '\x31\xf2' | dd of="$TEST_DIR/bad" bs=1 seek=4 conv=notrunc 2>/dev/null
	run --separate-stderr "$RT_DUMP" "$TEST_DIR/bad"
	[ "$status" -eq 1 ]
	[ -n "$stderr" ]
	# the first attribute's nla_len (at offset 16) made huge
	cp "$BLOB" "$TEST_DIR/bad"
	printf '\xff\x7f' | dd of="$TEST_DIR/bad" bs=1 seek=16 conv=notrunc 2>/dev/null
	run --separate-stderr "$RT_DUMP" "$TEST_DIR/bad"
	[ "$status" -eq 1 ]
	[[ "$stderr" =~ offset\ 16 ]]
}

@test "rt-bootstrap-dump: an empty file and a missing file" {
	: >"$TEST_DIR/empty"
	run --separate-stderr "$RT_DUMP" "$TEST_DIR/empty"
	[ "$status" -eq 1 ]
	run --separate-stderr "$RT_DUMP" "$TEST_DIR/missing"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"$TEST_DIR/missing"* ]]
}

@test "rt's blob and runc's carry the same clone flags for the same config" {
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "$REPO_ROOT/scripts/capture-runc-blob.sh" ] || skip "no scripts/capture-runc-blob.sh"
	run_with_dump
	"$REPO_ROOT/scripts/capture-runc-blob.sh" "$BUNDLE" "$TEST_DIR/runc-blob" >&2
	run "$RT_DUMP" --json "$TEST_DIR/runc-blob"
	[ "$status" -eq 0 ]
	local theirs ours
	theirs=$(jq -r '.attributes[] | select(.name == "CLONE_FLAGS") | .. | strings' <<<"$output")
	run "$RT_DUMP" --json "$BLOB"
	[ "$status" -eq 0 ]
	ours=$(jq -r '.attributes[] | select(.name == "CLONE_FLAGS") | .. | strings' <<<"$output")
	echo "runc: $theirs" >&2
	echo "rt:   $ours" >&2
	[ -n "$ours" ]
	[ "$ours" = "$theirs" ]
}
