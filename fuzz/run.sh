#!/usr/bin/env bash
# Runs both libFuzzer targets for a bounded time each (default 60 s): the sanitizer, and the
# query classifier / pool-id parser / ListUsers filter builder. cargo-fuzz needs nightly
# features; on the stable toolchain RUSTC_BOOTSTRAP=1 enables them for this build only.
# The first build instruments every dependency and takes a while (about 15 min on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
for target in sanitize query; do
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -O -- -max_total_time="$seconds" -max_len=512
done
