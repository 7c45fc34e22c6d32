#!/usr/bin/env bats
# linux.resources on this machine's cgroup v1 controllers: every field lands in the
# kernel's files, and the container lives under those limits.  Fields the kernel here
# lacks (rdma, blkio leaf weights, ...) get a clear error.

load helpers

setup() {
	setup_rt
	set_args sleep 100
	LOOP=
	RT_PARENT=
}

teardown() {
	# a loop device switched to BFQ for weightDevice goes back to what it had
	if [ -n "$LOOP" ]; then
		echo "$LOOP_SCHED" >"/sys/block/$LOOP/queue/scheduler" || true
	fi
	# a parent of the test's own: its containers go first, then it, then the checks
	local m
	if [ -n "$RT_PARENT" ]; then
		"$RT" --root "$ROOT" delete --force "$ID" >/dev/null 2>&1 </dev/null 3>&-
		for m in $(cgroup_mounts); do
			rmdir "$m$RT_PARENT" 2>/dev/null || true
		done
	fi
	teardown_rt
}

# A whole disk's MAJ:MIN (no loop, ram or zram device), for the throttle files.
a_disk() {
	local d
	for d in /sys/block/*; do
		case ${d##*/} in loop* | ram* | zram*) continue ;; esac
		cat "$d/dev"
		return 0
	done
	return 1
}

@test "memory: limit, reservation, swap, swappiness, disableOOMKiller in memory's files" {
	update_config '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432,
		"swap": 100663296, "swappiness": 30, "disableOOMKiller": true}'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local d
	d=$(v1_cg memory)
	[ "$(cat "$d/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$d/memory.soft_limit_in_bytes")" = 33554432 ]
	[ "$(cat "$d/memory.memsw.limit_in_bytes")" = 100663296 ]
	[ "$(cat "$d/memory.swappiness")" = 30 ]
	[ "$(head -1 "$d/memory.oom_control")" = "oom_kill_disable 1" ]
}

@test "memory.disableOOMKiller: a process over the limit waits instead of being killed" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432,
		"disableOOMKiller": true}'
	# awk doubles a string until it is over the limit, touching the pages from user space.
	# (The memcg OOM wait happens only on user-mode faults; dd fills its buffer inside read(),
	# where a failed charge does not wait, and CI once saw dd never reach under_oom.)
	set_args sh -c 'echo start; awk "BEGIN { s = \"x\"; while (1) s = s s }"; echo survived'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local d
	d=$(v1_cg memory)
	retry 50 0.1 grep -qx "under_oom 1" "$d/memory.oom_control"
	# still there, stuck in the OOM wait rather than dead (the kernel says so: under_oom,
	# no OOM kill)
	[ "$(ctr_state "$ID")" = running ]
	grep -qx "oom_kill 0" "$d/memory.oom_control"
	[[ "$(container_log "$ID")" != *survived* ]]
}

@test "memory.limit -1: unlimited memory, and swap with it" {
	update_config '.linux.resources.memory = {"limit": -1}'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local d
	d=$(v1_cg memory)
	# -1 is "unlimited" for memory and (implied) swap
	[ "$(cat "$d/memory.limit_in_bytes")" = "$(cat "$CGROUP_MNT/memory/memory.limit_in_bytes")" ]
	[ "$(cat "$d/memory.memsw.limit_in_bytes")" = "$(cat "$CGROUP_MNT/memory/memory.memsw.limit_in_bytes")" ]
}

@test "memory.useHierarchy: true is accepted, false is refused by this kernel (rt)" {
	requires_rt "runc 1.1 ignores useHierarchy"
	update_config '.linux.resources.memory = {"useHierarchy": true}'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg memory)/memory.use_hierarchy")" = 1 ]
	local id2
	id2=$(new_id)
	set_cgroup_path "$CGROUP_PARENT/$id2"
	update_config '.linux.resources.memory = {"useHierarchy": false}'
	run_detached "$id2"
	[ "$status" -ne 0 ]
	[[ "$output" == *"memory.useHierarchy: write \"0\" to \""*"memory.use_hierarchy\": invalid argument"* ]]
	[ ! -e "$ROOT/$id2" ]
	[ ! -e "$(v1_cg memory "$id2")" ]
}

