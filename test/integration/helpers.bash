#!/bin/bash
# Helpers for rt's bats suites, in the manner of runc's tests/integration/helpers.bash.
#
# Every suite runs against any runc-compatible runtime:
#   RT=/usr/sbin/runc bats test/integration      (the reference)
#   bats test/integration                        (the repo's build/rt)
# Tests run as root and prove behaviour by running a real container from a busybox bundle.
# Each test gets its own --root, bundle, container ids and cgroup paths (/rt-test/<id>), and
# teardown removes all of it, failing the test if anything was left behind.

# run --separate-stderr needs bats 1.5 (Debian 12 has 1.8.2).
bats_require_minimum_version 1.5.0

INTEGRATION_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$INTEGRATION_ROOT/../.." && pwd)

RT=${RT:-$REPO_ROOT/build/rt}
if [[ "$RT" != */* ]]; then
	RT=$(command -v "$RT" || echo "$RT")
fi
# Tests run the runtime through `bash -c` too: it must see the same RT.
export RT
# The dump tool sits beside rt (build/ or P/bin/).
RT_DUMP=${RT_DUMP:-$(dirname "$RT")/rt-bootstrap-dump}

CGROUP_MNT=/sys/fs/cgroup
# Absolute cgroup paths of our own: never under the test process's cgroup (the memory one
# belongs to the machine).
CGROUP_PARENT=/rt-test

# Which runtime $RT is: rt, runc, crun, ... (the first word of `$RT --version`).
runtime_name() {
	if [ -z "${__RT_NAME:-}" ]; then
		__RT_NAME=$("$RT" --version 2>/dev/null | awk 'NR == 1 && $2 == "version" { print $1 }')
		: "${__RT_NAME:=unknown}"
	fi
	echo "$__RT_NAME"
}

# Is $RT rt (as opposed to runc, crun, ...)? rt-only tests skip otherwise.
is_rt() {
	[ "$(runtime_name)" = rt ]
}

# skip_on NAME WHY: skip when RT is the runtime NAME, which lacks the feature (a known
# difference of the reference, said in WHY).
skip_on() {
	[ "$(runtime_name)" != "$1" ] || skip "$1 lacks this: $2"
}

# requires_rt [WHY]: skip unless RT is rt (WHY: what the others lack, e.g. runc 1.1 ignores X).
requires_rt() {
	is_rt || skip "rt-only test: RT=$RT is not rt${1:+ ($1)}"
}

requires_root() {
	[ "$(id -u)" = 0 ] || skip "test requires root"
}

# The base bundle is made once per bats run (and kept in $BATS_RUN_TMPDIR).
base_bundle() {
	local base="$BATS_RUN_TMPDIR/base-bundle"
	if [ ! -f "$base/.done" ]; then
		# bats runs files one after another unless -j: a mkdir lock makes -j safe too.
		until mkdir "$base.lock" 2>/dev/null; do sleep 0.1; done
		if [ ! -f "$base/.done" ]; then
			rm -rf "$base"
			# The built-in config (runc spec's), whatever RT is: every runtime gets the same.
			env -u RT "$REPO_ROOT/scripts/make-bundle.sh" "$base" sh >&2 || {
				rmdir "$base.lock"
				return 1
			}
			touch "$base/.done"
		fi
		rmdir "$base.lock"
	fi
	echo "$base"
}

# Per-test set-up: call from each suite's setup().
# Sets TEST_DIR, ROOT (--root), BUNDLE, ID (a unique container id; new_id makes more).
setup_rt() {
	requires_root
	[ -x "$RT" ] || skip "no runtime at RT=$RT (build rt, or set RT=/usr/sbin/runc)"
	local base
	base=$(base_bundle) || return 1
	TEST_DIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/rt-test.XXXXXX")
	# Readable by the container's users (user namespaces map root to other uids).
	chmod 755 "$TEST_DIR"
	ROOT=$TEST_DIR/state
	BUNDLE=$TEST_DIR/bundle
	cp -a "$base" "$BUNDLE"
	rm -f "$BUNDLE/.done"
	TEST_PREFIX="rtt${BATS_ROOT_PID:-$PPID}-${BATS_SUITE_TEST_NUMBER:-$BATS_TEST_NUMBER}"
	# Marks the processes this test starts (and what the runtime forks, if it passes its
	# environment on), to tell them from other containers of the machine.
	export RT_TEST_MARK=$TEST_PREFIX
	echo 0 >"$TEST_DIR/.seq"
	ID=$(new_id)
	set_cgroup_path "$CGROUP_PARENT/$ID"
}

# A fresh container id, unique on this machine for this run.
# (The counter lives in a file: new_id is called in $(...).)
new_id() {
	local n
	n=$(($(cat "$TEST_DIR/.seq") + 1))
	echo "$n" >"$TEST_DIR/.seq"
	echo "$TEST_PREFIX-$n"
}

# tool NAME: the path of a test tool (test/tools, built into build/): in $RT_TOOLS (or
# $RT_TOOLS_DIR), beside the runtime, or in build/ (RT may be another runtime).
tool() {
	local t
	for t in ${RT_TOOLS:+"$RT_TOOLS/$1"} ${RT_TOOLS_DIR:+"$RT_TOOLS_DIR/$1"} \
		"$(dirname "$RT")/$1" "$REPO_ROOT/build/$1"; do
		[ -x "$t" ] && echo "$t" && return 0
	done
	echo "test tool $1 is not built (cmake --build)" >&2
	return 1
}

# update_config 'jq expression' [bundle]: edit config.json in place.
update_config() {
	local bundle=${2:-$BUNDLE}
	jq "$1" "$bundle/config.json" >"$bundle/config.json.tmp" &&
		mv "$bundle/config.json.tmp" "$bundle/config.json"
}

# A JSON array of strings from arguments (jq 1.6's --args eats arguments like -c).
json_array() {
	local a
	for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -cs .
}

# set_args ARG...: process.args of the bundle.
set_args() {
	update_config ".process.args = $(json_array "$@")"
}

set_cgroup_path() {
	update_config ".linux.cgroupsPath = \"$1\""
}

# Copy the bundle for a second container (config and rootfs), print its path.
clone_bundle() {
	local dst="$TEST_DIR/bundle-$1"
	cp -a "$BUNDLE" "$dst"
	echo "$dst"
}

# Run the runtime with this test's root, like runc's `runc` helper: sets $status and $output
# (stdout and stderr; `runrt --separate-stderr ...` keeps stderr in $stderr).
runrt() {
	local opts=()
	if [ "${1:-}" = --separate-stderr ]; then
		opts=(--separate-stderr)
		shift
	fi
	run "${opts[@]}" __rt "$@"
	echo "$(basename "$RT") $* (status=$status):" >&2
	echo "$output" >&2
	if [ ${#opts[@]} -gt 0 ]; then echo "stderr: $stderr" >&2; fi
}

__rt() {
	"$RT" --root "$ROOT" "$@"
}

# rt_logged ID ARG...: run "$RT --root $ROOT ARG..." with stdin from /dev/null and stdout and
# stderr to $TEST_DIR/ID.log, waiting for it.  For commands that leave a container process
# behind holding the runtime's stdio (create, run -d): bats' `run` would wait for that
# pipe to close.  Sets $status and $output (what the log holds on return).
rt_logged() {
	local id=$1
	shift
	local log="$TEST_DIR/$id.log"
	status=0
	"$RT" --root "$ROOT" "$@" </dev/null >>"$log" 2>&1 3>&- || status=$?
	output=$(cat "$log")
	echo "$(basename "$RT") $* (status=$status):" >&2
	echo "$output" >&2
}

# What the container ID wrote to its stdio so far (create / run -d / rt_run_bg).
container_log() {
	cat "$TEST_DIR/$1.log"
}

# create_ctr ID [ARG...]: `create --bundle BUNDLE ARG... ID`, stdio to the log.
create_ctr() {
	local id=$1
	shift
	rt_logged "$id" create --bundle "${CTR_BUNDLE:-$BUNDLE}" "$@" "$id"
}

# run_detached ID [ARG...]: `run -d --bundle BUNDLE ARG... ID`, stdio to the log.
run_detached() {
	local id=$1
	shift
	rt_logged "$id" run -d --bundle "${CTR_BUNDLE:-$BUNDLE}" "$@" "$id"
}

# rt_run_bg ID [ARG...]: a foreground `run` as a background job; its pid in RUN_PID.
# `wait $RUN_PID` gives run's exit status.
rt_run_bg() {
	local id=$1
	shift
	"$RT" --root "$ROOT" run --bundle "${CTR_BUNDLE:-$BUNDLE}" "$@" "$id" \
		</dev/null >>"$TEST_DIR/$id.log" 2>&1 3>&- &
	RUN_PID=$!
}

# The container's state field (status, pid, ...), or nothing.
ctr_state() {
	"$RT" --root "$ROOT" state "$1" 2>/dev/null | jq -r ".${2:-status}"
}

ctr_pid() {
	ctr_state "$1" pid
}

# retry N DELAY CMD...: run CMD until it succeeds, at most N times.
retry() {
	local attempts=$1 delay=$2 i
	shift 2
	for ((i = 0; i < attempts; i++)); do
		"$@" && return 0
		sleep "$delay"
	done
	echo "retry: '$*' failed $attempts times" >&2
	return 1
}

status_is() {
	[ "$(ctr_state "$1")" = "$2" ]
}

# wait_status ID STATUS: wait up to 5 s for the container to reach STATUS.
wait_status() {
	retry 50 0.1 status_is "$1" "$2"
}

# wait_log ID PATTERN: wait up to 5 s for the container's log to match PATTERN (grep -E).
wait_log() {
	retry 50 0.1 grep -qE "$2" "$TEST_DIR/$1.log"
}

# The path of the container's cgroup in CONTROLLER's hierarchy, read from the host's
# /proc/PID/cgroup ("" for cgroup2).
cgroup_of_pid() {
	local pid=$1 ctrl=$2
	if [ -z "$ctrl" ]; then
		sed -n 's/^0:://p' "/proc/$pid/cgroup"
	else
		awk -F: -v c="$ctrl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
			"/proc/$pid/cgroup"
	fi
}

# The v1 controller mount points on the host (and cgroup2's, last).
cgroup_mounts() {
	awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo |
		grep "^$CGROUP_MNT/"
}

# Directories named TEST_PREFIX* in any hierarchy, at most 3 levels down (deepest first).
leaked_cgroups() {
	local m
	for m in $(cgroup_mounts); do
		find "$m" -mindepth 1 -maxdepth 3 -type d -name "$TEST_PREFIX*" 2>/dev/null
	done | sort -r
}

# Remove a cgroup directory after killing (by pid) what is left in it: processes we started.
remove_cgroup() {
	local dir=$1 pid i
	for ((i = 0; i < 50; i++)); do
		rmdir "$dir" 2>/dev/null && return 0
		[ -d "$dir" ] || return 0
		for pid in $(cat "$dir/cgroup.procs" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		# A frozen v1 cgroup keeps its tasks: thaw it so SIGKILL is delivered.
		[ -f "$dir/freezer.state" ] && echo THAWED >"$dir/freezer.state" 2>/dev/null
		sleep 0.1
	done
	echo "could not remove cgroup $dir" >&2
	return 1
}

# Remove a cgroup and everything below it, deepest first.
remove_cgroup_tree() {
	local d
	[ -d "$1" ] || return 0
	for d in $(find "$1" -mindepth 1 -type d | sort -r); do
		remove_cgroup "$d"
	done
	remove_cgroup "$1"
}

# Per-test tear-down: call from each suite's teardown().  Deletes every container in the
# test's root, then checks (and cleans) what must not be left: state dirs, cgroups,
# mounts under the test dir.  Anything found fails the test, after it was cleaned.
teardown_rt() {
	[ -n "${TEST_DIR:-}" ] || return 0
	local leaks=() id ids d m
	if [ -d "$ROOT" ]; then
		ids=$(timeout 10 "$RT" --root "$ROOT" list -q 2>/dev/null </dev/null 3>&-)
		for d in "$ROOT"/*/; do
			[ -d "$d" ] && ids+=$'\n'$(basename "$d")
		done
		for id in $(echo "$ids" | sort -u); do
			timeout 10 "$RT" --root "$ROOT" delete --force "$id" </dev/null >/dev/null 2>&1 3>&-
		done
		# A container whose delete worked leaves nothing; anything else is a leak.
		for d in "$ROOT"/*; do
			[ -e "$d" ] || continue
			leaks+=("state: $d")
		done
	fi
	# Background `run` jobs of the test: they end once their container is gone.
	for m in $(jobs -p); do
		retry 50 0.1 eval "! kill -0 $m 2>/dev/null" 2>/dev/null || {
			leaks+=("process: $m (a background job of the test)")
			kill -KILL "$m" 2>/dev/null
		}
		wait "$m" 2>/dev/null
	done
	for d in $(leaked_cgroups); do
		leaks+=("cgroup: $d")
		remove_cgroup_tree "$d"
	done
	while read -r m; do
		[ -n "$m" ] || continue
		leaks+=("mount: $m")
		umount -l "$m" 2>/dev/null
	done < <(awk -v t="$TEST_DIR" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
	# The parent we made (/rt-test): removed once empty (rmdir fails while in use).
	for m in $(cgroup_mounts); do
		rmdir "$m$CGROUP_PARENT" 2>/dev/null
	done
	rm -rf "$TEST_DIR"
	if [ "${#leaks[@]}" -gt 0 ]; then
		printf 'teardown: left behind: %s\n' "${leaks[@]}" >&2
		return 1
	fi
}

# Run a shell in the container and print its output: container_sh 'id -u'.
# (Foreground run with the bundle's config; sets $status/$output like runrt.)
run_sh() {
	set_args sh -c "$1"
	runrt run --bundle "$BUNDLE" "$ID"
}

# ---- resources (issue 3): cgroup files, and a pure cgroup2 view ----

# The directory of the container's cgroup in a v1 controller's hierarchy (ID by default).
v1_cg() {
	echo "$CGROUP_MNT/$1$CGROUP_PARENT/${2:-$ID}"
}

# rtv2 ARG...: "$RT --root $ROOT ARG..." in a pure cgroup2 view: a private mount
# namespace with cgroup2 on /sys/fs/cgroup, inside a cgroup namespace rooted at V2_ROOT
# (a cgroup of the test's own under the host's cgroup2 mount), so nothing the runtime does
# can reach the real cgroup2 root.  stdio to $TEST_DIR/v2.log; sets $status, $output
# and $lines.
# Containers made there must be deleted there: call v2_teardown before teardown_rt.
rtv2() {
	V2_ROOT=$CGROUP_MNT/unified/$TEST_PREFIX-v2
	mkdir -p "$V2_ROOT"
	status=0
	__rtv2 "$@" </dev/null >"$TEST_DIR/v2.log" 2>&1 3>&- || status=$?
	output=$(cat "$TEST_DIR/v2.log")
	mapfile -t lines <<<"$output"
	echo "v2: $(basename "$RT") $* (status=$status):" >&2
	echo "$output" >&2
}

# (The runtime itself runs in a leaf, V2_ROOT/rtv2-ctl, so that V2_ROOT holds no process
# and can pass controllers on to the containers' cgroups.)
__rtv2() {
	unshare -m sh -c 'echo $$ >"$1/cgroup.procs" && shift &&
		exec unshare -C sh -c "mount --make-rprivate / && umount -l /sys/fs/cgroup &&
			mount -t cgroup2 none /sys/fs/cgroup && mkdir -p /sys/fs/cgroup/rtv2-ctl &&
			echo \$\$ >/sys/fs/cgroup/rtv2-ctl/cgroup.procs && exec \"\$@\"" sh "$@"' \
		sh "$V2_ROOT" "$RT" --root "$ROOT" "$@"
}

# rtv2_bg LOG ARG...: rtv2 in the background, stdout and stderr to LOG; its pid in BG_PID.
rtv2_bg() {
	local log=$1
	shift
	V2_ROOT=$CGROUP_MNT/unified/$TEST_PREFIX-v2
	mkdir -p "$V2_ROOT"
	__rtv2 "$@" </dev/null >"$log" 2>&1 3>&- &
	BG_PID=$!
}

# The directory of a container's cgroup as the host sees it, for a container made by rtv2.
v2_cg() {
	echo "$CGROUP_MNT/unified/$TEST_PREFIX-v2$CGROUP_PARENT/${1:-$ID}"
}

# Delete (in the view) every container of the test's root and remove V2_ROOT.
v2_teardown() {
	[ -n "${V2_ROOT:-}" ] || return 0
	local d
	for d in "$ROOT"/*/; do
		[ -d "$d" ] && rtv2 delete --force "$(basename "$d")"
	done
	remove_cgroup_tree "$V2_ROOT"
	V2_ROOT=
}

# v2_available: is there a cgroup2 mount to make the pure view from?
v2_available() {
	[ -f "$CGROUP_MNT/unified/cgroup.procs" ]
}

# A container that counts into $TEST_DIR/out/count (the pause suites): its last value.
count() {
	cat "$TEST_DIR/out/count" 2>/dev/null
}

# The counter moves within 3 seconds.
counting() {
	local a b i
	a=$(count)
	for ((i = 0; i < 30; i++)); do
		sleep 0.1
		b=$(count)
		[ "$a" != "$b" ] && break
	done
	echo "count $a -> $b" >&2
	[ "$a" != "$b" ]
}

# tasks_frozen DIR: the cgroup DIR has processes and the kernel reports every one of them
# frozen (v1 freezer.state FROZEN, not FREEZING; v2 cgroup.events "frozen 1"): none of them
# can run, which watching for half a second that nothing moves could not prove.
tasks_frozen() {
	[ -n "$(cat "$1/cgroup.procs")" ] || return 1
	if [ -f "$1/freezer.state" ]; then
		grep -qx FROZEN "$1/freezer.state"
	else
		grep -qx "frozen 1" "$1/cgroup.events"
	fi
}

# in_poll PID: the process (a thread of it: Go's runc waits in its netpoller) sleeps in
# poll(2) or epoll: it waits for an event rather than going on.
in_poll() {
	local w
	for w in /proc/$1/task/*/wchan; do
		[[ "$(cat "$w" 2>/dev/null)" == *poll* ]] && return 0
	done
	return 1
}

# ---- failures: one line, status 1, nothing left (errors.bats, hardening.bats) ----

# The error of the last runrt --separate-stderr: exit 1, nothing on stdout, one line on
# stderr.
one_line_error() {
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" != *"broken pipe"* ]]
}

# Nothing of container ID may be left: no state dir, no cgroup, no process.
nothing_left() {
	local id=$1 left
	[ ! -e "$ROOT/$id" ] || { echo "left: state dir $ROOT/$id" >&2; return 1; }
	runrt list -q
	[[ "$output" != *"$id"* ]]
	left=$(leaked_cgroups)
	[ -z "$left" ] || { echo "left: cgroups $left" >&2; return 1; }
	left=$(new_container_pids)
	[ -z "$left" ] || {
		echo "left: processes:" >&2
		ps -o pid,ppid,stat,comm,args -p "$(echo $left | tr ' ' ,)" >&2
		return 1
	}
}

# Processes of this test that appeared since snapshot_pids and are not the test's own
# children: what the runtime left behind.  "Of this test": in one of its cgroups, or with
# its RT_TEST_MARK in their environment (other containers may run on this machine).
snapshot_pids() {
	ls /proc | grep -E '^[0-9]+$' | sort >"$TEST_DIR/pids.before"
}

descends_from() { # descends_from PID ANCESTOR
	local p=$1
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		[ "$p" = "$2" ] && return 0
		p=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null)
	done
	return 1
}

new_container_pids() {
	local pid
	for pid in $(ls /proc | grep -E '^[0-9]+$' | sort | comm -13 "$TEST_DIR/pids.before" -); do
		[ -d "/proc/$pid" ] || continue
		[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || continue
		descends_from "$pid" "$$" && continue
		if grep -q "/$TEST_PREFIX" "/proc/$pid/cgroup" 2>/dev/null ||
			{ tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "RT_TEST_MARK=$TEST_PREFIX"; then
			echo "$pid"
		fi
	done
}
