#!/usr/bin/env bats
# exec: a process in a running container, through the same stub (init type setns).  Every
# flag of runc's, exit statuses, errors (missing binary, stopped and paused containers),
# and that the process lands in the container's namespaces and cgroup.

load helpers

setup() {
	setup_rt
}

teardown() {
	# a frozen container cannot be deleted until thawed
	[ -z "${TEST_DIR:-}" ] || thaw_ctr "$ID" 2>/dev/null
	teardown_rt
}

# A running container whose init sleeps.
start_ctr() {
	set_args sleep 100000
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" running
}

# A field of /proc/self/status ("CapEff", ...) from $output.
status_field() {
	awk -v f="$1:" '$1 == f { $1 = ""; sub(/^[ \t]+/, ""); print }' <<<"$output"
}

# Is capability bit N set in the hex mask M?
has_cap() {
	(((0x$1 >> $2) & 1))
}

freezer_state() {
	echo "$CGROUP_MNT/freezer$CGROUP_PARENT/$1/freezer.state"
}

# pause_ctr ID: `pause`, or the v1 freezer by hand where the runtime has no pause.
pause_ctr() {
	if "$RT" --root "$ROOT" pause "$1" </dev/null >/dev/null 2>&1 3>&-; then
		wait_status "$1" paused
	else
		echo FROZEN >"$(freezer_state "$1")"
	fi
	retry 50 0.1 grep -qx FROZEN "$(freezer_state "$1")"
}

thaw_ctr() {
	[ -f "$(freezer_state "$1")" ] || return 0
	grep -q THAWED "$(freezer_state "$1")" && return 0
	"$RT" --root "$ROOT" resume "$1" </dev/null >/dev/null 2>&1 3>&- ||
		echo THAWED >"$(freezer_state "$1")"
}

@test "exec: the exit status is the process's" {
	start_ctr
	runrt exec "$ID" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	runrt exec "$ID" true
	[ "$status" -eq 0 ]
	# apart: runc copies each stream through a pipe of its own, so their order may change
	runrt --separate-stderr exec "$ID" sh -c 'echo out; echo err >&2; exit 1'
	[ "$status" -eq 1 ]
	[ "$output" = out ]
	[ "$stderr" = err ]
}

@test "exec: killed by signal N gives 128+N" {
	start_ctr
	runrt exec "$ID" sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
	runrt exec "$ID" sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
}

@test "exec: a missing binary gives runc's error and status 255" {
	start_ctr
	runrt exec "$ID" no-such-binary
	[ "$status" -eq 255 ]
	[[ "$output" == *'executable file not found in $PATH'* ]]
	[[ "$output" == *no-such-binary* ]]
	runrt exec "$ID" /no/such/binary
	[ "$status" -eq 255 ]
	[[ "${output,,}" == *'stat /no/such/binary: no such file or directory'* ]]
	# not executable
	runrt exec "$ID" /etc/passwd
	[ "$status" -eq 255 ]
	[[ "${output,,}" == *'permission denied'* ]]
	# the container is unharmed
	[ "$(ctr_state "$ID")" = running ]
}

@test "exec: the process is in the container's namespaces, pid namespace included" {
	start_ctr
	local pid ns
	pid=$(ctr_pid "$ID")
	runrt exec "$ID" sh -c 'for n in pid mnt net ipc uts user cgroup; do echo "$n $(readlink /proc/self/ns/$n)"; done; echo "pid1 $(cat /proc/1/comm)"; echo "me $$"'
	[ "$status" -eq 0 ]
	for ns in pid mnt net ipc uts user cgroup; do
		[ "$(awk -v n="$ns" '$1 == n { print $2 }' <<<"$output")" = "$(readlink "/proc/$pid/ns/$ns")" ]
	done
	# the container's init is pid 1 of the namespace, and the process a small pid in it
	[[ "$output" == *"pid1 sleep"* ]]
	[ "$(awk '$1 == "me" { print $2 }' <<<"$output")" -lt 100 ]
}

