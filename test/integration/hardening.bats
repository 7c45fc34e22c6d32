#!/usr/bin/env bats
# Hardening (issue 11): ids out of range, refusing before anything is made, no SIGPIPE
# death, bounded input, one-line errors.  Each failure is one line, the right status
# (1, or 255 for exec as runc) and leaves nothing behind.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

RANGE_MSG="uids and gids must be in range 0-2147483647"

# A running container to exec into; its init's pid in CTR_PID.
start_sleeper() {
	set_args sleep 1000
	run_detached "$ID"
	[ "$status" -eq 0 ]
	CTR_PID=$(ctr_pid "$ID")
}

# The last runrt --separate-stderr was an exec that failed before starting anything:
# status 255 (runc's), one line with PATTERN, the container's init alone in it.
exec_refused() {
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"$1"* ]]
	[ -z "$(new_container_pids | grep -vx "$CTR_PID")" ]
	[ "$(ctr_state "$ID")" = running ]
}

# ---- 1. uid and gid range ----

@test "ids: process.user ids above 2147483647 are refused at create and run" {
	local f
	# (-1 as uint32 was "unchanged" for setresuid: the process ran as root)
	for f in '.process.user.uid = 4294967295' '.process.user.gid = 4294967295' \
		'.process.user.uid = 2147483648' '.process.user.additionalGids = [5, 4294967295]'; do
		cp "$BUNDLE/config.json" "$TEST_DIR/config.orig"
		update_config "$f"
		snapshot_pids
		# (logged: a create that wrongly succeeds must not hang the test on its stdio)
		create_ctr "$ID"
		[ "$status" -eq 1 ]
		[ "$(echo "$output" | wc -l)" -eq 1 ]
		[[ "$output" == *"$RANGE_MSG"* ]]
		nothing_left "$ID"
		rm -f "$TEST_DIR/$ID.log"
		set_args id -u
		runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
		one_line_error
		[[ "$stderr" == *"$RANGE_MSG"* ]]
		nothing_left "$ID"
		mv "$TEST_DIR/config.orig" "$BUNDLE/config.json"
	done
}

@test "ids: rt names the container and the JSON path of the bad id" {
	requires_rt "runc reports the id from its init, without the path"
	update_config '.process.user.additionalGids = [5, 4294967295]'
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == *"$ID"*"process.user.additionalGids[1]: $RANGE_MSG" ]]
}

@test "ids: 2147483647 is the highest uid a process gets" {
	update_config '.process.user.uid = 2147483647 | .process.user.gid = 2147483647'
	set_args sh -c 'echo $(id -u) $(id -g)'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "2147483647 2147483647" ]
}

@test "ids: exec --user, --additional-gids and --process out of range give 255, nothing runs" {
	start_sleeper
	snapshot_pids
	local a
	for a in 4294967295 0:4294967295 2147483648 -1 5:-1; do
		runrt --separate-stderr exec --user "$a" "$ID" id -u
		exec_refused "$RANGE_MSG"
	done
	for a in 4294967295 2147483648; do
		runrt --separate-stderr exec --additional-gids 1 --additional-gids "$a" "$ID" id -u
		exec_refused "$RANGE_MSG"
	done
	jq '.process | .args = ["id", "-u"] | .user.uid = 4294967295' "$BUNDLE/config.json" \
		>"$TEST_DIR/process.json"
	runrt --separate-stderr exec --process "$TEST_DIR/process.json" "$ID"
	exec_refused "$RANGE_MSG"
	# the largest id still works
	runrt exec --user 2147483647:2147483647 "$ID" sh -c 'echo $(id -u) $(id -g)'
	[ "$status" -eq 0 ]
	[ "$output" = "2147483647 2147483647" ]
}

@test "ids: a --user number that does not fit 32 bits is refused (runc truncates it)" {
	skip_on runc "runc 1.1.5 runs --user 99999999999 as uid 1215752191 (truncated)"
	start_sleeper
	snapshot_pids
	runrt --separate-stderr exec --user 99999999999 "$ID" id -u
	exec_refused "$RANGE_MSG"
}

# ---- 2, 3. refused before anything is made; no death by SIGPIPE ----

