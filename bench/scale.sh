#!/usr/bin/env bash
# Benchmark of issue 12 ("A million organizations"), its serving part: the
# generated network (generate --orgs N --random-seed 1, loaded with
# `thrivegraph load`) at 10k, 100k and, opt-in, 1M organizations, side by
# side in one Markdown table printed to stdout and written to a file it
# names.
#
#   bench/scale.sh                                              # 10k and 100k
#   BENCH_SCALE_SIZES="10000 100000 1000000" bench/scale.sh     # and 1M
#
# For each size: serve's start (exec → /readyz 200, → "warmed up" logged,
# → "network analysis ready" logged) from a scan of the store, then again
# from the read model's checkpoint that stopping wrote; serve's RSS at each
# of those points and after the queries; and p50/p99 (1 client, response
# cache off: --response-cache-size 0, through THRIVEGRAPH_RESPONSE_CACHE_SIZE)
# of: a lookup {id name}, partners(first: 20) of an ordinary organization,
# path between two ordinary organizations, organizations(filter: {themes},
# first: 20) with and without totalCount, facets(first: 20), search top 10
# (a common word, and the ordinary organization's name) and
# neighborhood(depth: 2, limit: 200) of the ordinary organization. The
# queries run once the network analysis is ready (or WAIT_ANALYSIS seconds
# passed), so that its work in the background does not disturb them.
# Every answer has a bounded size (a page, at most 7 path steps, at most
# 200 nodes): the last column is the ratio of the largest size to 10k, the
# issue's target being ≤ 1.5 at 1M.
#
# "Ordinary" organizations are those of bench/readmodel.sh: the median one
# by number of events taken part in, and a second with as many events
# (bench/lib.sh, ordinaries).
#
# Environment:
#   BENCH_SCALE_SIZES  generated sizes, organizations (default "10000 100000")
#   BENCH_DURATION     length of one measurement (default 8s)
#   BENCH_OUT          where to write the table (default $TMPDIR/scale-DATE.md)
#   BENCH_CACHE        cache of the loaded stores (default ~/.cache/thrivegraph-bench),
#                      shared with readmodel.sh; stores are copied before serving
#   BENCH_REFRESH=1    rebuild the cached stores
#   BENCH_LOAD_MAX_RSS_MB  kill a load whose RSS passes this (default 8000)
#   BENCH_LOGS         keep every server's log in this directory
#   BENCH_GCTRACE=1    run serve with GODEBUG=gctrace=1 (its heap after each GC, in the logs)
#   WAIT_ANALYSIS      longest wait for "network analysis ready", seconds (default 900)
#
# A measurement, not a test: CI does not run it. Needs Go, curl and jq.
set -euo pipefail
cd "$(dirname "$0")/.."

bench_name=scale
sizes=${BENCH_SCALE_SIZES:-"10000 100000"}
dur=${BENCH_DURATION:-8s}
# shellcheck source=lib.sh
. bench/lib.sh
needs jq jq
bench_start ./scripts/loadtest

export THRIVEGRAPH_RESPONSE_CACHE_SIZE=0
[ -n "${BENCH_GCTRACE:-}" ] && export GODEBUG=gctrace=1
[ -n "${BENCH_LOGS:-}" ] && mkdir -p "$BENCH_LOGS"
theme=digital-inclusion
word=refugee

keep_log() {
  stop_serve "$1"
  if [ -n "${BENCH_LOGS:-}" ]; then cp "$work/serve-$1.log" "$BENCH_LOGS/"; fi
}
# readyz_s: the median time of three GET /readyz of the running server.
readyz_s() {
  local t
  t=$(for _ in 1 2 3; do curl -fsS -o /dev/null -w '%{time_total}\n' "http://$addr/readyz"; done | sort -n | sed -n 2p)
  calc "$t"
}
# later A B: the larger of two times in seconds, or "not logged".
later() { case "$1$2" in *"not logged"*) echo "not logged" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }' ;; esac; }

# The cells of the table, by row key and size; rows in order.
declare -A cell ratio_of
row_keys=()
row_names=()
# put KEY NAME N VALUE: one cell.
put() {
  if [ -z "${cell[$1,names]:-}" ]; then row_keys+=("$1"); row_names+=("$2"); cell[$1,names]=1; fi
  cell[$1,$3]=$4
}

