#!/usr/bin/env bash
# Benchmark of issue 12 (loads): `cayley load` against `thrivegraph load`,
# side by side in one run, each under /usr/bin/time -v (wall time, so
# quads/s, and peak RSS), into bbolt and into PostgreSQL, and prints one
# Markdown table to stdout, also written to a file it names.
#
#   bench/load.sh                               # movie file, 100k organizations
#   BENCH_LOAD_SIZES="100000 1000000" bench/load.sh
#   BENCH_POSTGRES='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' bench/load.sh
#
# Data: Cayley's data/30kmoviedata.nq.gz (from the pinned module; its
# quads have no graph label, so ThriveGraph loads it with --source movies,
# which also adds that source's record: two quads), and for each N in
# BENCH_LOAD_SIZES a network of `thrivegraph generate --orgs N
# --random-seed 1` (graph.nq, every quad labelled with its source).
#
# Per data set, in this order: `cayley load --init -d bolt`, `thrivegraph
# load` (bbolt, --seed=false), `cayley load --init -d postgres` and
# `thrivegraph load --store postgres`, each into a new file or a new
# database of the same PostgreSQL server. Quads/s is the file's quads over
# the process's wall time (reading, checking and writing). After each load
# the store is read back: Cayley's by `cayley dump` (bbolt) or a count of
# its quads table (PostgreSQL), which must hold as many quads as the file;
# ThriveGraph's by `thrivegraph export`, which must give the file's quads
# exactly (for the movie file: once the source record and the label are
# taken off). A mismatch stops the run.
#
# Targets (issue 12): on bbolt, throughput ≥ 3× cayley load's and ≥ 45k
# quads/s, peak RSS ≤ ½ of cayley load's and ≤ 1 GiB; on PostgreSQL,
# throughput ≥ 5× cayley load's into the same server.
#
# Environment:
#   BENCH_LOAD_SIZES  generated sizes, organizations (default "100000";
#                     "1000000" is about 21M quads: opt in)
#   BENCH_MOVIES=0    skip the movie file
#   BENCH_CAYLEY_LIMIT_S  kill a `cayley load -d bolt` that runs longer
#                     (seconds; default: no limit): its row then gives
#                     bounds (throughput below, peak RSS at least), and so
#                     do the ratios to it
#   BENCH_POSTGRES    DSN of a database on a PostgreSQL server where this
#                     script may create and drop databases (bench_load_*);
#                     default: a throwaway server started by
#                     scripts/start-postgres.sh (as root; fsync=off), or
#                     "off" to skip PostgreSQL
#   BENCH_OUT         where to write the table (default $TMPDIR/load-DATE.md)
#   BENCH_CACHE       cache of Cayley's CLI, shared with bench/readmodel.sh
#                     (default ~/.cache/thrivegraph-bench)
#
# Every load runs under nice. Needs Go, /usr/bin/time, psql (for
# PostgreSQL), gzip. It is a measurement, not a test: CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${BENCH_LOAD_SIZES:-100000}
bench_name=load
# shellcheck source=lib.sh
. bench/lib.sh
needs /usr/bin/time time

pg_stop=""
pg_dbs=()
# cleanup_more (called by cleanup, bench/lib.sh): drops the databases this
# script made and stops the PostgreSQL server it started.
cleanup_more() {
  for d in "${pg_dbs[@]}"; do psql "$pg" -qAtc "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done
  [ -n "$pg_stop" ] && { eval "$pg_stop" >/dev/null 2>&1 || true; }
}
bench_start
cayley_cli "$cache"
movies="$(go list -m -f '{{.Dir}}' github.com/cayleygraph/cayley)/data/30kmoviedata.nq.gz"

pg=${BENCH_POSTGRES:-}
if [ "$pg" = off ]; then
  pg=""
elif [ -z "$pg" ]; then
  say "starting a PostgreSQL server (scripts/start-postgres.sh)"
  eval "$(scripts/start-postgres.sh)"
  pg=$THRIVEGRAPH_TEST_POSTGRES
  pg_stop=$THRIVEGRAPH_TEST_POSTGRES_STOP
fi
export PGOPTIONS="-c client_min_messages=warning"
pg_version=""
[ -n "$pg" ] && pg_version=$(psql "$pg" -qAtc "SHOW server_version")

