#!/usr/bin/env bash
# Re-creates ../assets/explorer.js and ../assets/explorer.css, the files
# embedded by package explorer, from ../web/ (our code) and the npm packages
# pinned in package.json and package-lock.json (cytoscape, cytoscape-fcose,
# and esbuild to bundle them). node_modules/ is git-ignored; the two built
# files are committed so that `go build` needs no Node.
#
# Needs Node 18+ and npm (and the npm registry for `npm ci`). The output is
# the same for the same inputs: check with `git diff --stat ../assets`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
assets="$here/../assets"
cd "$here"

npm ci --no-audit --no-fund --loglevel=error

mkdir -p "$assets"
NODE_PATH="$here/node_modules" node_modules/.bin/esbuild ../web/src/main.js \
  --bundle --minify --format=iife --target=es2020 --legal-comments=none \
  --log-level=warning --outfile="$assets/explorer.js"
node_modules/.bin/esbuild ../web/explorer.css \
  --minify --log-level=warning --outfile="$assets/explorer.css"

ls -l "$assets"
for f in "$assets"/explorer.js "$assets"/explorer.css; do
  printf '%s: %s bytes, %s gzipped\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
done
