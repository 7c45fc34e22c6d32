#!/usr/bin/env bats
# linux.seccomp: a docker-default-like allowlist under which the container runs normally
# while blocked syscalls fail, errnoRet and defaultErrnoRet, every argument operator,
# unknown names, unknown actions, exec, noNewPrivileges false, and SCMP_ACT_NOTIFY with an
# agent (test/tools/seccomp-agent.c).  test/tools/syscall.c (rt-syscall, static) is copied
# into the rootfs to make single syscalls and print "ret=N" or "errno=N NAME".

load helpers

PROFILE=$INTEGRATION_ROOT/testdata/seccomp-default.json

setup() {
	setup_rt
	local sc
	sc=$(tool rt-syscall) || skip "rt-syscall not built (cmake --build build)"
	cp "$sc" "$BUNDLE/rootfs/bin/rt-syscall"
	update_config '.root.readonly = false'
}

teardown() {
	# an agent still waiting (the test failed before its containers went away)
	if [ -n "${AGENT_PID:-}" ]; then
		kill "$AGENT_PID" 2>/dev/null
		wait "$AGENT_PID" 2>/dev/null
	fi
	teardown_rt
}

# set_seccomp JSON: linux.seccomp of the bundle.
set_seccomp() {
	update_config ".linux.seccomp = $1"
}

default_profile() {
	set_seccomp "$(jq -c . "$PROFILE")"
}

# CAP_SYS_ADMIN on top of the bundle's capabilities: without a filter, unshare and mount
# then work, so a failure under the filter is the filter's doing.
add_sys_admin() {
	update_config '.process.capabilities |= with_entries(if .key != "ambient" then .value += ["CAP_SYS_ADMIN"] else . end)'
}

# refused CMD PATTERN: `CMD` (create or run) of the bundle fails in one line containing
# PATTERN and leaves nothing behind.
refused() {
	snapshot_pids
	runrt --separate-stderr "$1" --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == *"$2"* ]]
	nothing_left "$ID"
}

@test "seccomp: under a docker-default-like profile the container runs normally" {
	default_profile
	run_sh 'echo hello | tr a-z A-Z; ls / | grep -c . >/dev/null; mkdir -p /tmp/d/e && echo x >/tmp/d/e/f && cat /tmp/d/e/f;
		(sleep 0.1; echo sub) & wait; date >/dev/null; id -u; grep "^Seccomp:" /proc/self/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = HELLO ]
	[ "${lines[1]}" = x ]
	[ "${lines[2]}" = sub ]
	[ "${lines[3]}" = 0 ]
	[[ "${lines[4]}" =~ ^Seccomp:[[:space:]]+2$ ]]
}

@test "seccomp: unshare, mount and keyctl fail with EPERM under the profile, not without it" {
	add_sys_admin
	local script='unshare -m true && echo unshare-ok; mount -t tmpfs none /mnt && echo mount-ok;
		rt-syscall unshare 0x20000; rt-syscall mount s:none s:/mnt s:tmpfs 0 0; rt-syscall keyctl 0 -3 0'
	# the control: with CAP_SYS_ADMIN and no filter every one of them works
	run_sh "$script"
	[ "$status" -eq 0 ]
	[[ "$output" == *unshare-ok* ]]
	[[ "$output" == *mount-ok* ]]
	[ "$(echo "$output" | grep -c '^ret=')" -eq 3 ]

	default_profile
	run_sh "$script"
	[ "$status" -eq 1 ]
	[[ "$output" != *-ok* ]]
	[[ "$output" == *"unshare"*"Operation not permitted"* ]]
	[[ "$output" == *"mount: permission denied"* ]]
	[ "$(echo "$output" | grep -c '^errno=1 EPERM$')" -eq 3 ]
}

@test "seccomp: the profile's argument rules (personality EQ, clone MASKED_EQ, socket NE), clone3 ENOSYS" {
	default_profile
	run_sh 'rt-syscall personality 0xffffffff; rt-syscall personality 0x40000;
		rt-syscall socket 1 1 0; rt-syscall socket 40 1 0;
		rt-syscall clone 0x04000011; rt-syscall clone3 0 0; echo forked | cat'
	[ "${lines[0]}" = ret=0 ]             # personality query: allowed value
	[ "${lines[1]}" = "errno=1 EPERM" ]   # ADDR_NO_RANDOMIZE: not an allowed value
	[ "${lines[2]}" = ret=3 ]             # AF_UNIX
	[ "${lines[3]}" = "errno=1 EPERM" ]   # AF_VSOCK
	[ "${lines[4]}" = "errno=1 EPERM" ]   # clone(CLONE_NEWUTS): a namespace flag in the mask
	[ "${lines[5]}" = "errno=38 ENOSYS" ] # clone3: errnoRet 38, so libc falls back to clone
	[ "${lines[6]}" = forked ]            # fork (clone without namespace flags) works
}