@test "memory.kernelTCP is applied; a kernel memory limit is refused, nothing made (rt)" {
	requires_rt "runc 1.1 ignores both with a warning"
	update_config '.linux.resources.memory = {"kernel": -1, "kernelTCP": 16777216}'
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(v1_cg memory)/memory.kmem.tcp.limit_in_bytes")" = 16777216 ]
	id2=$(new_id)
	update_config '.linux.resources.memory = {"kernel": 16777216}'
	run_detached "$id2"
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.memory.kernel: this kernel has no kernel memory limit"* ]]
	[ ! -e "$ROOT/$id2" ]
	[ ! -e "$(v1_cg memory "$id2")" ]
}

@test "cpu: shares, quota, period in cpu's files; the container gets its share of time" {
	update_config '.linux.resources.cpu = {"shares": 512, "quota": 20000, "period": 100000}'
	set_args sh -c 'while :; do :; done'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local d
	d=$(v1_cg cpu)
	[ "$(cat "$d/cpu.shares")" = 512 ]
	[ "$(cat "$d/cpu.cfs_quota_us")" = 20000 ]
	[ "$(cat "$d/cpu.cfs_period_us")" = 100000 ]
	# a busy loop under a 20% quota gets throttled
	retry 30 0.1 awk '$1 == "nr_throttled" && $2 > 0 { ok = 1 } END { exit !ok }' "$d/cpu.stat"
}

@test "cpu.burst and cpu.idle in cpu's files (rt)" {
	requires_rt "runc 1.1 (runtime-spec 1.0.2) has no burst or idle"
	update_config '.linux.resources.cpu = {"quota": 20000, "period": 100000, "burst": 5000, "idle": 1}'
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local d
	d=$(v1_cg cpu)
	[ "$(cat "$d/cpu.cfs_burst_us")" = 5000 ]
	[ "$(cat "$d/cpu.idle")" = 1 ]
}

@test "cpu.cpus and cpu.mems: the container runs on cpu 0 only" {
	update_config '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
	set_args sh -c 'grep -E "^(Cpus|Mems)_allowed_list" /proc/self/status; nproc'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Cpus_allowed_list:	0"* ]]
	[[ "$output" == *"Mems_allowed_list:	0"* ]]
	[ "${lines[-1]}" = 1 ]
}

@test "cpu.realtimeRuntime and realtimePeriod: files, and SCHED_FIFO works only with a budget" {
	# the parent needs a real-time budget to hand out (runc's tests do the same)
	RT_PARENT=/$TEST_PREFIX-rt
	mkdir -p "$CGROUP_MNT/cpu$RT_PARENT"
	echo 200000 >"$CGROUP_MNT/cpu$RT_PARENT/cpu.rt_runtime_us"
	set_cgroup_path "$RT_PARENT/$ID"
	update_config '.process.capabilities.bounding += ["CAP_SYS_NICE"] |
		.process.capabilities.effective += ["CAP_SYS_NICE"] |
		.process.capabilities.permitted += ["CAP_SYS_NICE"]'
	# busybox has no chrt: a static helper that asks for SCHED_FIFO
	command -v gcc >/dev/null || skip "no gcc to build the SCHED_FIFO helper"
	printf '%s\n' '#include <sched.h>' '#include <stdio.h>' \
		'int main (void) { struct sched_param p = { .sched_priority = 10 };' \
		'  if (sched_setscheduler (0, SCHED_FIFO, &p)) { perror ("sched_setscheduler"); return 1; }' \
		'  puts ("fifo-ok"); return 0; }' >"$TEST_DIR/fifo.c"
	gcc -static -o "$BUNDLE/rootfs/bin/fifo" "$TEST_DIR/fifo.c" || skip "cannot link statically"
	set_args fifo
	# without a budget of its own, the container cannot run SCHED_FIFO
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"sched_setscheduler: Operation not permitted"* ]]

	update_config '.linux.resources.cpu = {"realtimeRuntime": 50000, "realtimePeriod": 1000000}'
	set_args sh -c 'cat /sys/fs/cgroup/cpu/cpu.rt_runtime_us /sys/fs/cgroup/cpu/cpu.rt_period_us; fifo'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 50000 ]
	[ "${lines[1]}" = 1000000 ]
	[ "${lines[2]}" = fifo-ok ]
}

