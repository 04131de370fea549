#!/usr/bin/env bash
# The first-hour scenario (benches/firsthour.py) for this tree's binary, and for another
# one given as $BEFORE (e.g. main's) to compare. Debug builds: the figures are dominated by
# requests, the rate limiter and the debounce, not by CPU. RUNS=N, USERS=N to change.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
cargo build --locked --bin cognito-tui
if [ ! -x "${MOTO_SERVER:-.ci/work/venv/bin/moto_server}" ]; then
  python3 -m venv .ci/work/venv
  .ci/work/venv/bin/pip install --quiet -r .ci/requirements.txt
fi
python3 benches/firsthour.py ${BEFORE:+"$BEFORE"} "${CARGO_TARGET_DIR:-target}/debug/cognito-tui"
