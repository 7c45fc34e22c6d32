#!/bin/sh
# Make an OCI bundle from Debian's busybox-static (no network):
#
#   scripts/make-bundle.sh DIR [ARG...]
#
# DIR/rootfs gets bin/busybox, a symlink bin/APPLET -> busybox for every applet,
# the usual empty directories, and etc/passwd + etc/group with root and user 1000.
# DIR/config.json is `$RT spec` when RT is set, else a built-in copy of what `runc spec`
# writes; then process.terminal is set to false and process.args to ARG... (default: sh).
# Environment: RT (runtime whose `spec` to use), BUSYBOX (default: /bin/busybox).
set -eu

prog=${0##*/}
die() {
  echo "$prog: $*" >&2
  exit 1
}
[ $# -ge 1 ] || { echo "usage: $prog DIR [ARG...]" >&2; exit 2; }
case $1 in -h | --help) echo "usage: $prog DIR [ARG...]"; exit 0 ;; esac
dir=$1
shift
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "$busybox not found: install busybox-static (scripts/deps.sh)"
command -v jq >/dev/null 2>&1 || die "jq not found (scripts/deps.sh)"
# A dynamically linked busybox would need its libraries inside the rootfs.
if command -v file >/dev/null 2>&1 && ! file -L "$busybox" | grep -q 'statically linked'; then
  die "$busybox is not statically linked: install busybox-static"
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rootfs=$dir/rootfs
rm -rf "$rootfs"
mkdir -p "$rootfs"
for d in bin sbin usr/bin usr/sbin proc sys dev etc tmp root home/user var run mnt; do
  mkdir -p "$rootfs/$d"
done
chmod 1777 "$rootfs/tmp"
chmod 700 "$rootfs/root"
chown 1000:1000 "$rootfs/home/user"
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
done

cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
user:x:1000:
nogroup:x:65534:
GROUP
echo "127.0.0.1 localhost" >"$rootfs/etc/hosts"
: >"$rootfs/etc/resolv.conf"

rm -f "$dir/config.json"
if [ -n "${RT:-}" ]; then
  "$RT" spec --bundle "$dir" || die "$RT spec failed"
else
  # What runc 1.1's `runc spec` writes.
  cat >"$dir/config.json" <<'SPEC'
{
	"ociVersion": "1.0.2-dev",
	"process": {
		"terminal": true,
		"user": {
			"uid": 0,
			"gid": 0
		},
		"args": [
			"sh"
		],
		"env": [
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm"
		],
		"cwd": "/",
		"capabilities": {
			"bounding": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"effective": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"permitted": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"ambient": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 1024,
				"soft": 1024
			}
		],
		"noNewPrivileges": true
	},
	"root": {
		"path": "rootfs",
		"readonly": true
	},
	"hostname": "runc",
	"mounts": [
		{
			"destination": "/proc",
			"type": "proc",
			"source": "proc"
		},
		{
			"destination": "/dev",
			"type": "tmpfs",
			"source": "tmpfs",
			"options": [
				"nosuid",
				"strictatime",
				"mode=755",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/pts",
			"type": "devpts",
			"source": "devpts",
			"options": [
				"nosuid",
				"noexec",
				"newinstance",
				"ptmxmode=0666",
				"mode=0620",
				"gid=5"
			]
		},
		{
			"destination": "/dev/shm",
			"type": "tmpfs",
			"source": "shm",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"mode=1777",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/mqueue",
			"type": "mqueue",
			"source": "mqueue",
			"options": [
				"nosuid",
				"noexec",
				"nodev"
			]
		},
		{
			"destination": "/sys",
			"type": "sysfs",
			"source": "sysfs",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"ro"
			]
		},
		{
			"destination": "/sys/fs/cgroup",
			"type": "cgroup",
			"source": "cgroup",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"relatime",
				"ro"
			]
		}
	],
	"linux": {
		"resources": {
			"devices": [
				{
					"allow": false,
					"access": "rwm"
				}
			]
		},
		"namespaces": [
			{
				"type": "pid"
			},
			{
				"type": "network"
			},
			{
				"type": "ipc"
			},
			{
				"type": "uts"
			},
			{
				"type": "mount"
			}
		],
		"maskedPaths": [
			"/proc/acpi",
			"/proc/asound",
			"/proc/kcore",
			"/proc/keys",
			"/proc/latency_stats",
			"/proc/timer_list",
			"/proc/timer_stats",
			"/proc/sched_debug",
			"/sys/firmware",
			"/proc/scsi"
		],
		"readonlyPaths": [
			"/proc/bus",
			"/proc/fs",
			"/proc/irq",
			"/proc/sys",
			"/proc/sysrq-trigger"
		]
	}
}
SPEC
fi

[ $# -gt 0 ] || set -- sh
# One jq per argument: jq 1.6 parses options inside --args, and -R stops at a NUL.
args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -cs .)
tmp=$dir/config.json.tmp
jq --argjson args "$args" '.process.terminal = false | .process.args = $args' \
  "$dir/config.json" >"$tmp"
mv "$tmp" "$dir/config.json"
