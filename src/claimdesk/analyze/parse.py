"""One spaCy pass per article, over exactly the text the cleaner kept.

The Doc is built from the document text with every removed character turned into a
space (newlines stay), so a Doc offset *is* an offset into ``RawDocument.text``:
no mapping, no drift. Paragraph breaks start sentences, so a headline without a
full stop is not parsed into the first sentence of the body.

Analysis reads at most ``ANALYSIS_LIMIT`` characters of a document: the parse costs
about 0.15 s and several MB per 1,000 characters, so a 900 KB "article" took two
minutes and 4 GB, and spaCy refuses texts over a million characters outright. Past the
limit the Doc is cut at the last paragraph break before it (else the last sentence end,
else the last space), a prefix of the text, so offsets still point into the document;
the rest is stored, shown and searchable, and the analysis says where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Article

PARAGRAPHS = "claimdesk_paragraphs"
# Characters of a document analysis reads (title and body, removed lines blanked): 20
# times a long news article (a long feature is 50,000), and about 15 s of analysis on a
# 2-core machine (benchmarks/hostile_inputs.py).
ANALYSIS_LIMIT = 100_000


@Language.component(PARAGRAPHS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A token after a line break starts a sentence (the parser keeps preset starts)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
    return doc


def with_paragraphs(nlp: Language) -> Language:
    """The pipeline with paragraph breaks set before the parser runs (added once)."""
    if PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


def kept_text(article: Article) -> str:
    """The document text with what the cleaner removed blanked out, offsets unchanged,
    cut by ``analysis_end`` when it is longer than analysis reads."""
    text = article.raw.text
    keep = sorted(([article.title] if article.title else []) + article.body, key=lambda s: s.start)
    pieces: list[str] = []
    done = 0
    for span in keep:
        start, end = max(span.start, done), span.end
        if start >= end:
            continue
        pieces.append(_blank(text[done:start]))
        pieces.append(text[start:end])
        done = end
    pieces.append(_blank(text[done:]))
    kept = "".join(pieces)
    return kept[: analysis_end(kept)]


def _blank(removed: str) -> str:
    """A removed range as spaces, its line breaks kept (they still end paragraphs)."""
    return "".join(ch if ch == "\n" else " " for ch in removed) if "\n" in removed else " " * len(removed)


def analysis_end(text: str) -> int:
    """Where analysis of ``text`` stops: its end when it fits in ``ANALYSIS_LIMIT``
    characters, else the last paragraph break, sentence end or space before the limit,
    so that no word, and where possible no sentence, is cut in two."""
    limit = ANALYSIS_LIMIT
    if len(text) <= limit:
        return len(text)
    for boundary in ("\n", ". ", " "):
        cut = text.rfind(boundary, limit // 2, limit)  # a cut further back loses more than it saves
        if cut >= 0:
            return cut + len(boundary.rstrip())
    return limit


def parse(nlp: Language, articles: Iterable[Article], *, workers: int = 1, batch_size: int = 32) -> Iterator[tuple[Article, Doc]]:
    """Each article with its Doc, in order, batched through ``nlp.pipe``."""
    pending = iter(articles)
    pairs = ((kept_text(article), article) for article in pending)
    for doc, article in nlp.pipe(pairs, as_tuples=True, n_process=workers, batch_size=batch_size):
        yield article, doc
