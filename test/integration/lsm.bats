#!/usr/bin/env bats
# AppArmor profile and SELinux labels on a host that has neither LSM (this one): asking for
# one is an error, one clear line, and nothing of the container is left.  runc 1.1 ignores
# them silently when the LSM is off, so these are rt's behaviour.

load helpers

setup() {
	setup_rt
	requires_rt "runc 1.1 ignores LSM labels when the LSM is off"
	set_args true
	snapshot_pids
}

teardown() {
	teardown_rt
}

apparmor_on() {
	[ -d /sys/kernel/security/apparmor ] && grep -q Y /sys/module/apparmor/parameters/enabled 2>/dev/null
}

selinux_on() {
	[ -d /sys/fs/selinux ]
}

# The last runrt --separate-stderr failed with one line naming WHAT, and left nothing of
# container ID: no state dir, no listing, no cgroup, no process.
refused() {
	local what=$1 id=$2
	one_line_error
	[[ "$stderr" == *"$what"*"not enabled on this host"* ]]
	nothing_left "$id"
}

@test "lsm: process.apparmorProfile without AppArmor fails create and run" {
	apparmor_on && skip "AppArmor is enabled here"
	update_config '.process.apparmorProfile = "rt-test-profile"'
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	refused "AppArmor" "$ID"
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	refused "AppArmor" "$ID"
}

@test "lsm: process.selinuxLabel without SELinux fails run" {
	selinux_on && skip "SELinux is enabled here"
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	refused "SELinux" "$ID"
}

@test "lsm: linux.mountLabel without SELinux fails run" {
	selinux_on && skip "SELinux is enabled here"
	update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	refused "SELinux" "$ID"
}

@test "lsm: empty labels are no request" {
	update_config '.process.apparmorProfile = "" | .process.selinuxLabel = "" | .linux.mountLabel = ""'
	set_args echo ran
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
}

@test "lsm: exec --apparmor and --process-label fail, the container runs on" {
	apparmor_on && skip "AppArmor is enabled here"
	selinux_on && skip "SELinux is enabled here"
	set_args sleep 100
	rt_logged "$ID" run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	snapshot_pids
	# (runc's exec exits 255 when the process could not be started)
	runrt --separate-stderr exec --apparmor rt-test-profile "$ID" true
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"AppArmor is not enabled on this host"* ]]
	runrt --separate-stderr exec --process-label system_u:system_r:container_t:s0 "$ID" true
	[ "$status" -ne 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"SELinux is not enabled on this host"* ]]
	# the same from a process.json
	jq '.process | .apparmorProfile = "rt-test-profile"' "$BUNDLE/config.json" >"$TEST_DIR/process.json"
	runrt --separate-stderr exec --process "$TEST_DIR/process.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"AppArmor is not enabled on this host"* ]]
	[ -z "$(new_container_pids)" ] # no exec'd process is left
	[ "$(ctr_state "$ID")" = running ]
	[ "$(ctr_pid "$ID")" = "$pid" ]
}
