#!/usr/bin/env bats
# runc's escapes, each tried for real from inside a container, each failing.

load helpers

setup() {
	setup_rt
}

teardown() {
	# host paths an escape would have created
	rm -rf "/rt-cve-$ID" "/rt-cve2-$ID" "/rt-cve-proc-$ID" "/rt-cve-dev-$ID" 2>/dev/null || true
	teardown_rt
}

nsinit_path() {
	local d
	d=$(dirname "$RT")
	if [ -x "$d/nsinit" ]; then echo "$d/nsinit"; else echo "$d/../libexec/rt/nsinit"; fi
}

# ---- CVE-2019-5736: overwriting the runtime through /proc/PID/exe ----

@test "CVE-2019-5736: the init runs from a sealed memfd, not the host's nsinit" {
	requires_rt
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	run readlink "/proc/$(ctr_pid "$ID")/exe"
	[[ "$output" == "/memfd:rt:nsinit (deleted)" ]]
}

@test "CVE-2019-5736: a container cannot write the binary behind its init's /proc/1/exe" {
	local nsinit sum_nsinit sum_rt
	is_rt && nsinit=$(nsinit_path) || nsinit=$RT
	sum_nsinit=$(sha256sum <"$nsinit")
	sum_rt=$(sha256sum <"$RT")
	set_args sleep 100
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	# While the init waits on exec.fifo it is the runtime's binary.  Even with
	# CAP_SYS_PTRACE (past non-dumpability), writing it fails.
	runrt exec --cap CAP_SYS_PTRACE "$ID" sh -c 'printf "#!/bin/sh\necho pwned\n" >/proc/1/exe && echo WROTE'
	[[ "$output" != *WROTE* ]]
	runrt exec --cap CAP_SYS_PTRACE "$ID" sh -c 'exec 3<>/proc/1/exe && echo OPENED-RW'
	[[ "$output" != *OPENED-RW* ]]
	[ "$(sha256sum <"$nsinit")" = "$sum_nsinit" ]
	[ "$(sha256sum <"$RT")" = "$sum_rt" ]
}

@test "CVE-2019-5736: #!/proc/self/exe in the container does not reach the host's binary" {
	local nsinit sum
	is_rt && nsinit=$(nsinit_path) || nsinit=$RT
	sum=$(sha256sum <"$nsinit")
	printf '#!/proc/self/exe\n' >"$BUNDLE/rootfs/bin/evil"
	chmod 755 "$BUNDLE/rootfs/bin/evil"
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	# exec runs the script: the kernel executes whatever /proc/self/exe is at that point
	"$RT" --root "$ROOT" exec "$ID" /bin/evil >/dev/null 2>&1 || true
	[ "$(sha256sum <"$nsinit")" = "$sum" ]
}

# ---- CVE-2024-21626: leaked host fds and a cwd through them ----

# Looked at from the host: what the container's processes really hold.
fds_of() {
	ls "/proc/$1/fd" | sort -n | tr '\n' ' '
}

@test "CVE-2024-21626: the container's process holds no fd but 0, 1 and 2" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	[ "$(fds_of "$(ctr_pid "$ID")")" = "0 1 2 " ]
}

@test "CVE-2024-21626: an exec'd process holds no fd but 0, 1 and 2" {
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	rt_logged "$ID" exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
	[ "$status" -eq 0 ]
	[ "$(fds_of "$(cat "$TEST_DIR/exec.pid")")" = "0 1 2 " ]
}

@test "CVE-2024-21626: process.cwd /proc/self/fd/N never reaches the host" {
	touch "$TEST_DIR/host-marker"
	local n id
	for n in 3 4 5 6 7 8 9; do
		id=$(new_id)
		update_config ".process.cwd = \"/proc/self/fd/$n\""
		set_args sh -c 'find .. ../.. ../../.. -maxdepth 3 -name host-marker 2>/dev/null; echo done'
		runrt run --bundle "$BUNDLE" "$id"
		# refused (rt and runc alike): the fd is no directory inside the container's root
		[ "$status" -eq 1 ]
		[[ "$output" == *cwd*"/proc/self/fd/$n"* || "$output" == *"mkdir /proc/self/fd/$n"* ]]
		[[ "$output" != *done* ]]
		[[ "$output" != *host-marker* ]]
		runrt delete -f "$id"
	done
}

