#!/usr/bin/env bash
# Builds everything and serves the app: ./scripts/serve.sh [gateway flags] (e.g. --listen
# 0.0.0.0:8080, --backend xai). The local backend unless --backend or XAI_GATEWAY_BACKEND says
# otherwise. Prints the URL; Ctrl-C stops it.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# The release gateway compiles while setup.sh installs the tools and the app builds: on a first
# run that keeps both cores busy through each one's single-threaded stretches (the last crates,
# the links). The gateway starts once both are done.
cargo build --release --quiet -p xai-gateway &
gateway_build=$!
trap 'kill "$gateway_build" 2>/dev/null || true' EXIT
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-app.sh"
wait "$gateway_build"
trap - EXIT
# The backend the gateway will use: like the gateway's flag parsing, the last --backend wins
# over XAI_GATEWAY_BACKEND, which wins over the default.
backend="${XAI_GATEWAY_BACKEND:-local}"
previous=""
for arg in "$@"; do
  case "$previous" in --backend) backend="$arg" ;; esac
  case "$arg" in --backend=*) backend="${arg#--backend=}" ;; esac
  previous="$arg"
done
case "$backend" in
  xai) where="the xai backend (forwarding to the real xAI API)" ;;
  *) where="the $backend backend" ;;
esac
echo "Serving xai-web on $where; open the URL below."
exec "$ROOT/target/release/xai-gateway" --static-dir "$ROOT/dist" --data-dir "$ROOT/.data" "$@"
