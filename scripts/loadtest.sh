#!/usr/bin/env bash
# Load test on loopback: builds thrivegraph, serves the seed data on a free
# loopback port (store: $STORE, default bbolt in a temporary file), and runs
# scripts/loadtest against it with the arguments given (default -c 8 -d 10s).
#
#   scripts/loadtest.sh              # 8 clients for 10 s
#   scripts/loadtest.sh -c 16 -d 30s
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
bin="$work/thrivegraph"
log="$work/serve.log"
go build -o "$bin" .
go build -o "$work/loadtest" ./scripts/loadtest

"$bin" serve --store "${STORE:-bbolt}" --db "$work/load.db" --addr 127.0.0.1:0 --log-format json >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

addr=""
for _ in $(seq 1 300); do
  addr=$(sed -n 's/.*"msg":"serving","addr":"\([^"]*\)".*/\1/p' "$log" | head -n1)
  [ -n "$addr" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "serve exited:"; cat "$log"; exit 1
  fi
  sleep 0.1
done
[ -n "$addr" ] || { echo "serve did not start:"; cat "$log"; exit 1; }

if [ $# -eq 0 ]; then set -- -c 8 -d 10s; fi
"$work/loadtest" -url "http://$addr/graphql" "$@"
