#!/usr/bin/env bash
# Builds the release app into dist/ with trunk, offline: every tool is already installed, so a
# version mismatch fails fast instead of trying a download. Then writes the .br/.gz copies the
# gateway (or nginx, Caddy, a static host) sends to browsers that accept them.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
cargo fetch --quiet
trunk build --release --offline "$@"
node "$ROOT/scripts/compress-dist.mjs" "$ROOT/dist"
