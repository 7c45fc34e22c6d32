#!/usr/bin/env bats
# Nothing left behind, whatever happens (issue 11): a create killed at any moment is
# cleaned up by `delete -f`, and no mount made for a container stays on the host.

load helpers

setup() {
	setup_rt
	LOAD_PIDS=()
}

teardown() {
	local p
	for p in "${LOAD_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	# the test's shared mount, with whatever a runtime left on it
	if [ -n "${SHARED_DIR:-}" ]; then
		while mountpoint -q "$SHARED_DIR"; do umount -l "$SHARED_DIR" || break; done
	fi
	teardown_rt
}

# A bundle in a directory whose name has a space, on a shared mount of its own (the
# host's / may be private): the container's rootfs has a shared parent mount, and
# mountinfo shows its path as "...with\040space...".  Sets BUNDLE.
shared_bundle_with_space() {
	SHARED_DIR="$TEST_DIR/with space"
	mkdir "$SHARED_DIR"
	mount -t tmpfs tmpfs "$SHARED_DIR"
	mount --make-shared "$SHARED_DIR"
	cp -a "$BUNDLE" "$SHARED_DIR/bundle"
	BUNDLE="$SHARED_DIR/bundle"
}

# One busy loop per CPU, so that create is preempted at every step.
cpu_load() {
	local i
	for ((i = 0; i < $(nproc); i++)); do
		(while :; do :; done) &
		LOAD_PIDS+=($!)
	done
}

# Mount points on the host under DIR (mountinfo escapes a space as \040).
host_mounts_under() {
	# (through the environment: awk -v would undo the escape)
	D=${1// /\\040} awk 'index($5, ENVIRON["D"]) == 1 { print $5 }' /proc/self/mountinfo
}

# The cgroup directories of container ID (default path /rt/ID) in every hierarchy.
cgroups_of() {
	local m
	for m in $(cgroup_mounts); do
		[ -d "$m/rt/$1" ] && echo "$m/rt/$1"
	done
	return 0
}

@test "kill -9 of create at a random moment: delete -f leaves nothing (rt)" {
	requires_rt "runc 1.1.5 leaves the cgroups of a killed create behind"
	local i id d pid st killed=0 done_=0 left fifo=$TEST_DIR/tick
	# the default cgroup path /rt/<id>: one cgroup per container
	update_config 'del(.linux.cgroupsPath)'
	# a sleep without a fork: read with a timeout on a FIFO nobody writes
	mkfifo "$fifo"
	exec {tick}<>"$fifo"
	snapshot_pids
	cpu_load
	for ((i = 0; i < 100; i++)); do
		id=$(new_id)
		d=$((RANDOM % 51))
		"$RT" --root "$ROOT" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 3>&- {tick}>&- &
		pid=$!
		read -r -t "$(printf '0.%03d' "$d")" -u "$tick" || true
		kill -KILL "$pid" 2>/dev/null || true
		st=0
		wait "$pid" 2>/dev/null || st=$?
		if [ "$st" -eq 137 ]; then killed=$((killed + 1)); else done_=$((done_ + 1)); fi
		run "$RT" --root "$ROOT" delete -f "$id"
		[ "$status" -eq 0 ] || { echo "delete -f $id after ${d}ms: $output" >&2; return 1; }
		run "$RT" --root "$ROOT" list
		[ "$status" -eq 0 ] || { echo "list after ${d}ms: $output" >&2; return 1; }
		[ ! -e "$ROOT/$id" ] || { echo "left after ${d}ms: state dir $id" >&2; return 1; }
		left=$(cgroups_of "$id")
		[ -z "$left" ] || { echo "left after ${d}ms: cgroups $left" >&2; return 1; }
	done
	exec {tick}>&-
	echo "killed during create: $killed, create finished first: $done_" >&2
	left=$(new_container_pids)
	[ -z "$left" ] || {
		ps -o pid,ppid,stat,comm,args -p "$(echo $left | tr ' ' ,)" >&2
		return 1
	}
	left=$(host_mounts_under "$TEST_DIR")
	[ -z "$left" ] || { echo "left: mounts $left" >&2; return 1; }
	# the test means something only if many kills landed inside create
	[ "$killed" -ge 10 ]
}

@test "a bundle under a path with a space on a shared mount, rootfsPropagation rshared: runs, leaves no host mount" {
	shared_bundle_with_space
	update_config '.linux.rootfsPropagation = "rshared"'
	set_args echo ran
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
	# only the shared mount itself: nothing of the container under it
	run host_mounts_under "$SHARED_DIR"
	echo "$output" >&2
	[ "${#lines[@]}" -eq 1 ]
}

@test "a failed create of a bundle on a shared mount, rootfsPropagation rshared: no host mount left" {
	shared_bundle_with_space
	update_config '.linux.rootfsPropagation = "rshared"'
	# fails after proc, sysfs, /dev and the rest are mounted
	update_config '.mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "none"}]'
	runrt create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"/mnt"* ]]
	run host_mounts_under "$SHARED_DIR"
	echo "$output" >&2
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "a stub stage that fails kills the stages it made: create fails in one line, no process left (rt)" {
	requires_rt "the message names rt's stage"
	# stage 0 fails writing the uid map while stage 1 waits for it
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}, {"containerID": 5, "hostID": 200000, "size": 10}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	snapshot_pids
	runrt --separate-stderr create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ -z "$(new_container_pids)" ]
	[ ! -e "$ROOT/$ID" ]
	[ -z "$(leaked_cgroups)" ]
}