# A seccomp profile whose program is some 10000 BPF instructions (the kernel takes 4096):
# 2499 rules on getpid's first argument, each compared in both 32-bit halves.
big_seccomp() {
	jq -n '{defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
		syscalls: [range(1; 2500) | {names: ["getpid"], action: "SCMP_ACT_ERRNO",
			args: [{index: 0, value: (. * 4294967297), op: "SCMP_CMP_EQ"}]}]}' \
		>"$TEST_DIR/seccomp.json"
	jq --slurpfile s "$TEST_DIR/seccomp.json" '.linux.seccomp = $s[0]' "$BUNDLE/config.json" \
		>"$TEST_DIR/c.json"
	mv "$TEST_DIR/c.json" "$BUNDLE/config.json"
}

@test "seccomp: a program over the kernel's 4096 instructions fails create and run in one line, every time" {
	big_seccomp
	set_args true
	local i
	# (rt sent it to the init, which refused it; rt, writing RUN after it, died of
	# SIGPIPE (141, no message) when the init was faster)
	for i in 1 2 3 4 5; do
		snapshot_pids
		create_ctr "$ID"
		[ "$status" -eq 1 ]
		[ "$(echo "$output" | wc -l)" -eq 1 ]
		[[ "$output" == *seccomp* ]]
		nothing_left "$ID"
		rm -f "$TEST_DIR/$ID.log"
		runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
		one_line_error
		[[ "$stderr" == *seccomp* ]]
		nothing_left "$ID"
	done
}

@test "seccomp: rt refuses the oversized program before the launch, with the count" {
	requires_rt "runc fails loading it in its init (\"invalid argument\")"
	big_seccomp
	set_args true
	# a createRuntime hook would run once the init exists: it must never run
	update_config '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "touch '"$TEST_DIR"'/hook-ran"]}]'
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == "rt: run $ID: linux.seccomp: the program has "*" instructions, the kernel takes at most 4096" ]]
	[ ! -e "$TEST_DIR/hook-ran" ]
}

@test "sigpipe: an init killed while rt sends its config gives an error, not SIGPIPE (141)" {
	local mem=$CGROUP_MNT/memory$CGROUP_PARENT/$ID i
	[ -f "$CGROUP_MNT/memory/memory.limit_in_bytes" ] || skip "no v1 memory controller"
	# A 12 MB annotation: the init, in a cgroup limited to 8 MB before it starts, is
	# OOM-killed while it reads the config, so rt's write of it fails (EPIPE).
	head -c 12000000 /dev/zero | tr '\0' a >"$TEST_DIR/big"
	jq --rawfile big "$TEST_DIR/big" '.annotations.big = $big' "$BUNDLE/config.json" >"$TEST_DIR/c.json"
	mv "$TEST_DIR/c.json" "$BUNDLE/config.json"
	set_args true
	for i in 1 2 3; do
		# (another test's teardown may remove an empty /rt-test meanwhile)
		retry 10 0.1 mkdir -p "$mem"
		echo 8M >"$mem/memory.limit_in_bytes"
		snapshot_pids
		create_ctr "$ID"
		[ "$status" -eq 1 ]
		[ "$(echo "$output" | wc -l)" -eq 1 ]
		! is_rt || [[ "$output" == *"$ID"* ]]
		nothing_left "$ID"
		rm -f "$TEST_DIR/$ID.log"
		[ ! -d "$mem" ] || rmdir "$mem"
	done
}

# ---- 4. bounded input: regular files up to 16 MiB ----

# runrt --separate-stderr ARG..., with rt's address space bounded: old builds read
# /dev/zero until memory ran out, and such a regression must fail the test, not the
# machine (runc's Go runtime reserves more, and runc reads boundedly anyway).
runrt_bounded() {
	local limit=unlimited
	is_rt && limit=1048576
	run --separate-stderr bash -c 'ulimit -v "$1" && shift && exec "$@"' sh "$limit" \
		"$RT" --root "$ROOT" "$@"
	echo "$(basename "$RT") $* (status=$status): $stderr" >&2
}

# runrt --separate-stderr ARG... that gives up after 10 s (a runtime waiting on a FIFO).
runrt_timeout() {
	run --separate-stderr timeout -s KILL 10 "$RT" --root "$ROOT" "$@"
	echo "$(basename "$RT") $* (status=$status): $stderr" >&2
}