@test "exec: the process is in the container's cgroup (every controller)" {
	start_ctr
	rt_logged exec exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
	[ "$status" -eq 0 ]
	local pid init
	pid=$(cat "$TEST_DIR/exec.pid")
	init=$(ctr_pid "$ID")
	[ "$pid" != "$init" ]
	diff "/proc/$init/cgroup" "/proc/$pid/cgroup"
	grep -q ":$CGROUP_PARENT/$ID\$" "/proc/$pid/cgroup"
}

@test "exec -d --pid-file: returns at once, the pid file holds the host pid" {
	start_ctr
	rt_logged exec exec --detach --pid-file "$TEST_DIR/exec.pid" "$ID" sh -c 'echo started; exec sleep 100'
	[ "$status" -eq 0 ]
	local pid
	pid=$(cat "$TEST_DIR/exec.pid")
	[[ "$pid" =~ ^[0-9]+$ ]]
	retry 50 0.1 grep -q sleep "/proc/$pid/comm"
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink "/proc/$(ctr_pid "$ID")/ns/pid")" ]
	wait_log exec started
	kill -KILL "$pid"
}

@test "exec --cwd and -e/--env" {
	start_ctr
	runrt exec --cwd /dev/shm -e FOO=bar -e 'SPACE=a b' -e TERM=vt100 -e FOO=baz "$ID" \
		sh -c 'pwd; env | sort'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = /dev/shm ]
	# -e overrides the config's variable, and a repeated one takes the last value
	[[ "$output" == *$'\nFOO=baz\n'* ]]
	[[ "$output" == *$'\nSPACE=a b\n'* ]]
	[[ "$output" == *$'\nTERM=vt100'* ]]
	[ "$(grep -c '^TERM=' <<<"$output")" -eq 1 ]
	[ "$(grep -c '^FOO=' <<<"$output")" -eq 1 ]
	[[ "$output" == *$'\nPATH=/usr/local/sbin:'* ]]
}

@test "exec --cwd: a missing directory is an error" {
	start_ctr
	runrt exec --cwd /no/such/dir "$ID" true
	[ "$status" -eq 255 ]
	[[ "${output,,}" == *"no such file or directory"* ]]
}

@test "exec -u UID:GID, -u UID and --additional-gids" {
	start_ctr
	runrt exec -u 1000:1000 "$ID" sh -c 'id -u; id -g; echo $HOME'
	[ "$status" -eq 0 ]
	[ "$output" = $'1000\n1000\n/home/user' ]
	# a uid alone keeps the config's gid
	runrt exec --user 65534 "$ID" sh -c 'id -u; id -g'
	[ "$status" -eq 0 ]
	[ "$output" = $'65534\n0' ]
	runrt exec -u 1000:1000 --additional-gids 10 --additional-gids 20 "$ID" grep Groups: /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(awk '{ $1 = ""; print }' <<<"$output" | xargs)" = "10 20" ]
}

@test "exec -u: a name is refused" {
	start_ctr
	runrt exec -u user "$ID" true
	[ "$status" -ne 0 ]
	[ "$status" -ne 127 ]
}

@test "exec --cap adds to the bounding, effective and permitted sets" {
	start_ctr
	runrt exec "$ID" cat /proc/self/status
	[ "$status" -eq 0 ]
	! has_cap "$(status_field CapEff)" 21 # CAP_SYS_ADMIN
	has_cap "$(status_field CapEff)" 5     # CAP_KILL, from the config
	runrt exec --cap CAP_SYS_ADMIN --cap CAP_NET_ADMIN "$ID" cat /proc/self/status
	[ "$status" -eq 0 ]
	for set in CapBnd CapEff CapPrm; do
		has_cap "$(status_field $set)" 21
		has_cap "$(status_field $set)" 12 # CAP_NET_ADMIN
		has_cap "$(status_field $set)" 5
	done
	# never inheritable that the config does not ask for
	[ "$(status_field CapInh)" = 0000000000000000 ]
}

@test "exec --no-new-privs" {
	update_config '.process.noNewPrivileges = false'
	start_ctr
	runrt exec "$ID" grep NoNewPrivs: /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(awk '{ print $2 }' <<<"$output")" = 0 ]
	runrt exec --no-new-privs "$ID" grep NoNewPrivs: /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(awk '{ print $2 }' <<<"$output")" = 1 ]
}

