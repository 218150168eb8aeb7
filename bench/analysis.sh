#!/usr/bin/env bash
# Benchmark of issue 14 ("Network analysis"): measures the running binary
# over HTTP on loopback at BENCH_ORGS generated organizations (default
# 100,000; generate --random-seed 1, loaded with `thrivegraph load`) and
# prints one Markdown table — measured value, target, PASS/FAIL — to stdout,
# and writes it to a file it names.
#
#   bench/analysis.sh                      # 100k organizations
#   BENCH_ORGS=10000 bench/analysis.sh     # a smaller graph
#
# What it measures:
#   1. the whole network's analysis after start: from exec to the log line
#      "network analysis ready" (the read model's build included), and the
#      analysis' own time; what a question answers before it (NOT_READY);
#   2. the metric questions once ready, p50 of one client over
#      BENCH_DURATION: ranking, Organization.centrality, brokers,
#      communities, bridges;
#   3. sub-networks computed on demand: the first ranking(filter:) of up to
#      five themes of at most 5,000 organizations (each filter analysed for
#      the first time by that request);
#   4. after a write (createOrganization + addParticipation): from the write
#      to the new snapshot's "network analysis ready", and that the
#      question in between answers the previous values marked stale.
#
# Environment:
#   BENCH_ORGS      generated organizations (default 100000)
#   BENCH_DURATION  length of one latency measurement (default 5s)
#   BENCH_OUT       where to write the table (default $TMPDIR/analysis-DATE.md)
#   BENCH_CACHE     cache of the loaded stores, shared with bench/readmodel.sh
#                   (default ~/.cache/thrivegraph-bench); copied before serving
#   BENCH_REFRESH=1 rebuild the cached store
#
# Needs Go, curl and jq. It is a measurement, not a test: CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${BENCH_ORGS:-100000}
dur=${BENCH_DURATION:-5s}
bench_name=analysis
# shellcheck source=lib.sh
. bench/lib.sh
needs jq jq
bench_start ./scripts/loadtest