@test "CVE-2024-21626: exec --cwd /proc/self/fd/N never reaches the host" {
	touch "$TEST_DIR/host-marker"
	set_args sleep 100
	run_detached "$ID"
	[ "$status" -eq 0 ]
	local n
	for n in 3 4 5 6 7 8 9; do
		runrt exec --cwd "/proc/self/fd/$n" "$ID" sh -c 'find .. ../.. ../../.. -maxdepth 3 -name host-marker 2>/dev/null; echo done'
		# refused (rt and runc alike): exec's own failure status, with the cwd named
		[ "$status" -eq 255 ]
		[[ "$output" == *"chdir to cwd ("*"/proc/self/fd/$n"* ]]
		[[ "$output" != *done* ]]
		[[ "$output" != *host-marker* ]]
	done
}

# ---- CVE-2021-30465, CVE-2019-19921, CVE-2023-27561: symlinks as mount targets ----

@test "CVE-2021-30465: a mount target that is an absolute symlink stays in the rootfs" {
	ln -s "/rt-cve-$ID" "$BUNDLE/rootfs/evil"
	update_config '.mounts += [{"destination": "/evil", "type": "tmpfs", "source": "tmpfs"}]'
	set_args sh -c "grep -c ' /rt-cve-$ID ' /proc/self/mountinfo"
	runrt run --bundle "$BUNDLE" "$ID"
	# resolved inside the rootfs: the tmpfs is at the container's /rt-cve-ID ...
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	# ... and nothing was made on the host
	[ ! -e "/rt-cve-$ID" ]
}

@test "CVE-2021-30465: a mount target that climbs out with ../ stays in the rootfs" {
	ln -s "../../../../../../../../../../rt-cve2-$ID" "$BUNDLE/rootfs/evil"
	update_config '.mounts += [{"destination": "/evil/sub", "type": "tmpfs", "source": "tmpfs"}]'
	set_args sh -c "grep -c ' /rt-cve2-$ID/sub ' /proc/self/mountinfo"
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	[ ! -e "/rt-cve2-$ID" ]
}

