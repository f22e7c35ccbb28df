"""Figure: keyboard triage (issue 18, figure 2). A reviewer reviews 20 claims from the queue
with the keyboard alone (open, rate, save, next), in Debian's chromium driven by Playwright:
the key presses and the requests to the server per claim.

The figure is the one tests/test_browser_queue.py measures (it runs the desk and the
browser); this script runs that test and records what it wrote, with the machine.

    python benchmarks/triage.py [--json benchmarks/results/triage.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]
WRITTEN = ROOT / "test-artifacts" / "triage.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    WRITTEN.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-s",
                           "tests/test_browser_queue.py", "-k", "triages"], cwd=ROOT, env={**os.environ, "CI": "true"})
    if done.returncode != 0 or not WRITTEN.exists():
        sys.exit(f"the triage test failed (exit {done.returncode}): no figure")
    figures = {**json.loads(WRITTEN.read_text()), "machine": machine.describe(),
               "command": "python benchmarks/triage.py --json benchmarks/results/triage.json",
               "how": "tests/test_browser_queue.py::test_a_reviewer_triages_twenty_claims_with_the_keyboard_alone: "
                      "o opens the queue's first claim, then per claim a digit chooses the rating and s saves, which "
                      "opens the next claim; requests counted through the Chrome DevTools Protocol, those the "
                      "browser's cache answered apart"}
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
