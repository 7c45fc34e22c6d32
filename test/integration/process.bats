#!/usr/bin/env bats
# process: args (PATH lookup), env, cwd, user (uid, gid, additionalGids, umask), rlimits,
# capabilities, noNewPrivileges, oomScoreAdj.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

# A field of /proc/self/status ("CapBnd", ...) from $output ("CapBnd:\t0000...").
status_field() {
	awk -v f="$1:" '$1 == f { print $2 }' <<<"$output"
}

@test "args: found through the container's PATH, arguments kept as given" {
	set_args printf '[%s]\n' 'a b' '' 'c'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = $'[a b]\n[]\n[c]' ]
}

@test "args: PATH lookup uses the container's env, not the host's" {
	mkdir -p "$BUNDLE/rootfs/opt/tools"
	printf '#!/bin/sh\necho from opt tools\n' >"$BUNDLE/rootfs/opt/tools/rt-tool"
	chmod 755 "$BUNDLE/rootfs/opt/tools/rt-tool"
	update_config '.process.env = ["PATH=/opt/tools:/bin"]'
	set_args rt-tool
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "from opt tools" ]
}

@test "args: an absolute path" {
	set_args /bin/busybox echo absolute
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = absolute ]
}

@test "env: exactly process.env, plus HOME from /etc/passwd" {
	update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY="]'
	set_args env
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output" | tr '\n' ' ')" = "EMPTY= FOO=bar baz HOME=/root PATH=/bin " ]
}

@test "env: HOME given in env is kept" {
	update_config '.process.env = ["PATH=/bin", "HOME=/tmp"]'
	run_sh 'echo $HOME'
	[ "$status" -eq 0 ]
	[ "$output" = /tmp ]
}

@test "cwd: the process starts there" {
	update_config '.process.cwd = "/home/user"'
	run_sh 'pwd'
	[ "$status" -eq 0 ]
	[ "$output" = /home/user ]
}

@test "cwd: a missing directory is created inside the rootfs" {
	update_config '.process.cwd = "/made/by/runtime"'
	run_sh 'pwd'
	[ "$status" -eq 0 ]
	[ "$output" = /made/by/runtime ]
	[ -d "$BUNDLE/rootfs/made/by/runtime" ]
}

@test "user: uid, gid and additionalGids" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20, 65534]}'
	run_sh 'id -u; id -g; grep -E "^(Uid|Gid|Groups):" /proc/self/status; echo $HOME'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	# real, effective, saved and fs ids
	[ "$(echo ${lines[2]})" = "Uid: 1000 1000 1000 1000" ]
	[ "$(echo ${lines[3]})" = "Gid: 1000 1000 1000 1000" ]
	[ "$(echo ${lines[4]})" = "Groups: 10 20 65534" ]
	[ "${lines[5]}" = /home/user ]
}

@test "user: root has no supplementary groups unless asked" {
	run_sh 'grep ^Groups: /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "Groups:" ]
}

@test "user: a uid with no passwd entry" {
	update_config '.process.user = {"uid": 4242, "gid": 4343}'
	run_sh 'id -u; id -g; echo $HOME'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 4242 ]
	[ "${lines[1]}" = 4343 ]
	[ "${lines[2]}" = / ]
}

@test "user: umask" {
	update_config '.process.user.umask = 63'
	run_sh 'umask; touch /dev/shm/f; stat -c %a /dev/shm/f'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0077 ]
	[ "${lines[1]}" = 600 ]
}

@test "user: the default umask is 0022" {
	run_sh 'umask'
	[ "$status" -eq 0 ]
	[ "$output" = 0022 ]
}

@test "rlimits: nofile and memlock, soft and hard" {
	update_config '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 1000, "hard": 2000},
		{"type": "RLIMIT_MEMLOCK", "soft": 4194304, "hard": 8388608},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]'
	run_sh 'ulimit -Sn; ulimit -Hn; ulimit -Sl; ulimit -Hl; ulimit -Sc; ulimit -Hc'
	[ "$status" -eq 0 ]
	[ "$output" = $'1000\n2000\n4096\n8192\n0\n0' ]
}

@test "rlimits: an rlimit not in the config is inherited from the runtime" {
	update_config '.process.rlimits = []'
	run_sh 'ulimit -Hn'
	[ "$status" -eq 0 ]
	[ "$output" = "$(ulimit -Hn)" ]
}