@test "pids.limit in pids.max; the container cannot fork past it" {
	update_config '.linux.resources.pids = {"limit": 4}'
	set_args sh -c 'cat /sys/fs/cgroup/pids/pids.max; for i in 1 2 3 4 5; do sleep 5 & done; wait'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "${lines[0]}" = 4 ]
	[[ "$output" == *"can't fork"* ]]
}

@test "blockIO: weight and throttle bps/iops in blkio's files" {
	local disk
	disk=$(a_disk) || skip "no whole disk on this machine"
	local maj=${disk%:*} min=${disk#*:}
	update_config ".linux.resources.blockIO = {\"weight\": 300,
		\"throttleReadBpsDevice\": [{\"major\": $maj, \"minor\": $min, \"rate\": 1048576}],
		\"throttleWriteBpsDevice\": [{\"major\": $maj, \"minor\": $min, \"rate\": 2097152}],
		\"throttleReadIOPSDevice\": [{\"major\": $maj, \"minor\": $min, \"rate\": 100}],
		\"throttleWriteIOPSDevice\": [{\"major\": $maj, \"minor\": $min, \"rate\": 200}]}"
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local d
	d=$(v1_cg blkio)
	# CFQ's blkio.weight is gone (Linux 5.0): BFQ's file takes it
	[ "$(cat "$d/blkio.bfq.weight")" = 300 ]
	[ "$(cat "$d/blkio.throttle.read_bps_device")" = "$disk 1048576" ]
	[ "$(cat "$d/blkio.throttle.write_bps_device")" = "$disk 2097152" ]
	[ "$(cat "$d/blkio.throttle.read_iops_device")" = "$disk 100" ]
	[ "$(cat "$d/blkio.throttle.write_iops_device")" = "$disk 200" ]
}

@test "blockIO.weightDevice on a device that uses BFQ" {
	local l
	for l in /sys/block/loop*; do
		# a loop device with nothing attached: switching its scheduler harms no one
		[ -e "$l/loop" ] && continue
		LOOP=${l##*/}
		break
	done
	[ -n "$LOOP" ] || skip "no unattached loop device to put under BFQ"
	LOOP_SCHED=$(sed 's/.*\[\(.*\)\].*/\1/' "/sys/block/$LOOP/queue/scheduler")
	echo bfq >"/sys/block/$LOOP/queue/scheduler"
	local dev
	dev=$(cat "/sys/block/$LOOP/dev")
	update_config ".linux.resources.blockIO = {\"weightDevice\": [{\"major\": ${dev%:*},
		\"minor\": ${dev#*:}, \"weight\": 500}]}"
	run_detached "$ID"
	[ "$status" -eq 0 ]
	grep -qx "$dev 500" "$(v1_cg blkio)/blkio.bfq.weight_device"
}

@test "blockIO.leafWeight: refused, the kernel has no leaf weights (rt)" {
	requires_rt "the message is rt's"
	update_config '.linux.resources.blockIO = {"leafWeight": 300}'
	run_detached "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"leaf weights went with the CFQ scheduler"*"blockIO.leafWeight: this kernel has no blkio.leaf_weight"* ]]
	[ ! -e "$ROOT/$ID" ]
	[ -z "$(leaked_cgroups)" ]
}

@test "hugepageLimits: hugetlb where this machine has it, else a clear error (rt)" {
	requires_rt "runc 1.1 on a hybrid host writes v1 files only"
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	run_detached "$ID"
	if grep -qw hugetlb "$CGROUP_MNT/unified/cgroup.subtree_control"; then
		# hybrid: hugetlb only in cgroup2, and the root delegates it
		[ "$status" -eq 0 ]
		[ "$(cat "$CGROUP_MNT/unified$CGROUP_PARENT/$ID/hugetlb.2MB.max")" = 4194304 ]
		grep -qx "0::$CGROUP_PARENT/$ID" "/proc/$(ctr_pid "$ID")/cgroup"
		runrt delete --force "$ID"
		[ "$status" -eq 0 ]
		[ ! -e "$CGROUP_MNT/unified$CGROUP_PARENT/$ID" ]
	else
		[ "$status" -ne 0 ]
		[[ "$output" == *"cannot set hugepageLimits: the hugetlb controller is neither mounted as cgroup v1 nor delegated by the cgroup2 root"* ]]
		[ ! -e "$ROOT/$ID" ]
	fi
}

@test "hugepageLimits with a page size the machine lacks (rt)" {
	requires_rt
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "4MB", "limit": 4194304}]'
	run_detached "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"hugepageLimits: page size \"4MB\" is not one of this machine's (2MB, 1GB)"* ]]
}

