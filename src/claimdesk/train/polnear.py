"""Read PolNeAR (brat standoff) into plain data.

PolNeAR ships ``text/NAME.txt`` and one or more ``attributions/NAME_ANNOTATOR.ann``
files per article.  We keep only what the extractor learns and is scored on:
per attribution, the Source (or None), Cue and Content character spans.
Discontinuous brat spans (``10 20;25 40``) are kept as their fragments and
also as one covering span, because both the scorer and the tagger work on
one contiguous range per role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("source", "cue", "content")


@dataclass(frozen=True)
class RoleSpan:
    start: int
    end: int
    fragments: tuple[tuple[int, int], ...] = ()

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class GoldAttribution:
    source: RoleSpan | None
    cue: RoleSpan | None
    content: RoleSpan | None


@dataclass
class GoldArticle:
    name: str
    annotator: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)


def _parse_span(offsets: str) -> RoleSpan:
    frags = tuple(tuple(int(x) for x in part.split()) for part in offsets.split(";"))
    return RoleSpan(min(s for s, _ in frags), max(e for _, e in frags), frags)  # type: ignore[arg-type]


def read_ann(text: str, ann: str) -> list[GoldAttribution]:
    """Attributions of one .ann file; ``Discard``/``Discuss`` spans are ignored."""
    spans: dict[str, tuple[str, RoleSpan]] = {}
    events: list[str] = []
    for line in ann.splitlines():
        if line.startswith("T") and line.count("\t") >= 1:
            tid, head, *_ = line.split("\t")
            label, offsets = head.split(" ", 1)
            spans[tid] = (label, _parse_span(offsets))
        elif line.startswith("E") and "\t" in line:
            events.append(line.split("\t")[1])
    out: list[GoldAttribution] = []
    for event in events:
        roles: dict[str, RoleSpan] = {}
        for arg in event.split():
            role, _, tid = arg.partition(":")
            if tid in spans and role in ("Source", "Cue", "Content"):
                roles[role.lower()] = spans[tid][1]
        if "cue" not in roles and "content" not in roles:
            continue
        out.append(GoldAttribution(roles.get("source"), roles.get("cue"), roles.get("content")))
    return out


def _ann_files(folder: Path) -> dict[str, list[Path]]:
    """Map article name -> its annotator files, sorted by file name."""
    texts = sorted(p.stem for p in (folder / "text").glob("*.txt"))
    by_name: dict[str, list[Path]] = {name: [] for name in texts}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if name in by_name:
            by_name[name].append(ann)
    return by_name


def read_folder(folder: str | Path, all_annotators: bool = False) -> list[GoldArticle]:
    """Articles of one PolNeAR split.

    By default one annotator file per article, the first by sorted name (the
    scoring convention); ``all_annotators`` yields one GoldArticle per file,
    which gives the learner more (noisier) examples of the same texts.
    """
    folder = Path(folder)
    articles: list[GoldArticle] = []
    for name, anns in _ann_files(folder).items():
        if not anns:
            continue
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        for ann in anns if all_annotators else anns[:1]:
            annotator = ann.stem.rsplit("_", 1)[1]
            attributions = read_ann(text, ann.read_text(encoding="utf-8"))
            articles.append(GoldArticle(name, annotator, text, attributions))
    return articles