# new_db NAME: a new, empty database NAME on the server; prints its DSN.
new_db() {
  psql "$pg" -qAtc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null
  psql "$pg" -qAtc "CREATE DATABASE $1" >/dev/null
  pg_dbs+=("$1")
  sed -E "s#^(postgres(ql)?://[^/]*/)[^?]*#\1$1#" <<<"$pg"
}
drop_db() { psql "$pg" -qAtc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null; }

# timed LABEL COMMAND...: runs COMMAND under nice and /usr/bin/time -v;
# sets $wall (s) and $rss (KiB); stops the run when it fails. With
# $limit set (seconds), COMMAND is killed when it runs longer, and
# $killed is set to 1 (else 0).
timed() {
  local label=$1 status=0
  shift
  say "$label${limit:+ (killed after ${limit} s)}"
  killed=0
  if [ -n "${limit:-}" ]; then
    /usr/bin/time -v -o "$work/$label.time" timeout -s KILL "$limit" nice "$@" >"$work/$label.log" 2>&1 || status=$?
    if [ "$status" = 137 ]; then killed=1; status=0; say "$label: killed at the limit"; fi
  else
    /usr/bin/time -v -o "$work/$label.time" nice "$@" >"$work/$label.log" 2>&1 || status=$?
  fi
  if [ "$status" != 0 ]; then
    say "$label failed:"
    tail -n 20 "$work/$label.log" >&2
    exit 1
  fi
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$label.time")
}

# check_tg EXPORT-COMMAND...: ThriveGraph's export must be the file's
# quads ($want), once the record of the --source ($tg_source) and its
# label are taken off; sets $got to the number of quads.
check_tg() {
  local iri="<https://thrivegraph.org/source/$tg_source>"
  if [ -n "$tg_source" ]; then
    "$@" 2>"$work/export.err" | awk -v s="$iri " 'index($0, s) != 1' | sed "s# $iri \.\$# .#" | LC_ALL=C sort >"$work/got.nq"
  else
    "$@" 2>"$work/export.err" | LC_ALL=C sort >"$work/got.nq"
  fi
  got=$(wc -l <"$work/got.nq")
  if ! cmp -s "$work/got.nq" "$want"; then
    say "the export differs from the file ($got quads, the file $(wc -l <"$want")):"
    diff "$work/got.nq" "$want" | head -n 5 >&2
    exit 1
  fi
  rm -f "$work/got.nq"
}

