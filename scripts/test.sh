#!/usr/bin/env bash
# Runs every test: native unit and gateway tests, the reference's Python example against the
# gateway, and the browser tests (the built app in headless Chromium against the real gateway).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
WANT_BROWSER=1 WANT_PYTHON=1 "$ROOT/scripts/setup.sh"

echo "== formatting and lints (rustfmt; clippy on the gateway and tests natively, on the app for wasm32; warnings are errors) =="
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p xai-web --target wasm32-unknown-unknown --quiet -- -D warnings

echo "== native tests (app logic, gateway, gRPC and gRPC-Web) =="
cargo test --workspace

echo "== the patched gRPC-Web client's frame decoder (vendor/tonic-web-wasm-client/PATCHED.md) =="
# Its own workspace (it is wasm-only in ours); the same versions as the app's lock file.
cp Cargo.lock vendor/tonic-web-wasm-client/Cargo.lock
CARGO_TARGET_DIR="$ROOT/target/vendor-tests" cargo test --manifest-path vendor/tonic-web-wasm-client/Cargo.toml

echo "== the reference's Python example over plain gRPC =="
cargo build --quiet -p xai-gateway
XAI_GATEWAY_BIN="$ROOT/target/debug/xai-gateway" python3 -m pytest -q tests/python

echo "== browser tests (headless Chromium, real gateway) =="
"$ROOT/scripts/build-app.sh"
cd "$ROOT/tests/e2e"
XAI_GATEWAY_BIN="$ROOT/target/debug/xai-gateway" node --test --test-concurrency=1 ./*.test.mjs
