#!/usr/bin/env bats
# linux.maskedPaths and linux.readonlyPaths.

load helpers

setup() {
	setup_rt
}

teardown() {
	teardown_rt
}

@test "maskedPaths: the defaults that exist on this kernel are empty inside" {
	local p present=()
	for p in $(jq -r '.linux.maskedPaths[]' "$BUNDLE/config.json"); do
		[ -e "$p" ] && present+=("$p")
	done
	[ "${#present[@]}" -ge 2 ]
	# a masked file reads empty, a masked directory lists nothing
	set_args sh -c 'for p in "$@"; do
		if [ -d "$p" ]; then echo "$p $(ls -A "$p" | wc -l)"; else echo "$p $(wc -c <"$p")"; fi; done' sh "${present[@]}"
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local i
	for i in "${!present[@]}"; do
		[ "${lines[$i]}" = "${present[$i]} 0" ]
	done
	# which the host sees full
	[ -n "$(ls -A /sys/firmware)" ]
}

@test "maskedPaths: a file and a directory of the rootfs" {
	echo secret >"$BUNDLE/rootfs/etc/secret"
	echo hidden >"$BUNDLE/rootfs/root/hidden"
	update_config '.linux.maskedPaths += ["/etc/secret", "/root"]'
	run_sh 'echo "[$(cat /etc/secret)]"; ls -A /root | wc -l; echo x >/etc/secret 2>/dev/null; touch /root/x 2>/dev/null || echo refused'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "[]" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = refused ]
	[ "$(cat "$BUNDLE/rootfs/etc/secret")" = secret ]
}

@test "maskedPaths: a path that does not exist is ignored" {
	update_config '.linux.maskedPaths += ["/no/such/path"]'
	run_sh 'echo ran; ls /no 2>/dev/null || echo absent'
	[ "$status" -eq 0 ]
	[ "$output" = $'ran\nabsent' ]
}

@test "readonlyPaths: the defaults (/proc/sys, /proc/sysrq-trigger, ...) are read-only" {
	update_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"])'
	run_sh 'cat /proc/self/mountinfo; { echo 1 >/proc/sys/net/ipv4/ip_forward; } 2>/dev/null || echo refused'
	[ "$status" -eq 0 ]
	local p
	for p in /proc/sys /proc/sysrq-trigger /proc/irq /proc/bus /proc/fs; do
		[ -e "$p" ] || continue # not on every kernel
		awk -v m="$p" '$5 == m {print $6}' <<<"$output" | tr , '\n' | grep -qx ro
	done
	[ "${lines[-1]}" = refused ]
}

@test "readonlyPaths: a directory of a writable rootfs" {
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/tmp"]'
	run_sh 'touch /tmp/x 2>/dev/null || echo tmp-refused; touch /elsewhere && echo root-ok'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = tmp-refused ]
	[ "${lines[1]}" = root-ok ]
	[ ! -e "$BUNDLE/rootfs/tmp/x" ]
}

@test "readonlyPaths: a path that does not exist is ignored" {
	update_config '.linux.readonlyPaths += ["/no/such/path"]'
	run_sh 'echo ran'
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
}
