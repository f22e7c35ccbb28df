"""Shipped weights are read trusting only scikit-learn / numpy / scipy types: a weights file
that names any other type is refused with its path, before anything is built from it."""

from __future__ import annotations

from fractions import Fraction

import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression

from claimdesk.analyze.skops_weights import load_trusted


def test_scikit_learn_weights_load(tmp_path):
    path = tmp_path / "ok.skops"
    sio.dump({"model": LogisticRegression(C=0.5), "names": ["a", "b"]}, path)
    assert load_trusted(path)["model"].C == 0.5


def test_a_foreign_type_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "bad.skops"
    sio.dump({"model": LogisticRegression(), "extra": Fraction(1, 3)}, path)
    with pytest.raises(ValueError, match=r"bad\.skops: unexpected types in weights: \['fractions\.Fraction'\]"):
        load_trusted(path)
