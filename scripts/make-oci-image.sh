#!/bin/sh
# Make an OCI image archive (an image layout, tarred: what `ctr images import`,
# `podman load` and skopeo read) from a root file system, with tar, sha256sum and jq only:
#
#   scripts/make-oci-image.sh ROOTFS OUT.tar [NAME]
#
# One uncompressed layer holding ROOTFS, a config for linux/amd64 (or this machine's
# architecture) whose Cmd is sh, a manifest, and index.json naming the image NAME
# (default localhost/rt-busybox:latest) for containerd (io.containerd.image.name) and the
# tag for OCI tools (org.opencontainers.image.ref.name).  Same input, same bytes.
set -eu

prog=${0##*/}
[ $# -ge 2 ] || { echo "usage: $prog ROOTFS OUT.tar [NAME]" >&2; exit 2; }
rootfs=$1 out=$2 name=${3:-localhost/rt-busybox:latest}
[ -d "$rootfs" ] || { echo "$prog: $rootfs is not a directory" >&2; exit 1; }
command -v jq >/dev/null 2>&1 || { echo "$prog: jq not found (scripts/deps.sh)" >&2; exit 1; }

case $(uname -m) in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
*) arch=$(uname -m) ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/oci-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
blobs=$work/blobs/sha256
mkdir -p "$blobs"

# blob FILE: move FILE into blobs/sha256/<digest>, print "DIGEST SIZE"
blob() {
	d=$(sha256sum "$1" | cut -d' ' -f1)
	s=$(stat -c %s "$1")
	mv "$1" "$blobs/$d"
	echo "$d $s"
}

tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner -cf "$work/layer" .
set -- $(blob "$work/layer")
layer=$1 layer_size=$2

jq -n --arg arch "$arch" --arg diff "sha256:$layer" '{
	architecture: $arch, os: "linux",
	config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
		Cmd: ["sh"], WorkingDir: "/" },
	rootfs: { type: "layers", diff_ids: [$diff] }
}' >"$work/config"
set -- $(blob "$work/config")
config=$1 config_size=$2

jq -n --arg c "sha256:$config" --argjson cs "$config_size" \
	--arg l "sha256:$layer" --argjson ls "$layer_size" '{
	schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
	config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs },
	layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l, size: $ls }]
}' >"$work/manifest"
set -- $(blob "$work/manifest")
manifest=$1 manifest_size=$2

jq -n --arg m "sha256:$manifest" --argjson ms "$manifest_size" --arg name "$name" \
	--arg arch "$arch" '{
	schemaVersion: 2,
	manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m,
		size: $ms, platform: { architecture: $arch, os: "linux" },
		annotations: { "io.containerd.image.name": $name,
			"org.opencontainers.image.ref.name": ($name | sub("^.*:"; "")) } }]
}' >"$work/index.json"
echo '{"imageLayoutVersion": "1.0.0"}' >"$work/oci-layout"

tar -C "$work" --sort=name --mtime=@0 --numeric-owner -cf "$out" oci-layout index.json blobs
