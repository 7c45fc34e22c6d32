#!/bin/sh
# Install the dependencies, build rt, and run a container from a busybox bundle made from
# Debian's busybox-static; the container prints that it is pid 1 with its own hostname.
#   scripts/demo.sh        (as root, from anywhere in a clone)
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bash scripts/deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j2 >/dev/null

work=$(mktemp -d /tmp/rt-demo.XXXXXX)
trap 'build/rt --root "$work/state" delete --force rt-demo >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
chmod 755 "$work"
scripts/make-bundle.sh "$work/bundle" sh -c 'echo "hello from inside: I am pid $$, my hostname is $(hostname)"'
# A hostname of our own, and a cgroup of our own (the default would be /rt/rt-demo).
jq '.hostname = "rt-demo" | .linux.cgroupsPath = "/rt-demo"' "$work/bundle/config.json" >"$work/c.json"
mv "$work/c.json" "$work/bundle/config.json"
echo "+ build/rt run --bundle $work/bundle rt-demo"
build/rt --root "$work/state" run --bundle "$work/bundle" rt-demo
