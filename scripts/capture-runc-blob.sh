#!/bin/sh
# Capture the bootstrap blob runc writes to its init pipe (a netlink message of type
# INIT_MSG 62000), so rt-bootstrap-dump can show it beside rt's own (RT_BOOTSTRAP_DUMP=PATH).
#
#   scripts/capture-runc-blob.sh BUNDLE OUT [RUNC-CREATE-ARGS...]
#
# Runs `runc create` on BUNDLE under strace, picks the write whose bytes start with an
# nlmsghdr of type 0xf230, writes those bytes to OUT, then deletes the container and its
# state.  BUNDLE is not modified: runc reads a copy of its config.json whose root.path is
# made absolute and, when linux.cgroupsPath is empty, set to /rt-capture-PID (runc would
# otherwise create its cgroup under its own one, which belongs to the machine).
# Environment: RUNC (default /usr/sbin/runc).  Needs strace, jq, xxd; run as root.
set -eu

prog=${0##*/}
usage() {
  echo "usage: $prog BUNDLE OUT [RUNC-CREATE-ARGS...]" >&2
  exit 2
}
die() {
  echo "$prog: $*" >&2
  exit 1
}

[ $# -ge 2 ] || usage
case $1 in -h | --help) usage ;; esac
bundle=$(cd "$1" && pwd) || die "no bundle directory $1"
out=$2
shift 2
runc=${RUNC:-/usr/sbin/runc}
for tool in "$runc" strace jq xxd; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
[ -f "$bundle/config.json" ] || die "$bundle/config.json: no such file"

tmp=$(mktemp -d /tmp/rt-capture.XXXXXX)
id=rt-capture-$$
cleanup() {
  "$runc" --root "$tmp/state" delete -f "$id" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private bundle: same rootfs, absolute, and a cgroup of our own.
mkdir "$tmp/bundle"
jq --arg bundle "$bundle" --arg cg "/rt-capture-$$" '
  .root.path |= (if startswith("/") then . else $bundle + "/" + . end)
  | .linux.cgroupsPath |= (if . == null or . == "" then $cg else . end)' \
  "$bundle/config.json" >"$tmp/bundle/config.json"

# -xx: every byte as \xNN, -s: never truncate.  runc copies the blob with one write().
# -b execve lets go of `runc init` when it is executed: it outlives `runc create` (it waits
# on exec.fifo) and strace would otherwise wait for it.
if ! strace -f -b execve -qq -xx -s 1048576 -e trace=write -o "$tmp/trace" \
  "$runc" --root "$tmp/state" create --bundle "$tmp/bundle" "$@" "$id" \
  </dev/null >"$tmp/runc.out" 2>&1; then
  # The blob is written before the container is set up: keep it even if create failed.
  cat "$tmp/runc.out" >&2
  echo "$prog: warning: runc create failed" >&2
fi

# The second string of 4 bytes is nlmsg_type: 62000 = 0xf230, little endian "\x30\xf2".
line=$(grep -m1 -E 'write\([0-9]+, "(\\x[0-9a-f]{2}){4}\\x30\\xf2' "$tmp/trace") ||
  die "no INIT_MSG write in runc's trace (see strace -f -e trace=write)"
hex=$(printf '%s\n' "$line" | sed -E 's/^[^"]*"([^"]*)".*/\1/')
case $(printf '%s\n' "$line" | sed -E 's/^[^"]*"[^"]*"//') in
  ...*) die "strace truncated the blob" ;;
esac
printf '%s' "$hex" | sed 's/\\x//g' | xxd -r -p >"$out"
echo "$prog: wrote $(wc -c <"$out") bytes to $out" >&2
