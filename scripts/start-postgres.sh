#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests on a free port and prints
# `export THRIVEGRAPH_TEST_POSTGRES=DSN` for the caller to eval. Installs the
# server from Debian's packages when the machine lacks it. Run as root.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
dir=$(mktemp -d /tmp/thrivegraph-pg.XXXXXX)
chown postgres: "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)
su postgres -s /bin/sh -c "$bindir/initdb -D $dir/data -A trust -U postgres >/dev/null"
su postgres -s /bin/sh -c "$bindir/pg_ctl -D $dir/data -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off' -l $dir/log -w start >/dev/null"
su postgres -s /bin/sh -c "$bindir/createdb -h 127.0.0.1 -p $port thrivegraph_test"
echo "export THRIVEGRAPH_TEST_POSTGRES='postgres://postgres@127.0.0.1:$port/thrivegraph_test?sslmode=disable'"
echo "export THRIVEGRAPH_TEST_POSTGRES_STOP='su postgres -s /bin/sh -c \"$bindir/pg_ctl -D $dir/data -m fast stop\"'"
