#!/usr/bin/env bash
# Builds the release app and prints its transferred size (wasm, JS, CSS; raw, gzip, brotli), then
# checks that no native runtime or transport code (a tokio runtime, hyper, h2, mio) reaches the wasm.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-app.sh" >/dev/null
# The sizes, against the budget (its exit status is kept for the end: the checks below still run).
set +e
report=$(node "$ROOT/scripts/size-report.mjs" "$ROOT/dist")
over=$?
set -e
echo "$report" | grep -v '^wasm-brotli-bytes '
# Where the wasm's bytes go, per crate and per module of the app (rustc's output keeps the names).
# The same cargo build trunk ran (a no-op then), so that the file read is this source's even when
# build-app.sh found dist/ up to date and another build (other features) wrote it since.
wasm_release cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown --bin xai-web
wasm_brotli=$(echo "$report" | awk '/^wasm-brotli-bytes /{print $2}')
python3 "$ROOT/scripts/wasm-size-by-crate.py" "$ROOT/target/wasm32-unknown-unknown/wasm-release/xai-web.wasm" "$wasm_brotli" --top 20
# tonic (even without default features) uses tokio's sync primitives, which are plain
# data structures; what must not reach the wasm is a runtime, sockets or an HTTP stack.
tree=$(cargo tree --quiet -p xai-web --target wasm32-unknown-unknown -e normal --prefix none | awk '{print $1}' | sort -u)
forbidden=$(echo "$tree" | grep -E '^(hyper|hyper-util|h2|mio|socket2|tower-http|reqwest)$' || true)
tokio_features=$(cargo tree --quiet -p xai-web --target wasm32-unknown-unknown -e features -i tokio 2>/dev/null \
  | grep -oE 'tokio feature "[a-z-]+"' | sort -u | sed 's/tokio feature //' | tr '\n' ' ')
runtime=$(echo "$tokio_features" | grep -oE '"(rt|rt-multi-thread|net|time|io-util|io-std|fs|process|signal|macros|full)"' || true)
if [ -n "$forbidden" ] || [ -n "$runtime" ]; then
  echo "FAIL: native runtime or transport code reaches the wasm build: $forbidden $runtime" >&2
  exit 1
fi
echo "ok: no hyper / h2 / mio / socket2 in the wasm dependency tree; tokio only with features: ${tokio_features:-none}"
exit "$over"
