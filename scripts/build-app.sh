#!/usr/bin/env bash
# Builds the release app into dist/ with trunk, offline, on the release wasm's toolchain (env.sh):
# every tool is already installed, so a version mismatch fails fast instead of trying a download.
# Then writes the .br/.gz copies the gateway (or nginx, Caddy, a static host) sends to browsers
# that accept them.
# Nothing to do when dist/ was built from exactly these inputs (a repeat run of serve.sh or
# test.sh would otherwise spend about 40 s on wasm-bindgen, wasm-opt and brotli for the same
# bytes): the inputs' hash is kept in dist/.inputs.sha256. (Not in it: the copies of Cargo.lock
# test.sh puts in vendor/ while this runs; the root Cargo.lock is.)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
inputs=$( { printf '%s\n' "$*"; declare -f wasm_release; wasm_release rustc -vV; trunk --version; wasm-bindgen --version; sha256sum "$(command -v wasm-bindgen)"; wasm-opt --version 2>/dev/null || true
  find src style static proto index.html Cargo.toml Cargo.lock build.rs Trunk.toml .cargo vendor \
    scripts/write-service-worker.mjs scripts/page-files.mjs scripts/compress-dist.mjs scripts/finish-wasm-split.mjs \
    -type f -not -path 'vendor/*/target/*' -not -path 'vendor/*/Cargo.lock' -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1)
if [ -f dist/index.html ] && [ "$(cat dist/.inputs.sha256 2>/dev/null)" = "$inputs" ]; then
  echo "dist/ is up to date (built from these sources); nothing to build"
  exit 0
fi
rm -f dist/.inputs.sha256
cargo fetch --quiet
# (and the crates the standard library's own build needs, which only build-std asks for)
wasm_release cargo fetch --quiet --target wasm32-unknown-unknown
wasm_release trunk build --release --offline "$@"
# The widget's own build (Cargo feature `widget`: the chat alone, about a third smaller), whose
# page is dist/embed.html, what the gateway serves for /embed. Its wasm and JS have their own
# hashed names; the stylesheets and copied files are the same files as the full app's.
wasm_release trunk build --release --offline --features widget --dist "$ROOT/target/widget-dist" --html-output embed.html "$@"
cp -rn "$ROOT"/target/widget-dist/* "$ROOT/dist/"
node "$ROOT/scripts/write-service-worker.mjs" "$ROOT/dist"
node "$ROOT/scripts/compress-dist.mjs" "$ROOT/dist"
echo "$inputs" > dist/.inputs.sha256
