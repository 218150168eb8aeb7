# Sourced by the benchmarks in bench/ (readmodel.sh, analysis.sh, load.sh),
# from the repository's root: the Markdown rows and notes of a table, the
# arithmetic, and Cayley's CLI built from the module version in go.mod.
# The sourcing script defines say (its log line to stderr) first.

rows=()
# row CELL...: one row of the table, a cell each argument.
row() {
  local r="|" c
  for c in "$@"; do r+=" $c |"; done
  rows+=("$r")
}
notes=()
note() { notes+=("- $*"); say "$*"; }
# calc EXPR: floating-point arithmetic, three significant digits (whole
# numbers from 100 up).
calc() { awk "BEGIN { x = $1; if (x >= 100 || x <= -100) printf \"%.0f\", x; else printf \"%.3g\", x }"; }
# ok EXPR: "PASS" if the awk condition holds, else "FAIL".
ok() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }

# cayley_cli CACHE: sets $cayley to Cayley's CLI at the module version in
# go.mod ($cayley_version), built once in a temporary module outside the repository
# (several minutes) and cached in CACHE.
cayley_cli() {
  local cache=$1 tmpmod
  cayley_version=$(go list -m -f '{{.Version}}' github.com/cayleygraph/cayley)
  cayley="$cache/cayley-$cayley_version"
  [ -x "$cayley" ] && return 0
  say "building Cayley's CLI $cayley_version in a temporary module (several minutes, once; cached as $cayley)"
  tmpmod=$(mktemp -d)
  (
    cd "$tmpmod"
    go mod init thrivegraph-bench-cayley >/dev/null 2>&1
    go get "github.com/cayleygraph/cayley/cmd/cayley@$cayley_version" >/dev/null 2>&1
    # No cgo: only the SQLite backend needs it, and the build is minutes shorter.
    CGO_ENABLED=0 nice go build -o "$cayley.tmp" github.com/cayleygraph/cayley/cmd/cayley
  ) >&2
  mv "$cayley.tmp" "$cayley"
  rm -rf "$tmpmod"
}
