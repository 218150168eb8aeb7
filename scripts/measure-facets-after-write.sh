#!/usr/bin/env bash
# Times whole-graph facets on a generated graph: cold (first read after
# start), warm, and after small writes (which update the profile cache in
# place instead of dropping it). Usage, from the repository root:
#   go build -o /tmp/tgm . && /tmp/tgm generate --orgs 10000 --seed 1 --out /tmp/g10k &&
#   /tmp/tgm load --db /tmp/g10k.db /tmp/g10k/*.yaml && scripts/measure-facets-after-write.sh
set -eu
export THRIVEGRAPH_TOKEN=measure-token-0123456789
/tmp/tgm serve --db /tmp/g10k.db --addr 127.0.0.1:18200 2>/dev/null &
pid=$!
until curl -sf 127.0.0.1:18200/readyz >/dev/null; do sleep 0.1; done
q() { curl -s -o /dev/null -w "%{time_total}s" 127.0.0.1:18200/graphql -H 'content-type: application/json' -H "authorization: Bearer $THRIVEGRAPH_TOKEN" -d "$1"; }
F='{"query":"{ facets { total } }"}'
echo "facets cold: $(q "$F")"; echo "facets warm: $(q "$F")"
echo "write (createSource): $(q '{"query":"mutation { createSource(input:{id:\"m\", title:\"M\"}) { id } }"}')"
echo "facets after write: $(q "$F")"
echo "write (addParticipation): $(q '{"query":"mutation { addParticipation(source:\"m\", input:{event:\"north-akron-latino-economic-development-center-digital-skills-summit-2023\", organization:\"akron-african-immigrant-alliance\", role:\"HOST\"}) { role } }"}')"
echo "facets after write: $(q "$F")"
echo "introductions after write: $(q '{"query":"{ introductions(organization:\"akron-adult-learning-center\", first:5){ score } }"}')"
kill $pid; wait $pid || true
