#!/usr/bin/env bash
# Builds the release app and prints its transferred size (wasm, JS, CSS; raw, gzip, brotli), then
# checks that no native runtime or transport code (tokio, hyper, h2, mio) reaches the wasm.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-app.sh" >/dev/null
node "$ROOT/scripts/size-report.mjs" "$ROOT/dist"
forbidden=$(cargo tree --quiet -p xai-web --target wasm32-unknown-unknown -e normal --prefix none \
  | awk '{print $1}' | sort -u | grep -E '^(tokio|hyper|h2|mio|socket2|tower-http)$' || true)
if [ -n "$forbidden" ]; then
  echo "FAIL: native transport crates reach the wasm build: $forbidden" >&2
  exit 1
fi
echo "ok: no tokio / hyper / h2 / mio in the wasm dependency tree (tonic default-features = false)"
