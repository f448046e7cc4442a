#!/usr/bin/env bash
# Runs every test: native unit and gateway tests, the reference's Python example against the
# gateway, and the browser tests (the built app in headless Chromium against the real gateway).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
WANT_BROWSER=1 WANT_PYTHON=1 "$ROOT/scripts/setup.sh"

# The release app for the browser tests builds while the lints and the native tests compile: its
# fat LTO and wasm-opt run on one core for minutes. (Its cargo uses target/'s wasm-release
# directories, which the debug builds do not lock.) The tests themselves run after it is done,
# so that nothing else competes with their timing. Its output is in target/build-app.log.
mkdir -p "$ROOT/target"
setsid "$ROOT/scripts/build-app.sh" > "$ROOT/target/build-app.log" 2>&1 &
app_build=$!
# On a failure before the wait, stop the whole build (its own process group: trunk, cargo, rustc).
trap 'kill -- "-$app_build" 2>/dev/null || true' EXIT
app_built() {
  if ! wait "$app_build"; then
    cat "$ROOT/target/build-app.log" >&2
    echo "building the app failed (its output is above, and in target/build-app.log)" >&2
    exit 1
  fi
  trap - EXIT
  tail -n 1 "$ROOT/target/build-app.log"
}

echo "== formatting and lints (rustfmt; clippy on the gateway and tests natively, on the app for wasm32; warnings are errors) =="
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p xai-web --target wasm32-unknown-unknown --quiet -- -D warnings

echo "== native tests (app logic, gateway, gRPC and gRPC-Web) =="
cargo test --workspace --no-run --quiet
# The patched gRPC-Web client is its own workspace (it is wasm-only in ours), tested with the
# same versions as the app's lock file.
cp Cargo.lock vendor/tonic-web-wasm-client/Cargo.lock
CARGO_TARGET_DIR="$ROOT/target/vendor-tests" cargo test --no-run --quiet \
  --manifest-path vendor/tonic-web-wasm-client/Cargo.toml
cargo build --quiet -p xai-gateway
echo "(waiting for the release app's build)"
app_built
cargo test --workspace

echo "== the wasm-bindgen front end's command line (tools/wasm-bindgen) =="
cargo test --quiet --release --locked --manifest-path tools/wasm-bindgen/Cargo.toml --target-dir target/tools

echo "== the patched gRPC-Web client's frame decoder (vendor/tonic-web-wasm-client/PATCHED.md) =="
CARGO_TARGET_DIR="$ROOT/target/vendor-tests" cargo test --manifest-path vendor/tonic-web-wasm-client/Cargo.toml

echo "== the reference's Python example over plain gRPC =="
XAI_GATEWAY_BIN="$ROOT/target/debug/xai-gateway" python3 -m pytest -q tests/python

echo "== browser tests (headless Chromium, real gateway) =="
cd "$ROOT/tests/e2e"
XAI_GATEWAY_BIN="$ROOT/target/debug/xai-gateway" node --test --test-concurrency=1 ./*.test.mjs