@test "devices: deny all but runc's defaults in devices.list" {
	run_detached "$ID"
	[ "$status" -eq 0 ]
	diff -u - "$(v1_cg devices)/devices.list" <<-EOF
		b *:* m
		c *:* m
		c 1:3 rwm
		c 1:5 rwm
		c 1:7 rwm
		c 1:8 rwm
		c 1:9 rwm
		c 5:0 rwm
		c 5:2 rwm
		c 10:200 rwm
		c 136:* rwm
	EOF
}

@test "devices: a device node outside the rules cannot be opened; an allowed one can" {
	update_config '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10,
		"minor": 229, "fileMode": 438}, {"path": "/dev/loop-control", "type": "c",
		"major": 10, "minor": 237, "fileMode": 438}]'
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 10,
		"minor": 229, "access": "rw"}]'
	set_args sh -c 'true </dev/fuse && echo fuse-open; true </dev/loop-control && echo loop-open;
		head -c 4 /dev/zero | wc -c'
	runrt run --bundle "$BUNDLE" "$ID"
	[[ "$output" == *fuse-open* ]]
	[[ "$output" == *"loop-control"*"Operation not permitted"* ]]
	[[ "$output" != *loop-open* ]]
	[ "${lines[-1]}" = 4 ]
}

# fuse (10:229) opens without a capability when allowed (/dev/mem, used before, needs
# CAP_SYS_RAWIO: its EPERM did not come from the rules).
@test "devices: mknod of any device is allowed, opening it is not (unless a rule allows it)" {
	update_config '.process.capabilities.bounding += ["CAP_MKNOD"] |
		.process.capabilities.effective += ["CAP_MKNOD"] |
		.process.capabilities.permitted += ["CAP_MKNOD"]'
	set_args sh -c 'mknod /dev/fuse2 c 10 229 && echo made; true </dev/fuse2 && echo opened'
	runrt run --bundle "$BUNDLE" "$ID"
	[[ "$output" == *made* ]]
	[[ "$output" == *"/dev/fuse2: Operation not permitted"* ]]
	[[ "$output" != *opened* ]]
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 10,
		"minor": 229, "access": "rw"}]'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$output" = "$(printf 'made\nopened')" ]
}

@test "network.classID and priorities: net_cls and net_prio (mounted in a private namespace)" {
	skip_on runc "it looks for v1 hierarchies under /sys/fs/cgroup only"
	# net_cls and net_prio are not mounted on this host: mount them where only rt sees them
	local mnt=$TEST_DIR/netcls
	mkdir -p "$mnt"
	update_config '.linux.resources.network = {"classID": 1048577,
		"priorities": [{"name": "lo", "priority": 5}]}'
	set_args sh -c 'cat /sys/fs/cgroup/netcls/net_cls.classid; grep "^lo " /sys/fs/cgroup/netcls/net_prio.ifpriomap'
	run unshare -m sh -c 'mount --make-rprivate / && mount -t cgroup -o net_cls,net_prio none "$1" &&
		shift && exec "$@" </dev/null 3>&-' sh "$mnt" "$RT" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1048577 ]
	[ "${lines[1]}" = "lo 5" ]
}

@test "network.classID without a net_cls hierarchy: a clear error (rt)" {
	requires_rt "the message is rt's"
	update_config '.linux.resources.network = {"classID": 1048577}'
	run_detached "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot set network.classID: cgroup v1: the net_cls controller is not mounted"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "rdma: this kernel has no rdma controller: a clear error (rt)" {
	requires_rt "the message is rt's"
	! grep -qw rdma /proc/cgroups || skip "this kernel has an rdma controller"
	update_config '.linux.resources.rdma = {"mlx5_0": {"hcaHandles": 3, "hcaObjects": 10000}}'
	run_detached "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot set rdma limit: cgroup v1: the rdma controller is not mounted"* ]]
}

@test "unified on cgroup v1 is refused" {
	update_config '.linux.resources.unified = {"pids.max": "10"}'
	run_detached "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot use unified on cgroup v1"* ]]
	[ ! -e "$ROOT/$ID" ]
	[ -z "$(leaked_cgroups)" ]
}
