#!/usr/bin/env bats
# OCI hooks (runtime-spec config.md "POSIX-platform Hooks" and runtime.md "Lifecycle"):
# when each kind runs, in which namespaces, what it gets (state on stdin, args, env, cwd),
# its timeout, and what a failure does.  One test per rule.

load helpers

setup() {
	setup_rt
	# OUT is the host's view of /hookout in the container (a bind mount), so hooks on
	# either side of pivot_root, and the process, write to the same files.
	OUT=$TEST_DIR/out
	mkdir -p "$OUT" "$BUNDLE/rootfs/hookout"
	update_config '.mounts += [{"destination": "/hookout", "type": "bind", "source": "'"$OUT"'", "options": ["bind"]}]'
	# record NAME DIR [STATUS]: the state (stdin), argv, env, cwd and namespaces of the
	# hook, then exit STATUS.  Runs on the host (dash) and in the container (busybox sh).
	cat >"$OUT/record" <<-'EOF'
		#!/bin/sh
		n=$1 d=$2
		cat >"$d/$n.state"
		echo "$n" >>"$d/order"
		echo "$0 $*" >"$d/$n.argv"
		env >"$d/$n.env"
		pwd -P >"$d/$n.cwd"
		for ns in mnt pid uts; do readlink "/proc/self/ns/$ns"; done >"$d/$n.ns"
		exit "${3:-0}"
	EOF
	chmod 755 "$OUT/record"
	set_args sh -c 'echo process >>/hookout/order; for ns in mnt pid uts; do readlink /proc/self/ns/$ns; done >/hookout/process.ns'
}

teardown() {
	teardown_rt
}

# hook KIND NAME [STATUS] [EXTRA]: append a recording hook of KIND (host or container
# path as the kind needs).  EXTRA: more jq fields for the hook object, e.g. ', "timeout": 1'.
hook() {
	local kind=$1 name=$2 rc=${3:-0} extra=${4:-} path=$OUT/record dir=$OUT
	if [ "$kind" = startContainer ]; then
		# resolved in the container, after pivot_root
		path=/hookout/record dir=/hookout
	fi
	update_config ".hooks.$kind += [{\"path\": \"$path\", \"args\": [\"record\", \"$name\", \"$dir\", \"$rc\"]$extra}]"
}

# A hook that runs a shell command on the host.
sh_hook() {
	local kind=$1 cmd=$2 extra=${3:-}
	update_config ".hooks.$kind += [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", $(jq -n --arg c "$cmd" '$c')]$extra}]"
}

# The process PID is gone (or a zombie: dead, not yet reaped by its parent).
gone() {
	[ ! -e "/proc/$1" ] || [ "$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" = Z ]
}

# Live processes whose environment has HOOK_MARK=<this test> (the timeout tests' hooks;
# their pid in the container's pid namespace would not tell us the host's).
marked_hooks() {
	grep -lsx "HOOK_MARK=$TEST_PREFIX" --null-data /proc/[0-9]*/environ | while read -r f; do
		gone "$(basename "$(dirname "$f")")" || echo "$f"
	done
}

order() {
	tr '\n' ' ' <"$OUT/order" | sed 's/ $//'
}

@test "hooks: create runs prestart, createRuntime, createContainer in that order, each seeing 'creating'" {
	hook prestart pre1
	hook prestart pre2
	hook createRuntime cr
	hook createContainer cc
	hook startContainer sc
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "$(order)" = "pre1 pre2 cr cc" ]
	local h
	for h in pre1 cr cc; do
		[ "$(jq -r .status "$OUT/$h.state")" = creating ]
		[ "$(jq -r .id "$OUT/$h.state")" = "$ID" ]
		[ "$(jq -r .bundle "$OUT/$h.state")" = "$BUNDLE" ]
	done
	# the runtime namespace sees the init's host pid
	[ "$(jq -r .pid "$OUT/cr.state")" = "$(ctr_pid "$ID")" ]
}

