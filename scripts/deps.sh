#!/bin/sh
# Install from Debian what building and testing rt need.  Idempotent: packages that are
# already installed are left alone (apt-get install is a no-op for them).
#   scripts/deps.sh            (as root, or with sudo available)
set -eu

pkgs="build-essential cmake pkg-config libnl-3-dev libyajl-dev libcap-dev libseccomp-dev
busybox-static bats jq strace xxd runc crun iproute2 util-linux procps libcap2-bin
podman conmon containerd man-db
clang libclang-rt-14-dev tmux uidmap"

sudo=
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "deps.sh: run as root" >&2; exit 1; }
  sudo=sudo
fi

export DEBIAN_FRONTEND=noninteractive
# Skip the network entirely when everything is already there.
missing=
for p in $pkgs; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
    missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "deps.sh: all packages installed"
  exit 0
fi
echo "deps.sh: installing$missing"
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