@test "seccomp: errnoRet of a rule" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 28},
		{"names": ["rmdir"], "action": "SCMP_ACT_ERRNO"}]}'
	run_sh 'exec 2>&1; mkdir /tmp/d; rt-syscall mkdir s:/tmp/d 0755; rt-syscall rmdir s:/tmp; ls -d /tmp/d'
	[[ "${lines[0]}" == *"No space left on device"* ]]
	[ "${lines[1]}" = "errno=28 ENOSPC" ]
	[ "${lines[2]}" = "errno=1 EPERM" ] # SCMP_ACT_ERRNO without errnoRet: EPERM
	[[ "${lines[3]}" == *"No such file or directory"* ]]
}

@test "seccomp: defaultErrnoRet" {
	update_config ".linux.seccomp = $(jq -c '.defaultErrnoRet = 13' "$PROFILE")"
	run_sh 'rt-syscall syslog 10 0 0; rt-syscall keyctl 0 -3 0; echo ok'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "errno=13 EACCES" ] # in no rule: the default, with defaultErrnoRet
	[ "${lines[1]}" = "errno=1 EPERM" ]   # in the explicit block list, errnoRet 1
	[ "${lines[2]}" = ok ]
}

@test "seccomp: every argument operator; args ANDed, conditions on one index ORed" {
	# sched_yield and gettid ignore their arguments, and neither sh nor busybox calls them.
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["sched_yield"], "action": "SCMP_ACT_ERRNO", "errnoRet": 10,
		 "args": [{"index": 0, "value": 42, "op": "SCMP_CMP_EQ"}]},
		{"names": ["sched_yield"], "action": "SCMP_ACT_ERRNO", "errnoRet": 11,
		 "args": [{"index": 1, "value": 0, "op": "SCMP_CMP_NE"}]},
		{"names": ["sched_yield"], "action": "SCMP_ACT_ERRNO", "errnoRet": 12,
		 "args": [{"index": 2, "value": 100, "op": "SCMP_CMP_GT"}]},
		{"names": ["sched_yield"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		 "args": [{"index": 3, "value": 100, "op": "SCMP_CMP_GE"}]},
		{"names": ["sched_yield"], "action": "SCMP_ACT_ERRNO", "errnoRet": 14,
		 "args": [{"index": 4, "value": 100, "op": "SCMP_CMP_LT"}]},
		{"names": ["sched_yield"], "action": "SCMP_ACT_ERRNO", "errnoRet": 15,
		 "args": [{"index": 5, "value": 100, "op": "SCMP_CMP_LE"}]},
		{"names": ["sched_yield"], "action": "SCMP_ACT_ERRNO", "errnoRet": 16,
		 "args": [{"index": 0, "value": 240, "valueTwo": 48, "op": "SCMP_CMP_MASKED_EQ"}]},
		{"names": ["gettid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 20,
		 "args": [{"index": 0, "value": 7, "op": "SCMP_CMP_EQ"},
			  {"index": 1, "value": 8, "op": "SCMP_CMP_EQ"}]},
		{"names": ["gettid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 21,
		 "args": [{"index": 2, "value": 1, "op": "SCMP_CMP_EQ"},
			  {"index": 2, "value": 2, "op": "SCMP_CMP_EQ"}]}]}'
	# each line: ARGS and the errno expected (0: the call goes through)
	local cases='0 0 0 0 500 500:0
42 0 0 0 500 500:10
41 0 0 0 500 500:0
0 5 0 0 500 500:11
0 0 101 0 500 500:12
0 0 100 0 500 500:0
0 0 0 100 500 500:13
0 0 0 99 500 500:0
0 0 0 0 99 500:14
0 0 0 0 100 500:0
0 0 0 0 500 100:15
0 0 0 0 500 101:0
0x35 0 0 0 500 500:16
0x45 0 0 0 500 500:0'
	local script='' c
	while IFS= read -r c; do
		script+="rt-syscall sched_yield ${c%%:*};"
	done <<<"$cases"
	script+='rt-syscall gettid 7 8 0; rt-syscall gettid 7 0 0; rt-syscall gettid 0 8 0;'
	script+='rt-syscall gettid 0 0 1; rt-syscall gettid 0 0 2; rt-syscall gettid 0 0 3'
	run_sh "$script"
	local i=0 want
	while IFS= read -r c; do
		want=${c##*:}
		if [ "$want" = 0 ]; then
			[ "${lines[$i]}" = ret=0 ] || { echo "sched_yield ${c%%:*}: ${lines[$i]}" >&2; false; }
		else
			[[ "${lines[$i]}" == "errno=$want "* ]] || { echo "sched_yield ${c%%:*}: ${lines[$i]}" >&2; false; }
		fi
		i=$((i + 1))
	done <<<"$cases"
	[[ "${lines[$i]}" == "errno=20 "* ]]     # 7 AND 8
	[[ "${lines[$((i + 1))]}" == ret=* ]]    # 7 alone
	[[ "${lines[$((i + 2))]}" == ret=* ]]    # 8 alone
	[[ "${lines[$((i + 3))]}" == "errno=21 "* ]] # index 2 == 1
	[[ "${lines[$((i + 4))]}" == "errno=21 "* ]] # or index 2 == 2
	[[ "${lines[$((i + 5))]}" == ret=* ]]    # neither
}

@test "seccomp: an unknown syscall name is ignored, the known ones of its entry apply" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["rt_no_such_syscall", "keyctl"], "action": "SCMP_ACT_ERRNO"}]}'
	run_sh 'rt-syscall keyctl 0 -3 0; echo ran'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "errno=1 EPERM" ]
	[ "${lines[1]}" = ran ]
}

