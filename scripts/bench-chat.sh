#!/usr/bin/env bash
# Prints the chat figures (see scripts/bench-chat.mjs and scripts/bench-chat-shapes.mjs): builds
# the release app and the gateway, then measures in headless Chromium. A benchmark, not a test:
# it asserts nothing. The gateway only paces the stream and serves files, so its build profile
# hardly matters: BENCH_GATEWAY_PROFILE=debug skips the release build (thin LTO, minutes on a first run).
# BENCH_ONLY=max|paced|load and BENCH_SHAPES=markdown,code,list,table,line narrow what runs.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
WANT_BROWSER=1 "$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-app.sh" >/dev/null
profile="${BENCH_GATEWAY_PROFILE:-release}"
if [ "$profile" = release ]; then
  cargo build --quiet --release -p xai-gateway
else
  cargo build --quiet -p xai-gateway
  profile=debug
fi
echo "gateway: $profile build"
XAI_GATEWAY_BIN="$ROOT/target/$profile/xai-gateway" node "$ROOT/scripts/bench-chat.mjs"
