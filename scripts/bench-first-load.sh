#!/usr/bin/env bash
# Prints the first-load figures (scripts/bench-first-load.mjs): builds the release app and the
# gateway, then loads the chat and the widget in headless Chromium over a throttled network,
# cold and warm. A benchmark, not a test: it asserts nothing.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
WANT_BROWSER=1 "$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-app.sh" >/dev/null
# The gateway only serves files here (precompressed, from disk): its debug build, shared with
# the tests, is as fast at that as the release build over a 1.6 Mbit/s link.
cargo build --quiet -p xai-gateway
XAI_GATEWAY_BIN="$ROOT/target/debug/xai-gateway" node "$ROOT/scripts/bench-first-load.mjs"
