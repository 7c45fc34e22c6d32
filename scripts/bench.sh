#!/usr/bin/env bash
# rt's benchmark suite: rt, runc and crun on the same busybox bundle, interleaved
# (rt, rt-host, crun, runc, rt, ...) so that all see the same machine, with medians and
# ratios.  Sections (all by default; -s picks some, e.g. -s ac for a quick run):
#   a  sequential `run /bin/true`, N times
#   b  the same split: `create`, `start`, `delete` (the exit is awaited untimed)
#   c  `exec /bin/true` into a running container, N times
#   d  P containers `run` in parallel until all have exited (wall time, failures), 3 rounds
#   e  `list` and `state` with M created containers; `run` with 0 and with M existing
#   f  peak RSS (VmHWM) of the front end and of the stub during `run` (ptrace, rt-bench rss)
#   g  `run /bin/true` with 50 bind mounts and a docker-default-like seccomp profile
#
#   scripts/bench.sh [-s SECTIONS] [-P P] [-M M] [N]       (as root; N defaults to 100)
#
# Everything runs in one pure cgroup2 view (DESIGN.md): a private mount namespace with
# cgroup2 on /sys/fs/cgroup, in a cgroup namespace rooted at a cgroup of the bench's own
# (runc enables controllers in every ancestor of its cgroup, so it must not see the real
# root).  crun gets --cgroup-manager=disabled (it refuses this machine's hybrid layout);
# rt and runc make their cgroups.  "rt-host" is rt timed in the host's namespaces
# (hybrid cgroups v1 + v2), interleaved with the others.  One untimed run of each first.
# Section e is bounded: it stops creating after BENCH_MANY_SECS (default 300) seconds per
# runtime, or when less than 4 GiB of memory is left, and says how many it made.  Every
# container made is deleted at the end, on error, and on Ctrl-C.
#
# Environment: RT (default build/rt), RT_BENCH (default build/rt-bench), RUNC (runc),
#   CRUN (crun), RUNTIMES (default "rt rt-host crun runc"; one that is not installed is
#   left out), BENCH_KEEP=DIR (keep every raw figure there), BENCH_MANY_SECS.
# The last lines printed are a table (markdown) to paste into README.
set -euo pipefail

prog=${0##*/}
die() {
	echo "$prog: $*" >&2
	exit 1
}

self=$(cd "$(dirname "$0")" && pwd)/$prog
repo=$(cd "$(dirname "$0")/.." && pwd)

seccomp_allowed() { # the syscalls that docker's default profile allows unconditionally
	cat <<'NAMES'
accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown 
chown32 clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime 
clock_gettime64 clock_nanosleep clock_nanosleep_time64 close close_range connect 
copy_file_range creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old 
epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve execveat exit 
exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate fanotify_mark fchdir 
fchmod fchmodat fchown fchown32 fchownat fcntl fcntl64 fdatasync fgetxattr flistxattr flock 
fork fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64 fsync ftruncate 
ftruncate64 futex futex_requeue futex_time64 futex_wait futex_waitv futex_wake futimesat 
getcpu getcwd getdents getdents64 getegid getegid32 geteuid geteuid32 getgid getgid32 
getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid getpriority 
getrandom getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list getrusage 
getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid getuid32 getxattr 
inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy 
io_getevents io_pgetevents io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit 
ipc kill landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown lchown32 
lgetxattr link linkat listen listxattr llistxattr _llseek lremovexattr lseek lsetxattr 
lstat lstat64 madvise map_shadow_stack membarrier memfd_create memfd_secret mincore mkdir 
mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2 mprotect mq_getsetattr mq_notify 
mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink 
mremap msgctl msgget msgrcv msgsnd msync munlock munlockall munmap name_to_handle_at 
nanosleep newfstatat _newselect open openat openat2 pause pidfd_open pidfd_send_signal pipe 
pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll ppoll_time64 prctl pread64 preadv 
preadv2 prlimit64 process_mrelease pselect6 pselect6_time64 pwrite64 pwritev pwritev2 read 
readahead readlink readlinkat readv recv recvfrom recvmmsg recvmmsg_time64 recvmsg 
remap_file_pages removexattr rename renameat renameat2 restart_syscall rmdir rseq 
rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend 
rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr 
sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler 
sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity sched_setattr 
sched_setparam sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop 
semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 
setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority 
setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid setreuid32 
setrlimit set_robust_list setsid setsockopt set_thread_area set_tid_address setuid setuid32 
setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 sigprocmask 
sigreturn socketcall socketpair splice stat stat64 statfs statfs64 statx symlink symlinkat 
sync sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete 
timer_getoverrun timer_gettime timer_gettime64 timer_settime timer_settime64 timerfd_create 
timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64 times tkill truncate 
truncate64 ugetrlimit umask uname unlink unlinkat utime utimensat utimensat_time64 utimes 
vfork vmsplice wait4 waitid waitpid write writev ptrace arch_prctl modify_ldt
NAMES
}

# ---- the summary ---------------------------------------------------------------------
# median of column COL (default 1) of FILE divided by DIV (1e6: ns to ms; "sum": the sum)
median() { # FILE [COL [DIV]]
	[ -s "$1" ] || {
		echo -
		return
	}
	awk -v c="${2:-1}" '{ print $c }' "$1" | sort -n | awk -v d="${3:-1e6}" '{ a[NR] = $1 } END {
		m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		if (d == "sum") { for (i in a) m += a[i]; d = 1 } else if (d == 1) m = int(m)
		printf (d == 1 ? "%d\n" : "%.2f\n"), m / d }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }
