#!/usr/bin/env bats
# Parity with runc (issue 12): the same bundle and command under $RT and under Debian's runc
# (1.1.5, /usr/sbin/runc, installed by scripts/deps.sh), comparing exit codes and what
# clients and scripts read (error words, flags, log lines).  The suite calls runc itself, so
# with RT=/usr/sbin/runc it compares runc with runc.
#
# Each runtime gets its own --root; a container that must outlive a command is $ID under
# $RT and $RID under runc (each with a cgroup path of its own).  In a command given to
# `both`, @ID stands for the runtime's container id.

load helpers

RUNC=${RUNC:-/usr/sbin/runc}

setup() {
	setup_rt
	[ -x "$RUNC" ] || skip "no runc at $RUNC (scripts/deps.sh installs Debian's)"
	RUNC_ROOT=$TEST_DIR/runc-state
	RID=$(new_id)
}

teardown() {
	local d
	if [ -n "${RUNC_ROOT:-}" ] && [ -d "$RUNC_ROOT" ]; then
		for d in "$RUNC_ROOT"/*/; do
			[ -d "$d" ] || continue
			timeout 10 "$RUNC" --root "$RUNC_ROOT" delete -f "$(basename "$d")" </dev/null >/dev/null 2>&1 3>&-
		done
	fi
	# What runc leaves (a failed restore's cgroup, busy for a moment) is not rt's to answer
	# for: only rt's ($ID...) count as leaks in teardown_rt.
	if [ -n "${RID:-}" ]; then
		for d in $(leaked_cgroups | grep "/$RID"); do
			remove_cgroup_tree "$d"
		done
	fi
	teardown_rt
}

# __one NAME RUNTIME ROOT CTR_ID ARG...: run the runtime, stdout to NAME.out, stderr to
# NAME.err (files: a detached container keeps the runtime's stdio open).
__one() {
	local name=$1 bin=$2 root=$3 id=$4 a args=()
	shift 4
	for a in "$@"; do
		args+=("${a//@ID/$id}")
	done
	local rc=0
	# (a bound: a runtime that hangs fails the test instead of the run)
	timeout 60 "$bin" --root "$root" "${args[@]}" </dev/null >"$TEST_DIR/$name.out" \
		2>"$TEST_DIR/$name.err" 3>&- || rc=$?
	echo "$(basename "$bin") ${args[*]} (status=$rc):" >&2
	cat "$TEST_DIR/$name.out" "$TEST_DIR/$name.err" >&2
	return $rc
}

# both [-b RUNC_BUNDLE] ARG...: the command under $RT (container $ID, bundle $BUNDLE), then
# under runc (container $RID; with -b, --bundle $BUNDLE is replaced by RUNC_BUNDLE).
# Sets RT_STATUS, RT_OUT, RT_ERR and RUNC_STATUS, RUNC_OUT, RUNC_ERR.
both() {
	local rb=$BUNDLE a args=()
	if [ "$1" = -b ]; then
		rb=$2
		shift 2
	fi
	for a in "$@"; do
		[ "$a" = "$BUNDLE" ] && a=$rb
		args+=("$a")
	done
	RT_STATUS=0
	__one rt "$RT" "$ROOT" "$ID" "$@" || RT_STATUS=$?
	RT_OUT=$(cat "$TEST_DIR/rt.out")
	RT_ERR=$(cat "$TEST_DIR/rt.err")
	RUNC_STATUS=0
	__one runc "$RUNC" "$RUNC_ROOT" "$RID" "${args[@]}" || RUNC_STATUS=$?
	RUNC_OUT=$(cat "$TEST_DIR/runc.out")
	RUNC_ERR=$(cat "$TEST_DIR/runc.err")
}

# A copy of the bundle for runc's container: its own cgroup path.
runc_bundle() {
	local b
	b=$(clone_bundle runc)
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$RID\"" "$b"
	echo "$b"
}

# The final error's text without each runtime's framing: runc's logrus line
# (msg="runc run failed: ..."), rt's "rt: run ID: ...".
err_text() {
	sed -n -e 's/^time="[^"]*" level=error msg="\(.*\)"$/\1/p' \
		-e 's/^rt: [a-z]* [^ :]*: \(.*\)$/\1/p' -e 's/^rt: \(No help topic.*\)$/\1/p' <<<"$1" |
		tail -n 1 | sed -e 's/\\"/"/g' -e 's/^runc [a-z]* failed: //' -e 's/^exec failed: //' \
		-e 's/\\n$//'
}

same_status() {
	[ "$RT_STATUS" = "$RUNC_STATUS" ] || {
		echo "exit status: rt $RT_STATUS, runc $RUNC_STATUS" >&2
		return 1
	}
}

# Both final errors end with TEXT.
same_error_end() {
	same_status
	[[ "$(err_text "$RT_ERR")" == *"$1" ]] && [[ "$(err_text "$RUNC_ERR")" == *"$1" ]]
}

same_error() {
	same_status
	local r c
	r=$(err_text "$RT_ERR")
	c=$(err_text "$RUNC_ERR")
	[ -n "$c" ] && [ "$r" = "$c" ] || {
		printf 'error text differs:\n  rt:   %s\n  runc: %s\n' "$r" "$c" >&2
		return 1
	}
}

# ---- 1: errors in runc's words ----

@test "parity 1: a user process that cannot be started fails in runc's words (docker's 126/127)" {
	local a
	for a in /nonexistent nosuchcmd /etc/passwd /etc /bin/nonexistent; do
		set_args "$a"
		both run --bundle "$BUNDLE" @ID
		[ "$RT_STATUS" -eq 1 ]
		same_error
	done
	[[ "$(err_text "$RT_ERR")" == *"no such file or directory" ]]
}

@test "parity 1: exec of a missing command: runc's words and exit status 255" {
	set_args sleep 100
	both -b "$(runc_bundle)" run -d --bundle "$BUNDLE" @ID
	same_status
	both exec @ID nosuchcmd
	[ "$RT_STATUS" -eq 255 ]
	same_error
	both exec @ID /etc/passwd
	same_error
}

@test "parity 1: help for an unknown command, and an unknown command: exit 3" {
	both help foo
	[ "$RT_STATUS" -eq 3 ]
	same_error
	both foo
	same_error
}

@test "parity 1: a seccomp agent that cannot be reached: runc's words" {
	update_config '.process.args = ["true"] | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"listenerPath": "'"$TEST_DIR"'/nosock", "architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
	both run --bundle "$BUNDLE" @ID
	same_error
	[[ "$(err_text "$RT_ERR")" == *"connect: no such file or directory" ]]
}

@test "parity 1: an unknown flag and a flag without its value: Go's words" {
	both state --bogus @ID
	same_status
	[[ "$RT_ERR" == *"flag provided but not defined: -bogus"* ]]
	[[ "$RUNC_ERR" == *"flag provided but not defined: -bogus"* ]]
	both --root
	same_status
	[[ "$RT_ERR" == *"flag needs an argument: -root"* ]]
	[[ "$RUNC_ERR" == *"flag needs an argument: -root"* ]]
}

# ---- 2: flags after the container id ----

@test "parity 2: flags after the container id, as runc's argument reordering allows" {
	set_args sleep 100
	both -b "$(runc_bundle)" run --bundle "$BUNDLE" @ID -d
	same_status
	[ "$RT_STATUS" -eq 0 ]
	both update @ID --pids-limit 42
	same_status
	[ "$RT_STATUS" -eq 0 ]
	[ "$(cat "$(v1_cg pids "$ID")/pids.max")" = 42 ]
	[ "$(cat "$(v1_cg pids "$RID")/pids.max")" = 42 ]
	both state @ID --help
	same_status
	[[ "$RT_OUT" == *"state - output the state of a container"* ]]
	# exec (and ps) keep their order: what follows the id is the command
	both exec @ID sh -c 'echo "[$A]"' --env A=1
	same_status
	[ "$RT_OUT" = "[]" ] && [ "$RUNC_OUT" = "[]" ]
	both exec @ID --env A=1 true
	[ "$RT_STATUS" -eq 255 ]
	same_error
	# a flag takes the word after it: `kill ID --all KILL` is --all, container KILL
	both kill @ID --all KILL
	same_status
	[ "$(ctr_state "$ID")" = running ]
	both delete @ID --force
	same_status
	[ "$RT_STATUS" -eq 0 ]
	[ ! -d "$ROOT/$ID" ] && [ ! -d "$RUNC_ROOT/$RID" ]
}

# ---- 3: logrus lines ----

# Every line of $1 is a logrus text line; at least one is at level debug.
logrus_lines() {
	[ -n "$1" ] && ! grep -vE '^time="[^"]+" level=(debug|info|warning|error) msg=".*"' <<<"$1" &&
		grep -q ' level=debug ' <<<"$1"
}

@test "parity 3: --debug without --log writes logrus text lines to stderr" {
	set_args true
	both --debug run --bundle "$BUNDLE" @ID
	same_status
	logrus_lines "$RUNC_ERR"
	logrus_lines "$RT_ERR"
}

@test "parity 3: --log FILE (text) holds logrus text lines" {
	set_args true
	both --debug --log "$TEST_DIR/@ID.log" run --bundle "$BUNDLE" @ID
	same_status
	logrus_lines "$(cat "$TEST_DIR/$RID.log")"
	logrus_lines "$(cat "$TEST_DIR/$ID.log")"
}

# ---- issue 8 point 3: --log-format json, as conmon and containerd's shim read it ----

@test "parity 3: --log FILE --log-format json: {level,msg,time} lines, the error among them" {
	set_args /nonexistent
	both --log "$TEST_DIR/@ID.json" --log-format json run --bundle "$BUNDLE" @ID
	same_status
	local f shape
	for f in "$TEST_DIR/$ID.json" "$TEST_DIR/$RID.json"; do
		# every line is an object with exactly these keys
		shape=$(jq -c 'keys' "$f" | sort -u)
		[ "$shape" = '["level","msg","time"]' ]
		jq -e 'select(.level == "error") | .msg | endswith("unable to start container process: exec: \"/nonexistent\": stat /nonexistent: no such file or directory")' "$f"
		jq -r .time "$f" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(Z|[+-][0-9]{2}:[0-9]{2})$'
	done
	# and the error still reaches stderr, once
	local e='unable to start container process: exec: "/nonexistent": stat /nonexistent: no such file or directory'
	[[ "$RT_ERR" == *"$e" ]] && [ "$(grep -c . <<<"$RT_ERR")" -eq 1 ]
	[[ "$RUNC_ERR" == *"$e" ]] && [ "$(grep -c . <<<"$RUNC_ERR")" -eq 1 ]
}

@test "parity 3: an exec error reaches --log FILE --log-format json" {
	set_args sleep 100
	both -b "$(runc_bundle)" run -d --bundle "$BUNDLE" @ID
	same_status
	both --log "$TEST_DIR/@ID.json" --log-format json exec @ID nosuch
	[ "$RT_STATUS" -eq 255 ]
	same_status
	local f
	for f in "$TEST_DIR/$ID.json" "$TEST_DIR/$RID.json"; do
		jq -e 'select(.level == "error") | .msg | endswith("unable to start container process: exec: \"nosuch\": executable file not found in $PATH")' "$f"
	done
}

# ---- 4: --version ----

@test "parity 4: --version: name version, commit, spec" {
	both --version
	same_status
	local i
	for i in 1 2 3; do
		local r c
		r=$(sed -n "${i}p" <<<"$RT_OUT" | cut -d' ' -f1)
		c=$(sed -n "${i}p" <<<"$RUNC_OUT" | cut -d' ' -f1)
		[ "${i}:$r" = "1:$(runtime_name)" ] || [ "$r" = "$c" ]
	done
	[[ "$(sed -n 1p <<<"$RT_OUT")" =~ ^[a-z]+\ version\ [0-9] ]]
	[[ "$(sed -n 2p <<<"$RT_OUT")" =~ ^commit:\ [^\ ]+$ ]]
	[[ "$(sed -n 3p <<<"$RT_OUT")" =~ ^spec:\ [0-9]+\.[0-9]+\.[0-9]+ ]]
}

# ---- 5: checkpoint and restore (criu cannot run on this kernel, or is not installed) ----

@test "parity 5: checkpoint and restore exist with runc's flags, and fail over criu" {
	local f
	# without --image-path runc makes ./checkpoint: let it be under the test's own dir
	cd "$TEST_DIR"
	for f in image-path work-path parent-path leave-running tcp-established ext-unix-sk \
		shell-job lazy-pages status-fd page-server file-locks pre-dump manage-cgroups-mode \
		empty-ns auto-dedup; do
		both checkpoint --help
		[[ "$RT_OUT" == *"--$f"* ]] && [[ "$RUNC_OUT" == *"--$f"* ]]
	done
	for f in console-socket image-path bundle detach pid-file no-pivot lsm-profile lsm-mount-context; do
		both restore --help
		[[ "$RT_OUT" == *"--$f"* ]] && [[ "$RUNC_OUT" == *"--$f"* ]]
	done
	set_args sleep 100
	both -b "$(runc_bundle)" run -d --bundle "$BUNDLE" @ID
	same_status
	both checkpoint --image-path "$TEST_DIR/img-@ID" --leave-running @ID
	[ "$RT_STATUS" -eq 1 ]
	same_status
	grep -qi criu <<<"$RT_ERR" && grep -qi criu <<<"$RUNC_ERR"
	if ! command -v criu >/dev/null; then
		same_error # CRIU version check failed: exec: "criu": executable file not found in $PATH
	fi
	[ "$(ctr_state "$ID")" = running ]
	# restore: a new container from the bundle, refused over criu; nothing is left
	local rb
	rb=$(clone_bundle restore)
	update_config ".linux.cgroupsPath = \"$CGROUP_PARENT/$RID-r\"" "$rb"
	both -b "$rb" restore --bundle "$BUNDLE" --image-path "$TEST_DIR/img-@ID" @ID-r
	[ "$RT_STATUS" -eq 1 ]
	same_status
	grep -qi criu <<<"$RT_ERR" && grep -qi criu <<<"$RUNC_ERR"
	[ ! -e "$ROOT/$ID-r" ] && [ ! -e "$RUNC_ROOT/$RID-r" ]
	# criu given by --criu and missing: runc's words
	both --criu "$TEST_DIR/nocriu" checkpoint @ID
	same_error
	both checkpoint @ID-none
	same_status
}

@test "parity 5: exec --cgroup joins existing sub-cgroups (v1 controller:path and plain forms)" {
	[ -d "$CGROUP_MNT/pids" ] || skip "needs the cgroup v1 pids hierarchy"
	set_args sleep 100
	both -b "$(runc_bundle)" run -d --bundle "$BUNDLE" @ID
	same_status
	local id
	for id in "$ID" "$RID"; do
		mkdir "$(v1_cg pids "$id")/sub" "$(v1_cg memory "$id")/msub"
	done
	both exec --cgroup pids:sub --cgroup memory:msub @ID cat /proc/self/cgroup
	same_status
	[ "$RT_STATUS" -eq 0 ]
	[ "$(grep ':pids:' <<<"$RT_OUT")" = "$(grep ':pids:' <<<"$RUNC_OUT" | sed "s/$RID/$ID/")" ]
	grep -q ":pids:$CGROUP_PARENT/$ID/sub\$" <<<"$RT_OUT"
	grep -q ":memory:$CGROUP_PARENT/$ID/msub\$" <<<"$RT_OUT"
	grep -q ":cpu:$CGROUP_PARENT/$ID\$" <<<"$RT_OUT"
	# a plain path is for every hierarchy: it must exist in each
	both exec --cgroup sub @ID true
	[ "$RT_STATUS" -eq 255 ]
	same_status
	both exec --cgroup pids:nosuch @ID true
	same_error_end "no such file or directory"
	both exec --cgroup bogus:sub @ID true
	same_error_end "unknown controller bogus in SubCgroupPaths"
	both exec --cgroup ../x @ID true
	same_error_end "../x is not a sub cgroup path"
	both delete -f @ID
	same_status
	[ ! -d "$(v1_cg pids "$ID")" ] && [ ! -d "$(v1_cg pids "$RID")" ]
}

# ---- 6: a cgroup that already exists ----

# pre_cgroup NAME HIERARCHY...: make /rt-test/NAME in each v1 hierarchy.
pre_cgroup() {
	local name=$1 h
	shift
	for h in "$@"; do
		mkdir -p "$(v1_cg "$h" "$name")"
	done
}

@test "parity 6: a cgroup with processes in it: runc's warning, and the container runs" {
	[ -d "$CGROUP_MNT/pids" ] || skip "needs cgroup v1"
	local name=$ID-pre h
	pre_cgroup "$name" pids devices freezer
	sleep 1000 &
	local sp=$!
	for h in pids devices freezer; do
		echo "$sp" >"$(v1_cg "$h" "$name")/cgroup.procs"
	done
	set_cgroup_path "$CGROUP_PARENT/$name"
	set_args true
	both run --bundle "$BUNDLE" @ID
	kill "$sp"
	wait "$sp" || true
	same_status
	[ "$RT_STATUS" -eq 0 ]
	[[ "$RUNC_ERR" == *"container's cgroup is not empty: 1 process(es) found"* ]]
	[[ "$RT_ERR" == *"container's cgroup is not empty: 1 process(es) found"* ]]
	for h in $(cgroup_mounts); do remove_cgroup_tree "$h$CGROUP_PARENT/$name"; done
}

@test "parity 6: a frozen cgroup is refused at create, and left as it was" {
	[ -d "$CGROUP_MNT/freezer" ] || skip "needs the cgroup v1 freezer"
	local name=$ID-fz dir
	pre_cgroup "$name" freezer
	dir=$(v1_cg freezer "$name")
	echo FROZEN >"$dir/freezer.state"
	set_cgroup_path "$CGROUP_PARENT/$name"
	set_args true
	both run -d --bundle "$BUNDLE" @ID
	[ "$RT_STATUS" -eq 1 ]
	same_error
	[ "$(err_text "$RT_ERR")" = "container's cgroup unexpectedly frozen" ]
	[ "$(cat "$dir/freezer.state")" = FROZEN ]
	[ -z "$(cat "$dir/cgroup.procs")" ]
	[ ! -e "$ROOT/$ID" ]
	echo THAWED >"$dir/freezer.state"
	for dir in $(cgroup_mounts); do remove_cgroup_tree "$dir$CGROUP_PARENT/$name"; done
}

# ---- 7: the cgroup2 hierarchy of a hybrid host ----

@test "parity 7: on a hybrid host the container joins its cgroup in the cgroup2 hierarchy too" {
	local uni
	uni=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	[ -n "$uni" ] && [ "$uni" != "$CGROUP_MNT" ] || skip "not a hybrid cgroup host"
	set_args sleep 100
	both -b "$(runc_bundle)" run -d --bundle "$BUNDLE" @ID
	same_status
	[ "$(cgroup_of_pid "$("$RUNC" --root "$RUNC_ROOT" state "$RID" | jq -r .pid)" "")" = "$CGROUP_PARENT/$RID" ]
	[ "$(cgroup_of_pid "$(ctr_pid "$ID")" "")" = "$CGROUP_PARENT/$ID" ]
	both exec @ID cat /proc/self/cgroup
	grep -qx "0::$CGROUP_PARENT/$RID" <<<"$RUNC_OUT"
	grep -qx "0::$CGROUP_PARENT/$ID" <<<"$RT_OUT"
	both delete -f @ID
	same_status
	[ ! -d "$uni$CGROUP_PARENT/$ID" ] && [ ! -d "$uni$CGROUP_PARENT/$RID" ]
}

# ---- 8: seccomp: runc's -ENOSYS stub; the filter is on before startContainer hooks ----

# The seccomp suite's docker-default-like profile and its syscall tool in the rootfs.
seccomp_bundle() {
	local sc
	sc=$(dirname "$RT")/rt-syscall
	[ -x "$sc" ] || sc=$REPO_ROOT/build/rt-syscall
	[ -x "$sc" ] || skip "rt-syscall not built (cmake --build build)"
	cp "$sc" "$BUNDLE/rootfs/bin/rt-syscall"
	update_config ".root.readonly = false | .linux.seccomp = $(jq -c . "$INTEGRATION_ROOT/testdata/seccomp-default.json")"
}

@test "parity 8: seccomp: a syscall above the profile's highest gets ENOSYS, a known one the default" {
	seccomp_bundle
	# 1000: above every syscall this profile names; keyctl: named, blocked by the default
	set_args sh -c 'rt-syscall 1000; rt-syscall keyctl 0 -3 0; rt-syscall getpid'
	both run --bundle "$BUNDLE" @ID
	same_status
	[ "$RT_OUT" = "$RUNC_OUT" ]
	[ "$(sed -n 1p <<<"$RT_OUT")" = "errno=38 ENOSYS" ]
	[ "$(sed -n 2p <<<"$RT_OUT")" = "errno=1 EPERM" ]
	# defaultErrnoRet ENOSYS or an allowing default: no stub (runc's rule), the default answers
	update_config '.linux.seccomp.defaultAction = "SCMP_ACT_LOG" | del(.linux.seccomp.defaultErrnoRet)'
	both run --bundle "$BUNDLE" @ID
	same_status
	[ "$RT_OUT" = "$RUNC_OUT" ]
	[[ "$(sed -n 1p <<<"$RT_OUT")" == "errno=38 ENOSYS" ]] # the kernel's own answer
}

@test "parity 8: startContainer hooks run under the container's seccomp filter" {
	seccomp_bundle
	update_config '.hooks.startContainer = [{"path": "/bin/sh",
		"args": ["sh", "-c", "rt-syscall keyctl 0 -3 0 >/hook.out 2>&1"]}]'
	set_args true
	local rb
	rb=$(runc_bundle)
	both -b "$rb" run --bundle "$BUNDLE" @ID
	same_status
	[ "$(cat "$rb/rootfs/hook.out")" = "errno=1 EPERM" ]
	[ "$(cat "$BUNDLE/rootfs/hook.out")" = "errno=1 EPERM" ]
}

# ---- 10: mounts ----

@test "parity 10: a file bind-mounted onto a dangling symlink creates its target inside the rootfs" {
	echo hello >"$TEST_DIR/src"
	update_config '.mounts += [{"destination": "/target", "source": "'"$TEST_DIR"'/src",
		"type": "bind", "options": ["bind"]}, {"destination": "/escape", "source": "'"$TEST_DIR"'/src",
		"type": "bind", "options": ["bind"]}]'
	set_args cat /realdir/f /escaped
	ln -s /realdir/f "$BUNDLE/rootfs/target"
	ln -s ../../../../../escaped "$BUNDLE/rootfs/escape"
	local rb
	rb=$(runc_bundle)
	both -b "$rb" run --bundle "$BUNDLE" @ID
	same_status
	[ "$RT_STATUS" -eq 0 ]
	[ "$RT_OUT" = "$RUNC_OUT" ] && [ "$RT_OUT" = $'hello\nhello' ]
	[ -f "$BUNDLE/rootfs/realdir/f" ] && [ -f "$BUNDLE/rootfs/escaped" ]
	[ ! -e /escaped ]
}

@test "parity 10: linux.devices[].fileMode with the file type bits (podman's 8630 = S_IFCHR|0666)" {
	update_config '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229,
		"fileMode": 8630, "uid": 0, "gid": 0}]'
	set_args sh -c 'stat -c "%A %t,%T" /dev/fuse'
	both run --bundle "$BUNDLE" @ID
	same_status
	[ "$RT_STATUS" -eq 0 ]
	[ "$RT_OUT" = "$RUNC_OUT" ] && [ "$RT_OUT" = "crw-rw-rw- a,e5" ]
}

@test "parity 10: with a user namespace, a bind source under a directory only host root can enter" {
	mkdir -p "$TEST_DIR/secret/d"
	echo topsecret >"$TEST_DIR/secret/d/f"
	chmod 700 "$TEST_DIR/secret"
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .mounts += [{"destination": "/mnt", "source": "'"$TEST_DIR"'/secret/d", "type": "bind",
			"options": ["bind"]}, {"destination": "/file", "source": "'"$TEST_DIR"'/secret/d/f",
			"type": "bind", "options": ["rbind", "ro"]}]'
	chown -R -h 100000:100000 "$BUNDLE/rootfs"
	set_args sh -c 'cat /mnt/f /file; touch /file 2>/dev/null || echo ro'
	both -b "$(runc_bundle)" run --bundle "$BUNDLE" @ID
	same_status
	[ "$RT_STATUS" -eq 0 ]
	[ "$RT_OUT" = "$RUNC_OUT" ] && [ "$RT_OUT" = $'topsecret\ntopsecret\nro' ]
}

# ---- 11: namespaces and sysctls ----

@test "parity 11: without a mount namespace the container runs in the caller's" {
	# the caller: a throwaway mount namespace with a tmpfs of its own on $TEST_DIR/mark
	mkdir "$TEST_DIR/mark"
	local w
	for w in rt runc; do
		printf '#!/bin/sh\nexec unshare -m --propagation private sh -c %s sh "$@"\n' \
			"'mount -t tmpfs mark $TEST_DIR/mark && exec \"\$@\"'" >"$TEST_DIR/$w-wrap"
		chmod +x "$TEST_DIR/$w-wrap"
	done
	sed -i "s|\"\\\$@\"'|$RT \"\$@\"'|" "$TEST_DIR/rt-wrap"
	sed -i "s|\"\\\$@\"'|$RUNC \"\$@\"'|" "$TEST_DIR/runc-wrap"
	update_config '.linux.namespaces |= map(select(.type != "mount")) | .mounts = [] |
		del(.linux.maskedPaths) | del(.linux.readonlyPaths) | .root = {"path": "/", "readonly": false}'
	set_args sh -c "grep -c ' $TEST_DIR/mark ' /proc/self/mountinfo; cat /proc/sys/kernel/hostname"
	RT=$TEST_DIR/rt-wrap RUNC=$TEST_DIR/runc-wrap both run --bundle "$BUNDLE" @ID
	same_status
	[ "$RT_STATUS" -eq 0 ]
	# the caller's mark is there (runc shows it twice: it binds / onto itself there)
	[ "$(sed -n 1p <<<"$RT_OUT")" -eq 1 ] && [ "$(sed -n 1p <<<"$RUNC_OUT")" -ge 1 ]
	[ "$(sed -n 2p <<<"$RT_OUT")" = "$(sed -n 2p <<<"$RUNC_OUT")" ]
	# what runc's validator refuses there
	update_config '.linux.maskedPaths = ["/proc/kcore"]'
	RT=$TEST_DIR/rt-wrap RUNC=$TEST_DIR/runc-wrap both run --bundle "$BUNDLE" @ID
	same_error_end "unable to restrict sys entries without a private MNT namespace"
}

@test "parity 11: hostname with the UTS namespace joined by path" {
	unshare -u sleep 1000 &
	local holder=$!
	retry 50 0.1 eval '[ "$(readlink /proc/'$holder'/ns/uts)" != "$(readlink /proc/self/ns/uts)" ]'
	update_config '.hostname = "joined" | .linux.namespaces |= map(if .type == "uts" then
		.path = "/proc/'$holder'/ns/uts" else . end)'
	set_args hostname
	both run --bundle "$BUNDLE" @ID
	local name
	name=$(nsenter -t "$holder" -u hostname)
	kill "$holder"
	wait "$holder" || true
	same_status
	[ "$RT_STATUS" -eq 0 ]
	[ "$RT_OUT" = joined ] && [ "$RUNC_OUT" = joined ]
	[ "$name" = joined ]
}

@test "parity 11: sysctls runc's validator refuses, in its words" {
	local s
	for s in '"kernel.hostname": "x"' '"vm.swappiness": "10"'; do
		update_config ".linux.sysctl = {$s}"
		both run --bundle "$BUNDLE" @ID
		[ "$RT_STATUS" -eq 1 ]
		same_error_end "$(err_text "$RUNC_ERR")"
	done
	update_config '.linux.sysctl = {"kernel.msgmax": "8192"} | .linux.namespaces |= map(select(.type != "ipc"))'
	both run --bundle "$BUNDLE" @ID
	same_error_end "$(err_text "$RUNC_ERR")"
	update_config '.linux.sysctl = {"kernel.domainname": "dx"}'
	set_args cat /proc/sys/kernel/domainname
	both run --bundle "$BUNDLE" @ID
	same_status
	[ "$RT_OUT" = dx ] && [ "$RUNC_OUT" = dx ]
}
