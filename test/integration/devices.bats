#!/usr/bin/env bats
# /dev: the default devices and symlinks, and linux.devices.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

# "PATH TYPE MAJOR:MINOR MODE UID GID" (decimal numbers) for each path argument.
STAT_DEV='for d in "$@"; do
	if [ -c "$d" ]; then t=char; elif [ -b "$d" ]; then t=block; elif [ -p "$d" ]; then t=fifo; else t=other; fi
	set -- $(stat -c "%t %T %a %u %g" "$d")
	echo "$d $t $((0x$1)):$((0x$2)) $3 $4 $5"; done'

@test "default devices: null zero full random urandom tty" {
	set_args sh -c "$STAT_DEV" sh /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/null char 1:3 666 0 0" ]
	[ "${lines[1]}" = "/dev/zero char 1:5 666 0 0" ]
	[ "${lines[2]}" = "/dev/full char 1:7 666 0 0" ]
	[ "${lines[3]}" = "/dev/random char 1:8 666 0 0" ]
	[ "${lines[4]}" = "/dev/urandom char 1:9 666 0 0" ]
	[ "${lines[5]}" = "/dev/tty char 5:0 666 0 0" ]
}

@test "default devices work: read zero, write null, full is full" {
	run_sh 'head -c 5 /dev/zero | wc -c; echo x >/dev/null && echo null-ok; echo x 2>/dev/null >/dev/full || echo full-refused; head -c 4 /dev/urandom | wc -c'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 5 ]
	[ "${lines[1]}" = null-ok ]
	[ "${lines[2]}" = full-refused ]
	[ "${lines[3]}" = 4 ]
}

@test "/dev symlinks: fd stdin stdout stderr ptmx" {
	run_sh 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "fd -> /proc/self/fd" ]
	[ "${lines[1]}" = "stdin -> /proc/self/fd/0" ]
	[ "${lines[2]}" = "stdout -> /proc/self/fd/1" ]
	[ "${lines[3]}" = "stderr -> /proc/self/fd/2" ]
	[ "${lines[4]}" = "ptmx -> pts/ptmx" ]
}

@test "/dev/stdout reaches the runtime's stdout" {
	run_sh 'echo via-stdout >/dev/stdout; ls /dev/fd/ >/dev/null && echo fd-ok'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = via-stdout ]
	[ "${lines[1]}" = fd-ok ]
}

@test "/dev is a tmpfs holding only what the config asks for" {
	run_sh 'ls -A /dev | sort | tr "\n" " "'
	[ "$status" -eq 0 ]
	[ "$output" = "core fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " ] ||
		[ "$output" = "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " ]
}

@test "linux.devices: a char device with fileMode, uid and gid" {
	update_config '.linux.devices = [{"path": "/dev/rtnull", "type": "c", "major": 1, "minor": 3,
		"fileMode": 432, "uid": 1000, "gid": 1001}]
		| .linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]
		| .process.user = {"uid": 1000, "gid": 1000}'
	set_args sh -c "$STAT_DEV; echo data >/dev/rtnull && echo wrote" sh /dev/rtnull
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/rtnull char 1:3 660 1000 1001" ]
	[ "${lines[1]}" = wrote ]
}

@test "linux.devices: block device and fifo, in a subdirectory" {
	update_config '.linux.devices = [
		{"path": "/dev/rtblk/loop", "type": "b", "major": 7, "minor": 200, "fileMode": 384},
		{"path": "/dev/rtfifo", "type": "p", "fileMode": 420}]'
	set_args sh -c "$STAT_DEV" sh /dev/rtblk/loop /dev/rtfifo
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/rtblk/loop block 7:200 600 0 0" ]
	[ "${lines[1]}" = "/dev/rtfifo fifo 0:0 644 0 0" ]
}

# /dev/fuse (10:229) opens without any capability once the rules allow it, so "denied" can only
# come from the device cgroup (/dev/mem, used before, needs CAP_SYS_RAWIO whatever the rules).
@test "devices cgroup: a device not allowed cannot be opened; allowed, the same node can" {
	update_config '.linux.devices = [{"path": "/dev/rtfuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438}]'
	run_sh 'true </dev/rtfuse && echo opened; echo end'
	[ "$status" -eq 0 ]
	[[ "$output" == *"/dev/rtfuse: Operation not permitted"* ]]
	[[ "$output" != *opened* ]]
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}]'
	run_sh 'true </dev/rtfuse && echo opened; echo end'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'opened\nend')" ]
}

# Without a linux.resources section the default device rules still apply (runc): a
# container that may mknod cannot open a device outside the allow list (here tty1, 4:1,
# which the host itself lets root open) through a node it made.
@test "devices: default device rules apply without linux.resources" {
	[ -c /dev/tty1 ] || skip "no /dev/tty1 on this host"
	update_config 'del(.linux.resources) | .process.capabilities.bounding += ["CAP_MKNOD"]
		| .process.capabilities.effective += ["CAP_MKNOD"]
		| .process.capabilities.permitted += ["CAP_MKNOD"]'
	set_args sh -c 'mknod /dev/t1 c 4 1 && (exec 3<>/dev/t1) && echo OPENED-TTY1; echo end'
	runrt run --bundle "$BUNDLE" "$ID"
	[[ "$output" == *end* ]]
	[[ "$output" != *OPENED-TTY1* ]]
	# refused by the device rules (EPERM), not for another reason
	[[ "$output" == *"/dev/t1: Operation not permitted"* ]]
}
