#!/bin/sh
# Installs the Debian packages Harrier needs to build and test, if missing.
# Run as root on Debian 12; does nothing when everything is present.
set -e
PKGS="gcc make python3 python3-yaml zlib1g-dev libyaml-dev libpcre2-dev libbpf-dev libelf-dev
      bpftool clang llvm libclang-rt-14-dev sysdig libcurl4-openssl-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# sysdig is only the tests' reference reader; skip its kernel-module recommendations.
apt-get install -y -qq --no-install-recommends $missing >/dev/null
