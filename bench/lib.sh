# Shell shared by the benchmarks in bench/ (readmodel.sh, scale.sh,
# analysis.sh, load.sh). Source it from the repository's root after
# setting bench_name (the script's name, for messages). Sourcing only
# defines functions and the empty arrays below; a script then calls
# bench_start [PACKAGE...] for its settings, $work, $tg and EXIT trap.
# The server helpers (serve, stop_serve, post, gql, measure, rss_kb,
# log_wait) speak of the one running server, which
# scripts/serve-in-background.sh describes with $addr, $pid, $log,
# $serve_exec_ns and $serve_ready_ns. Needs Go; most scripts curl and jq.

# shellcheck source=../scripts/serve-in-background.sh
. scripts/serve-in-background.sh

rows=()       # the table's rows (row)
notes=()      # the notes under the table (note)
extra_pids=() # processes besides the server that cleanup stops

# say MSG...: the script's log line, to stderr.
say() { echo "$bench_name: $*" >&2; }

# needs CMD PACKAGE: stops the script when CMD is missing.
needs() { command -v "$1" >/dev/null || { say "needs $1 (apt-get install $2)"; exit 1; }; }

# bench_start [PACKAGE...]: the run's settings — $cache (BENCH_CACHE,
# default ~/.cache/thrivegraph-bench, made), $stamp, $out (BENCH_OUT,
# default $TMPDIR/NAME-STAMP.md) and $load_at_start —, then $work (a
# temporary directory, removed on exit by cleanup), thrivegraph built as
# $tg and each PACKAGE (e.g. ./scripts/loadtest) into $work by base name.
bench_start() {
  local p
  cache=${BENCH_CACHE:-$HOME/.cache/thrivegraph-bench}
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  out=${BENCH_OUT:-${TMPDIR:-/tmp}/$bench_name-$stamp.md}
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  mkdir -p "$cache"
  work=$(mktemp -d)
  trap cleanup EXIT
  say "building thrivegraph${*:+ and $*}"
  go build -o "$work/thrivegraph" .
  tg="$work/thrivegraph"
  for p in "$@"; do go build -o "$work/$(basename "$p")" "$p"; done
}

# run_line: the table's line on the run — date, commit, machine, load
# average at the start and now.
run_line() {
  local commit dirty mem_gb
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (working tree has changes)" || true)
  mem_gb=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit$dirty, $(nproc) cores, ${mem_gb} GB, load average $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (the machine is shared)."
}

# cleanup: the EXIT trap; stops the server and extra_pids, runs the
# script's cleanup_more if it defines one, removes $work.
cleanup() {
  local p
  for p in "${extra_pids[@]}" ${pid:+"$pid"}; do kill "$p" 2>/dev/null || true; done
  for p in "${extra_pids[@]}" ${pid:+"$pid"}; do wait "$p" 2>/dev/null || true; done
  if declare -F cleanup_more >/dev/null; then cleanup_more || true; fi
  rm -rf "$work"
}

# serve [FLAGS...]: starts a server through start_serve (which sets its own
# EXIT trap) and puts cleanup back in place.
serve() {
  start_serve "$@"
  trap cleanup EXIT
}

# stop_serve NAME: stops the running server and keeps its log as
# $work/serve-NAME.log.
stop_serve() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  cp "$log" "$work/serve-$1.log" 2>/dev/null || true
  pid=""
}

# measure URL CLIENTS [loadtest flags...]: one measurement of $dur after a
# second of warm-up; prints loadtest's JSON figures.
measure() {
  local url=$1 clients=$2
  shift 2
  "$work/loadtest" -url "$url" -c "$clients" -d 1s -n 100000000 -timeout 120s -json "$@" >/dev/null
  "$work/loadtest" -url "$url" -c "$clients" -d "$dur" -n 100000000 -timeout 120s -json "$@"
}

# post QUERY [TOKEN]: one GraphQL request to the running server; prints
# the answer, errors too.
post() {
  local body
  body=$(jq -nc --arg q "$1" '{query: $q}')
  curl -sS "http://$addr/graphql" -H 'Content-Type: application/json' ${2:+-H "Authorization: Bearer $2"} --data-binary "$body"
}

# gql QUERY [TOKEN]: post, failing (and saying so) on errors.
gql() {
  local answer
  answer=$(post "$@") || return 1
  if [ "$(jq '.errors | length' <<<"$answer" 2>/dev/null)" != 0 ]; then
    say "GraphQL errors for $1: $answer"
    return 1
  fi
  printf '%s\n' "$answer"
}

