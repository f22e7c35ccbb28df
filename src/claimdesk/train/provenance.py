"""Which code built a set of shipped weights, for their provenance files."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def code_version(files: Sequence[str], what: str) -> str:
    """The checkout's short commit, with "+ uncommitted changes to the WHAT code" when any of
    ``files`` (paths from the repository root) differs from it; "unknown" outside a checkout."""
    try:
        sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", *files],
                               capture_output=True, text=True).stdout.strip()
        return sha + (f" + uncommitted changes to the {what} code" if dirty else "")
    except Exception:  # noqa: BLE001 - provenance is best effort outside a checkout
        return "unknown"
