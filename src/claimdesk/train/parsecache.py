"""Parse a corpus once with claimdesk's spaCy model and keep the Docs in a DocBin.

Parsing PolNeAR train takes minutes on two cores; training runs many times.
The cache key is the texts plus the model's name and version, so a new model
or changed data never reuses stale parses.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "claimdesk" / "parses"


def _key(nlp: Language, texts: list[str]) -> str:
    h = hashlib.sha256(f"{nlp.meta['name']}-{nlp.meta['version']}-{nlp.pipe_names}".encode())
    for text in texts:
        h.update(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    return h.hexdigest()[:24]


def parse_cached(nlp: Language, texts: list[str], cache_dir: Path | None = None, batch_size: int = 16) -> list[Doc]:
    """Docs for ``texts`` in order, parsed with ``nlp.pipe`` or read back from the cache."""
    cache_dir = cache_dir or default_cache_dir()
    path = cache_dir / f"{_key(nlp, texts)}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    DocBin(attrs=["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "LEMMA", "MORPH", "POS", "SENT_START", "SPACY"],
           docs=docs).to_disk(tmp)
    tmp.rename(path)
    return docs