# f JSON FIELD: one field of loadtest's figures.
f() { jq -r ".$2" <<<"$1"; }

# row CELL...: one row of the table, a cell each argument.
row() {
  local r="|" c
  for c in "$@"; do r+=" $c |"; done
  rows+=("$r")
}

# note MSG...: a note under the table, also said.
note() { notes+=("- $*"); say "$*"; }

# table TITLE COMMAND: the run's Markdown table: its title, the run's line,
# the command line (COMMAND, Markdown), the rows (row) and the notes (note).
table() {
  echo "## $1"
  echo
  run_line
  echo "Command: $2"
  echo
  echo "| measurement | value | target | result |"
  echo "| --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  printf '%s\n' "${notes[@]}"
}

# calc EXPR: floating-point arithmetic, three significant digits (whole
# numbers from 100 up).
calc() { awk "BEGIN { x = $1; if (x >= 100 || x <= -100) printf \"%.0f\", x; else printf \"%.3g\", x }"; }

# ok EXPR: "PASS" if the awk condition holds, else "FAIL".
ok() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }

# ms EXPR: milliseconds, two decimals and the unit.
ms() { awk "BEGIN { printf \"%.2f ms\", $1 }"; }

# mib KIB: KiB as MiB (calc).
mib() { calc "$1 / 1024"; }

# rss_kb FIELD: VmRSS or VmHWM of the running server, in KiB.
rss_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }

# log_wait MSG SECONDS: seconds from exec to the first log line of the
# running server with that msg, waiting SECONDS at most; "not logged" when
# it does not come.
log_wait() {
  local line
  for _ in $(seq 1 $(( $2 * 10 ))); do
    line=$(grep -m1 "\"msg\":\"$1\"" "$log" || true)
    if [ -n "$line" ]; then calc "$(date +%s%N -d "$(jq -r .time <<<"$line")") / 1e9 - $serve_exec_ns / 1e9"; return; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "not logged"
}

# warm_wait: seconds from exec to "warmed up" (the whole graph's derived
# data made in the background), waiting 120 s at most (WARM_TIMEOUT).
warm_wait() { log_wait "warmed up" "${WARM_TIMEOUT:-120}"; }

# ordinaries NQUADS: "EVENTS ID ID2" — the ordinary organization, the
# median one by number of events taken part in (any role) among those with
# any, ties by id; and a second one with as many events, half-way round
# the list of those from the first.
ordinaries() {
  awk '$2 == "<https://thrivegraph.org/ns#hosted>" || $2 == "<https://thrivegraph.org/ns#participatedIn>" || $2 == "<https://thrivegraph.org/ns#presentedAt>" { print $1, $3 }' "$1" |
    sort -u | awk '{ c[$1]++ } END { for (o in c) print c[o], o }' | sort -k1,1n -k2,2 >"$work/events-per-org"
  local m
  m=$(( ($(wc -l <"$work/events-per-org") + 1) / 2 ))
  awk -v m="$m" '
    NR == m { events = $1; first = $2 }
    { n[$1]++; at[$1, n[$1]] = $2; if (NR == m) i = n[$1] }
    END {
      k = n[events]; j = (i - 1 + int(k / 2)) % k + 1
      o = first; p = at[events, j]
      gsub(/^<https:\/\/thrivegraph.org\/id\/|>$/, "", o); gsub(/^<https:\/\/thrivegraph.org\/id\/|>$/, "", p)
      print events, o, p
    }' "$work/events-per-org"
}

# load_bounded DB FILE LOGFILE [load flags...]: `thrivegraph load` of FILE
# into DB under nice and /usr/bin/time -v, killed (and a failure) if its
# RSS passes BENCH_LOAD_MAX_RSS_MB (default 8000): on a shared machine a
# load that holds a whole 1M file in memory must not take everyone's.
load_bounded() {
  local db=$1 file=$2 logf=$3 max_kb=$(( ${BENCH_LOAD_MAX_RSS_MB:-8000} * 1024 )) lpid rss status=0 child
  shift 3
  nice /usr/bin/time -v "$tg" load --db "$db" --progress log "$@" "$file" 2>"$logf" &
  lpid=$!
  extra_pids+=("$lpid")
  while kill -0 "$lpid" 2>/dev/null; do
    child=$(pgrep -P "$lpid" | head -n1 || true)
    rss=$( [ -n "$child" ] && awk '/^VmRSS:/ { print $2 }' "/proc/$child/status" 2>/dev/null || echo 0)
    if [ "${rss:-0}" -gt "$max_kb" ]; then
      kill "$child" 2>/dev/null || true
      wait "$lpid" 2>/dev/null || true
      say "load of $file killed: RSS passed BENCH_LOAD_MAX_RSS_MB=${BENCH_LOAD_MAX_RSS_MB:-8000} (the loader holds too much of the file)"
      return 1
    fi
    sleep 0.5
  done
  wait "$lpid" || status=$?
  if [ "$status" != 0 ]; then tail -20 "$logf" >&2; return "$status"; fi
  say "loaded $file: $(grep -E 'Elapsed|Maximum resident' "$logf" | sed 's/^[[:space:]]*//' | paste -sd';')"
}

