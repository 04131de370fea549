#!/usr/bin/env bash
# Reproduces the performance table in README.md: builds the release binary, installs moto and
# awscli (PyPI) under .ci/work, then times `cognito-tui get` against `aws cognito-idp
# admin-get-user` and a bare curl POST on one local moto server. RUNS=N to change the count.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test

cargo build --release --locked --bin cognito-tui
if [ ! -x .ci/work/venv/bin/moto_server ]; then
  python3 -m venv .ci/work/venv
  .ci/work/venv/bin/pip install --quiet -r .ci/requirements.txt
fi
if [ ! -x .ci/work/bench-venv/bin/aws ]; then
  python3 -m venv .ci/work/bench-venv
  .ci/work/bench-venv/bin/pip install --quiet awscli
fi
python3 benches/compare.py