@test "seccomp: the unknown name is said in rt's debug log (rt)" {
	requires_rt
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["rt_no_such_syscall"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args true
	run "$RT" --root "$ROOT" --debug run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *'level=debug msg="seccomp: unknown syscall \"rt_no_such_syscall\" ignored"'* ]]
}

@test "seccomp: an unknown action is refused at create with a clear error" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["keyctl"], "action": "SCMP_ACT_BOGUS"}]}'
	refused create "SCMP_ACT_BOGUS"

	set_seccomp '{"defaultAction": "SCMP_ACT_BOGUS"}'
	refused run "SCMP_ACT_BOGUS"
}

@test "seccomp: errnoRet with an action that takes none is refused (rt)" {
	requires_rt "runc 1.1 ignores it"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["keyctl"], "action": "SCMP_ACT_KILL", "errnoRet": 1}]}'
	refused create "syscalls[0].errnoRet"
}

@test "seccomp: a rule the kernel cannot take is refused at create (rt)" {
	requires_rt
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO",
		 "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}'
	refused create "args[0]: index 6"
}

@test "seccomp: flags LOG and SPEC_ALLOW are passed to the kernel with the filter" {
	skip_on runc "seccomp flags are not yet supported by runc 1.1"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
		"syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO"}]}'
	run_sh 'grep "^Seccomp:" /proc/self/status; rt-syscall keyctl 0 -3 0; echo done'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Seccomp:	2" ]
	[ "${lines[1]}" = "errno=1 EPERM" ]
	[ "${lines[2]}" = done ]
}

@test "seccomp: an unknown flag is refused at create (rt)" {
	requires_rt "runc 1.1 refuses every flag"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_BOGUS"]}'
	refused create 'unknown seccomp flag "SECCOMP_FILTER_FLAG_BOGUS"'
}

@test "seccomp: exec gets the container's filter" {
	default_profile
	add_sys_admin
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	runrt exec "$ID" sh -c 'exec 2>&1; grep "^Seccomp:" /proc/self/status; rt-syscall keyctl 0 -3 0; unshare -m true'
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" =~ ^Seccomp:[[:space:]]+2$ ]]
	[ "${lines[1]}" = "errno=1 EPERM" ]
	[[ "$output" == *"Operation not permitted"* ]]
	# noNewPrivileges from exec's own process, still under the container's filter
	runrt exec --no-new-privs "$ID" rt-syscall keyctl 0 -3 0
	[ "$output" = "errno=1 EPERM" ]
}

@test "seccomp: noNewPrivileges false: loaded while privileged, then the user changes under it" {
	default_profile
	update_config '.process.noNewPrivileges = false | .process.user = {"uid": 1000, "gid": 1000, "additionalGids": [1000]}'
	run_sh 'id; grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; rt-syscall keyctl 0 -3 0'
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "uid=1000(user) gid=1000(user)"* ]]
	[[ "${lines[1]}" =~ ^NoNewPrivs:[[:space:]]+0$ ]]
	[[ "${lines[2]}" =~ ^Seccomp:[[:space:]]+2$ ]]
	[ "${lines[3]}" = "errno=1 EPERM" ]

	# and the same through exec (the setns init)
	local id2
	id2=$(new_id)
	set_cgroup_path "$CGROUP_PARENT/$id2"
	set_args sleep 100
	run_detached "$id2"
	[ "$status" -eq 0 ]
	runrt exec --user 1000:1000 "$id2" sh -c 'id -u; grep "^Seccomp:" /proc/self/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[[ "${lines[1]}" =~ ^Seccomp:[[:space:]]+2$ ]]
}