@test "hooks: startContainer runs at start, in the container, before the process" {
	hook startContainer sc1
	hook startContainer sc2
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$OUT/order" ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	retry 50 0.1 grep -q process "$OUT/order"
	[ "$(order)" = "sc1 sc2 process" ]
	# the container's namespaces, and the pid as the container sees it
	diff "$OUT/sc1.ns" "$OUT/process.ns"
	[ "$(jq -r .pid "$OUT/sc1.state")" = 1 ]
	[ "$(jq -r .status "$OUT/sc1.state")" = created ]
}

@test "hooks: poststart runs after the process started, at start and not at create" {
	skip_on runc "runc 1.1 runs poststart hooks during create (fixed in runc 1.2)"
	hook poststart ps1
	hook poststart ps2
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$OUT/order" ]
	runrt start "$ID"
	[ "$status" -eq 0 ]
	[ "$(order)" = "ps1 ps2" ]
	[ "$(jq -r .status "$OUT/ps1.state")" = running ]
	[ "$(jq -r .pid "$OUT/ps1.state")" = "$(ctr_pid "$ID")" ]
	# the user process had been executed when the hook ran
	[ "$(tr '\0' ' ' <"/proc/$(jq -r .pid "$OUT/ps1.state")/cmdline")" = "sleep 100 " ]
}

@test "hooks: poststart also runs for run -d and run" {
	skip_on runc "runc 1.1 runs poststart hooks during create (fixed in runc 1.2)"
	hook poststart ps
	run_detached "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status "$OUT/ps.state")" = running ]
	rm "$OUT/ps.state"
	runrt delete -f "$ID"
	runrt run --bundle "$BUNDLE" "$(new_id)"
	[ "$status" -eq 0 ]
	[ -s "$OUT/ps.state" ]
}

@test "hooks: poststop runs at delete, after the container is gone, with status stopped" {
	hook poststop stop1
	hook poststop stop2
	sh_hook poststop "$RT --root $ROOT state $ID >$OUT/state-at-poststop 2>&1; echo \$? >$OUT/state-rc"
	set_args sleep 100
	create_ctr "$ID"
	runrt start "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$OUT/order" ]
	local pid
	pid=$(ctr_pid "$ID")
	runrt delete -f "$ID"
	[ "$status" -eq 0 ]
	[ "$(order)" = "stop1 stop2" ]
	[ "$(jq -r .status "$OUT/stop1.state")" = stopped ]
	[ "$(jq -r .id "$OUT/stop1.state")" = "$ID" ]
	[ "$(jq -r .bundle "$OUT/stop1.state")" = "$BUNDLE" ]
	# deleted before the hooks ran: no state, no process
	[ "$(cat "$OUT/state-rc")" != 0 ]
	retry 50 0.1 gone "$pid"
}

@test "hooks: poststop runs when run deletes the container it ran" {
	hook poststop stop
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$(order)" = "process stop" ]
}

@test "hooks: prestart, createRuntime and poststop run in the runtime's namespaces" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	hook prestart pre
	hook createRuntime cr
	hook poststart ps
	hook poststop stop
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local mine h
	mine=$(for ns in mnt pid uts; do readlink "/proc/self/ns/$ns"; done)
	for h in pre cr stop; do
		[ "$(cat "$OUT/$h.ns")" = "$mine" ]
	done
	if [ "$(runtime_name)" != runc ]; then
		[ "$(cat "$OUT/ps.ns")" = "$mine" ]
	fi
	! diff -q "$OUT/cr.ns" "$OUT/process.ns"
}

@test "hooks: prestart and createRuntime reach the container's namespaces and mounts through the state's pid" {
	# what a network plugin does: enter the namespaces of the pid on stdin
	update_config 'del(.hostname)'
	sh_hook prestart 'pid=$(sed -n "s/.*\"pid\":\([0-9]*\).*/\1/p"); nsenter --uts=/proc/$pid/ns/uts hostname from-prestart'
	# the container's mounts are made by then: /hookout is $OUT only in its mount namespace
	sh_hook createRuntime 'pid=$(sed -n "s/.*\"pid\":\([0-9]*\).*/\1/p"); nsenter --mount=/proc/$pid/ns/mnt sh -c "echo from-createRuntime >'"$BUNDLE"'/rootfs/hookout/cr-file"'
	set_args sh -c 'hostname; cat /hookout/cr-file'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "from-prestart
from-createRuntime" ]
	[ ! -e "$BUNDLE/rootfs/hookout/cr-file" ]
}