summary() {
	local res=$WORK/res names=("${runtimes[@]%%=*}") name made
	row() { # LABEL FILE [COL [DIV]]
		local label=$1 file=$2 line v
		declare -A m
		line="| $label |"
		for name in rt rt-host crun runc; do
			m[$name]=$(median "$res/$file-$name" "${3:-1}" "${4:-1e6}")
			line+=" ${m[$name]} |"
		done
		line+=" $(ratio "${m[rt]}" "${m[crun]}") | $(ratio "${m[rt]}" "${m[runc]}") |"
		[ "$line" = "| $label | - | - | - | - | - | - |" ] || echo "$line"
	}
	made=$(cat "$res/e-made-rt" 2>/dev/null || echo "$M")
	echo
	echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%d); N=$N P=$P M=$M; medians"
	echo
	echo "| measure | rt | rt-host | crun | runc | rt/crun | rt/runc |"
	echo "|---|---|---|---|---|---|---|"
	row "a run /bin/true (ms)" a-run
	row "b create (ms)" b-create
	row "b start (ms)" b-start
	row "b delete (ms)" b-delete
	row "c exec /bin/true (ms)" c-exec
	row "d $P parallel runs, wall (ms)" d-par
	row "d failures (sum of 3 rounds)" d-par 2 sum
	row "e create, up to $made existing (ms)" e-create
	row "e list, $made created (ms)" e-list
	row "e state, $made created (ms)" e-state
	row "e run, 0 existing (ms)" e-run0
	row "e run, $made existing (ms)" e-runM
	row "f peak RSS front end (kB)" f-rss 1 1
	row "f peak RSS stub (kB)" f-rss 2 1
	row "g run, 50 binds + seccomp (ms)" g-run
	for name in "${names[@]}"; do
		[ -s "$res/e-made-$name" ] && [ "$(cat "$res/e-made-$name")" != "$M" ] &&
			echo "e: $name made only $(cat "$res/e-made-$name") of $M containers"
		[ -s "$res/d-par-$name.err" ] && { echo "d: $name failures said:"; sort "$res/d-par-$name.err" | uniq -c | sort -rn | head -5; }
	done
	[ -s "$res/e-run0-rt" ] && echo "e: one runtime at a time (M containers each): compare its rows within a runtime"
	targets
	return 0
}

