#!/usr/bin/env bash
# Prints the chat figures (see scripts/bench-chat.mjs): builds the release app and the gateway,
# then measures in headless Chromium. A benchmark, not a test: it asserts nothing.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
WANT_BROWSER=1 "$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-app.sh" >/dev/null
cargo build --quiet --release -p xai-gateway
XAI_GATEWAY_BIN="$ROOT/target/release/xai-gateway" node "$ROOT/scripts/bench-chat.mjs"
