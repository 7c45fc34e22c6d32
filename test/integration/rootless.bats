#!/usr/bin/env bats
# Rootless: `spec --rootless` and the lifecycle run by an unprivileged user (made here when
# missing, with /etc/subuid and /etc/subgid ranges), state under $XDG_RUNTIME_DIR, the
# id maps through newuidmap/newgidmap, cgroups skipped when not delegated, and
# CVE-2023-25809 (the cgroup mount of a rootless container is read-only).

load helpers

RL_USER=rt-rootless-test

setup_file() {
	requires_root
	# One user for the whole file; removed at the end if this run made it.
	if ! getent passwd "$RL_USER" >/dev/null; then
		useradd -M -d /nonexistent -s /bin/sh -U "$RL_USER"
		touch "$BATS_FILE_TMPDIR/made-user"
	fi
	local f first
	for f in subuid subgid; do
		[ -f /etc/$f ] || touch /etc/$f
		grep -q "^$RL_USER:" /etc/$f && continue
		# after every range already given out
		first=$(awk -F: 'BEGIN { m = 100000 } { if ($2 + $3 > m) m = $2 + $3 } END { print m }' /etc/$f)
		if [ $f = subuid ]; then
			usermod --add-subuids "$first-$((first + 65535))" "$RL_USER"
		else
			usermod --add-subgids "$first-$((first + 65535))" "$RL_USER"
		fi
	done
	# The user must be able to run the runtime: a build under a private directory (root's
	# home, say) is copied to one it can reach.
	# (through env: setpriv itself still resolves its program with root's rights)
	if ! setpriv --reuid="$RL_USER" --regid="$RL_USER" --init-groups env "$RT" --version >/dev/null 2>&1; then
		local bin
		bin=$(mktemp -d "${BATS_TMPDIR:-/tmp}/rt-rootless-bin.XXXXXX")
		chmod 755 "$bin"
		cp "$RT" "$bin/"
		[ ! -x "$(dirname "$RT")/nsinit" ] || cp "$(dirname "$RT")/nsinit" "$bin/"
		echo "$bin" >"$BATS_FILE_TMPDIR/bin"
		export RT="$bin/$(basename "$RT")"
	fi
}

teardown_file() {
	[ ! -f "$BATS_FILE_TMPDIR/bin" ] || rm -rf "$(cat "$BATS_FILE_TMPDIR/bin")"
	[ -f "$BATS_FILE_TMPDIR/made-user" ] || return 0
	userdel "$RL_USER" 2>/dev/null || true
}

setup() {
	setup_rt
	RL_UID=$(id -u "$RL_USER")
	RL_GID=$(id -g "$RL_USER")
	# The user's runtime dir; the runtime keeps its state in $XDG_RUNTIME_DIR/<name>.
	XDG=$TEST_DIR/xdg
	mkdir -m 700 "$XDG"
	chown "$RL_USER:" "$XDG"
	ROOT=$XDG/$(runtime_name)
	# The user's own bundle, with the runtime's rootless spec.
	rm "$BUNDLE/config.json"
	chown -R "$RL_USER:" "$BUNDLE"
	as_user "$RT" spec --rootless --bundle "$BUNDLE"
	# no linux.cgroupsPath, as spec --rootless writes it: the cgroup is optional then
	update_config '.process.terminal = false'
	USER_CGS=()
}