@test "rlimits: above the hard limit the runtime may not raise is refused" {
	# CAP_SYS_RESOURCE is not ours: the hard nofile limit cannot be raised
	local hard
	hard=$(ulimit -Hn)
	update_config ".process.rlimits = [{\"type\": \"RLIMIT_NOFILE\", \"soft\": $((hard + 1)), \"hard\": $((hard + 1))}]"
	# CAP_SYS_RESOURCE is capability 24
	if (((0x$(awk '/^CapEff:/ {print $2}' /proc/self/status) >> 24) & 1)); then
		skip "this machine grants CAP_SYS_RESOURCE: the hard limit can be raised"
	fi
	set_args true
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

# CAP_CHOWN = 0, CAP_KILL = 5, CAP_SETUID = 7, CAP_NET_BIND_SERVICE = 10
CAPS_CONFIG='.process.capabilities = {
	"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETUID"],
	"permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
	"effective": ["CAP_CHOWN", "CAP_KILL"],
	"inheritable": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
	"ambient": ["CAP_KILL"]}'

@test "capabilities: all five sets, as a non-root user" {
	update_config "$CAPS_CONFIG | .process.user = {\"uid\": 1000, \"gid\": 1000}"
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 00000000000004a1 ]
	[ "$(status_field CapInh)" = 0000000000000420 ]
	[ "$(status_field CapAmb)" = 0000000000000020 ]
	# execve() as non-root keeps exactly the ambient set in permitted and effective
	[ "$(status_field CapPrm)" = 0000000000000020 ]
	[ "$(status_field CapEff)" = 0000000000000020 ]
}

@test "capabilities: all five sets, as root with noNewPrivileges" {
	update_config "$CAPS_CONFIG | .process.noNewPrivileges = true"
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 00000000000004a1 ]
	[ "$(status_field CapInh)" = 0000000000000420 ]
	[ "$(status_field CapAmb)" = 0000000000000020 ]
	# execve() as root would grant inheritable | bounding; no_new_privs keeps it within
	# the permitted set the spec gave, and root's effective set is its permitted one
	[ "$(status_field CapPrm)" = 0000000000000421 ]
	[ "$(status_field CapEff)" = 0000000000000421 ]
}

@test "capabilities: as root without noNewPrivileges, execve() grants the bounding set" {
	update_config "$CAPS_CONFIG | .process.noNewPrivileges = false"
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 00000000000004a1 ]
	[ "$(status_field CapPrm)" = 00000000000004a1 ]
	[ "$(status_field CapEff)" = 00000000000004a1 ]
}

@test "capabilities: the default config grants no inheritable capabilities" {
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(status_field CapInh)" = 0000000000000000 ]
	# CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10)
	[ "$(status_field CapBnd)" = 0000000020000420 ]
	[ "$(status_field CapPrm)" = 0000000020000420 ]
	# the spec's ambient set needs the same capabilities inheritable: none can be raised
	# (runc ignores the failure and so must rt)
	[ "$(status_field CapAmb)" = 0000000000000000 ]
}

@test "capabilities: what is dropped is really gone (chown as root without CAP_CHOWN)" {
	update_config '.root.readonly = false | .process.capabilities = {"bounding": ["CAP_KILL"],
		"permitted": ["CAP_KILL"], "effective": ["CAP_KILL"]}'
	run_sh 'touch /f; chown 1000 /f 2>/dev/null && echo chowned || echo refused'
	[ "$status" -eq 0 ]
	[ "$output" = refused ]
}

@test "noNewPrivileges true" {
	update_config '.process.noNewPrivileges = true'
	run_sh 'grep ^NoNewPrivs: /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "NoNewPrivs: 1" ]
}

@test "noNewPrivileges false" {
	update_config '.process.noNewPrivileges = false'
	run_sh 'grep ^NoNewPrivs: /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "NoNewPrivs: 0" ]
}

@test "oomScoreAdj" {
	local host
	host=$(cat /proc/self/oom_score_adj)
	update_config '.process.oomScoreAdj = 500'
	run_sh 'cat /proc/self/oom_score_adj'
	[ "$status" -eq 0 ]
	[ "$output" = 500 ]
	[ "$(cat /proc/self/oom_score_adj)" = "$host" ]
}

@test "oomScoreAdj: unset keeps the runtime's" {
	run_sh 'cat /proc/self/oom_score_adj'
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat /proc/self/oom_score_adj)" ]
}
