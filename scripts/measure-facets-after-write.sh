#!/usr/bin/env bash
# Times a server on a copy of a store: start-up (the "serving" line and the
# background warm-up), whole-graph facets, small writes, and reads after
# them (facets, introductions and a theme filter, which use the derived data
# the writes update in place). A measurement, not a test. Usage, from the
# repository root, e.g. for a generated graph of 10,000 organizations:
#   go run . generate --orgs 10000 --seed 1 --out /tmp/g10k &&
#   go run . load --db /tmp/g10k.db /tmp/g10k/*.yaml &&
#   scripts/measure-facets-after-write.sh /tmp/g10k.db
set -eu
db=${1:?usage: $0 STORE.db}
work=$(mktemp -d)
cp "$db" "$work/store.db" # the writes go to a copy
. scripts/serve-in-background.sh
export THRIVEGRAPH_TOKEN=measure-token-0123456789
START_TIMEOUT=${START_TIMEOUT:-900} start_serve --db "$work/store.db"
echo "store open (serving line): $(sed -n 's/.*"msg":"serving".*"startup":"\([^"]*\)".*/\1/p' "$log")"
q() { curl -s -o /dev/null -w "%{time_total}s" "http://$addr/graphql" -H 'content-type: application/json' -H "authorization: Bearer $THRIVEGRAPH_TOKEN" -d "$1"; }
get() { curl -s "http://$addr/graphql" -H 'content-type: application/json' -d "$1"; }
F='{"query":"{ facets { total events { count } } }"}'
F20='{"query":"{ facets(first: 20) { total events { count } } }"}'
echo "facets, first request (waits for the warm-up): $(q "$F20")"
echo "warm-up: $(sed -n 's/.*"msg":"warmed up","took":"\([^"]*\)".*/\1/p' "$log")"
echo "facets(first: 20) again: $(q "$F20")"
echo "facets with every entry (every event): $(q "$F")"
ids=$(get '{"query":"{ organizations(first: 2) { nodes { id } } events(first: 1) { nodes { id } } themes { id } }"}')
org=$(echo "$ids" | sed 's/.*"organizations":{"nodes":\[{"id":"\([^"]*\)"}.*/\1/')
org2=$(echo "$ids" | sed 's/.*"organizations":{"nodes":\[{"id":"[^"]*"},{"id":"\([^"]*\)"}.*/\1/')
event=$(echo "$ids" | sed 's/.*"events":{"nodes":\[{"id":"\([^"]*\)"}.*/\1/')
theme=$(echo "$ids" | sed 's/.*"themes":\[{"id":"\([^"]*\)"}.*/\1/')
echo "using organizations $org, $org2, event $event, theme $theme"
echo "write (createSource): $(q '{"query":"mutation { createSource(input:{id:\"m\", title:\"M\"}) { id } }"}')"
echo "write (createOrganization): $(q '{"query":"mutation { createOrganization(source:\"m\", input:{id:\"measure-org\", name:\"Measure Org\"}) { id } }"}')"
echo "facets(first: 20) after the writes: $(q "$F20")"
echo "write (addParticipation of $org2 in $event): $(q '{"query":"mutation { addParticipation(source:\"m\", input:{event:\"'"$event"'\", organization:\"'"$org2"'\", role:\"HOST\"}) { role } }"}')"
echo "facets(first: 20) after the write: $(q "$F20")"
echo "introductions after the write: $(q '{"query":"{ introductions(organization:\"'"$org"'\", first:5){ score } }"}')"
echo "organizations with theme $theme, first 20: $(q '{"query":"{ organizations(filter:{themes:[\"'"$theme"'\"]}, first:20){ totalCount nodes { id } } }"}')"
echo "search \"community\", first 10: $(q '{"query":"{ search(text:\"community\", first:10){ score } }"}')"
echo "peak RSS of the server: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
