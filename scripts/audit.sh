#!/usr/bin/env bash
# Runs the graphql-http audit suite (GraphQL over HTTP) against the real
# server: builds thrivegraph, serves the seed data from a memory store on a
# free loopback port, installs the pinned audit (conformance/, npm ci) and
# fails on any audit error or warning. Needs Go, Node 18+ and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
. scripts/serve-in-background.sh
start_serve --store memory

(cd conformance && npm ci --no-audit --no-fund --loglevel=error)
node conformance/audit.mjs "http://$addr/graphql" "$@"