# ---- SCMP_ACT_NOTIFY ----

# start_agent ARG...: the agent on $TEST_DIR/agent.sock, logging to $TEST_DIR/agent.log.
start_agent() {
	local agent
	agent=$(tool rt-seccomp-agent) || skip "rt-seccomp-agent not built"
	AGENT_SOCK=$TEST_DIR/agent.sock
	AGENT_LOG=$TEST_DIR/agent.log
	"$agent" --timeout 20 "$@" "$AGENT_SOCK" "$AGENT_LOG" 3>&- &
	AGENT_PID=$!
	retry 50 0.1 test -S "$AGENT_SOCK"
}

# wait_agent: the agent's exit status (0: every listener it got has hung up).
wait_agent() {
	local rc=0
	wait "$AGENT_PID" || rc=$?
	AGENT_PID=
	echo "agent log:" >&2
	cat "$AGENT_LOG" >&2
	return "$rc"
}

notify_profile() {
	set_seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$1\",
		\"listenerMetadata\": \"rt-test-metadata\", \"syscalls\": [
		{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
}

# The Nth (1-based) container process state the agent received.
agent_state() {
	sed -n 's/^state \(.*\) fds=[0-9]*$/\1/p' "$AGENT_LOG" | sed -n "${1}p"
}

@test "seccomp notify: the agent gets the fd and the container process state, and answers" {
	start_agent --errno 28
	notify_profile "$AGENT_SOCK"
	run_sh 'exec 2>&1; mkdir /tmp/d; ls -d /tmp/d; echo done'
	[[ "${lines[0]}" == *"No space left on device"* ]] # the agent's answer
	[[ "${lines[1]}" == *"No such file or directory"* ]]
	[ "${lines[2]}" = done ]
	wait_agent
	grep -qx 'notify mkdir' "$AGENT_LOG"
	grep -q ' fds=1$' "$AGENT_LOG"
	local s
	s=$(agent_state 1)
	[ "$(echo "$s" | jq -c .fds)" = '["seccompFd"]' ]
	[ "$(echo "$s" | jq -r .metadata)" = rt-test-metadata ]
	[ -n "$(echo "$s" | jq -r .ociVersion)" ]
	[ "$(echo "$s" | jq -r .state.id)" = "$ID" ]
	[ "$(echo "$s" | jq -r .state.bundle)" = "$BUNDLE" ]
	[ "$(echo "$s" | jq -r .pid)" -gt 1 ]
	[ "$(echo "$s" | jq -r .pid)" = "$(echo "$s" | jq -r .state.pid)" ]
}

@test "seccomp notify: an agent's success answer, and exec gets a listener of its own" {
	start_agent --errno 0 --conns 2
	notify_profile "$AGENT_SOCK"
	update_config '.process.noNewPrivileges = false'
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	# the agent says "done" without doing it: mkdir succeeds, no directory appears
	runrt exec "$ID" sh -c 'exec 2>&1; mkdir /tmp/e && echo mkdir-ok; ls -d /tmp/e'
	[ "${lines[0]}" = mkdir-ok ]
	[[ "${lines[1]}" == *"No such file or directory"* ]]
	runrt kill "$ID" KILL
	wait_status "$ID" stopped
	wait_agent
	[ "$(grep -c '^state ' "$AGENT_LOG")" -eq 2 ]
	local s
	s=$(agent_state 2)
	[ "$(echo "$s" | jq -r .state.id)" = "$ID" ]
	[ "$(echo "$s" | jq -r .state.status)" = running ]
	[ "$(echo "$s" | jq -r .state.pid)" = "$pid" ]
	[ "$(echo "$s" | jq -r .pid)" != "$pid" ] # the exec'd process
	[ "$(agent_state 1 | jq -r .pid)" = "$pid" ]
}

@test "seccomp notify: no agent at listenerPath fails create and leaves nothing behind" {
	notify_profile "$TEST_DIR/nobody.sock"
	snapshot_pids
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *nobody.sock* ]]
	nothing_left "$ID"
}

@test "seccomp notify: SCMP_ACT_NOTIFY without listenerPath, or as the default, is refused (rt)" {
	requires_rt
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
	refused run "SCMP_ACT_NOTIFY needs listenerPath"

	set_seccomp '{"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/nonexistent"}'
	refused run "cannot be the default"
}
