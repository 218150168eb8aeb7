#!/usr/bin/env bash
# Re-creates ../assets (the files embedded by package ide) from the npm registry.
#
# Versions are pinned in package.json and package-lock.json:
#   graphiql 3.9.0, react 18.3.1, react-dom 18.3.1 (UMD builds).
# node_modules/ is git-ignored; the four copied files are committed so that
# `go build` needs no Node.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
assets="$here/../assets"
cd "$here"

npm ci --ignore-scripts --no-audit --no-fund

mkdir -p "$assets"
cp node_modules/graphiql/graphiql.min.js          "$assets/graphiql.min.js"
cp node_modules/graphiql/graphiql.min.css         "$assets/graphiql.min.css"
cp node_modules/react/umd/react.production.min.js "$assets/react.production.min.js"
cp node_modules/react-dom/umd/react-dom.production.min.js "$assets/react-dom.production.min.js"

# ide.js and ide.css in ../assets are ours (not from npm) and are left alone.
ls -l "$assets"
