#!/usr/bin/env bash
# Starts a throwaway PostgreSQL primary and a hot standby streaming from it
# (pg_basebackup -R), each on a free loopback port, for the multi-server
# tests (replicas_test.go), and prints the exports for the caller to eval:
#   THRIVEGRAPH_TEST_PG_PRIMARY   DSN of database thrivegraph_repl on the primary
#   THRIVEGRAPH_TEST_PG_STANDBY   DSN of the same database on the standby (read-only)
#   THRIVEGRAPH_TEST_PG_PRIMARY_STOP / _START  commands that stop and start the primary
#   THRIVEGRAPH_TEST_PG_REPLICATED_STOP        stops both
# The primary is separate from scripts/start-postgres.sh's server, so that
# stopping it under a running server affects no other test. Installs the
# server from Debian's packages when the machine lacks it. Run as root.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
dir=$(mktemp -d /tmp/thrivegraph-pgrepl.XXXXXX)
chown postgres: "$dir"
p1=$(freeport)
p2=$(freeport)
as_pg() { su postgres -s /bin/sh -c "$1"; }
opts="-c listen_addresses=127.0.0.1 -c fsync=off -c wal_level=replica -c max_wal_senders=5"
as_pg "$bindir/initdb -D $dir/primary -A trust -U postgres >/dev/null"
as_pg "$bindir/pg_ctl -D $dir/primary -o '-p $p1 -k $dir $opts' -l $dir/primary.log -w start >/dev/null"
as_pg "$bindir/createdb -h 127.0.0.1 -p $p1 thrivegraph_repl"
as_pg "$bindir/pg_basebackup -h 127.0.0.1 -p $p1 -U postgres -D $dir/standby -R -X stream --checkpoint=fast >/dev/null"
as_pg "$bindir/pg_ctl -D $dir/standby -o '-p $p2 -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on' -l $dir/standby.log -w start >/dev/null"
start1="su postgres -s /bin/sh -c \"$bindir/pg_ctl -D $dir/primary -o '-p $p1 -k $dir $opts' -l $dir/primary.log -w start\""
stop1="su postgres -s /bin/sh -c \"$bindir/pg_ctl -D $dir/primary -m fast -w stop\""
stop2="su postgres -s /bin/sh -c \"$bindir/pg_ctl -D $dir/standby -m fast -w stop\""
echo "export THRIVEGRAPH_TEST_PG_PRIMARY='postgres://postgres@127.0.0.1:$p1/thrivegraph_repl?sslmode=disable'"
echo "export THRIVEGRAPH_TEST_PG_STANDBY='postgres://postgres@127.0.0.1:$p2/thrivegraph_repl?sslmode=disable'"
printf "export THRIVEGRAPH_TEST_PG_PRIMARY_START=%q\n" "$start1"
printf "export THRIVEGRAPH_TEST_PG_PRIMARY_STOP=%q\n" "$stop1"
printf "export THRIVEGRAPH_TEST_PG_REPLICATED_STOP=%q\n" "$stop2; $stop1"
