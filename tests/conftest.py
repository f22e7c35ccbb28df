from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SAMPLE = SHARED / "samples" / "karabakh-peacekeepers.txt"


@pytest.fixture
def sample_text() -> str:
    if not SAMPLE.exists():
        pytest.skip(f"shared sample not found at {SAMPLE}")
    return SAMPLE.read_text(encoding="utf-8")
