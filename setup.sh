#!/bin/sh
# setup.sh - install what kscope needs on Debian 12, then build it.
#
#     ./setup.sh                      packages + autoreconf + configure + make
#     ./setup.sh --enable-sanitizers  extra arguments go to ./configure
#
# Idempotent: packages already installed are skipped, and an existing
# configuration is reused when the arguments have not changed.  When they
# have (--enable-sanitizers on or off), configure runs again and every
# object is rebuilt (config.h, which all include, changes with them; and
# make clean).
set -eu
cd "$(dirname "$0")"

PKGS="build-essential pkg-config autoconf automake libtool
libsqlite3-dev liblz4-dev libzstd-dev libbpf-dev libelf-dev zlib1g-dev libncurses-dev
libcmocka-dev clang llvm libclang-rt-14-dev bpftool sqlite3 tmux python3
mandoc man-db strace linux-perf curl xz-utils"
# ClickHouse 18.16 for tests/test-export-clickhouse.sh, which runs a server
# of its own (Debian ships no clickhouse-local): ~10 MB to fetch, ~100 MB
# installed with the libraries clickhouse-common pulls in
PKGS="$PKGS clickhouse-server clickhouse-client"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] ||
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
if [ ! -f Makefile ] || [ "$(cat .setup-args 2>/dev/null)" != "$*" ]; then
	rebuild=
	if [ -f Makefile ]; then
		echo "setup: configure arguments changed (were" \
			"'$(cat .setup-args 2>/dev/null)', now '$*'): rebuilding everything"
		rebuild=yes
	fi
	./configure -q "$@"
	echo "$*" > .setup-args
	# config.h alone would do, where every object's dependencies are
	# recorded; clean also covers a tree built before they all were
	[ -z "$rebuild" ] || make -s clean >/dev/null
fi
make -s -j"$(nproc)"