for n in $sizes; do
  store_for "$n"
  db="$work/gen-$n.db"
  say "$n organizations ($quads quads): first start (read model from a scan of the store)"
  START_TIMEOUT=3600 serve --db "$db"
  ready_s=$(calc "($serve_ready_ns - $serve_exec_ns) / 1e9")
  warm_s=$(WARM_TIMEOUT=3600 warm_wait)
  rss_warm=$(rss_kb VmRSS)
  built=$(grep -m1 '"msg":"read model built"' "$log" | jq -r '"\(.took), heap \(.heap_mb) MiB in use, \(.heap_idle_mb) MiB idle"') || built="(not logged)"
  analysed_s=$(log_wait "network analysis ready" "${WAIT_ANALYSIS:-900}")
  rss_analysed=$(rss_kb VmRSS)
  analysis_line=$(grep -m1 '"msg":"network analysis ready"' "$log" | jq -c '{organizations, ties, exact, took}' || echo "not logged")
  put quads "Quads in the store" "$n" "$quads"
  put fully "First start: exec → fully ready (/readyz 200 and \"warmed up\" logged; read model from a scan)" "$n" "$(later "$ready_s" "$warm_s") s"
  put serving "First start: exec → \"serving\" logged (listening; its time in the log)" "$n" "$(log_wait serving 5) s"
  put ready "First start: exec → /readyz 200 (polled every 0.1 s)" "$n" "$ready_s s"
  put warm "First start: exec → \"warmed up\" (its time in the log)" "$n" "$warm_s s"
  put analysed "First start: exec → \"network analysis ready\"" "$n" "$analysed_s s"
  put rss_warm "serve RSS once warm" "$n" "$(mib "$rss_warm") MiB"
  put rss_analysed "serve RSS once the network analysis is ready" "$n" "$(mib "$rss_analysed") MiB"
  note "$n: read model built in $built; network analysis: $analysis_line"

  put readyz "GET /readyz once the network analysis is ready, median of 3" "$n" "$(readyz_s) s"
  lookup=$(gql "{organization(id:\"$ordinary\"){id name}}")
  name=$(jq -r .data.organization.name <<<"$lookup")
  queries=(
    "lookup|Lookup organization(id){id name}|{organization(id:\"$ordinary\"){id name}}"
    "partners|partners(first:20) of the ordinary organization|{organization(id:\"$ordinary\"){partners(first:20){totalCount edges{node{id name}}}}}"
    "path|path between two ordinary organizations|{path(from:\"$ordinary\",to:\"$ordinary2\"){length steps{node{__typename id name} relation source{title}}}}"
    "orgs|organizations(filter:{themes:[\"$theme\"]}, first:20) with totalCount|{organizations(filter:{themes:[\"$theme\"]},first:20){totalCount pageInfo{hasNextPage endCursor} nodes{id name}}}"
    "orgs_page|organizations(filter:{themes:[\"$theme\"]}, first:20) without totalCount|{organizations(filter:{themes:[\"$theme\"]},first:20){pageInfo{hasNextPage endCursor} nodes{id name}}}"
    "facets|facets(first:20)|{facets(first:20){total themes{count node{id name}} policyLevels{count node{id}} places{count node{id name}} events{count node{id name}}}}"
    "search|search(text:\"$word\", first:10)|{search(text:\"$word\",first:10){score node{__typename id name}}}"
    "search_name|search(text: the ordinary organization's name, first:10)|$(jq -nr --arg t "$name" '"{search(text:\($t | tojson),first:10){score node{__typename id name}}}"')"
    "neighborhood|neighborhood(depth:2, limit:200) of the ordinary organization|{neighborhood(id:\"$ordinary\",depth:2,limit:200){truncated nodes{depth node{__typename id name}} edges{from{id} to{id} relation}}}"
  )
  for q in "${queries[@]}"; do
    IFS='|' read -r key label query <<<"$q"
    answer=$(gql "$query")
    bytes=$(printf '%s' "$answer" | wc -c)
    say "$n: $key, 1 client ($bytes bytes)"
    m=$(measure "http://$addr/graphql" 1 -query "$query")
    put "$key" "$label, p50 / p99 (answer bytes)" "$n" "$(f "$m" p50_ms) / $(f "$m" p99_ms) ms ($bytes)"
    ratio_of[$key,$n]="$(f "$m" p50_ms) $(f "$m" p99_ms)"
    case $key in
      partners) note "$n: partners of $ordinary ($ordinary_events events): totalCount $(jq .data.organization.partners.totalCount <<<"$answer")" ;;
      path) note "$n: path $ordinary → $ordinary2: length $(jq .data.path.length <<<"$answer")" ;;
      orgs) note "$n: organizations with theme $theme: totalCount $(jq .data.organizations.totalCount <<<"$answer")" ;;
      neighborhood) note "$n: neighborhood of $ordinary: $(jq '.data.neighborhood.nodes | length' <<<"$answer") nodes, $(jq '.data.neighborhood.edges | length' <<<"$answer") edges, truncated $(jq .data.neighborhood.truncated <<<"$answer")" ;;
    esac
  done
  put rss_after "serve RSS / peak (VmHWM) after the queries" "$n" "$(mib "$(rss_kb VmRSS)") / $(mib "$(rss_kb VmHWM)") MiB"
  keep_log "scale-$n"

  # Stopping wrote the read model's checkpoint beside the store
  # (live.OpenCheckpointed), which this start reads.
  say "$n: restart (read model from its checkpoint)"
  START_TIMEOUT=3600 serve --db "$db"
  restart_s=$(calc "($serve_ready_ns - $serve_exec_ns) / 1e9")
  rewarm_s=$(WARM_TIMEOUT=3600 warm_wait)
  rss_rewarm=$(rss_kb VmRSS)
  from_cp=$(grep -c '"msg":"read model from checkpoint"' "$log" || true)
  reanalysed_s=$(log_wait "network analysis ready" "${WAIT_ANALYSIS:-900}")
  put refully "Restart: exec → fully ready (/readyz 200 and \"warmed up\"; read model from its checkpoint)" "$n" "$(later "$restart_s" "$rewarm_s") s$([ "$from_cp" -gt 0 ] || echo ' (checkpoint not used)')"
  put restart "Restart: exec → /readyz 200" "$n" "$restart_s s"
  put rewarm "Restart: exec → \"warmed up\"" "$n" "$rewarm_s s"
  put reanalysed "Restart: exec → \"network analysis ready\"" "$n" "$reanalysed_s s"
  put rss_rewarm "Restart: serve RSS once warm" "$n" "$(mib "$rss_rewarm") MiB"
  put rss_reanalysed "Restart: serve RSS / peak once the network analysis is ready" "$n" "$(mib "$(rss_kb VmRSS)") / $(mib "$(rss_kb VmHWM)") MiB"
  keep_log "scale-$n-restart"
  rm -f "$db" "$db.view"
