"""Finding the few tokens a rule looks at without walking the whole Doc in Python.

Each ``for token in doc`` builds a Python object per token; over a long article and
several rules that costs more than the rules. One ``to_array`` per attribute and a
numpy membership test pick the candidates (pronouns, crossing nouns, report verbs).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.attrs import IDS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc


def indices(doc: Doc, attr: str, values: Iterable[str]) -> list[int]:
    """Indices of the tokens whose ``attr`` ("LOWER", "LEMMA", "POS", ...) is one of ``values``."""
    if not len(doc):
        return []
    column = doc.to_array(IDS[attr])
    if attr == "POS":
        wanted = np.array([POS_IDS[v] for v in values], dtype=column.dtype)
    else:
        wanted = np.array([doc.vocab.strings[v] for v in values], dtype=column.dtype)
    return np.flatnonzero(np.isin(column, wanted)).tolist()
