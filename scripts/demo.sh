#!/usr/bin/env bash
# Install claimdesk and run the demo: ingest the samples, show each cleaned article.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/claimdesk demo "$@"