teardown() {
	local d
	# the user deletes its own containers first: that is what is under test
	if [ -d "$ROOT" ]; then
		for d in "$ROOT"/*/; do
			[ -d "$d" ] && as_user "$RT" delete --force "$(basename "$d")" </dev/null >/dev/null 2>&1 3>&-
		done
	fi
	for d in "${USER_CGS[@]}"; do
		remove_cgroup_tree "$d"
	done
	teardown_rt
}

# as_user CMD...: CMD as the unprivileged user, with its XDG_RUNTIME_DIR.
as_user() {
	setpriv --reuid="$RL_USER" --regid="$RL_USER" --init-groups \
		env HOME=/ XDG_RUNTIME_DIR="$XDG" "$@"
}

# rl ARG...: the runtime as the user, with no --root (the default must be the user's):
# sets $status and $output like runrt.
rl() {
	local opts=()
	if [ "${1:-}" = --separate-stderr ]; then
		opts=(--separate-stderr)
		shift
	fi
	run "${opts[@]}" as_user "$RT" "$@"
	echo "(as $RL_USER) $(basename "$RT") $* (status=$status):" >&2
	echo "$output" >&2
	if [ ${#opts[@]} -gt 0 ]; then echo "stderr: $stderr" >&2; fi
}

# rl_logged ID ARG...: like rt_logged, as the user.
rl_logged() {
	local id=$1 log="$TEST_DIR/$1.log"
	shift
	status=0
	as_user "$RT" "$@" </dev/null >>"$log" 2>&1 3>&- || status=$?
	output=$(cat "$log")
	echo "(as $RL_USER) $(basename "$RT") $* (status=$status):" >&2
	echo "$output" >&2
}

rl_state() {
	as_user "$RT" state "$1" 2>/dev/null | jq -r ".${2:-status}"
}

rl_status_is() {
	[ "$(rl_state "$1")" = "$2" ]
}

rl_wait_status() {
	retry 50 0.1 rl_status_is "$1" "$2"
}

# Live processes of the user that this test started (RT_TEST_MARK in their environment).
marked_pids() {
	local pid
	for pid in $(pgrep -u "$RL_USER"); do
		[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ] || continue
		tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "RT_TEST_MARK=$TEST_PREFIX" &&
			echo "$pid"
	done
}

# The first host id of the user's subordinate range in /etc/subuid (or subgid).
sub_start() {
	awk -F: -v u="$RL_USER" '$1 == u { print $2; exit }' "/etc/$1"
}

requires_map_tools() {
	[ -u /usr/bin/newuidmap ] && [ -u /usr/bin/newgidmap ] ||
		skip "newuidmap/newgidmap missing: install uidmap (scripts/deps.sh)"
}

@test "rootless: spec --rootless maps the user to root, no network namespace, no resources" {
	run jq -c '[.linux.uidMappings, .linux.gidMappings, ([.linux.namespaces[].type] | sort), .linux.resources]' "$BUNDLE/config.json"
	[ "$output" = "[[{\"containerID\":0,\"hostID\":$RL_UID,\"size\":1}],[{\"containerID\":0,\"hostID\":$RL_GID,\"size\":1}],[\"ipc\",\"mount\",\"pid\",\"user\",\"uts\"],null]" ]
}

@test "rootless: run by the user: root inside is the user outside, state under \$XDG_RUNTIME_DIR" {
	update_config '.root.readonly = false'
	set_args sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; touch /tmp/made; echo ready; sleep 100'
	rl_logged "$ID" run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" ready
	local -a l
	mapfile -t l < <(grep -v 'level=warning' "$TEST_DIR/$ID.log")
	[ "${l[0]}" = 0 ]
	[ "${l[1]}" = 0 ]
	[ "$(echo ${l[2]})" = "0 $RL_UID 1" ]
	[ "$(echo ${l[3]})" = "0 $RL_GID 1" ]
	# mapping only its own gid, the user must deny setgroups (or it could drop groups)
	[ "${l[4]}" = deny ]
	# the state is the user's, in its runtime dir
	[ -f "$ROOT/$ID/state.json" ]
	[ "$(stat -c %U "$ROOT/$ID")" = "$RL_USER" ]
	local pid
	pid=$(rl_state "$ID" pid)
	[ "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" = "$RL_UID" ]
	[ "$(awk '/^Gid:/ { print $2 }' "/proc/$pid/status")" = "$RL_GID" ]
	# what root made in the container belongs to the user
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/tmp/made")" = "$RL_UID:$RL_GID" ]
}

@test "rootless: state, list, exec, kill and delete of the user's containers" {
	set_args sleep 100
	rl_logged "$ID" create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$(rl_state "$ID")" = created ]
	rl list -q
	[ "$output" = "$ID" ]
	rl start "$ID"
	[ "$status" -eq 0 ]
	rl_wait_status "$ID" running
	rl list
	[[ "${lines[1]}" =~ ^$ID\ +[0-9]+\ +running\ +$BUNDLE\ .*\ $RL_USER$ ]]
	rl exec "$ID" sh -c 'id -u; cat /proc/self/uid_map'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "$(echo ${lines[1]})" = "0 $RL_UID 1" ]
	rl delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not stopped"* ]]
	rl kill "$ID" KILL
	[ "$status" -eq 0 ]
	rl_wait_status "$ID" stopped
	rl delete "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
	rl list -q
	[ -z "$output" ]
	# root's state stays apart: the user's default root is not /run/<runtime>
	[ ! -e "/run/$(runtime_name)/$ID" ]
}

@test "rootless: --root still wins over \$XDG_RUNTIME_DIR" {
	mkdir -m 700 "$TEST_DIR/other"
	chown "$RL_USER:" "$TEST_DIR/other"
	set_args true
	run as_user "$RT" --root "$TEST_DIR/other" run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "rootless: several id ranges through newuidmap and newgidmap" {
	requires_map_tools
	local su sg
	su=$(sub_start subuid)
	sg=$(sub_start subgid)
	update_config ".root.readonly = false
		| .linux.uidMappings = [{\"containerID\": 0, \"hostID\": $RL_UID, \"size\": 1}, {\"containerID\": 1, \"hostID\": $su, \"size\": 65536}]
		| .linux.gidMappings = [{\"containerID\": 0, \"hostID\": $RL_GID, \"size\": 1}, {\"containerID\": 1, \"hostID\": $sg, \"size\": 65536}]
		| .process.user = {\"uid\": 1000, \"gid\": 1000}"
	set_args sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u; touch /tmp/by1000'
	rl run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local -a l
	mapfile -t l < <(grep -v 'level=warning' <<<"$output")
	[ "$(echo ${l[0]})" = "0 $RL_UID 1" ]
	[ "$(echo ${l[1]})" = "1 $su 65536" ]
	[ "$(echo ${l[2]})" = "0 $RL_GID 1" ]
	[ "$(echo ${l[3]})" = "1 $sg 65536" ]
	# newgidmap decides setgroups when it writes the map (runc leaves it to it)
	[ "${l[4]}" = allow ]
	[ "${l[5]}" = 1000 ]
	# uid 1000 inside is the 1000th subordinate id outside
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/tmp/by1000")" = "$((su + 999)):$((sg + 999))" ]
}

@test "rootless: 200 uid ranges through newuidmap (rt)" {
	requires_rt "runc 1.1 passes at most 20 arguments (6 ranges) to newuidmap"
	requires_map_tools
	local su sg maps
	su=$(sub_start subuid)
	sg=$(sub_start subgid)
	# 0 -> the user, then container ids 1..199 one by one onto subordinate ids (600
	# numbers for newuidmap; the map's text stays under the kernel's page for uid_map)
	maps=$(jq -cn --argjson u "$RL_UID" --argjson s "$su" \
		'[{containerID: 0, hostID: $u, size: 1}] + [range(1; 200) | {containerID: ., hostID: ($s + . - 1), size: 1}]')
	update_config ".linux.uidMappings = $maps
		| .linux.gidMappings = [{\"containerID\": 0, \"hostID\": $RL_GID, \"size\": 1}, {\"containerID\": 1, \"hostID\": $sg, \"size\": 65536}]"
	set_args sh -c 'wc -l </proc/self/uid_map; tail -n1 /proc/self/uid_map'
	rl run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local -a l
	mapfile -t l < <(grep -v -e '^rt: warning' -e 'level=warning' <<<"$output")
	[ "$(echo ${l[0]})" = 200 ]
	[ "$(echo ${l[1]})" = "199 $((su + 198)) 1" ]
}

@test "rootless: a range the user was not given is refused" {
	requires_map_tools
	update_config '.linux.uidMappings += [{"containerID": 1, "hostID": 1, "size": 10}]'
	set_args true
	rl run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	if is_rt; then
		[[ "$output" == *"newuidmap failed"* ]]
	fi
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "rootless: the cgroup is skipped with a warning when it is not delegated" {
	set_args sh -c 'cat /proc/self/cgroup'
	rl run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	# it ran where the user is, not in a cgroup of its own
	[ -z "$(grep -E "^[0-9]+:.*/$ID\$" <<<"$output")" ]
	[ -z "$(leaked_cgroups)" ]
	if is_rt; then
		[[ "$output" == *"level=warning msg=\"cgroup /rt/$ID: not delegated, continuing without ("*"permission denied)"* ]]
		[ "$(grep -c "not delegated" <<<"$output")" -eq 1 ]
	fi
}