@test "input: config.json that is /dev/zero or a 1 GB sparse file fails create in one line" {
	local f
	for f in zero sparse; do
		rm "$BUNDLE/config.json"
		if [ $f = zero ]; then
			ln -s /dev/zero "$BUNDLE/config.json"
		else
			truncate -s 1G "$BUNDLE/config.json"
		fi
		snapshot_pids
		runrt_bounded create --bundle "$BUNDLE" "$ID"
		one_line_error
		nothing_left "$ID"
		runrt_bounded run --bundle "$BUNDLE" "$ID"
		one_line_error
		nothing_left "$ID"
	done
	if is_rt; then
		[[ "$stderr" == *"config.json\" has 1073741824 bytes, more than 16 MiB"* ]]
	fi
}

@test "input: config.json that is a FIFO fails at once, the FIFO is not opened for a writer" {
	requires_rt "runc opens the FIFO and waits for a writer"
	rm "$BUNDLE/config.json"
	mkfifo "$BUNDLE/config.json"
	snapshot_pids
	runrt_timeout create --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == *"config.json\" is not a regular file"* ]]
	nothing_left "$ID"
}

@test "input: a config.json over 16 MiB is refused, 16 MiB is the documented limit" {
	requires_rt "runc reads a config of any size"
	grep -q '16 MiB' "$REPO_ROOT/README.md"
	head -c 17000000 /dev/zero | tr '\0' a >"$TEST_DIR/big"
	jq --rawfile big "$TEST_DIR/big" '.annotations.big = $big' "$BUNDLE/config.json" >"$TEST_DIR/c.json"
	mv "$TEST_DIR/c.json" "$BUNDLE/config.json"
	snapshot_pids
	create_ctr "$ID"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[[ "$output" == *"more than 16 MiB"* ]]
	nothing_left "$ID"
}

@test "input: exec --process and update -r from /dev/zero or a 1 GB file: one line, nothing changes" {
	start_sleeper
	truncate -s 1G "$TEST_DIR/sparse"
	snapshot_pids
	local f
	for f in /dev/zero "$TEST_DIR/sparse"; do
		runrt_bounded exec --process "$f" "$ID"
		exec_refused ""
		runrt_bounded update -r "$f" "$ID"
		one_line_error
	done
	# update -r - reads stdin, as runc: bounded too
	runrt_bounded update -r - "$ID" </dev/zero
	one_line_error
	[ "$(ctr_state "$ID")" = running ]
}

@test "input: exec --process and update -r refuse a FIFO at once" {
	requires_rt "runc opens the FIFO and waits for a writer"
	start_sleeper
	mkfifo "$TEST_DIR/fifo"
	snapshot_pids
	runrt_timeout exec --process "$TEST_DIR/fifo" "$ID"
	exec_refused "is not a regular file"
	runrt_timeout update -r "$TEST_DIR/fifo" "$ID"
	one_line_error
	[[ "$stderr" == *"is not a regular file"* ]]
}

# ---- 7. errors are one clean line ----

# The last runrt --separate-stderr failed with STATUS in one line of stderr holding no
# control character (ESC, CR, ...) at all.
one_clean_line() {
	[ "$status" -eq "$1" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	! printf '%s' "$stderr" | LC_ALL=C grep -q '[[:cntrl:]]'
}

@test "errors: an id with a newline and an escape sequence gives one clean line" {
	runrt --separate-stderr create --bundle "$BUNDLE" $'bad\nid\e[31mred'
	one_clean_line 1
	runrt --separate-stderr state $'bad\nid\e[2J'
	one_clean_line 1
	[ -z "$(ls "$ROOT" 2>/dev/null)" ]
}

@test "errors: a bundle path and a command with control characters give one clean line" {
	runrt --separate-stderr create --bundle "$TEST_DIR/no"$'\n'"such"$'\e[2J' "$ID"
	one_clean_line 1
	start_sleeper
	snapshot_pids
	runrt --separate-stderr exec "$ID" $'/no\nsuch\e[2Jprogram'
	one_clean_line 255
	[ "$(ctr_state "$ID")" = running ]
}

# ---- 2. what the config and the host tell is refused before anything is made ----

# A createRuntime hook that leaves a mark: it runs once the container's namespaces exist,
# so a config refused "before anything is made" never runs it.
mark_hook() {
	update_config '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "touch '"$TEST_DIR"'/hook-ran"]}]'
}

@test "sysctl: a key outside the container's namespaces is refused before anything is made" {
	mark_hook
	set_args true
	local host_pid_max host_fwd
	host_pid_max=$(cat /proc/sys/kernel/pid_max)
	update_config '.linux.sysctl = {"kernel.pid_max": "40000"}'
	snapshot_pids
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == *kernel.pid_max* ]]
	nothing_left "$ID"
	[ ! -e "$TEST_DIR/hook-ran" ]
	[ "$(cat /proc/sys/kernel/pid_max)" = "$host_pid_max" ]
	# a net key without a network namespace of the container's
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	update_config '.linux.namespaces |= map(select(.type != "network"))
		| .linux.sysctl = {"net.ipv4.ip_forward": "'$((1 - host_fwd))'"}'
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == *net.ipv4.ip_forward* ]]
	nothing_left "$ID"
	[ ! -e "$TEST_DIR/hook-ran" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
}

