#!/usr/bin/env bash
# Builds the release app into dist/ with trunk, offline: every tool is already installed, so a
# version mismatch fails fast instead of trying a download.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
cargo fetch --quiet
trunk build --release --offline "$@"
