#!/usr/bin/env bash
# Install claimdesk and run its test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
