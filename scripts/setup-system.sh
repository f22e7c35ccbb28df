#!/usr/bin/env bash
# Debian packages the test suite needs (PostgreSQL, for the team-server store tests; Java, for Spark;
# npm, which scripts/setup.sh installs htmx with; chromium, which Playwright drives).
# Installs only what is missing; needs root (CI and the development machines are).
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)  # htmx for the web desk (scripts/setup.sh)
[ -x /usr/bin/chromium ] || missing+=(chromium)  # the browser tests (tests/test_browser.py, Playwright)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)  # Spark's JVM (claimdesk spark analyze, tests/test_spark.py)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)  # the web desk's latency benchmark (benchmarks/web_latency.py)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "claimdesk: not root, cannot install ${missing[*]}: those tests will be skipped" >&2
  exit 0
fi
echo "claimdesk: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