@test "hooks: createContainer runs in the container's namespaces, in its rootfs, before pivot_root" {
	hook createContainer cc
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	diff "$OUT/cc.ns" "$OUT/process.ns"
	# the pid as the container sees it
	[ "$(jq -r .pid "$OUT/cc.state")" = 1 ]
	# cwd: the container's rootfs, as runc (the hook's host paths still resolve: it
	# wrote to $OUT)
	[ "$(cat "$OUT/cc.cwd")" = "$(readlink -f "$BUNDLE/rootfs")" ]
}

@test "hooks: args are argv (args[0] included) and env is exactly the hook's env" {
	update_config '.hooks.createRuntime = [{"path": "'"$OUT"'/record", "args": ["my-argv0", "cr", "'"$OUT"'"], "env": ["FOO=bar", "HOOKVAR=1"]}]'
	hook prestart noenv
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$OUT/cr.argv")" = "$OUT/record cr $OUT" ] || [ "$(cat "$OUT/cr.argv")" = "my-argv0 cr $OUT" ]
	grep -qx FOO=bar "$OUT/cr.env"
	grep -qx HOOKVAR=1 "$OUT/cr.env"
	! grep -q '^RT_TEST_MARK=' "$OUT/cr.env"
	# no env given: the runtime's own environment
	grep -qx "RT_TEST_MARK=$RT_TEST_MARK" "$OUT/noenv.env"
}

@test "hooks: argv[0] is args[0], not the path" {
	sh_hook createRuntime 'echo "$0" >'"$OUT"'/argv0'
	update_config '.hooks.createRuntime[0].args = ["not-sh", "-c", .hooks.createRuntime[0].args[2]]'
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$OUT/argv0")" = not-sh ]
}

@test "hooks: a hook that outlives its timeout is killed and create fails, leaving nothing" {
	sh_hook createRuntime "exec sleep 60" ', "timeout": 1, "env": ["HOOK_MARK='"$TEST_PREFIX"'"]'
	hook poststop stop
	SECONDS=0
	create_ctr "$ID"
	[ "$status" -ne 0 ]
	[ "$SECONDS" -lt 20 ]
	[[ "$output" == *timeout* || "$output" == *"timed out"* ]]
	[ -z "$(marked_hooks)" ]
	runrt state "$ID"
	[ "$status" -ne 0 ]
}

@test "hooks: what a timed-out hook started is killed with it" {
	requires_rt "runc 1.1 kills only the hook's own process (and then waits for its children's pipes)"
	sh_hook createRuntime "sleep 60 & wait" ', "timeout": 1, "env": ["HOOK_MARK='"$TEST_PREFIX"'"]'
	SECONDS=0
	create_ctr "$ID"
	[ "$status" -eq 1 ]
	[ "$SECONDS" -lt 20 ]
	retry 50 0.1 eval '[ -z "$(marked_hooks)" ]'
}

@test "hooks: a createContainer hook that outlives its timeout is killed too" {
	sh_hook createContainer "exec sleep 60" ', "timeout": 1, "env": ["HOOK_MARK='"$TEST_PREFIX"'"]'
	SECONDS=0
	create_ctr "$ID"
	[ "$status" -ne 0 ]
	[ "$SECONDS" -lt 20 ]
	[[ "$output" == *timeout* || "$output" == *"timed out"* ]]
	[ -z "$(marked_hooks)" ]
	runrt state "$ID"
	[ "$status" -ne 0 ]
}

@test "hooks: a failing prestart, createRuntime or createContainer hook aborts create; poststop runs" {
	local kind
	for kind in prestart createRuntime createContainer; do
		update_config 'del(.hooks)'
		rm -f "$OUT/order"
		hook "$kind" bad 3
		hook "$kind" after
		hook poststop stop
		echo "# $kind" >&2
		create_ctr "$ID"
		[ "$status" -eq 1 ]
		[[ "$output" == *"exit status 3"* ]]
		# the failing hook stops the list, the process never ran, poststop ran
		[ "$(order)" = "bad stop" ]
		runrt state "$ID"
		[ "$status" -ne 0 ]
	done
}

