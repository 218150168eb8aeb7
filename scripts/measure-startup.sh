#!/usr/bin/env bash
# Measures how long `thrivegraph serve` takes from exec to a 200 on /readyz,
# first on an empty bbolt store (which it fills with the seed data), then on
# the filled one. Usage: scripts/measure-startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/thrivegraph" .
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

once() { # $1 = db file; prints milliseconds to ready
  local start end pid
  start=$(date +%s%N)
  "$tmp/thrivegraph" serve --addr "127.0.0.1:$port" --db "$1" 2>/dev/null &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.005; done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid"
  echo $(( (end - start) / 1000000 ))
}

for i in $(seq "$runs"); do
  rm -f "$tmp/db"
  empty=$(once "$tmp/db")
  filled=$(once "$tmp/db")
  echo "run $i: empty store ${empty} ms, filled store ${filled} ms"
done
