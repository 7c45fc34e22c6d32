#!/usr/bin/env bash
# Time N sequential `run` of a busybox bundle (process.args ["/bin/true"]) for rt, runc
# and crun, interleaved (rt, runc, crun, rt, ...), and print each runtime's median and the
# ratios rt/crun and rt/runc.
#
#   scripts/bench.sh [N]          (as root; N defaults to 50)
#
# All runs happen in one pure cgroup2 view (DESIGN.md): a private mount namespace with
# cgroup2 mounted on /sys/fs/cgroup (crun refuses this machine's hybrid layout).  That
# view is also a cgroup namespace rooted at a cgroup of the benchmark's own, so that no
# runtime writes the real cgroup2 root's cgroup.subtree_control (runc enables
# controllers in every ancestor of its cgroup).  rt and runc run as users run them, with
# their cgroup (linux.cgroupsPath /rt-bench/<runtime>); crun gets
# --cgroup-manager=disabled.  Each `run` deletes its container when it exits.  One
# untimed run of each runtime comes first (caches).
#
# Environment: RT (default build/rt), RUNC (default runc), CRUN (default crun),
#   RUNTIMES (default "rt runc crun"; a runtime that is not installed is left out),
#   BENCH_KEEP=DIR (copy each runtime's times, one nanosecond figure a line, to DIR),
#   BENCH_SECCOMP=FILE (a linux.seccomp object for every bundle, e.g.
#   test/integration/testdata/seccomp-default.json).
set -euo pipefail

prog=${0##*/}
die() {
	echo "$prog: $*" >&2
	exit 1
}

self=$(cd "$(dirname "$0")" && pwd)/$prog
repo=$(cd "$(dirname "$0")/.." && pwd)

# ---- inner: runs inside the pure cgroup2 namespace ----------------------------------
if [ "${1:-}" = --inner ]; then
	n=$2 work=$3
	shift 3
	mount --make-rprivate /
	umount -l /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup
	# args: name=path ...
	declare -A bin
	names=()
	for a in "$@"; do
		names+=("${a%%=*}")
		bin[${a%%=*}]=${a#*=}
	done
	run_once() { # run_once NAME
		local name=$1 extra=()
		[ "$name" = crun ] && extra=(--cgroup-manager=disabled)
		"${bin[$name]}" "${extra[@]}" --root "$work/state-$name" \
			run --bundle "$work/bundle-$name" "bench-$name" </dev/null >/dev/null 2>"$work/err-$name" ||
			{
				echo "$prog: $name run failed:" >&2
				cat "$work/err-$name" >&2
				exit 1
			}
	}
	for name in "${names[@]}"; do run_once "$name"; done
	for ((i = 0; i < n; i++)); do
		for name in "${names[@]}"; do
			t0=$(date +%s%N)
			run_once "$name"
			t1=$(date +%s%N)
			echo $((t1 - t0)) >>"$work/times-$name"
		done
	done
	exit 0
fi

# ---- outer ---------------------------------------------------------------------------
n=${1:-50}
case $n in -h | --help)
	sed -n '2,22s/^# \{0,1\}//p' "$self"
	exit 0
	;;
esac
[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number"
[ "$(id -u)" = 0 ] || die "run as root"

RT=${RT:-$repo/build/rt}
RUNC=${RUNC:-runc}
CRUN=${CRUN:-crun}
runtimes=()
for name in ${RUNTIMES:-rt runc crun}; do
	case $name in
	rt) path=$RT ;;
	runc) path=$RUNC ;;
	crun) path=$CRUN ;;
	*) die "unknown runtime $name (rt, runc, crun)" ;;
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

work=$(mktemp -d /tmp/rt-bench.XXXXXX)
chmod 755 "$work"
benchcg=$v2/rt-bench-$$
cleanup() {
	local d
	for d in "$work"/state-*/*/; do
		[ -d "$d" ] && echo "$prog: container $(basename "$d") was left in $(dirname "$d")" >&2
	done
	if [ -d "$benchcg" ]; then
		find "$benchcg" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$benchcg" 2>/dev/null || echo "$prog: could not remove $benchcg" >&2
	fi
	[ -n "${BENCH_KEEP:-}" ] && cp "$work"/times-* "$BENCH_KEEP"/ 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for r in "${runtimes[@]}"; do
	name=${r%%=*}
	# the built-in (runc spec) config for all: crun 1.8 refuses newer ociVersions
	env -u RT "$repo/scripts/make-bundle.sh" "$work/bundle-$name" /bin/true >/dev/null
	jq --arg cg "/rt-bench/$name" --slurpfile sc "${BENCH_SECCOMP:-/dev/null}" \
		'.linux.cgroupsPath = $cg | if $sc != [] then .linux.seccomp = $sc[0] else . end' \
		"$work/bundle-$name/config.json" >"$work/c.json" && mv "$work/c.json" "$work/bundle-$name/config.json"
	mkdir "$work/state-$name"
done
mkdir "$benchcg"

echo "timing $n runs of /bin/true each: ${runtimes[*]%%=*} (interleaved, pure cgroup2 namespace)" >&2
unshare -m sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec unshare -C "$@"' \
	sh "$benchcg" bash "$self" --inner "$n" "$work" "${runtimes[@]}"

median_ms() { # median of the nanosecond times in $1, in ms
	sort -n "$1" | awk '{ a[NR] = $1 } END {
		m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.2f\n", m / 1e6 }'
}
stat_ms() { # min and max in ms
	sort -n "$1" | awk 'NR == 1 { min = $1 } { max = $1 } END { printf "%.2f %.2f\n", min / 1e6, max / 1e6 }'
}

declare -A med
printf '%-6s %10s %10s %10s %6s\n' runtime median_ms min_ms max_ms runs
for r in "${runtimes[@]}"; do
	name=${r%%=*}
	med[$name]=$(median_ms "$work/times-$name")
	read -r mn mx < <(stat_ms "$work/times-$name")
	printf '%-6s %10s %10s %10s %6s\n' "$name" "${med[$name]}" "$mn" "$mx" "$(wc -l <"$work/times-$name")"
done
for other in crun runc; do
	if [ -n "${med[rt]:-}" ] && [ -n "${med[$other]:-}" ]; then
		awk -v a="${med[rt]}" -v b="${med[$other]}" -v o="$other" 'BEGIN { printf "rt/%s: %.2f\n", o, a / b }'
	fi
done
