#!/usr/bin/env bash
# First-run benchmark: how long the README's commands take on a machine that has only rustup's
# toolchain, from a clean clone with empty tool caches, and again with nothing changed.
#
#   ./scripts/bench-first-run.sh            serve.sh: first run, then a repeat run
#   ./scripts/bench-first-run.sh --tests    the same, then test.sh: first run and a repeat
#
# It clones the current commit into a temporary directory and runs there with a fresh HOME and
# CARGO_HOME (no trunk, no wasm-bindgen, empty crate registry, empty npm cache); only rustup's
# toolchain (RUSTUP_HOME) is shared, as on a fresh machine with rustup stable. It needs the
# network the way a fresh machine does (crates.io, npm). A benchmark, not a test: it prints the
# wall and CPU time of each run, the steps setup.sh timed, and asserts nothing.
# BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail
source "$(dirname "$0")/env.sh"
with_tests=0
[ "${1:-}" = "--tests" ] && with_tests=1

work=$(mktemp -d /tmp/xai-web-first-run.XXXXXX)
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
git clone --quiet "$ROOT" "$work/repo"
( cd "$work/repo" && git checkout --quiet "$(git -C "$ROOT" rev-parse HEAD)" )
mkdir -p "$work/home" "$work/rust-bin"
# rustup's proxies only: the tools cargo installed on this machine must not be found.
rustup_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
for tool in cargo rustc rustup rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver; do
  [ -x "$rustup_bin/$tool" ] && ln -s "$rustup_bin/$tool" "$work/rust-bin/$tool"
done
# The rest of PATH stays (node, Python, chromium), without cargo's bin and the project's tools.
path=$(tr ':' '\n' <<<"$PATH" | grep -v -x -e "$rustup_bin" -e "$ROOT/.tools/bin" \
  -e "$ROOT/.tools/node_modules/.bin" | paste -sd: -)
fresh_env=(env -i "HOME=$work/home" "CARGO_HOME=$work/home/.cargo"
  "RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}" "PATH=$work/rust-bin:$path"
  "PYENV_ROOT=${PYENV_ROOT:-$HOME/.pyenv}" "TERM=dumb" "LANG=C.UTF-8")

port=$((20000 + RANDOM % 20000))
# Runs serve.sh until the gateway says it is listening, then stops it; prints its wall time and
# the CPU time of everything it ran (/usr/bin/time counts the processes serve.sh waited for).
serve_once() {
  local label=$1 log="$work/serve-$1.log" started=$SECONDS pid
  ( cd "$work/repo" && exec "${fresh_env[@]}" /usr/bin/time -o "$work/serve-$label.cpu" \
      -f '%U %S' ./scripts/serve.sh --listen "127.0.0.1:$port" ) > "$log" 2>&1 &
  pid=$!
  until grep -q 'listening on' "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "serve.sh ($label) stopped before listening; its output:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
  local wall=$((SECONDS - started))
  pkill -P "$pid" || true
  wait "$pid" 2>/dev/null || true
  # (the last line: time writes "Command terminated by signal 15" before it)
  read -r user sys < <(tail -n 1 "$work/serve-$label.cpu") || true
  printf '%-24s %6d s wall  %6.0f s CPU (user %.0f, system %.0f)\n' "serve.sh, $label" "$wall" \
    "$(echo "${user:-0} + ${sys:-0}" | bc)" "${user:-0}" "${sys:-0}"
  grep -E '^\[setup\] .*(done in|FAILED)' "$log" | sed 's/^/    /' || true
}

tests_once() {
  local label=$1 log="$work/test-$1.log" started=$SECONDS
  ( cd "$work/repo" && exec "${fresh_env[@]}" ./scripts/test.sh ) > "$log" 2>&1 || {
    echo "test.sh ($label) failed; the end of its output:" >&2
    tail -n 40 "$log" >&2
    exit 1
  }
  printf '%-28s %6d s wall\n' "test.sh, $label" "$((SECONDS - started))"
  grep -E '^\[setup\] .*(done in|FAILED)|^# (tests|pass|fail) ' "$log" | sed 's/^/    /' || true
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD)"
serve_once first
serve_once repeat
if [ "$with_tests" = 1 ]; then
  tests_once first
  tests_once repeat
fi
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