# issue 9's targets, from this run's medians
targets() {
	local res=$WORK/res out=()
	check() { # LABEL VALUE OP LIMIT
		[ "$2" = - ] && return
		if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !(op == "<=" ? v <= l : v < l) }'; then
			out+=("$1 $2 (${3} $4) met")
		else
			out+=("$1 $2 (${3} $4) MISSED")
		fi
	}
	local rt_a crun_a runc_a rt_c crun_c
	rt_a=$(median "$res/a-run-rt") crun_a=$(median "$res/a-run-crun") runc_a=$(median "$res/a-run-runc")
	rt_c=$(median "$res/c-exec-rt") crun_c=$(median "$res/c-exec-crun")
	check "a rt/crun" "$(ratio "$rt_a" "$crun_a")" "<=" 0.8
	check "a rt/runc" "$(ratio "$rt_a" "$runc_a")" "<=" 0.3
	check "c rt/crun" "$(ratio "$rt_c" "$crun_c")" "<=" 0.8
	check "f front RSS rt/crun" "$(ratio "$(median "$res/f-rss-rt" 1 1)" "$(median "$res/f-rss-crun" 1 1)")" "<=" 1
	check "f stub RSS rt/crun" "$(ratio "$(median "$res/f-rss-rt" 2 1)" "$(median "$res/f-rss-crun" 2 1)")" "<=" 1
	check "e list (ms)" "$(median "$res/e-list-rt")" "<" 50
	check "e run M/0" "$(ratio "$(median "$res/e-runM-rt")" "$(median "$res/e-run0-rt")")" "<=" 1.10
	check "d failures" "$(median "$res/d-par-rt" 2 sum)" "<=" 0
	[ ${#out[@]} -gt 0 ] && printf 'target: %s\n' "${out[@]}"
	return 0
}

# ---- inner: runs inside the pure cgroup2 namespace ----------------------------------
if [ "${1:-}" = --inner ]; then
	shift
	mount --make-rprivate /
	umount -l /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup
	declare -A bin
	names=()
	for a in "$@"; do
		names+=("${a%%=*}")
		bin[${a%%=*}]=${a#*=}
	done
	has() { [ -n "${bin[$1]:-}" ]; }
	B=$WORK/bundle
	res=$WORK/res

	runtime_cmd() { # NAME [ROOT]: sets host (rt-bench's flag) and cmd (the runtime's)
		host=()
		[ "$1" = rt-host ] && host=(--host "$OUTER")
		cmd=("${bin[$1]}")
		[ "$1" = crun ] && cmd+=(--cgroup-manager=disabled)
		cmd+=(--root "${2:-$WORK/state-$1}")
	}
	timed() { # FILE NAME ARGS...: one timed command; the time goes to res/FILE-NAME
		local file=$1 name=$2
		shift 2
		runtime_cmd "$name" "${ROOT:-}"
		"$BENCH" "${host[@]}" time "$res/$file-$name" "${cmd[@]}" "$@" || die "$name $*: failed"
	}
	untimed() { timed untimed "$@"; }
	delete_all() { # delete -f every container of every runtime (traps, end of a section)
		local name d
		for name in "${names[@]}"; do
			for root in "$WORK/state-$name" "$WORK/state-$name-many" "$WORK/state-$name-empty"; do
				for d in "$root"/*/; do
					[ -d "$d" ] || continue
					ROOT=$root timed untimed "$name" delete -f "$(basename "$d")" 2>/dev/null ||
						echo "$prog: could not delete $(basename "$d") ($name)" >&2
				done
			done
		done
	}
	trap delete_all EXIT
	trap 'exit 130' INT TERM
	med_ms() { # FILE: median of the ns figures in FILE, in ms
		sort -n "$1" | awk '{ a[NR] = $1 } END { if (NR == 0) exit 1
			m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
			printf "%.2f\n", m / 1e6 }'
	}
	interleave() { # FILE ARGS... (@ID@ becomes FILE-NAME): warm up, then N rounds
		local file=$1 name i
		shift
		for name in "${names[@]}"; do timed untimed "$name" "${@//@ID@/$file-$name}"; done
		for ((i = 0; i < N; i++)); do
			for name in "${names[@]}"; do timed "$file" "$name" "${@//@ID@/$file-$name}"; done
		done
	}

	sec_a() { interleave a-run run --bundle "$B-true" @ID@; }

	sec_b() {
		local name i
		for ((i = 0; i <= N; i++)); do
			for name in "${names[@]}"; do
				local f=b-create
				[ "$i" = 0 ] && f=untimed
				timed "$f" "$name" create --bundle "$B-true" --pid-file "$WORK/pid" "b-$name"
				timed "${f/create/start}" "$name" start "b-$name"
				"$BENCH" wait "$(cat "$WORK/pid")"
				timed "${f/create/delete}" "$name" delete "b-$name"
			done
		done
	}

	sec_c() {
		local name
		for name in "${names[@]}"; do untimed "$name" run -d --bundle "$B-sleep" "c-exec-$name"; done
		interleave c-exec exec @ID@ /bin/true
		for name in "${names[@]}"; do untimed "$name" delete -f "c-exec-$name"; done
	}

	sec_d() {
		local name round d
		for ((round = 0; round < 3; round++)); do
			for name in "${names[@]}"; do
				runtime_cmd "$name"
				"$BENCH" "${host[@]}" par "$P" "$res/d-par-$name" "${cmd[@]}" run --bundle "$B-true" "d-$name-{}"
			done
		done
		delete_all # what a failed run left
	}

	mem_avail_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
	sec_e_one() { # NAME: M created containers in state-NAME-many, none in state-NAME-empty
		local name=$1 many=$WORK/state-$1-many empty=$WORK/state-$1-empty made=0 t0=$SECONDS i
		mkdir -p "$many" "$empty"
		while [ "$made" -lt "$M" ]; do
			if [ $((SECONDS - t0)) -ge "${BENCH_MANY_SECS:-300}" ] || [ "$(mem_avail_kb)" -lt 4194304 ]; then
				echo "$prog: $name: stopped at $made created containers (time or memory bound)" >&2
				break
			fi
			ROOT=$many timed e-create "$name" create --bundle "$B-true" "e-$made"
			made=$((made + 1))
		done
		echo "$made" >"$res/e-made-$name"
		for ((i = 0; i <= N; i++)); do
			ROOT=$many timed e-list "$name" list
			ROOT=$many timed e-state "$name" state "e-$((i * made / (N + 1)))"
			ROOT=$empty timed e-run0 "$name" run --bundle "$B-true" e-run
			ROOT=$many timed e-runM "$name" run --bundle "$B-true" e-run
		done
		for ((i = 0; i < made; i++)); do ROOT=$many timed e-delete "$name" delete -f "e-$i"; done
	}
	sec_e() {
		local name
		for name in "${names[@]}"; do
			[ "$name" = rt-host ] || sec_e_one "$name"
		done
	}

	sec_f() {
		local name i
		for ((i = 0; i < 5; i++)); do
			for name in "${names[@]}"; do
				runtime_cmd "$name"
				"$BENCH" "${host[@]}" rss "$B-true/rootfs/bin/busybox" "${cmd[@]}" run --bundle "$B-true" "f-$name" \
					>>"$res/f-rss-$name"
			done
		done
	}

	sec_g() { interleave g-run run --bundle "$B-g" @ID@; }

	for s in $(echo "$SECTIONS" | grep -o .); do
		echo "$prog: section $s" >&2
		"sec_$s"
	done
	exit 0
fi

# ---- outer ---------------------------------------------------------------------------
SECTIONS=abcdefg N=100 P=50 M=1000
while getopts s:P:M:h opt; do
	case $opt in
	s) SECTIONS=$OPTARG ;;
	P) P=$OPTARG ;;
	M) M=$OPTARG ;;
	*)
		sed -n '2,32s/^# \{0,1\}//p' "$self"
		[ "$opt" = h ] && exit 0 || exit 2
		;;
	esac
done
shift $((OPTIND - 1))
N=${1:-$N}
for v in N P M; do [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive number"; done
[[ "$SECTIONS" =~ ^[a-g]+$ ]] || die "sections are letters a to g"
[ "$(id -u)" = 0 ] || die "run as root"

RT=${RT:-$repo/build/rt}
BENCH=${RT_BENCH:-$repo/build/rt-bench}
[ -x "$BENCH" ] || die "$BENCH not found: build first (cmake --build build)"
runtimes=()
for name in ${RUNTIMES:-rt rt-host crun runc}; do
	case $name in
	rt | rt-host) path=$RT ;;
	runc) path=${RUNC:-runc} ;;
	crun) path=${CRUN:-crun} ;;
	*) die "unknown runtime $name (rt, rt-host, crun, runc)" ;;
	esac
	if p=$(command -v "$path"); then
		runtimes+=("$name=$p")
	else
		echo "$prog: $name ($path) not found: left out" >&2
	fi
done
[ ${#runtimes[@]} -gt 0 ] || die "no runtime to time"

# The cgroup2 hierarchy: /sys/fs/cgroup itself on a pure v2 host, else the hybrid's.
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	v2=/sys/fs/cgroup
elif [ -d /sys/fs/cgroup/unified ] && [ "$(stat -f -c %T /sys/fs/cgroup/unified)" = cgroup2fs ]; then
	v2=/sys/fs/cgroup/unified
else
	die "no cgroup2 hierarchy mounted"
fi

WORK=$(mktemp -d /tmp/rt-bench.XXXXXX)
chmod 755 "$WORK"
benchcg=$v2/rt-bench-$$
cleanup() {
	local d
	for d in "$WORK"/state-*/*/; do
		[ -d "$d" ] && echo "$prog: container $(basename "$d") was left in $(dirname "$d")" >&2
	done
	if [ -d "$benchcg" ]; then
		find "$benchcg" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$benchcg" 2>/dev/null || echo "$prog: could not remove $benchcg" >&2
	fi
	[ -n "${BENCH_KEEP:-}" ] && cp -r "$WORK"/res/. "$BENCH_KEEP"/ 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The bundles: the built-in (runc spec) config for all (crun 1.8 refuses newer ociVersions).
B=$WORK/bundle
env -u RT "$repo/scripts/make-bundle.sh" "$B-true" /bin/true >/dev/null
mkdir "$B-sleep" "$B-g"
jq --arg r "$B-true/rootfs" '.root.path = $r | .process.args = ["sleep", "3600"]' \
	"$B-true/config.json" >"$B-sleep/config.json"
# g: 50 read-only bind mounts and a docker-default-like profile: every syscall docker's
# profile allows, argument rules for socket, personality and clone, ENOSYS for clone3.
mkdir -p "$WORK/binds" "$B-true/rootfs/mnt/b"
for i in $(seq 0 49); do mkdir "$WORK/binds/$i" "$B-true/rootfs/mnt/b/$i"; done
jq --arg allow "$(seccomp_allowed)" --arg binds "$WORK/binds" '
	([$allow | splits("\\s+")] | map(select(length > 0))) as $allow |
	{ defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1,
	  architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	  syscalls: ([{ names: $allow, action: "SCMP_ACT_ALLOW" },
	    { names: ["socket"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 40, op: "SCMP_CMP_NE" }] }]
	    + ([0, 8, 131072, 131080, 4294967295] | map({ names: ["personality"], action: "SCMP_ACT_ALLOW",
	        args: [{ index: 0, value: ., op: "SCMP_CMP_EQ" }] }))
	    + [{ names: ["clone"], action: "SCMP_ACT_ALLOW",
	         args: [{ index: 0, value: 2114060288, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }] },
	       { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 }]) } as $seccomp |
	[range(50) | { destination: "/mnt/b/\(.)", type: "bind", source: "\($binds)/\(.)",
	  options: ["rbind", "ro"] }] as $mounts |
	.root.path = "\($binds)/../bundle-true/rootfs" | .linux.seccomp = $seccomp | .mounts += $mounts
	' "$B-true/config.json" >"$B-g/config.json"
mkdir "$WORK/res"
for r in "${runtimes[@]}"; do mkdir "$WORK/state-${r%%=*}"; done
mkdir "$benchcg"

echo "$prog: sections $SECTIONS, N=$N P=$P M=$M: ${runtimes[*]%%=*} (interleaved)" >&2
export WORK N P M SECTIONS BENCH OUTER=$$
unshare -m sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec unshare -C "$@"' \
	sh "$benchcg" bash "$self" --inner "${runtimes[@]}"
summary
