"""Shipped scikit-learn weights, read trusting only scikit-learn / numpy / scipy types.

skops stores an estimator as data and lists every type it would rebuild; nothing is
unpickled. A weights file naming any other type (one edited to run code on load) is
refused with its path, before anything is built from it.
"""

from __future__ import annotations

from pathlib import Path

ALLOWED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "collections.", "_loss.")


def load_trusted(path: Path) -> dict:
    """The object stored at ``path``; ValueError naming the file when it holds another type."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    bad = [t for t in untrusted if not t.startswith(ALLOWED_PREFIXES)]
    if bad:
        raise ValueError(f"{path}: unexpected types in weights: {bad}")
    return sio.load(path, trusted=untrusted)