done

# ------------------------------------------------------------------ table
read -r -a sz <<<"$sizes"
label() { case $1 in 1000000) echo 1M ;; *000) echo "$(( $1 / 1000 ))k" ;; *) echo "$1" ;; esac; }
small=${sz[0]} big=${sz[${#sz[@]}-1]}
head="| measurement |"
sep="| --- |"
for n in "${sz[@]}"; do head+=" $(label "$n") |"; sep+=" --- |"; done
if [ "$small" != "$big" ]; then
  head+=" p50 / p99 ratio $(label "$big")/$(label "$small") |"; sep+=" --- |"
  [ "$big" = 1000000 ] && [ "$small" = 10000 ] && { head+=" target ≤ 1.5 (p50) |"; sep+=" --- |"; }
fi
lines=()
for i in "${!row_keys[@]}"; do
  k=${row_keys[$i]}
  l="| ${row_names[$i]} |"
  for n in "${sz[@]}"; do l+=" ${cell[$k,$n]:-—} |"; done
  if [ "$small" != "$big" ]; then
    if [ -n "${ratio_of[$k,$small]:-}" ] && [ -n "${ratio_of[$k,$big]:-}" ]; then
      read -r s50 s99 <<<"${ratio_of[$k,$small]}"
      read -r b50 b99 <<<"${ratio_of[$k,$big]}"
      l+=" $(calc "$b50 / $s50")× / $(calc "$b99 / $s99")× |"
      [ "$big" = 1000000 ] && [ "$small" = 10000 ] && l+=" $(ok "$b50 / $s50 <= 1.5") |"
    else
      l+=" |"
      [ "$big" = 1000000 ] && [ "$small" = 10000 ] && l+=" |"
    fi
  fi
  lines+=("$l")
done
{
  echo "## Scale benchmark (issue 12): serve at $(for n in "${sz[@]}"; do printf '%s ' "$(label "$n")"; done)organizations"
  echo
  run_line
  echo "Command: \`BENCH_SCALE_SIZES=\"$sizes\" BENCH_DURATION=$dur bench/scale.sh\`; latencies over HTTP on loopback, 1 client (scripts/loadtest, $dur after 1 s of warm-up), response cache off."
  echo
  echo "$head"
  echo "$sep"
  printf '%s\n' "${lines[@]}"
  echo
  printf '%s\n' "${notes[@]}"
} >"$out"
cat "$out"
say "table written to $out"
