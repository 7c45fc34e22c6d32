#!/usr/bin/env bats
# rt spec: the default config, --bundle, --rootless, and no overwrite.

load helpers

setup() {
	setup_rt
	SPEC_DIR=$TEST_DIR/spec
	mkdir "$SPEC_DIR"
}

teardown() {
	teardown_rt
}

@test "spec: writes config.json in the current directory" {
	run bash -c 'cd "$1" && "$RT" spec' _ "$SPEC_DIR"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	local c=$SPEC_DIR/config.json
	jq -e . "$c" >/dev/null
	[[ "$(jq -r .ociVersion "$c")" =~ ^1\. ]]
	[ "$(jq -c .process.args "$c")" = '["sh"]' ]
	[ "$(jq -r .process.terminal "$c")" = true ]
	[ "$(jq -r .process.cwd "$c")" = / ]
	[ "$(jq -r .root.path "$c")" = rootfs ]
	[ "$(jq -r .root.readonly "$c")" = true ]
	[ "$(jq -r .process.noNewPrivileges "$c")" = true ]
	[ "$(jq -c '[.linux.namespaces[].type] | sort' "$c")" = '["ipc","mount","network","pid","uts"]' ]
	[ "$(jq -c '[.mounts[].destination]' "$c")" = '["/proc","/dev","/dev/pts","/dev/shm","/dev/mqueue","/sys","/sys/fs/cgroup"]' ]
	[ "$(jq -r '.process.env[0]' "$c")" = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" ]
	[ "$(jq -c .process.capabilities.bounding "$c")" = '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
	[ "$(jq -r '.linux.maskedPaths | index("/proc/kcore")' "$c")" != null ]
	[ "$(jq -r '.linux.readonlyPaths | index("/proc/sys")' "$c")" != null ]
}

@test "spec --bundle DIR" {
	run "$RT" spec --bundle "$SPEC_DIR"
	[ "$status" -eq 0 ]
	jq -e .process "$SPEC_DIR/config.json" >/dev/null
	rm "$SPEC_DIR/config.json"
	run "$RT" spec -b "$SPEC_DIR"
	[ "$status" -eq 0 ]
	jq -e .process "$SPEC_DIR/config.json" >/dev/null
}

@test "spec --rootless: a user namespace mapping the caller, no network namespace" {
	run "$RT" spec --rootless --bundle "$SPEC_DIR"
	[ "$status" -eq 0 ]
	local c=$SPEC_DIR/config.json
	[ "$(jq -c '[.linux.namespaces[].type] | sort' "$c")" = '["ipc","mount","pid","user","uts"]' ]
	[ "$(jq -r '.linux.uidMappings[0].hostID' "$c")" = "$(id -u)" ]
	[ "$(jq -r '.linux.uidMappings[0].containerID' "$c")" = 0 ]
	[ "$(jq -r '.linux.uidMappings[0].size' "$c")" = 1 ]
	[ "$(jq -r '.linux.gidMappings[0].hostID' "$c")" = "$(id -g)" ]
	[ "$(jq -r '.linux.resources' "$c")" = null ]
}

@test "spec: refuses to overwrite an existing config.json" {
	echo '{"mine": true}' >"$SPEC_DIR/config.json"
	run "$RT" spec --bundle "$SPEC_DIR"
	[ "$status" -eq 1 ]
	[[ "$output" =~ config.json ]]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -c . "$SPEC_DIR/config.json")" = '{"mine":true}' ]
}

@test "spec: the generated config runs a container" {
	RT=$RT "$REPO_ROOT/scripts/make-bundle.sh" "$SPEC_DIR" sh -c 'echo from spec; hostname' >&2
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$ID\"" "$SPEC_DIR"
	runrt run --bundle "$SPEC_DIR" "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "from spec" ]
	# the spec's hostname
	[ "${lines[1]}" = "$(jq -r .hostname "$SPEC_DIR/config.json")" ]
}
