# Sourced by the scripts: puts the project's tools first on PATH.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.tools/bin:$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The release wasm (build-app.sh, size-report.sh) is built with a pinned nightly toolchain, whose
# std is rebuilt from source with immediate-abort panics: no panic messages, formatting or
# unwinding machinery in the download (about 40 K brotli less, docs/size.md). scripts/setup.sh
# installs it (rust-src only: build-std compiles core, alloc and std for wasm32 itself).
# Everything else (the gateway, the tests, clippy, `trunk serve`'s debug app) stays on stable,
# and so do their panic messages. A panic in the release app is a wasm trap, which index.html's
# banner shows.
WASM_RELEASE_TOOLCHAIN=nightly-2026-05-20
wasm_release() {
  RUSTUP_TOOLCHAIN=$WASM_RELEASE_TOOLCHAIN CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" "$@"
}
