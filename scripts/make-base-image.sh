#!/usr/bin/env bash
# Builds a stand-in for the python:3.11-slim-bookworm base image with debootstrap, because no container registry
# is reachable where this project is built and tested. It mimics the official image where the action depends on
# it: Debian bookworm, python/python3/pip under /usr/local/bin, the venv module, pip allowed system-wide, and the
# machine's CA bundle (package downloads may pass a TLS-inspecting proxy). Idempotent: an existing image is kept.
#   scripts/make-base-image.sh [TAG]       (default local/python-slim-standin:bookworm; prints the tag)
# Needs root, a running Docker engine and debootstrap. The Debian mirror is the one apt already uses, read from
# the apt sources at run time (never written into the repository), or DEBIAN_MIRROR.
set -euo pipefail
tag="${1:-${BASE_TAG:-local/python-slim-standin:bookworm}}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi
# DEBIAN_MIRROR if set; else the mirror of the deb822 entry whose Suites name bookworm; else sources.list's.
mirror="${DEBIAN_MIRROR:-}"
[ -n "$mirror" ] || mirror=$(awk '/^URIs:/{u=$2} /^Suites:/{for(i=2;i<=NF;i++) if($i=="bookworm"){print u; exit}}' \
  /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $3=="bookworm"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || { echo "make-base-image.sh: no Debian bookworm mirror in the apt sources; set DEBIAN_MIRROR" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates \
  bookworm "$root" "$mirror" >&2
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
mkdir -p "$root/usr/local/bin"
for name in python python3; do ln -sf /usr/bin/python3 "$root/usr/local/bin/$name"; done
ln -sf /usr/bin/pip3 "$root/usr/local/bin/pip"
tar -C "$root" -c . | docker import --change 'CMD ["/usr/local/bin/python3"]' - "$tag" >/dev/null
echo "$tag"
