"""One spaCy pass per article, over exactly the text the cleaner kept.

The Doc is built from the document text with every removed character turned into a
space (newlines stay), so a Doc offset *is* an offset into ``RawDocument.text``:
no mapping, no drift. Paragraph breaks start sentences, so a headline without a
full stop is not parsed into the first sentence of the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Article

PARAGRAPHS = "claimdesk_paragraphs"


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
    """The document text with what the cleaner removed blanked out, offsets unchanged."""
    text = article.raw.text
    keep = ([article.title] if article.title else []) + article.body
    chars = [ch if ch == "\n" else " " for ch in text]
    for span in keep:
        chars[span.start : span.end] = text[span.start : span.end]
    return "".join(chars)


def parse(nlp: Language, articles: Iterable[Article], *, workers: int = 1, batch_size: int = 32) -> Iterator[tuple[Article, Doc]]:
    """Each article with its Doc, in order, batched through ``nlp.pipe``."""
    pending = iter(articles)
    pairs = ((kept_text(article), article) for article in pending)
    for doc, article in nlp.pipe(pairs, as_tuples=True, n_process=workers, batch_size=batch_size):
        yield article, doc
