#!/usr/bin/env bash
# Installs what building and testing need, following the project's toolchain facts.
# Idempotent: each step checks first. Never downloads a prebuilt binary from outside the
# package registries (crates.io, npm, Debian, PyPI).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/.tools"
mkdir -p "$TOOLS"
source "$ROOT/scripts/env.sh"
log() { printf '[setup] %s\n' "$*" >&2; }

want_browser=${WANT_BROWSER:-0}
want_python=${WANT_PYTHON:-0}

# 1. wasm32 standard library (rustup fetches it from the Rust registry mirror; bounded in time).
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding rust target wasm32-unknown-unknown"
  timeout 300 rustup target add wasm32-unknown-unknown
fi

# 1b. The release wasm's pinned nightly (env.sh says why) with the standard library's source, for
#     build-std. About 15 s and 90 MB from the same mirror as the target above.
has_release_toolchain() {
  rustup toolchain list | grep -q "^$WASM_RELEASE_TOOLCHAIN-" \
    && [ -d "$(rustup run "$WASM_RELEASE_TOOLCHAIN" rustc --print sysroot)/lib/rustlib/src/rust/library" ]
}
if ! has_release_toolchain; then
  log "installing the release wasm's toolchain $WASM_RELEASE_TOOLCHAIN with rust-src"
  timeout 600 rustup toolchain install "$WASM_RELEASE_TOOLCHAIN" --profile minimal --component rust-src >&2
fi

# A step that takes minutes on a first run says so every 30 s, with its estimate, so that a
# first run never looks hung. Usage: with_progress "what" SECONDS command...
with_progress() {
  local what=$1 estimate=$2 started=$SECONDS ticker status=0
  shift 2
  log "$what (about $((estimate / 60)) min on 2 cores)"
  # (sleep without our output: once killed, the ticker must not hold a pipe open for 30 s)
  ( while sleep 30 </dev/null >/dev/null 2>&1; do log "  ... $what: $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s of about $((estimate / 60)) min"; done ) &
  ticker=$!
  "$@" || status=$?
  kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
  [ "$status" = 0 ] && log "$what: done in $((SECONDS - started)) s" || log "$what: FAILED"
  return "$status"
}

# 2. wasm-bindgen 0.2.130, the version of the crate in Cargo.lock: tools/wasm-bindgen, a small
#    front end on wasm-bindgen's own library, into .tools/bin (first on PATH, see env.sh). It
#    compiles in about a third of the time of `cargo install wasm-bindgen-cli`, whose test
#    runner a build never uses; its output is byte for byte the same (docs/size.md, "First run").
#    cargo decides whether anything changed (a second or so when nothing did).
build_wasm_bindgen() {
  cargo build --quiet --release --locked --manifest-path "$ROOT/tools/wasm-bindgen/Cargo.toml" \
    --target-dir "$ROOT/target/tools"
  mkdir -p "$TOOLS/bin"
  cp -p "$ROOT/target/tools/release/wasm-bindgen" "$TOOLS/bin/wasm-bindgen.new"
  mv -f "$TOOLS/bin/wasm-bindgen.new" "$TOOLS/bin/wasm-bindgen"
}

# 3. trunk 0.21.14 (0.22 needs a newer rustc), without its default features: they are TLS for
#    downloading tools and the crates.io update check, neither used here (trunk runs --offline).
#    Its manifest builds releases with fat LTO in one codegen unit, minutes on one core for a
#    tool whose own work in a build is a few hundred milliseconds (cargo, wasm-bindgen and
#    wasm-opt do the rest): cargo's environment overrides make it an unoptimised parallel build
#    (its few milliseconds of hashing and minifying per build do not need more).
install_trunk() {
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
    cargo install --quiet trunk --version 0.21.14 --locked --force --no-default-features
}

# The two compile independently (trunk in cargo's own temporary directory, wasm-bindgen in
# target/tools): side by side they keep both cores busy through each one's single-threaded
# stretches (the last crates, the link).
pids=()
if [ -x "$TOOLS/bin/wasm-bindgen" ]; then
  build_wasm_bindgen
else
  with_progress "building wasm-bindgen 0.2.130 (tools/wasm-bindgen)" 120 build_wasm_bindgen & pids+=($!)
fi
if ! command -v trunk >/dev/null || ! trunk --version | grep -q ' 0.21.14'; then
  with_progress "installing trunk 0.21.14 from crates.io" 360 install_trunk & pids+=($!)
fi
for pid in "${pids[@]}"; do wait "$pid"; done

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