@test "exec --apparmor and --process-label: a clear error without the LSM" {
	[ ! -e /sys/kernel/security/apparmor ] || skip "AppArmor is enabled on this host"
	[ ! -e /sys/fs/selinux ] || skip "SELinux is enabled on this host"
	start_ctr
	runrt exec --apparmor rt-test-profile "$ID" true
	[ "$status" -eq 255 ]
	if is_rt; then
		[[ "$output" == *"apparmor profile requested but AppArmor is not enabled on this host"* ]]
	fi
	runrt exec --process-label system_u:system_r:container_t:s0 "$ID" true
	[ "$status" -eq 255 ]
	[[ "${output,,}" == *"selinux"* ]]
	[ "$(ctr_state "$ID")" = running ]
}

@test "exec --preserve-fds N passes fds 3..3+N-1, and no other host fd" {
	start_ctr
	echo three >"$TEST_DIR/f3"
	echo four >"$TEST_DIR/f4"
	echo five >"$TEST_DIR/f5"
	run __rt exec --preserve-fds 2 "$ID" sh -c 'cat <&3; cat <&4; ls /proc/self/fd | xargs' \
		3<"$TEST_DIR/f3" 4<"$TEST_DIR/f4" 5<"$TEST_DIR/f5"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = three ]
	[ "${lines[1]}" = four ]
	# ls lists its own directory fd (5) too; the host's fd 5 is not there
	[ "${lines[2]}" = "0 1 2 3 4 5" ]
	run __rt exec "$ID" sh -c 'cat <&3' 3<"$TEST_DIR/f3"
	[ "$status" -ne 0 ]
	[[ "$output" != *three* ]]
}

@test "exec --preserve-fds: a missing fd is an error" {
	requires_rt "runc checks /proc/self/fd/N after opening fds of its own"
	start_ctr
	run __rt exec --preserve-fds 3 "$ID" true 3</dev/null 4</dev/null 5<&-
	[ "$status" -eq 255 ]
	[[ "$output" == *"unable to stat preserved-fd 2 (of 3)"* ]]
}

@test "exec: no host fd reaches the process" {
	start_ctr
	# rt is started with fds 3 (bats'), 5, 7 and 9 open, none passed
	run __rt exec "$ID" ls -l /proc/self/fd 5</etc/hostname 7<"$TEST_DIR" 9>"$TEST_DIR/w"
	[ "$status" -eq 0 ]
	# ls's own directory fd is 3 (it cannot read that link any more): nothing else
	[ "$(grep -cE '^l[-rwx]{9}' <<<"$output")" -eq 4 ]
	[[ "$output" != *hostname* ]]
	[[ "$output" != *"$TEST_DIR"* ]]
	# from the host: a detached process holds exactly 0, 1 and 2
	rt_logged exec exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100 5</etc/hostname 7<"$TEST_DIR"
	[ "$status" -eq 0 ]
	[ "$(ls "/proc/$(cat "$TEST_DIR/exec.pid")/fd" | sort -n | xargs)" = "0 1 2" ]
}

@test "exec --process FILE --detach --pid-file (as conmon calls it)" {
	start_ctr
	cat >"$TEST_DIR/process.json" <<-'EOF'
		{"terminal": false, "user": {"uid": 1000, "gid": 1000, "additionalGids": [20]},
		 "args": ["sh", "-c", "echo \"$(id -u) $(id -g) $(pwd) $GREETING\"; grep Groups: /proc/self/status"],
		 "env": ["PATH=/bin", "GREETING=hello"], "cwd": "/tmp"}
	EOF
	rt_logged exec exec --process "$TEST_DIR/process.json" --detach --pid-file "$TEST_DIR/exec.pid" "$ID"
	[ "$status" -eq 0 ]
	[ -s "$TEST_DIR/exec.pid" ]
	wait_log exec Groups
	[ "$(head -1 "$TEST_DIR/exec.log")" = "1000 1000 /tmp hello" ]
	[ "$(awk '/Groups:/ { print $2 }' "$TEST_DIR/exec.log")" = 20 ]
}

