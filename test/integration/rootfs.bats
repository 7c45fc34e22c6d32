#!/usr/bin/env bats
# The container's root: root.path, root.readonly, pivot_root and --no-pivot,
# linux.rootfsPropagation.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

# The mountinfo line of "/" inside the container: the mount point is field 5.
ROOT_LINE='awk "\$5 == \"/\"" /proc/self/mountinfo'

@test "root.readonly true: / is mounted ro and cannot be written" {
	update_config '.root.readonly = true'
	run_sh "$ROOT_LINE; touch /written 2>&1 || echo refused"
	[ "$status" -eq 0 ]
	[ "$(awk '{print $6}' <<<"${lines[0]}" | cut -d, -f1)" = ro ]
	[[ "$output" =~ "Read-only file system" ]]
	[ "${lines[-1]}" = refused ]
	[ ! -e "$BUNDLE/rootfs/written" ]
}

@test "root.readonly false: / is rw and writes land in the bundle's rootfs" {
	update_config '.root.readonly = false'
	run_sh "$ROOT_LINE; echo data >/written && echo wrote"
	[ "$status" -eq 0 ]
	[ "$(awk '{print $6}' <<<"${lines[0]}" | cut -d, -f1)" = rw ]
	[ "${lines[1]}" = wrote ]
	[ "$(cat "$BUNDLE/rootfs/written")" = data ]
}

@test "root.path: an absolute path outside the bundle" {
	mv "$BUNDLE/rootfs" "$TEST_DIR/elsewhere"
	update_config ".root.path = \"$TEST_DIR/elsewhere\" | .root.readonly = false"
	run_sh "$ROOT_LINE; touch /here"
	[ "$status" -eq 0 ]
	[ "$(awk '{print $4}' <<<"${lines[0]}")" = "$TEST_DIR/elsewhere" ]
	[ -e "$TEST_DIR/elsewhere/here" ]
}

@test "root.path: relative to the bundle, wherever run is called from" {
	mv "$BUNDLE/rootfs" "$BUNDLE/myroot"
	update_config '.root.path = "myroot"'
	set_args sh -c "$ROOT_LINE"
	run bash -c 'cd / && "$RT" --root "$1" run --bundle "$2" "$3"' _ "$ROOT" "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$(awk '{print $4}' <<<"${lines[0]}")" = "$BUNDLE/myroot" ]
}

@test "root.path: a missing rootfs fails create" {
	rm -rf "$BUNDLE/rootfs"
	set_args true
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ ! -e "$ROOT/$ID" ]
}

# What pivot_root and --no-pivot must both give: / is the bundle's rootfs, and nothing of
# the host's root is reachable.
check_jailed() {
	[ "$status" -eq 0 ]
	[ "$(awk '{print $4, $5}' <<<"${lines[0]}")" = "$BUNDLE/rootfs /" ]
	[ "${lines[1]}" = "no host" ]
	# only the container's own mounts: none has the host's / (root "/" at "/")
	! grep -q '^[0-9]* [0-9]* [0-9:]* / / ' <<<"$output"
	[[ "$output" != *"$TEST_DIR/marker"* ]]
}

@test "pivot_root: / is the rootfs and the host's root is gone" {
	touch "$TEST_DIR/marker"
	set_args sh -c "$ROOT_LINE; ls $TEST_DIR/marker 2>/dev/null || echo no host; cat /proc/self/mountinfo"
	runrt run --bundle "$BUNDLE" "$ID"
	check_jailed
}

@test "--no-pivot: / is the rootfs and the host's root is not reachable" {
	touch "$TEST_DIR/marker"
	set_args sh -c "$ROOT_LINE; ls $TEST_DIR/marker 2>/dev/null || echo no host; cat /proc/self/mountinfo"
	runrt run --no-pivot --bundle "$BUNDLE" "$ID"
	check_jailed
}

@test "create --no-pivot" {
	set_args sh -c "$ROOT_LINE"
	create_ctr "$ID" --no-pivot
	[ "$status" -eq 0 ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	[ "$(awk '{print $4, $5}' "$TEST_DIR/$ID.log")" = "$BUNDLE/rootfs /" ]
}

@test "rootfsPropagation private: / has no propagation tag" {
	update_config '.linux.rootfsPropagation = "private"'
	run_sh "$ROOT_LINE"
	[ "$status" -eq 0 ]
	[[ "$output" != *shared:* ]]
	[[ "$output" != *master:* ]]
	[[ "$output" != *unbindable* ]]
}

@test "rootfsPropagation shared: / is a shared mount" {
	skip_on runc "runc 1.1 does not apply rootfsPropagation to the container's /"
	update_config '.linux.rootfsPropagation = "shared"'
	run_sh "$ROOT_LINE"
	[ "$status" -eq 0 ]
	[[ "$output" =~ \ shared:[0-9]+\  ]]
}

@test "rootfsPropagation unbindable: / is unbindable" {
	skip_on runc "runc 1.1 fails to bind an unbindable rootfs"
	update_config '.linux.rootfsPropagation = "unbindable"'
	run_sh "$ROOT_LINE"
	[ "$status" -eq 0 ]
	[[ "$output" =~ \ unbindable\  ]]
}

@test "rootfsPropagation: an unknown value is refused" {
	update_config '.linux.rootfsPropagation = "bogus"'
	set_args true
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
}