# runc: a cgroup asked for by its path is not optional.
@test "rootless: a linux.cgroupsPath that is not delegated: one-line error, nothing left" {
	set_cgroup_path "$CGROUP_PARENT/$ID"
	set_args sh -c 'echo RAN'
	rl --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" != *RAN* ]]
	[[ "$stderr" == *"ermission denied"* ]]
	if is_rt; then
		[ "$(echo "$stderr" | wc -l)" -eq 1 ]
		[[ "$stderr" == "rt: run $ID: linux.cgroupsPath $CGROUP_PARENT/$ID: not delegated to this user: mkdir "*": permission denied" ]]
	fi
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
	[ -z "$(leaked_cgroups)" ]
	[ -z "$(marked_pids)" ]
}

@test "rootless: limits without a delegated cgroup: one-line error, nothing left" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 100}}'
	set_args sh -c 'echo RAN'
	rl --separate-stderr run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" != *RAN* ]]
	[[ "$stderr" == *"memory"* ]]
	if is_rt; then
		[ "$(echo "$stderr" | wc -l)" -eq 1 ]
		[[ "$stderr" == "rt: run $ID: cannot set the memory limit: cgroup /rt/$ID is not delegated to this user: "* ]]
	fi
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
	[ -z "$(leaked_cgroups)" ]
	[ -z "$(marked_pids)" ]
}

