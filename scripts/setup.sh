#!/usr/bin/env bash
# Installs what building and testing need, following the project's toolchain facts.
# Idempotent: each step checks first. Never downloads a prebuilt binary from outside the
# package registries (crates.io, npm, Debian, PyPI).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/.tools"
mkdir -p "$TOOLS"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
log() { printf '[setup] %s\n' "$*" >&2; }

want_browser=${WANT_BROWSER:-0}
want_python=${WANT_PYTHON:-0}

# 1. wasm32 standard library (rustup fetches it from the Rust registry mirror; bounded in time).
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding rust target wasm32-unknown-unknown"
  timeout 300 rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli pinned to the crate version in Cargo.toml (no --locked: see TOOLCHAIN notes).
if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q ' 0.2.130'; then
  log "installing wasm-bindgen-cli 0.2.130 (about 2 minutes)"
  cargo install --quiet wasm-bindgen-cli --version 0.2.130 --force
fi

# 3. trunk 0.21.14 (0.22 needs a newer rustc).
if ! command -v trunk >/dev/null || ! trunk --version | grep -q ' 0.21.14'; then
  log "installing trunk 0.21.14 (about 6 minutes)"
  cargo install --quiet trunk --version 0.21.14 --locked --force
fi

# 4. wasm-opt 132 from npm, local to the project (.tools/). Debian's wasm-opt 108 corrupts
#    wasm-bindgen output, so .tools/node_modules/.bin must come first on PATH.
if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
  log "installing binaryen@132 (wasm-opt) from npm into .tools/"
  [ -f "$TOOLS/package.json" ] || echo '{"private":true}' > "$TOOLS/package.json"
  ( cd "$TOOLS" && npm install --no-audit --no-fund --silent binaryen@132 >&2 )
fi

# 5. Chromium + chromedriver from Debian, playwright-core and axe-core (the accessibility checks)
#    from npm (tests only; Playwright's own browser download cannot work here, the tests drive
#    Debian's chromium).
if [ "$want_browser" = 1 ]; then
  if ! command -v chromium >/dev/null; then
    log "installing chromium from Debian"
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 apt-get update -qq >&2
    timeout 900 apt-get install -y -qq chromium chromium-driver >&2
  fi
  if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] || [ ! -d "$ROOT/tests/e2e/node_modules/axe-core" ]; then
    log "installing playwright-core and axe-core for the browser tests"
    ( cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --silent >&2 )
  fi
fi

# 6. grpcio-tools for the reference's Python example test (tests only).
if [ "$want_python" = 1 ] && ! python3 -c 'import grpc_tools, pytest' 2>/dev/null; then
  log "installing grpcio-tools from PyPI"
  timeout 600 python3 -m pip install --quiet grpcio grpcio-tools pytest >&2
fi
log "toolchain ready"
