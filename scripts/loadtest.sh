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
. scripts/serve-in-background.sh
go build -o "$work/loadtest" ./scripts/loadtest
start_serve --store "${STORE:-bbolt}" --db "$work/load.db"

if [ $# -eq 0 ]; then set -- -c 8 -d 10s; fi
"$work/loadtest" -url "http://$addr/graphql" "$@"