@test "exec --process: the file is checked, and args need not be given" {
	start_ctr
	echo '{"args": "true", "cwd": "/"}' >"$TEST_DIR/bad.json"
	runrt exec --process "$TEST_DIR/bad.json" "$ID"
	[ "$status" -ne 0 ]
	echo '{"args": ["true"], "cwd": "/"' >"$TEST_DIR/bad.json"
	runrt exec --process "$TEST_DIR/bad.json" "$ID"
	[ "$status" -ne 0 ]
	runrt exec --process "$TEST_DIR/missing.json" "$ID"
	[ "$status" -ne 0 ]
	echo '{"args": ["sh", "-c", "exit 3"], "env": ["PATH=/bin"], "cwd": "/"}' >"$TEST_DIR/p.json"
	runrt exec -p "$TEST_DIR/p.json" "$ID"
	[ "$status" -eq 3 ]
}

@test "exec: the process gets the container's seccomp filter" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}'
	start_ctr
	runrt exec "$ID" sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /dev/shm/d 2>&1; ls -d /dev/shm/d 2>/dev/null; true'
	[ "$status" -eq 0 ]
	[ "$(awk '{ print $2 }' <<<"${lines[0]}")" = 2 ]
	[[ "${lines[1]}" == *"Operation not permitted"* ]]
	[ "${#lines[@]}" -eq 2 ]
}

@test "exec into a stopped container fails at once" {
	set_args true
	run_detached "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	run timeout 5 "$RT" --root "$ROOT" exec "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"cannot exec in a stopped container"* ]]
}

@test "exec into a missing container fails" {
	runrt exec no-such-container true
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "exec into a paused container fails clearly; --ignore-paused runs once resumed" {
	start_ctr
	pause_ctr "$ID"
	run timeout 5 "$RT" --root "$ROOT" exec "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"cannot exec in a paused container"* ]]
	# --ignore-paused: the process joins the frozen cgroup and runs after resume
	"$RT" --root "$ROOT" exec --ignore-paused -d "$ID" sh -c 'echo ran >/dev/shm/ran' \
		</dev/null >"$TEST_DIR/ip.log" 2>&1 3>&- &
	local job=$!
	# its stub froze on joining the cgroup: in it (beside the init) and held by the kernel
	local cg
	cg=$(dirname "$(freezer_state "$ID")")
	retry 50 0.1 eval '[ "$(wc -l <"$cg/cgroup.procs")" -ge 2 ]'
	retry 50 0.1 tasks_frozen "$cg"
	kill -0 "$job"
	grep -qx FROZEN "$(freezer_state "$ID")"
	thaw_ctr "$ID"
	wait "$job"
	runrt exec "$ID" sh -c 'cat /dev/shm/ran'
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
}

@test "exec into a container frozen behind the runtime's back fails instead of hanging" {
	start_ctr
	[ -f "$(freezer_state "$ID")" ] || skip "no v1 freezer cgroup on this host"
	echo FROZEN >"$(freezer_state "$ID")"
	retry 50 0.1 grep -qx FROZEN "$(freezer_state "$ID")"
	run timeout 5 "$RT" --root "$ROOT" exec "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"cannot exec in a paused container"* ]]
	echo THAWED >"$(freezer_state "$ID")"
	runrt exec "$ID" true
	[ "$status" -eq 0 ]
}

@test "exec in a created container" {
	set_args sleep 100000
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	runrt exec "$ID" sh -c 'cat /proc/1/comm'
	[ "$status" -eq 0 ]
	# the init still waits on exec.fifo
	[ "$output" != sleep ]
	[ "$(ctr_state "$ID")" = created ]
}

@test "exec into a container with a user namespace joins it" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	chown -R 100000:100000 "$BUNDLE/rootfs"
	start_ctr
	runrt exec -u 1000:1000 "$ID" sh -c 'id -u; cat /proc/self/uid_map | xargs'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = "0 100000 65536" ]
	# on the host the process runs as 101000
	rt_logged exec exec -d -u 1000:1000 --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
	[ "$status" -eq 0 ]
	[ "$(stat -c %u "/proc/$(cat "$TEST_DIR/exec.pid")")" = 101000 ]
}

@test "exec needs a command" {
	start_ctr
	runrt exec "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *exec* ]]
}
