#!/usr/bin/env bats
# linux.sysctl: set inside the container's namespaces, never on the host.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

@test "sysctl: net.ipv4.ip_forward in a network namespace" {
	local host
	host=$(cat /proc/sys/net/ipv4/ip_forward)
	local want=$((1 - host))
	update_config ".linux.sysctl = {\"net.ipv4.ip_forward\": \"$want\"}"
	run_sh 'cat /proc/sys/net/ipv4/ip_forward'
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

@test "sysctl: kernel.shmmax and kernel.msgmax in an ipc namespace" {
	local host
	host=$(cat /proc/sys/kernel/shmmax)
	update_config '.linux.sysctl = {"kernel.shmmax": "1048576", "kernel.msgmax": "4096"}'
	run_sh 'cat /proc/sys/kernel/shmmax /proc/sys/kernel/msgmax'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1048576 ]
	[ "${lines[1]}" = 4096 ]
	[ "$(cat /proc/sys/kernel/shmmax)" = "$host" ]
}

@test "sysctl: several net keys, a value with spaces" {
	update_config '.linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "100",
		"net.ipv4.ping_group_range": "0 1000"}'
	run_sh 'cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 100 ]
	[ "$(echo ${lines[1]})" = "0 1000" ]
}

@test "sysctl: a net key without a network namespace is refused" {
	update_config '.linux.namespaces |= map(select(.type != "network"))
		| .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	local host
	host=$(cat /proc/sys/net/ipv4/ip_forward)
	set_args true
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *net.ipv4.ip_forward* ]]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

@test "sysctl: a kernel key without an ipc namespace is refused" {
	update_config '.linux.namespaces |= map(select(.type != "ipc"))
		| .linux.sysctl = {"kernel.shmmax": "1048576"}'
	local host
	host=$(cat /proc/sys/kernel/shmmax)
	set_args true
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *kernel.shmmax* ]]
	[ "$(cat /proc/sys/kernel/shmmax)" = "$host" ]
}

@test "sysctl: a key that no namespace holds is refused" {
	local host
	host=$(cat /proc/sys/kernel/pid_max)
	update_config '.linux.sysctl = {"kernel.pid_max": "40000"}'
	set_args true
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *kernel.pid_max* ]]
	[ "$(cat /proc/sys/kernel/pid_max)" = "$host" ]
}
