#!/usr/bin/env bash
# Runs the graphql-http audit suite (GraphQL over HTTP) against the real
# server: builds thrivegraph, serves the seed data from a memory store on a
# free loopback port, installs the pinned audit (conformance/, npm ci) and
# fails on any audit error or warning. Needs Go, Node 18+ and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
bin="$work/thrivegraph"
log="$work/serve.log"
go build -o "$bin" .

"$bin" serve --store memory --addr 127.0.0.1:0 --log-format json >"$log" 2>&1 &
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
if [ -z "$addr" ]; then
  echo "serve did not start in 30s:"; cat "$log"; exit 1
fi
for _ in $(seq 1 100); do
  curl -fsS "http://$addr/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

(cd conformance && npm ci --no-audit --no-fund --loglevel=error)
node conformance/audit.mjs "http://$addr/graphql" "$@"