@test "hooks: a failing hook's output is in the error" {
	sh_hook createRuntime 'echo to-stdout; echo to-stderr >&2; exit 2'
	create_ctr "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *to-stdout* ]]
	[[ "$output" == *to-stderr* ]]
}

@test "hooks: a failing startContainer hook stops the container before its process runs" {
	hook startContainer bad 5
	hook startContainer after
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	runrt start "$ID"
	wait_status "$ID" stopped
	[ "$(order)" = bad ]
}

@test "hooks: a failing startContainer hook makes start fail with its error" {
	requires_rt "runc 1.1's start returns 0 and the init exits on its own"
	hook startContainer bad 5
	hook poststop stop
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	runrt start "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"startContainer hook 0"*"exit status 5"* ]]
	wait_status "$ID" stopped
	[ "$(order)" = bad ]
	runrt delete "$ID"
	[ "$status" -eq 0 ]
	[ "$(order)" = "bad stop" ]
}

@test "hooks: start waits for the startContainer hooks: they ran when it returns" {
	hook startContainer sc
	sh_hook startContainer 'sleep 0.3; echo slow-done >>/hookout/order'
	create_ctr "$ID"
	runrt start "$ID"
	[ "$status" -eq 0 ]
	skip_on runc "runc 1.1's start returns before the startContainer hooks ran"
	[ "$(head -n 2 "$OUT/order" | tr '\n' ' ')" = "sc slow-done " ]
}

@test "hooks: a failing poststart hook fails start and stops the container; poststop runs at delete" {
	skip_on runc "runc 1.1 runs poststart hooks during create (fixed in runc 1.2)"
	hook poststart bad 4
	hook poststart after
	hook poststop stop
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(ctr_pid "$ID")
	runrt start "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"poststart"*"exit status 4"* ]]
	[ "$(ctr_state "$ID")" = stopped ]
	retry 50 0.1 gone "$pid"
	[ "$(order)" = bad ]
	runrt delete "$ID"
	[ "$status" -eq 0 ]
	[ "$(order)" = "bad stop" ]
}

@test "hooks: a failing poststart hook makes run fail and remove the container" {
	skip_on runc "runc 1.1 runs poststart hooks during create (fixed in runc 1.2)"
	hook poststart bad 4
	hook poststop stop
	set_args sleep 100
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ "$(order)" = "bad stop" ]
	runrt state "$ID"
	[ "$status" -ne 0 ]
}

@test "hooks: a failing poststop hook is a warning: delete succeeds and the rest still run" {
	requires_rt "runc 1.1 stops at the first failing poststop hook and fails delete"
	hook poststop bad 6
	hook poststop bad2 7
	hook poststop after
	create_ctr "$ID"
	runrt delete "$ID"
	[ "$status" -eq 0 ]
	# a warning each
	[[ "$output" == *"poststop hook #0"*"exit status 6"* ]]
	[[ "$output" == *"poststop hook #1"*"exit status 7"* ]]
	[ "$(order)" = "bad bad2 after" ]
	runrt state "$ID"
	[ "$status" -ne 0 ]
}

@test "hooks: a relative hook path or a zero timeout is refused at create" {
	update_config '.hooks.prestart = [{"path": "bin/true"}]'
	create_ctr "$ID"
	[ "$status" -eq 1 ]
	! is_rt || [[ "$output" == *"hooks.prestart[0].path"* ]]
	runrt state "$ID"
	[ "$status" -ne 0 ]
	update_config '.hooks.prestart = [{"path": "/bin/true", "timeout": 0}]'
	create_ctr "$ID"
	[ "$status" -eq 1 ]
	runrt state "$ID"
	[ "$status" -ne 0 ]
}

@test "hooks: createContainer and startContainer hooks without env get the process's environment (as runc)" {
	update_config '.process.env += ["FROM_PROCESS=yes"]'
	hook createContainer cc
	hook startContainer sc
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	grep -qx FROM_PROCESS=yes "$OUT/cc.env"
	grep -qx FROM_PROCESS=yes "$OUT/sc.env"
	# not the runtime's own
	! grep -q '^RT_TEST_MARK=' "$OUT/cc.env"
}
