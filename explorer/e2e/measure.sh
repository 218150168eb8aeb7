#!/usr/bin/env bash
# Measures the explorer (first paint of /explore, and frames per second while
# dragging a node in a picture of about 2,000 nodes) on a generated graph.
# A measurement, not a test: it prints figures and fails only when the page
# errs or cannot draw the picture.
#
#   explorer/e2e/measure.sh [ORGS] [-- measure.mjs flags such as --nodes 2000 --seconds 4 --runs 5]
#
# Generates ORGS organizations (default 5000, --random-seed 1), loads them
# into a fresh bbolt store, serves it on a free loopback port
# (scripts/serve-in-background.sh) and runs measure.mjs in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
orgs="${1:-5000}"
shift || true
[ "${1:-}" = "--" ] && shift

if [ ! -d explorer/e2e/node_modules/playwright-core ]; then
  (cd explorer/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

work=$(mktemp -d)
gen=$(mktemp -d)
go build -o "$work/thrivegraph" .
"$work/thrivegraph" generate --orgs "$orgs" --random-seed 1 --out "$gen" >/dev/null
"$work/thrivegraph" load --db "$gen/graph.db" --progress none "$gen"/*.yaml
. scripts/serve-in-background.sh
START_TIMEOUT=120 start_serve --db "$gen/graph.db"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work" "$gen"' EXIT

THRIVEGRAPH_URL="http://$addr" node explorer/e2e/measure.mjs "$@"
