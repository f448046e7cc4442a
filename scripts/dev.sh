#!/usr/bin/env bash
# The development loop: a gateway on the local backend at 127.0.0.1:8080 and `trunk serve` at
# http://127.0.0.1:8081 with live reload (a debug build of the app), proxying the gRPC-Web paths
# to the gateway (Trunk.toml). Edit src/ or style/ and the page reloads. Extra arguments go to
# the gateway, e.g. ./scripts/dev.sh --backend xai. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
cargo build --quiet -p xai-gateway
"$ROOT/target/debug/xai-gateway" --data-dir "$ROOT/.data" --static-dir "$ROOT/dist" \
  --cors-origin http://127.0.0.1:8081 "$@" &
gateway=$!
trap 'kill "$gateway" 2>/dev/null || true' EXIT
echo "Open http://127.0.0.1:8081 (trunk serve, live reload; gRPC-Web proxied to the gateway on 127.0.0.1:8080)."
trunk serve --offline