# p50 QUERY: the p50 latency (ms) of one client sending QUERY for $dur.
p50() { f "$(measure "http://$addr/graphql" 1 -query "$1")" p50_ms; }
# ready_lines: how many "network analysis ready" lines serve logged.
ready_lines() { grep -c '"msg":"network analysis ready"' "$log" || true; }

token="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export THRIVEGRAPH_TOKEN=$token
export THRIVEGRAPH_RESPONSE_CACHE_SIZE=0 # every figure is the cost of the question

# ------------------------------------------------------------------ store
db="$cache/analysis-gen-$n-seed1.db" # --seed=false: the generated graph alone
if [ -n "${BENCH_REFRESH:-}" ] || [ ! -f "$db" ]; then
  say "generating and loading $n organizations (cached as $db)"
  rm -f "$db"
  "$tg" generate --orgs "$n" --random-seed 1 --out "$work/gen" >&2
  load_bounded "$db.tmp" "$work/gen/graph.nq" "$work/load.log" --seed=false || { rm -f "$db.tmp" "$db.tmp.view"; exit 1; }
  mv "$db.tmp" "$db"
  rm -f "$db.tmp.view" # the checkpoint load wrote beside the temporary name
  rm -rf "$work/gen"
fi
cp "$db" "$work/gen.db"

# ------------------------------------------------ 1. ready after start
say "$n organizations: starting serve"
START_TIMEOUT=900 serve --db "$work/gen.db"
ready_http_s=$(calc "($serve_ready_ns - $serve_exec_ns) / 1e9")
early=$(post '{ranking(metric: BETWEENNESS, first: 1){nodes{score}}}')
early_code=$(jq -r '.errors[0].extensions.code // "answered"' <<<"$early")
for _ in $(seq 1 3000); do # 5 minutes at most
  [ "$(ready_lines)" -ge 1 ] && break
  sleep 0.1
done
[ "$(ready_lines)" -ge 1 ] || { say "no \"network analysis ready\" within 5 minutes"; tail -5 "$log" >&2; exit 1; }
line=$(grep '"msg":"network analysis ready"' "$log" | head -1)
ready_ns=$(date -d "$(jq -r .time <<<"$line")" +%s%N)
ready_s=$(calc "($ready_ns - $serve_exec_ns) / 1e9")
took=$(jq -r .took <<<"$line")
orgs=$(jq -r .organizations <<<"$line")
ties=$(jq -r .ties <<<"$line")
exact=$(jq -r .exact <<<"$line")
bound=$(jq -r .error_bound <<<"$line")
note "$orgs organizations, $ties ties; exact $exact, error bound $bound at confidence 0.9; /readyz 200 after $ready_http_s s; a question before the analysis was ready answered: $early_code"
row "Whole network ready after start (exec → \"network analysis ready\"; the analysis alone)" "$ready_s s ($took)" "≤ 60 s" "$(ok "$ready_s <= 60")"
row "A metric question before it is ready" "$early_code" "NOT_READY or stale values" "$(case $early_code in NOT_READY) echo PASS ;; *) echo info ;; esac)"

# ------------------------------------------------ 2. metric questions
hub=$(gql '{ranking(metric: DEGREE, first: 1){nodes{organization{id}}}}' | jq -r '.data.ranking.nodes[0].organization.id')
declare -A questions=(
  ["ranking(metric: BETWEENNESS, first: 20)"]='{ranking(metric: BETWEENNESS, first: 20){totalCount nodes{rank score exact organization{id name}} analysis{exact errorBound stale}}}'
  ["Organization.centrality (the hub, $hub)"]="{organization(id: \"$hub\"){centrality{degree weightedDegree closeness harmonic betweenness pagerank reach exact errorBound stale}}}"
  ["brokers(first: 10)"]='{brokers(first: 10){rank score organization{id name}}}'
  ["communities(first: 10)"]='{communities(first: 10){totalCount nodes{id size ties central{id name} themes{theme{id} count}}}}'
  ["bridges(first: 20)"]='{bridges(first: 20){totalArticulationPoints articulationPoints{organization{id} parts separated} totalCommunityTies communityTies{a{id} b{id} weight}}}'
)
for name in "ranking(metric: BETWEENNESS, first: 20)" "Organization.centrality (the hub, $hub)" "brokers(first: 10)" "communities(first: 10)" "bridges(first: 20)"; do
  gql "${questions[$name]}" >/dev/null
  v=$(p50 "${questions[$name]}")
  row "$name at $n orgs, p50 1 client" "$(calc "$v") ms" "≤ 50 ms" "$(ok "$v <= 50")"
done

# ------------------------------------------------ 3. sub-networks
# The largest themes, places and events of 1,000 to 5,000 organizations
# (five in all), each the filter of one sub-network.
subs=$(gql '{facets{themes{node{id} count} places{node{id} count} events{node{id} count}}}' |
  jq -r '[.data.facets | (.themes[] | {f: "themes", id: .node.id, count}), (.places[] | {f: "places", id: .node.id, count}), (.events[] | {f: "events", id: .node.id, count})
    | select(.count <= 5000 and .count >= 1000)] | sort_by(-.count) | .[:5][] | "\(.f) \(.id) \(.count)"')
[ -n "$subs" ] || note "no theme, place or event of 1,000 to 5,000 organizations: sub-networks not measured"
while read -r field id count; do
  [ -n "$id" ] || continue
  q="{ranking(metric: BETWEENNESS, filter: {$field: [\"$id\"]}, first: 10){totalCount nodes{organization{id} score} analysis{organizations ties exact errorBound reachExact}}}"
  t=$(curl -sS -o "$work/sub.json" -w '%{time_total}' "http://$addr/graphql" -H 'Content-Type: application/json' --data-binary "$(jq -nc --arg q "$q" '{query: $q}')")
  [ "$(jq '.errors | length' "$work/sub.json")" = 0 ] || { say "sub-network $field $id: $(cat "$work/sub.json")"; exit 1; }
  info=$(jq -c '.data.ranking.analysis' "$work/sub.json")
  row "Sub-network $field: $id ($count orgs), first ranking(filter:) (computed on demand)" "$(calc "$t * 1000") ms; $info" "≤ 1 s" "$(ok "$t <= 1")"
done <<<"$subs"

# ------------------------------------------------ 4. after a write
# current QUERY: whether QUERY answers a current centrality (not stale, no
# error).
current() { [ "$(post "$1" | jq -r 'if .errors then "no" elif .data.organization.centrality.stale then "no" else "yes" end')" = yes ]; }
gql 'mutation { createSource(input: {id: "bench-analysis", title: "bench/analysis.sh writes"}) { id } }' "$token" >/dev/null
event=$(gql "{organization(id:\"$hub\"){events{event{id}}}}" | jq -r '.data.organization.events[0].event.id')
for _ in $(seq 1 3000); do # the source's own snapshot analysed first
  current "{organization(id: \"$hub\"){centrality{stale}}}" && break
  sleep 0.1
done
write_ns=$(date +%s%N)
gql 'mutation { createOrganization(source: "bench-analysis", input: {id: "bench-analysis-org", name: "Bench Analysis Org"}) { id } }' "$token" >/dev/null
gql "mutation { addParticipation(source: \"bench-analysis\", input: {event: \"$event\", organization: \"bench-analysis-org\", role: \"PARTICIPANT\"}) { role } }" "$token" >/dev/null
between=$(post "{organization(id: \"$hub\"){centrality{betweenness stale}}}")
between_state=$(jq -r 'if .errors then .errors[0].extensions.code elif .data.organization.centrality.stale then "stale values" else "current values" end' <<<"$between")
# Ready when the new organization, which only the new snapshot holds, has
# a current centrality.
again_ns=""
for _ in $(seq 1 3000); do
  if current '{organization(id: "bench-analysis-org"){centrality{stale degree}}}'; then again_ns=$(date +%s%N); break; fi
  sleep 0.1
done
if [ -n "$again_ns" ]; then
  line=$(grep '"msg":"network analysis ready"' "$log" | tail -1)
  again_s=$(calc "($again_ns - $write_ns) / 1e9")
  row "Whole network ready again after two writes (the first write → the new organization's centrality current; the last analysis alone)" "$again_s s ($(jq -r .took <<<"$line"))" "≤ 60 s" "$(ok "$again_s <= 60")"
else
  row "Whole network ready again after a write" "not within 5 minutes" "≤ 60 s" "FAIL"
fi
row "A metric question during the new analysis" "$between_state" "stale values or NOT_READY" "$(case $between_state in "stale values" | NOT_READY) echo PASS ;; *) echo info ;; esac)"
rss_kb=$(rss_kb VmHWM)
note "serve's peak RSS (VmHWM): $(mib "$rss_kb") MiB"

# ------------------------------------------------------------------ table
table "Network analysis benchmark (issue 14)" "\`BENCH_ORGS=$n BENCH_DURATION=$dur bench/analysis.sh\`; every figure over HTTP on loopback, scripts/loadtest, no response cache." | tee "$out"
say "written to $out"