# bench NAME FILE [thrivegraph load flags...]: the four loads of one file.
bench() {
  local name=$1 file=$2
  shift 2
  local quads dsn
  if [[ $file == *.gz ]]; then quads=$(gzip -dc "$file" | wc -l); else quads=$(wc -l <"$file"); fi
  say "$name: $quads quads"
  # The file's quads, sorted as ThriveGraph exports them.
  want="$work/want.nq"
  gzip -dcf "$file" | LC_ALL=C sort >"$want"
  tg_source=""
  if [ "${1:-}" = --source ]; then tg_source=$2; fi

  limit=${BENCH_CAYLEY_LIMIT_S:-} timed "$name-cayley-bolt" "$cayley" load --init -d bolt -a "$work/cayley.bolt" -i "$file"
  local c_bolt_qps c_bolt_rss=$rss c_killed=$killed
  c_bolt_qps=$(calc "$quads / $wall")
  if [ "$c_killed" = 1 ]; then
    # Stopped at the limit: its throughput was below this, and its peak
    # RSS at least this; the ratios below are bounds.
    rm -rf "$work/cayley.bolt"
    row "$name" "$quads" "\`cayley load -d bolt\`" "> $(calc "$wall") s (killed at BENCH_CAYLEY_LIMIT_S)" "< $c_bolt_qps" "≥ $(mib "$c_bolt_rss") MiB" "not finished"
  else
    got=$("$cayley" dump -d bolt -a "$work/cayley.bolt" -o - 2>/dev/null | wc -l)
    [ "$got" = "$quads" ] || { say "$name: cayley's bolt store holds $got quads, the file $quads"; exit 1; }
    rm -rf "$work/cayley.bolt"
    row "$name" "$quads" "\`cayley load -d bolt\`" "$(calc "$wall") s" "$c_bolt_qps" "$(mib "$c_bolt_rss") MiB" "$got (count)"
  fi

  timed "$name-tg-bbolt" "$tg" load --db "$work/tg.db" --seed=false --progress none "$@" "$file"
  local t_bolt_qps t_bolt_rss=$rss
  t_bolt_qps=$(calc "$quads / $wall")
  check_tg "$tg" export --db "$work/tg.db"
  rm -f "$work/tg.db"*
  row "$name" "$quads" "\`thrivegraph load\` (bbolt)" "$(calc "$wall") s" "$t_bolt_qps" "$(mib "$t_bolt_rss") MiB" "$got (= file)"
  local bound=""
  [ "$c_killed" = 1 ] && bound="≥ "
  targets+=("| $name | bbolt: throughput ≥ 3× cayley load's | $bound$(calc "$t_bolt_qps / $c_bolt_qps")× | $(ok "$t_bolt_qps >= 3 * $c_bolt_qps") |")
  targets+=("| $name | bbolt: ≥ 45k quads/s | $t_bolt_qps quads/s | $(ok "$t_bolt_qps >= 45000") |")
  bound=""
  [ "$c_killed" = 1 ] && bound="≤ "
  targets+=("| $name | bbolt: peak RSS ≤ ½ cayley load's | $bound$(calc "$t_bolt_rss / $c_bolt_rss")× ($(mib "$t_bolt_rss") / $bound$(mib "$c_bolt_rss") MiB) | $(ok "$t_bolt_rss <= 0.5 * $c_bolt_rss") |")
  targets+=("| $name | bbolt: peak RSS ≤ 1 GiB | $(mib "$t_bolt_rss") MiB | $(ok "$t_bolt_rss <= 1048576") |")

  [ -n "$pg" ] || return 0
  dsn=$(new_db bench_load_cayley)
  timed "$name-cayley-postgres" "$cayley" load --init -d postgres -a "$dsn" -i "$file"
  local c_pg_qps c_pg_rss=$rss
  c_pg_qps=$(calc "$quads / $wall")
  got=$(psql "$dsn" -qAtc "SELECT count(*) FROM quads")
  [ "$got" = "$quads" ] || { say "$name: cayley's PostgreSQL store holds $got quads, the file $quads"; exit 1; }
  drop_db bench_load_cayley
  row "$name" "$quads" "\`cayley load -d postgres\`" "$(calc "$wall") s" "$c_pg_qps" "$(mib "$c_pg_rss") MiB" "$got (count)"

  dsn=$(new_db bench_load_tg)
  timed "$name-tg-postgres" "$tg" load --store postgres --dsn "$dsn" --seed=false --progress none "$@" "$file"
  local t_pg_qps t_pg_rss=$rss
  t_pg_qps=$(calc "$quads / $wall")
  check_tg "$tg" export --store postgres --dsn "$dsn"
  drop_db bench_load_tg
  row "$name" "$quads" "\`thrivegraph load --store postgres\`" "$(calc "$wall") s" "$t_pg_qps" "$(mib "$t_pg_rss") MiB" "$got (= file)"
  targets+=("| $name | PostgreSQL: throughput ≥ 5× cayley load's | $(calc "$t_pg_qps / $c_pg_qps")× ($t_pg_qps / $c_pg_qps quads/s) | $(ok "$t_pg_qps >= 5 * $c_pg_qps") |")
}

targets=()
if [ "${BENCH_MOVIES:-1}" != 0 ]; then
  bench 30kmoviedata.nq.gz "$movies" --source movies
fi
for n in $sizes; do
  say "generating $n organizations"
  "$tg" generate --orgs "$n" --random-seed 1 --out "$work/gen-$n" >/dev/null
  bench "generated $n orgs" "$work/gen-$n/graph.nq"
  rm -rf "$work/gen-$n"
done

{
  echo "# Loads: cayley load vs thrivegraph load ($(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) memory; load average $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
  echo "thrivegraph $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (uncommitted changes)'), Cayley $cayley_version${pg_version:+, PostgreSQL $pg_version}."
  echo "Command: \`BENCH_LOAD_SIZES=\"$sizes\" bench/load.sh\`; every load under nice and \`/usr/bin/time -v\`; quads/s = the file's quads / wall time."
  echo
  echo "| data | quads | tool | wall | quads/s | peak RSS | quads after the load |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| data | target | measured | result |"
  echo "| --- | --- | --- | --- |"
  printf '%s\n' "${targets[@]}"
  if [ ${#notes[@]} -gt 0 ]; then
    echo
    printf '%s\n' "${notes[@]}"
  fi
} | tee "$out"
say "written to $out"