# store_for N: copies the cached store of N generated organizations
# (generate --orgs N --random-seed 1, loaded with `thrivegraph load`; built
# when missing) to $work/gen-N.db and sets its facts from the cache's info
# file ($cache/gen-N-seed1.info): quads, ordinary, ordinary_events and
# ordinary2 (ordinaries). An info file of an older script without
# ordinary2 gets it from the same network generated again (the generator
# is deterministic).
store_for() {
  local n=$1 db="$cache/gen-$1-seed1.db" info="$cache/gen-$1-seed1.info" o
  if [ -n "${BENCH_REFRESH:-}" ] || [ ! -f "$db" ] || [ ! -f "$info" ]; then
    say "generating and loading $n organizations (cached as $db)"
    rm -f "$db" "$info"
    "$tg" generate --orgs "$n" --random-seed 1 --out "$work/gen$n" >&2
    read -r -a o < <(ordinaries "$work/gen$n/graph.nq")
    rm -f "$db.tmp"
    load_bounded "$db.tmp" "$work/gen$n/graph.nq" "$work/load-$n.log" || { rm -f "$db.tmp" "$db.tmp.view"; exit 1; }
    printf 'quads=%s\nordinary=%s\nordinary_events=%s\nordinary2=%s\n' "$(wc -l <"$work/gen$n/graph.nq")" "${o[1]}" "${o[0]}" "${o[2]}" >"$db.info.tmp"
    mv "$db.tmp" "$db"
    rm -f "$db.tmp.view" # the checkpoint load wrote beside the temporary name
    mv "$db.info.tmp" "$info"
    rm -rf "$work/gen$n"
  elif ! grep -q '^ordinary2=' "$info"; then
    say "$n organizations: generating the network again for a second ordinary organization"
    "$tg" generate --orgs "$n" --random-seed 1 --out "$work/gen$n" >&2
    read -r -a o < <(ordinaries "$work/gen$n/graph.nq")
    # shellcheck disable=SC1090
    . "$info"
    if [ "${o[1]}" != "$ordinary" ]; then say "the network generated again is not the cached store's (ordinary ${o[1]}, cached $ordinary): BENCH_REFRESH=1"; exit 1; fi
    printf 'ordinary2=%s\n' "${o[2]}" >>"$info"
    rm -rf "$work/gen$n"
  fi
  cp "$db" "$work/gen-$n.db"
  rm -f "$work/gen-$n.db.view"
  # quads, ordinary, ordinary_events, ordinary2
  # shellcheck disable=SC1090
  . "$info"
}

# cayley_cli CACHE: sets $cayley to Cayley's CLI at the module version in
# go.mod ($cayley_version), built once in a temporary module outside the
# repository (several minutes) and cached in CACHE.
cayley_cli() {
  local cache=$1 tmpmod
  cayley_version=$(go list -m -f '{{.Version}}' github.com/cayleygraph/cayley)
  cayley="$cache/cayley-$cayley_version"
  [ -x "$cayley" ] && return 0
  say "building Cayley's CLI $cayley_version in a temporary module (several minutes, once; cached as $cayley)"
  tmpmod=$(mktemp -d)
  (
    cd "$tmpmod"
    go mod init thrivegraph-bench-cayley >/dev/null 2>&1
    go get "github.com/cayleygraph/cayley/cmd/cayley@$cayley_version" >/dev/null 2>&1
    # No cgo: only the SQLite backend needs it, and the build is minutes shorter.
    CGO_ENABLED=0 nice go build -o "$cayley.tmp" github.com/cayleygraph/cayley/cmd/cayley
  ) >&2
  mv "$cayley.tmp" "$cayley"
  rm -rf "$tmpmod"
}