@test "CVE-2019-19921: a rootfs whose /proc is a symlink is refused or contained" {
	rm -rf "$BUNDLE/rootfs/proc"
	ln -s "/rt-cve-proc-$ID" "$BUNDLE/rootfs/proc"
	set_args sh -c 'head -1 /proc/self/status'
	runrt run --bundle "$BUNDLE" "$ID"
	# refused, as runc does, before proc is mounted anywhere
	[ "$status" -eq 1 ]
	[[ "$output" == *'filesystem '*proc*' must be mounted on ordinary directory'* ]]
	[ ! -e "/rt-cve-proc-$ID" ]
	# and a refused create left nothing behind
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "CVE-2023-27561: a rootfs whose /dev is a symlink is refused or contained" {
	rm -rf "$BUNDLE/rootfs/dev"
	ln -s "/rt-cve-dev-$ID" "$BUNDLE/rootfs/dev"
	set_args sh -c 'ls /dev/null; readlink /dev; grep -c " /rt-cve-dev-'"$ID"' .* - tmpfs " /proc/self/mountinfo'
	runrt run --bundle "$BUNDLE" "$ID"
	if is_rt; then
		# contained: the symlink resolves inside the rootfs, /dev's tmpfs is mounted there
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = /dev/null ]
		[ "${lines[1]}" = "/rt-cve-dev-$ID" ]
		[ "${lines[2]}" = 1 ]
	else
		# runc 1.1.5 refuses: its ptmx symlink does not resolve
		[ "$status" -eq 1 ]
		[[ "$output" == *ptmx* ]]
	fi
	[ ! -e "/rt-cve-dev-$ID" ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "CVE-2021-30465: a mount target swapped for a symlink during set-up never lands outside" {
	mkdir -p "$BUNDLE/rootfs/race"
	update_config '.mounts += [{"destination": "/race", "type": "tmpfs", "source": "tmpfs"}]'
	set_args sh -c 'test -x /bin/busybox && echo ROOT-INTACT'
	# swap rootfs/race between a directory and a symlink to / as fast as we can
	(
		cd "$BUNDLE/rootfs" || exit 1
		for i in $(seq 20000); do
			mkdir race.d 2>/dev/null
			ln -sfn / race.l
			mv -T race.l race 2>/dev/null
			rm -rf race 2>/dev/null
			mv -T race.d race 2>/dev/null
		done
	) &
	local swapper=$! i
	for i in $(seq 20); do
		local id
		id=$(new_id)
		runrt run --bundle "$BUNDLE" "$id"
		# a run that lost the race fails on the mount target; one that won runs with
		# its root intact: never a covered root, never another failure
		if [ "$status" -eq 0 ]; then
			[[ "$output" == *ROOT-INTACT* ]]
		else
			[ "$status" -eq 1 ]
			[[ "$output" == *race* ]]
		fi
		runrt delete -f "$id"
	done
	kill "$swapper" 2>/dev/null || true
	wait "$swapper" 2>/dev/null || true
	# the host's / was never covered
	[ -x /bin/sh ]
	! grep -q ' / / .* - tmpfs ' /proc/self/mountinfo
}

# ---- CVE-2021-43784: a bootstrap payload overflowing the 16-bit netlink length ----

# (the encoder's refusal of a payload over 16 bits and the decoder's of a crafted blob are
# unit tests: test/unit/test_bootstrap.c; no valid config gets that far, as this shows)
@test "CVE-2021-43784: more id-map ranges than the kernel takes are refused, nothing left" {
	requires_rt "runc 1.1 fails later, in its stub"
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [range(0; 6000) | {containerID: (. * 10), hostID: (100000 + . * 10), size: 10}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.uidMappings: 6000 ranges, the kernel takes at most 340"* ]]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

# ---- CVE-2022-29162: inheritable capabilities ----

@test "CVE-2022-29162: no inheritable capabilities unless the spec asks" {
	update_config 'del(.process.capabilities.inheritable)'
	set_args sh -c 'grep CapInh /proc/self/status'
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapInh:	0000000000000000"* ]]
	# exec --cap adds to bounding, effective and permitted, never to inheritable
	set_args sleep 100
	local id2
	id2=$(new_id)
	run_detached "$id2"
	[ "$status" -eq 0 ]
	runrt exec --cap CAP_SYS_ADMIN "$id2" grep -E 'CapInh|CapEff' /proc/self/status
	[[ "$output" == *"CapInh:	0000000000000000"* ]]
	[[ "$output" != *"CapEff:	0000000000000000"* ]]
}

# ---- masked and read-only paths stay so ----

# (/proc/kcore is absent on this kernel; /proc/timer_list and /sys/firmware are masked too)
@test "masked paths: they read nothing and cannot be unmounted" {
	set_args sh -c 'wc -c </proc/timer_list; ls /sys/firmware | wc -l
		umount /proc/timer_list && echo UNMOUNTED; umount /sys/firmware && echo UNMOUNTED
		wc -c </proc/timer_list; ls /sys/firmware | wc -l'
	runrt run --bundle "$BUNDLE" "$ID"
	[[ "$output" != *UNMOUNTED* ]]
	[ "$(echo "$output" | grep -cx 0)" -eq 4 ]
	# the host's are not empty: the test would see an unmasked one
	[ "$(wc -c </proc/timer_list)" -gt 0 ]
}

@test "readonly paths: /proc/sys cannot be written or remounted read-write" {
	set_args sh -c 'echo 1 >/proc/sys/kernel/domainname && echo WROTE; mount -o remount,rw /proc/sys && echo REMOUNTED; echo end'
	runrt run --bundle "$BUNDLE" "$ID"
	[[ "$output" != *WROTE* ]]
	[[ "$output" != *REMOUNTED* ]]
	[[ "$output" == *end* ]]
}