# A cgroup root made for the user (as systemd delegates one): the container gets its own
# cgroup with limits, and its cgroup mount stays writable as the spec asks.
@test "rootless: a delegated cgroup: limits set, the container in it" {
	local parent=$CGROUP_PARENT/$TEST_PREFIX-deleg m
	for m in $(cgroup_mounts); do
		[ "$m" = "$CGROUP_MNT/unified" ] && continue
		mkdir -p "$m$parent"
		# a new cpuset cgroup has no cpus or mems: the user could not fill the parent
		if [ -f "$m$parent/cpuset.cpus" ]; then
			cat "$m/cpuset.cpus" >"$m$CGROUP_PARENT/cpuset.cpus" 2>/dev/null || true
			cat "$m/cpuset.mems" >"$m$CGROUP_PARENT/cpuset.mems" 2>/dev/null || true
			cat "$m/cpuset.cpus" >"$m$parent/cpuset.cpus"
			cat "$m/cpuset.mems" >"$m$parent/cpuset.mems"
		fi
		chown -R "$RL_USER:" "$m$parent"
		USER_CGS+=("$m$parent")
	done
	update_config ".linux.cgroupsPath = \"$parent/$ID\"
		| .linux.resources = {\"memory\": {\"limit\": 67108864}, \"pids\": {\"limit\": 100}}
		| (.mounts[] | select(.destination == \"/sys/fs/cgroup\") | .options) |= map(select(. != \"ro\"))"
	set_args sh -c 'grep -E ":(pids|memory):" /proc/self/cgroup; mkdir /sys/fs/cgroup/pids/sub && echo MKDIR-OK; rmdir /sys/fs/cgroup/pids/sub; echo ready; sleep 100'
	rl_logged "$ID" run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	wait_log "$ID" ready
	output=$(container_log "$ID")
	[[ "$output" != *"not delegated"* ]]
	[[ "$output" == *":pids:$parent/$ID"* ]]
	[[ "$output" == *":memory:$parent/$ID"* ]]
	[[ "$output" == *MKDIR-OK* ]]
	[ "$(cat "$CGROUP_MNT/memory$parent/$ID/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$CGROUP_MNT/pids$parent/$ID/pids.max")" = 100 ]
	rl delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$CGROUP_MNT/pids$parent/$ID" ]
}

# ---- CVE-2023-25809: a rootless container could write its user's cgroup ----

# The user's own cgroup is delegated to it (as systemd does for user@UID.service), the
# container's is not: without a cgroup of its own the container stays in the user's, and
# a cgroup mount asked "rw" would give it that cgroup to write (a bind of it, or with a
# cgroup namespace a mount rooted at it).  It must be read-only.
# cgroup_escape [JQ]: try it, with the config edited by JQ too.
cgroup_escape() {
	local USER_CG=$CGROUP_MNT/pids$CGROUP_PARENT/$TEST_PREFIX-user
	mkdir -p "$USER_CG"
	USER_CGS+=("$USER_CG")
	chown -R "$RL_USER:" "$USER_CG"
	update_config "(.mounts[] | select(.destination == \"/sys/fs/cgroup\") | .options) |= map(select(. != \"ro\")) ${1:+| $1}"
	set_args sh -c 'grep :pids: /proc/self/cgroup
		mkdir /sys/fs/cgroup/pids/escape && echo MKDIR-OK
		echo 1 >/sys/fs/cgroup/pids/cgroup.procs && echo WRITE-OK
		grep " /sys/fs/cgroup/pids " /proc/self/mountinfo'
	# the user's runtime runs in the user's cgroup
	run sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$USER_CG" \
		setpriv --reuid="$RL_USER" --regid="$RL_USER" --init-groups \
		env HOME=/ XDG_RUNTIME_DIR="$XDG" "$RT" run --bundle "$BUNDLE" "$ID"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[[ "$output" == *"mkdir: can't create directory '/sys/fs/cgroup/pids/escape': Read-only file system"* ]]
	[[ "$output" == *"/sys/fs/cgroup/pids/cgroup.procs: Read-only file system"* ]]
	[[ "$output" != *MKDIR-OK* ]]
	[[ "$output" != *WRITE-OK* ]]
	[[ "$output" =~ " /sys/fs/cgroup/pids ro," ]]
	[ ! -e "$USER_CG/escape" ]
}

@test "CVE-2023-25809: a rootless container's cgroup mount is read-only when not delegated" {
	requires_rt "runc makes the container a cgroup below its own, the user's: delegated"
	cgroup_escape
	# the container is in the user's cgroup (bound there as its /sys/fs/cgroup/pids)
	[[ "$output" == *":pids:$CGROUP_PARENT/$TEST_PREFIX-user"* ]]
}

@test "CVE-2023-25809: ... and so with a cgroup namespace rooted at the user's cgroup" {
	requires_rt "runc makes the container a cgroup below its own, the user's: delegated"
	cgroup_escape '.linux.namespaces += [{"type": "cgroup"}]'
	[[ "$output" == *":pids:/"* ]]
}
