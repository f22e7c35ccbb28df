"""Score predicted attributions against PolNeAR gold, per role and whole.

Exact match compares spans after trimming leading/trailing whitespace and
punctuation (the issue's convention); overlap counts a pair of spans that
share at least one non-space character.  Both are one-to-one matchings, so a
span predicted twice is counted once.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

ROLES = ("source", "cue", "content")
Pair = tuple[int, int]


def _trim_char(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def trim(text: str, start: int, end: int) -> Pair:
    """The span without leading/trailing whitespace and punctuation."""
    while start < end and _trim_char(text[start]):
        start += 1
    while end > start and _trim_char(text[end - 1]):
        end -= 1
    return start, end


@dataclass
class PRF:
    tp: float = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def p(self) -> float:
        return 100 * self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def r(self) -> float:
        return 100 * self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def add(self, tp: float, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.n_pred += n_pred
        self.n_gold += n_gold

    def as_dict(self) -> dict[str, float]:
        return {"p": round(self.p, 2), "r": round(self.r, 2), "f": round(self.f, 2),
                "tp": self.tp, "pred": self.n_pred, "gold": self.n_gold}


@dataclass
class Scores:
    exact: dict[str, PRF] = field(default_factory=lambda: {r: PRF() for r in (*ROLES, "whole")})
    overlap: dict[str, PRF] = field(default_factory=lambda: {r: PRF() for r in (*ROLES, "whole")})

    def as_dict(self) -> dict:
        return {kind: {r: prf.as_dict() for r, prf in getattr(self, kind).items()} for kind in ("exact", "overlap")}


def _overlaps(a: Pair | None, b: Pair | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


def _greedy(preds: list, golds: list, same) -> int:
    """Size of a greedy one-to-one matching under the relation ``same``."""
    used: set[int] = set()
    matched = 0
    for p in preds:
        for j, g in enumerate(golds):
            if j not in used and same(p, g):
                used.add(j)
                matched += 1
                break
    return matched


Triple = tuple[Pair | None, Pair | None, Pair | None]


def _norm(text: str, triple) -> Triple:
    out = []
    for span in triple:
        out.append(None if span is None else trim(text, span[0], span[1]))
    return tuple(out)  # type: ignore[return-value]


def score_article(scores: Scores, text: str, pred: list[tuple], gold: list[tuple]) -> None:
    """Add one article; ``pred``/``gold`` are (source, cue, content) triples of (start, end) or None."""
    pred_n = [_norm(text, t) for t in pred]
    gold_n = [_norm(text, t) for t in gold]
    for i, role in enumerate(ROLES):
        p = [t[i] for t in pred_n if t[i] is not None and t[i][0] < t[i][1]]
        g = [t[i] for t in gold_n if t[i] is not None and t[i][0] < t[i][1]]
        scores.exact[role].add(sum((Counter(p) & Counter(g)).values()), len(p), len(g))
        scores.overlap[role].add(_greedy(p, g, _overlaps), len(p), len(g))
    scores.exact["whole"].add(_greedy(pred_n, gold_n, lambda a, b: a == b), len(pred_n), len(gold_n))
    scores.overlap["whole"].add(
        _greedy(pred_n, gold_n, lambda a, b: all(_overlaps(x, y) for x, y in zip(a, b))), len(pred_n), len(gold_n))


def table(scores: Scores) -> str:
    lines = [f"{'':8} {'exact P':>8} {'R':>6} {'F1':>6}   {'overlap P':>9} {'R':>6} {'F1':>6}"]
    for role in (*ROLES, "whole"):
        e, o = scores.exact[role], scores.overlap[role]
        lines.append(f"{role:8} {e.p:8.1f} {e.r:6.1f} {e.f:6.1f}   {o.p:9.1f} {o.r:6.1f} {o.f:6.1f}")
    return "\n".join(lines)
