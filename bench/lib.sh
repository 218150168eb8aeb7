# Shell shared by the bench/ scripts that measure a running server
# (readmodel.sh, scale.sh). Source it from the repository's root after
# setting:
#   bench_name  the script's name, for messages ("readmodel")
#   dur         length of one measurement (loadtest -d, e.g. 8s)
#   cache       cache of the loaded stores (~/.cache/thrivegraph-bench)
# It makes $work (a temporary directory, removed on exit), builds
# thrivegraph ($tg) and scripts/loadtest into it, and defines the helpers
# below. serve/stop_serve start and stop one server at a time
# (scripts/serve-in-background.sh): $addr, $pid, $log, $serve_exec_ns and
# $serve_ready_ns describe the running one. Needs Go, curl and jq.

say() { echo "$bench_name: $*" >&2; }

command -v jq >/dev/null || { say "needs jq (apt-get install jq)"; exit 1; }
mkdir -p "$cache"
work=$(mktemp -d)
# shellcheck source=../scripts/serve-in-background.sh
. scripts/serve-in-background.sh
extra_pids=()
cleanup() {
  for p in "${extra_pids[@]}" ${pid:+"$pid"}; do kill "$p" 2>/dev/null || true; done
  for p in "${extra_pids[@]}" ${pid:+"$pid"}; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
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

say "building thrivegraph and scripts/loadtest"
go build -o "$work/thrivegraph" .
go build -o "$work/loadtest" ./scripts/loadtest
tg="$work/thrivegraph"

# measure URL CLIENTS [loadtest flags...]: one measurement after a short
# warm-up; prints loadtest's JSON figures.
measure() {
  local url=$1 clients=$2
  shift 2
  "$work/loadtest" -url "$url" -c "$clients" -d 1s -n 100000000 -timeout 120s -json "$@" >/dev/null
  "$work/loadtest" -url "$url" -c "$clients" -d "$dur" -n 100000000 -timeout 120s -json "$@"
}
# gql QUERY [TOKEN]: one GraphQL request to the running server; prints the
# answer, fails on errors.
gql() {
  local body answer
  body=$(jq -nc --arg q "$1" '{query: $q}')
  if [ -n "${2:-}" ]; then
    answer=$(curl -fsS "http://$addr/graphql" -H 'Content-Type: application/json' -H "Authorization: Bearer $2" --data-binary "$body")
  else
    answer=$(curl -fsS "http://$addr/graphql" -H 'Content-Type: application/json' --data-binary "$body")
  fi
  if [ "$(jq '.errors | length' <<<"$answer")" != 0 ]; then
    say "GraphQL errors for $1: $answer"
    return 1
  fi
  printf '%s\n' "$answer"
}
# f JSON FIELD: one field of loadtest's figures.
f() { jq -r ".$2" <<<"$1"; }
# calc EXPR: floating-point arithmetic, three significant digits (whole
# numbers from 100 up).
calc() { awk "BEGIN { x = $1; if (x >= 100 || x <= -100) printf \"%.0f\", x; else printf \"%.3g\", x }"; }
# ok EXPR: "PASS" if the awk condition holds, else "FAIL".
ok() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }
ms() { awk "BEGIN { printf \"%.2f ms\", $1 }"; }
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

# load_bounded DB FILE LOGFILE: `thrivegraph load` of FILE into DB under
# /usr/bin/time -v, killed (and a failure) if its RSS passes
# BENCH_LOAD_MAX_RSS_MB (default 8000): on a shared machine a load that
# holds a whole 1M file in memory must not take everyone's.
load_bounded() {
  local db=$1 file=$2 logf=$3 max_kb=$(( ${BENCH_LOAD_MAX_RSS_MB:-8000} * 1024 )) lpid rss status=0 child
  nice /usr/bin/time -v "$tg" load --db "$db" --progress log "$file" 2>"$logf" &
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
# file: quads, ordinary, ordinary_events and ordinary2 (ordinaries). An
# info file of an older script without ordinary2 gets it from the same
# network generated again (the generator is deterministic).
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