@test "mounts: an option a bind mount cannot apply is refused before anything is made" {
	requires_rt "runc passes it as mount data, which a bind mount ignores"
	mark_hook
	set_args true
	mkdir "$TEST_DIR/src"
	update_config '.mounts += [{destination: "/mnt", source: "'"$TEST_DIR"'/src", type: "bind",
		options: ["rbind", "size=1m"]}]'
	snapshot_pids
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == "rt: run $ID: mounts["*"] (/mnt): unknown option \"size=1m\" for a bind mount" ]]
	nothing_left "$ID"
	[ ! -e "$TEST_DIR/hook-ran" ]
	# the options nsinit knows still work on a bind mount
	update_config '.mounts[-1].options = ["rbind", "ro", "nosuid", "nodev", "rprivate"]'
	set_args sh -c 'grep " /mnt " /proc/self/mountinfo'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *" /mnt ro,nosuid,nodev"* ]]
}

@test "mounts: an option the file system does not take is refused before anything is made" {
	mark_hook
	set_args true
	update_config '.mounts += [{destination: "/mnt", source: "tmpfs", type: "tmpfs",
		options: ["nosuid", "siz=1m"]}]'
	snapshot_pids
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == *"siz=1m"* ]]
	nothing_left "$ID"
	[ ! -e "$TEST_DIR/hook-ran" ]
	# the file system's own options pass
	update_config '.mounts[-1].options = ["nosuid", "size=1m", "mode=700"]'
	set_args sh -c 'grep " /mnt " /proc/self/mountinfo'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"size=1024k,mode=700"* ]]
}

@test "spec: no field parsed and ignored: a vm section is refused, linux.resources.oomScoreAdj applied" {
	requires_rt "runc 1.1 ignores both"
	set_args cat /proc/self/oom_score_adj
	update_config '.vm = {kernel: {path: "/vmlinuz"}}'
	snapshot_pids
	runrt --separate-stderr run --bundle "$BUNDLE" "$ID"
	one_line_error
	[[ "$stderr" == *"vm: rt runs containers in namespaces, not in virtual machines"* ]]
	nothing_left "$ID"
	# the pre-1.0 place of process.oomScoreAdj, in the spec's own example
	update_config 'del(.vm) | del(.process.oomScoreAdj) | .linux.resources.oomScoreAdj = 123'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = 123 ]
	# process.oomScoreAdj wins when both are given
	update_config '.process.oomScoreAdj = 77'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = 77 ]
}

# ---- id maps the kernel cannot take

# 201 ranges (under the 340 lines), most of large ids: 5015 bytes of uid_map text, and the kernel
# refuses a write of 4096 bytes or more to uid_map/gid_map, even root's.
@test "uid_map text of 4096 bytes or more is refused before anything is made" {
	requires_rt "runc 1.1 fails later, in its stub (failed to update uid_map: Invalid argument), in three lines"
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
			+ [range(0; 200) | {containerID: (1000000000 + . * 10), hostID: (2000000000 + . * 10), size: 10}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$ID"*"linux.uidMappings: 5015 bytes as map text, the kernel takes at most 4095"* ]]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "an idmapped mount's gidMappings text of 4096 bytes or more is refused before anything is made" {
	requires_rt "runc 1.1 lacks idmapped mounts"
	update_config '.mounts += [{destination: "/mnt", type: "bind", source: "/tmp", options: ["bind", "idmap"],
		uidMappings: [{containerID: 0, hostID: 100000, size: 65536}],
		gidMappings: [range(0; 200) | {containerID: (1000000000 + . * 10), hostID: (2000000000 + . * 10), size: 10}]}]'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	n=$(jq '.mounts | length - 1' "$BUNDLE/config.json")
	[[ "$output" == *"$ID"*"mounts[$n].gidMappings: 5000 bytes as map text, the kernel takes at most 4095"* ]]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}
