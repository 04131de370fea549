#!/usr/bin/env bash
# Support-desk benchmarks (README "Batch, CSV and export"): batch `get -` against moto and a
# loop of `aws cognito-idp admin-get-user`, and export rate / peak RSS at 10k and 100k users.
# Builds the release binary (COGNITO_TUI_BIN=path to use another) and installs moto and
# awscli (PyPI) under .ci/work. N, USER_READ, USER_LIST, AWS_RUNS, LATENCY_MS tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test

if [ -z "${COGNITO_TUI_BIN:-}" ]; then
  cargo build --release --locked --bin cognito-tui
fi
if [ ! -x "${MOTO_SERVER:-.ci/work/venv/bin/moto_server}" ]; then
  python3 -m venv .ci/work/venv
  .ci/work/venv/bin/pip install --quiet -r .ci/requirements.txt
fi
if [ ! -x .ci/work/bench-venv/bin/aws ]; then
  python3 -m venv .ci/work/bench-venv
  .ci/work/bench-venv/bin/pip install --quiet awscli
fi
python3 benches/desk.py
