#!/usr/bin/env bash
# Install claimdesk and run the demo: ingest the samples, show each analysed article, serve the desk on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/claimdesk demo "$@"
