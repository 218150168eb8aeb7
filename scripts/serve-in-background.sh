# Sourced by the scripts that test a real server (audit.sh, loadtest.sh):
# builds thrivegraph into $work, starts `serve` on a free loopback port with
# the extra flags given to start_serve, stops it on exit, and sets $addr
# once the server answers /readyz. Needs $work (a temporary directory).
# START_TIMEOUT (seconds, default 30) bounds the wait for a large store.
# $serve_exec_ns and $serve_ready_ns are the times (Unix ns) just before
# the server started and when /readyz first answered 200.

start_serve() {
  bin="$work/thrivegraph"
  log="$work/serve.log"
  go build -o "$bin" .
  serve_exec_ns=$(date +%s%N)
  "$bin" serve --addr 127.0.0.1:0 --log-format json "$@" >"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
  addr=""
  for _ in $(seq 1 $(( ${START_TIMEOUT:-30} * 10 ))); do
    addr=$(sed -n 's/.*"msg":"serving","addr":"\([^"]*\)".*/\1/p' "$log" | head -n1)
    [ -n "$addr" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "serve exited:"; cat "$log"; exit 1
    fi
    sleep 0.1
  done
  [ -n "$addr" ] || { echo "serve did not start in ${START_TIMEOUT:-30}s:"; cat "$log"; exit 1; }
  for _ in $(seq 1 100); do
    curl -fsS "http://$addr/readyz" >/dev/null 2>&1 && { serve_ready_ns=$(date +%s%N); return 0; }
    sleep 0.1
  done
  echo "serve never became ready:"; cat "$log"; exit 1
}
