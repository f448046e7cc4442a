#!/usr/bin/env bash
# Prints the gateway's load figures (see gateway/examples/load.rs and docs/gateway-performance.md):
# builds the release gateway and the load client, then runs
#   latency [ROUNDS]        gRPC-Web (HTTP/1.1) vs native gRPC (h2): first message, per message
#   capacity [LEVELS...]    slow streams held open together, ramped 100, 1000, 5000, 10000, 15000, 19000 by default
# A benchmark, not a test: it asserts nothing. Usage: scripts/bench-gateway.sh [latency|capacity] [N...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
cargo build --quiet --release -p xai-gateway --bin xai-gateway --example load
GATEWAY="$ROOT/target/release/xai-gateway"
LOAD="$ROOT/target/release/examples/load"
# Each held stream is one socket in the client and one in the gateway.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "machine: $(nproc) cores, $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs), open files $(ulimit -n), load average $(cut -d" " -f1-3 /proc/loadavg)"
if [ $# -gt 0 ]; then
  "$LOAD" "$GATEWAY" "$@"
else
  "$LOAD" "$GATEWAY" latency
  "$LOAD" "$GATEWAY" capacity
fi
