#!/usr/bin/env bash
# Builds everything and serves the app on the local backend: ./scripts/serve.sh [gateway flags]
# (e.g. --listen 0.0.0.0:8080). Prints the URL; Ctrl-C stops it.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-app.sh"
cargo build --release --quiet -p xai-gateway
echo "Serving xai-web on the local backend; open the URL below."
exec "$ROOT/target/release/xai-gateway" --static-dir "$ROOT/dist" --data-dir "$ROOT/.data" "$@"
