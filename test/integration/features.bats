#!/usr/bin/env bats
# `features` (runtime-spec features.md, features-linux.md): the document parses, and what
# it claims holds: every listed name is accepted by create, an unlisted one is refused.

load helpers

setup() {
	setup_rt
	FEATURES=$TEST_DIR/features.json
	"$RT" features >"$FEATURES"
}

teardown() {
	teardown_rt
}

# create and delete a container of the bundle as it is now; fails if create fails.
created() {
	local id
	id=$(new_id)
	set_cgroup_path "$CGROUP_PARENT/$id"
	create_ctr "$id" || return 1
	[ "$status" -eq 0 ] || return 1
	runrt delete -f "$id"
}

@test "features: a JSON document with the spec's required fields and arrays of names" {
	jq -e . "$FEATURES" >/dev/null
	jq -e '.ociVersionMin | type == "string"' "$FEATURES"
	jq -e '.ociVersionMax | type == "string"' "$FEATURES"
	local k
	for k in .hooks .mountOptions .linux.namespaces .linux.capabilities .linux.seccomp.actions \
		.linux.seccomp.operators .linux.seccomp.archs; do
		jq -e "$k | type == \"array\" and length > 0 and all(type == \"string\")" "$FEATURES"
	done
	jq -e '.linux.cgroup | (.v1 | type == "boolean") and (.v2 | type == "boolean")' "$FEATURES"
	jq -e '.annotations | to_entries | all(.value | type == "string")' "$FEATURES"
	# what the build does, not what this host has: no process, no state
	[ ! -e "$ROOT" ] || [ -z "$(ls -A "$ROOT")" ]
}

@test "features: ociVersionMin and ociVersionMax are accepted as config.json's ociVersion" {
	local v
	for v in "$(jq -r .ociVersionMin "$FEATURES")" "$(jq -r .ociVersionMax "$FEATURES")"; do
		update_config ".ociVersion = \"$v\""
		created
	done
}

@test "features: the hooks listed are the spec's six" {
	[ "$(jq -c .hooks "$FEATURES")" = '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]' ]
}

@test "features: every mount option listed is accepted by create; an unlisted one is refused" {
	mkdir -p "$TEST_DIR/src"
	local base opt
	base=$(jq -c .mounts "$BUNDLE/config.json")
	for opt in $(jq -r '.mountOptions[]' "$FEATURES"); do
		echo "# $opt" >&2
		if [[ "$opt" == @(r*atime|remount) ]] && [ "$(runtime_name)" = runc ]; then
			continue # runc 1.1.5 lists them, but its bind mount with some fails (EINVAL)
		fi
		case $opt in
		# a file system (not mount(2)) flag, listed as recognized: on a tmpfs
		acl | noacl | iversion | noiversion | tmpcopyup)
			update_config ".mounts = $base + [{\"destination\": \"/x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"$opt\"]}]" ;;
		# an idmapped mount needs mappings when the container has no user namespace
		idmap | ridmap)
			update_config ".mounts = $base + [{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"rbind\", \"$opt\"],
				\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]}]" ;;
		*)
			update_config ".mounts = $base + [{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"$TEST_DIR/src\", \"options\": [\"bind\", \"$opt\"]}]" ;;
		esac
		created
	done
	update_config ".mounts = $base + [{\"destination\": \"/x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"no-such-option\"]}]"
	create_ctr "$ID"
	[ "$status" -eq 1 ]
	runrt state "$ID"
	[ "$status" -ne 0 ]
}

@test "features: every namespace listed is accepted by create; an unlisted one is refused" {
	local ns
	for ns in $(jq -r '.linux.namespaces[]' "$FEATURES"); do
		echo "# $ns" >&2
		update_config ".linux.namespaces |= (map(select(.type != \"$ns\")) + [{\"type\": \"$ns\"}])"
		if [ "$ns" = user ]; then
			update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}] |
				.linux.gidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]'
		fi
		created
	done
	update_config '.linux.namespaces += [{"type": "no-such-namespace"}]'
	create_ctr "$ID"
	[ "$status" -eq 1 ]
}

@test "features: every capability listed is one the runtime applies" {
	local caps
	caps=$(jq -c '.linux.capabilities' "$FEATURES")
	# all of them in the bounding set: the process keeps each one the kernel has and this
	# machine lets us keep (its own bounding set)
	update_config ".process.capabilities = {\"bounding\": $caps}"
	run_sh 'grep CapBnd /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$output" = "$(grep CapBnd /proc/self/status)" ]
}

@test "features: every seccomp action, operator and architecture listed is accepted" {
	local ops archs rules
	# the ones a filter on this machine can hold together (libseccomp refuses to mix
	# endiannesses): the x86 family
	archs=$(jq -c '[.linux.seccomp.archs[] | select(test("^SCMP_ARCH_X(86|86_64|32)$"))]' "$FEATURES")
	[ "$(echo "$archs" | jq length)" -eq 3 ]
	# one rule per action on a syscall busybox's true never makes (NOTIFY needs an agent:
	# seccomp.bats covers it)
	rules=$(jq -c '[.linux.seccomp.actions[] | select(. != "SCMP_ACT_NOTIFY" and . != "SCMP_ACT_ALLOW")] |
		to_entries | map({names: (["acct", "swapon", "swapoff", "reboot", "kexec_load", "init_module",
			"delete_module", "pivot_root", "syslog", "quotactl"][.key:.key + 1]), action: .value})' "$FEATURES")
	ops=$(jq -c '[.linux.seccomp.operators[] | {index: 0, value: 1, valueTwo: 1, op: .}]' "$FEATURES")
	update_config ".linux.seccomp = {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": $archs,
		\"syscalls\": ($rules + [{\"names\": [\"settimeofday\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": $ops}])}"
	set_args true
	runrt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	update_config '.linux.seccomp.syscalls[0].action = "SCMP_ACT_NO_SUCH_ACTION"'
	create_ctr "$ID"
	[ "$status" -eq 1 ]
	update_config '.linux.seccomp.syscalls[0].action = "SCMP_ACT_ERRNO" | .linux.seccomp.architectures = ["SCMP_ARCH_NO_SUCH_ARCH"]'
	create_ctr "$ID"
	[ "$status" -eq 1 ]
}

@test "features: takes no arguments; --help" {
	runrt features --help
	[ "$status" -eq 0 ]
	[[ "$output" == *features* ]]
	runrt features extra
	[ "$status" -ne 0 ]
}
