#!/usr/bin/env bash
# Runs the explorer's browser test (explore.test.mjs) against the real
# server: builds thrivegraph and serves the seed graph from a memory store on
# a free loopback port (scripts/serve-in-background.sh, as the audit does),
# installs the pinned playwright-core if explorer/e2e/node_modules lacks it
# (npm ci), and runs the test with node's test runner in headless Chromium
# (/usr/bin/chromium, or $THRIVEGRAPH_CHROMIUM). Screenshots and exported
# files go to $THRIVEGRAPH_E2E_OUT (default explorer/e2e/out).
#
# Needs Go, Node 18+, npm and Debian's chromium package. `go test ./explorer`
# runs this (TestBrowser); CI runs it with THRIVEGRAPH_TEST_REQUIRE_BROWSER=1.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -d explorer/e2e/node_modules/playwright-core ]; then
  (cd explorer/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

work=$(mktemp -d)
. scripts/serve-in-background.sh
start_serve --store memory

export THRIVEGRAPH_URL="http://$addr"
export THRIVEGRAPH_E2E_OUT="${THRIVEGRAPH_E2E_OUT:-$PWD/explorer/e2e/out}"
node --test --test-reporter=spec explorer/e2e/explore.test.mjs
echo "screenshots: $THRIVEGRAPH_E2E_OUT"
