#!/usr/bin/env bash
# Support-desk benchmarks (README "Batch, CSV and export", "Performance"): batch `get -`
# against moto and a loop of `aws cognito-idp admin-get-user`, export rate / peak RSS at 10k
# and 100k users, `export --where` at 10k/50k/100k and `export --with-groups` on 10,000 users
# in 50 groups against a stub. Builds the release binary (COGNITO_TUI_BIN=path to use another)
# and installs moto and awscli (PyPI) under .ci/work. CASES=batch,export,where,groups picks
# the families (all by default, ~20 min); N, USER_READ, USER_LIST, AWS_RUNS, LATENCY_MS,
# WHERE_USERS, WHERE_RUNS, GROUP_RATES tune them (see benches/desk.py).
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
