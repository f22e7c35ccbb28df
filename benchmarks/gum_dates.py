"""Issue 4, dates: temporal expressions on GUM's 24 Wikinews documents, and the cost per article.

Gold: GUM's ``<date>`` and ``<time>`` tags (``../shared/data/gum-news/xml``, one token per
line; the text is rebuilt with the CoNLL-U ``SpaceAfter`` marks and ``# newpar`` breaks,
the title first). The document date is the text metadata ``dateCreated``. Every system
reads the same text and the same document date:

* claimdesk: ``analyze.dates.find_dates`` on the project's spaCy parse (``load_nlp`` +
  ``with_paragraphs``);
* anchor 1, dateparser alone: ``dateparser.search.search_dates`` over the text
  (``languages=['en']``, the document date as relative base), each found string
  normalised again with ``DateDataParser`` to get its granularity (day / month / year);
* anchor 2, spaCy DATE/TIME entities, each normalised by ``DateDataParser``.

Spans: exact (same characters after trimming spaces and punctuation) and overlap (at
least one shared character), one-to-one. GUM tags calendar dates and a few bounded
durations, not TIMEX3's durations and sets, so precision is also given over the
DATE/TIME mentions only ("points"). Values: a gold ``when`` or ``from``/``to`` is an
interval of days (``2017`` = the whole year, ``last week`` = its seven days); a predicted
TIMEX3 value is turned into its interval the same way (``2017-W28``, ``2015-W38-WE``,
``196`` for the 1960s, a TIME's day); the value is right when the intervals are equal.
Accuracy is over gold dates whose span some prediction overlaps; gold with only
``notBefore``/``notAfter`` bounds (durations such as "15 years") is counted but not scored.

Speed: find_dates per article on the 84 PolNeAR dev articles (document date from the file
name) against spaCy's own parse of the same texts, best of ``--repeat`` passes.

    python benchmarks/gum_dates.py [--json benchmarks/results/gum_dates.json]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from calendar import monthrange
from datetime import date, datetime, timedelta

import machine
from zyte_common import SHARED

GUM = SHARED / "data" / "gum-news"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev" / "text"
TRIM = " \t\n.,;:!?\"'()[]"


# --------------------------------------------------------------------------- GUM


def read_gum(name: str) -> tuple[str, str, list[dict]]:
    """(text, document date, gold mentions) for one GUM document.

    The XML has one token per line and no spacing; the CoNLL-U file holds the same tokens
    in the same order with ``SpaceAfter=No`` (multi-word tokens carry it on their range line).
    """
    words: list[tuple[str, bool, bool]] = []  # form, space after, starts a paragraph
    new_paragraph, range_end, range_space = False, -1, True
    for line in (GUM / "dep" / f"{name}.conllu").read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar"):
            new_paragraph = True
            continue
        if not line or line.startswith("#"):
            range_end = -1
            continue
        cols = line.split("\t")
        if "." in cols[0]:
            continue
        if "-" in cols[0]:
            range_end = int(cols[0].split("-")[1])
            range_space = "SpaceAfter=No" not in cols[9]
            continue
        i = int(cols[0])
        space = (False if i < range_end else range_space) if i <= range_end else "SpaceAfter=No" not in cols[9]
        words.append((cols[1], space, new_paragraph))
        new_paragraph = False
    text, offsets = "", []
    for form, space, paragraph in words:
        if paragraph and text:
            text = text.rstrip(" ") + "\n\n"
        offsets.append((len(text), len(text) + len(form)))
        text += form + (" " if space else "")

    xml = (GUM / "xml" / f"{name}.xml").read_text(encoding="utf-8").splitlines()
    published = re.search(r'dateCreated="([^"]*)"', xml[0]).group(1)
    gold, stack, k = [], [], 0
    for line in xml:
        if line.startswith(("<date", "<time")):
            stack.append((line[1:5], dict(re.findall(r'(\w+)="([^"]*)"', line)), k))
        elif line.startswith(("</date", "</time")):
            tag, attrs, first = stack.pop()
            gold.append({"tag": tag, "start": offsets[first][0], "end": offsets[k - 1][1], **attrs})
        elif line.startswith("<") and not line.startswith("<\t"):
            continue
        else:
            k += 1
    if k != len(offsets):
        raise ValueError(f"{name}: {k} XML tokens but {len(offsets)} CoNLL-U tokens")
    return text.rstrip(), published, gold


# --------------------------------------------------------------------------- values as day intervals


def _day(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def gold_interval(g: dict) -> tuple[date, date] | None:
    """A gold date's interval of days; None for times of day and bound-only (notBefore/notAfter) gold."""
    if g["tag"] != "date":
        return None
    if "when" in g:
        return value_interval(g["when"][:10])
    if "from" in g and "to" in g:
        return value_interval(g["from"])[0], value_interval(g["to"])[1]
    return None


def value_interval(value: str) -> tuple[date, date] | None:
    """The days a TIMEX3 value covers: 2017, 2017-07, 2017-07-21(T..), 2017-W28(-WE), 2022-SU, 196, 19."""
    value = value.split("T")[0] if re.match(r"\d{4}-\d{2}-\d{2}T", value) else value
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y, mo, monthrange(y, mo)[1])
    if m := re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return (monday + timedelta(days=5), monday + timedelta(days=6)) if m[3] else (monday, monday + timedelta(days=6))
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        y = int(m[1])
        first, last = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}[m[2]]
        end_year, end_month = (y + 1, last - 12) if last > 12 else (y, last)
        return date(y, first, 1), date(end_year, end_month, monthrange(end_year, end_month)[1])
    if m := re.fullmatch(r"(\d{4})", value):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{3})", value):
        return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31)
    if m := re.fullmatch(r"(\d{2})", value):
        return date(int(m[1]) * 100, 1, 1), date(int(m[1]) * 100 + 99, 12, 31)
    return None


# --------------------------------------------------------------------------- systems


def claimdesk_system(doc, published: str) -> list[dict]:
    from claimdesk.analyze.dates import find_dates

    return [{"start": m.span.start, "end": m.span.end, "value": m.value, "kind": m.kind}
            for m in find_dates(doc, published)]


def _granular(parser, phrase: str) -> str | None:
    data = parser.get_date_data(phrase)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    return {"day": d.isoformat(), "week": f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}",
            "month": f"{d.year:04d}-{d.month:02d}", "year": f"{d.year:04d}"}.get(data.period, d.isoformat())


def _parser(published: str):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings=_settings(published))


def _settings(published: str) -> dict:
    return {"RELATIVE_BASE": datetime.fromisoformat(published), "PREFER_DATES_FROM": "current_period",
            "RETURN_AS_TIMEZONE_AWARE": False}


def dateparser_system(doc, published: str) -> list[dict]:
    """dateparser alone: search_dates finds the strings; offsets are found in order in the text."""
    from dateparser.search import search_dates

    text = doc.text
    found = search_dates(text, languages=["en"], settings=_settings(published)) or []
    parser, out, cursor = _parser(published), [], 0
    for phrase, _ in found:
        start = text.find(phrase, cursor)
        if start < 0:
            start = text.find(phrase)
        if start < 0:
            continue
        cursor = start + len(phrase)
        out.append({"start": start, "end": start + len(phrase), "value": _granular(parser, phrase) or "", "kind": "DATE"})
    return out


def spacy_dateparser_system(doc, published: str) -> list[dict]:
    parser = _parser(published)
    return [{"start": e.start_char, "end": e.end_char, "value": _granular(parser, e.text) or "", "kind": "DATE"}
            for e in doc.ents if e.label_ in ("DATE", "TIME")]


SYSTEMS = {"claimdesk": claimdesk_system, "dateparser": dateparser_system, "spacy+dateparser": spacy_dateparser_system}


# --------------------------------------------------------------------------- scoring


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def match(text: str, gold: list[dict], pred: list[dict], exact: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, prediction index), exact spans or any shared character."""
    pairs, used = [], set()
    for gi, g in enumerate(gold):
        gs, ge = _trim(text, g["start"], g["end"])
        best, best_overlap = None, 0
        for pi, p in enumerate(pred):
            if pi in used:
                continue
            ps, pe = _trim(text, p["start"], p["end"])
            if exact:
                if (ps, pe) == (gs, ge):
                    best = pi
                    break
            else:
                overlap = min(ge, pe) - max(gs, ps)
                if overlap > best_overlap:
                    best, best_overlap = pi, overlap
        if best is not None:
            used.add(best)
            pairs.append((gi, best))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": 100 * p, "r": 100 * r, "f": 100 * (2 * p * r / (p + r) if p + r else 0.0), "tp": tp,
            "pred": n_pred, "gold": n_gold}


def score(docs: list[tuple[str, str, list[dict]]], outputs: list[list[dict]]) -> dict:
    counts = {k: [0, 0, 0] for k in ("exact", "overlap", "exact_points", "overlap_points")}
    value = {"scorable_gold": 0, "matched": 0, "correct": 0, "bound_only_gold": 0}
    for (text, _, gold), pred in zip(docs, outputs, strict=True):
        points = [p for p in pred if p["kind"] in ("DATE", "TIME")]
        for key, predicted in (("exact", pred), ("overlap", pred), ("exact_points", points), ("overlap_points", points)):
            pairs = match(text, gold, predicted, exact=key.startswith("exact"))
            counts[key][0] += len(pairs)
            counts[key][1] += len(predicted)
            counts[key][2] += len(gold)
        by_gold = dict(match(text, gold, pred, exact=False))
        for gi, g in enumerate(gold):
            interval = gold_interval(g)
            if interval is None:
                value["bound_only_gold"] += g["tag"] == "date"
                continue
            value["scorable_gold"] += 1
            if gi in by_gold:
                value["matched"] += 1
                value["correct"] += value_interval(pred[by_gold[gi]]["value"]) == interval
    result = {key: prf(*c) for key, c in counts.items()}
    value["accuracy_on_matched"] = 100 * value["correct"] / value["matched"] if value["matched"] else 0.0
    value["accuracy_on_all"] = 100 * value["correct"] / value["scorable_gold"] if value["scorable_gold"] else 0.0
    result["value"] = value
    return result


# --------------------------------------------------------------------------- speed on PolNeAR dev


def speed(nlp, repeat: int) -> dict:
    from dateparser.search import search_dates

    from claimdesk.analyze.dates import find_dates

    paths = sorted(POLNEAR_DEV.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    published = [re.search(r"_(\d{4}-\d{2}-\d{2})_", p.name).group(1) for p in paths]
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse_s = time.perf_counter() - start
    best = float("inf")
    mentions = 0
    for _ in range(repeat):
        start = time.perf_counter()
        mentions = sum(len(find_dates(doc, d)) for doc, d in zip(docs, published, strict=True))
        best = min(best, time.perf_counter() - start)
    start = time.perf_counter()
    for text, d in zip(texts, published, strict=True):
        search_dates(text, languages=["en"], settings=_settings(d))
    search_s = time.perf_counter() - start
    n = len(docs)
    return {"documents": n, "mentions": mentions, "find_dates_ms_per_doc": 1000 * best / n,
            "spacy_parse_ms_per_doc": 1000 * parse_s / n, "search_dates_ms_per_doc": 1000 * search_s / n,
            "find_dates_share_of_parse": best / parse_s, "repeat": repeat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", action="store_true", help="print every gold and predicted mention")
    args = parser.parse_args()
    if not (GUM / "xml").is_dir():
        sys.exit(f"GUM not found at {GUM}")

    from claimdesk.analyze.nlp import load_nlp
    from claimdesk.analyze.parse import with_paragraphs

    nlp = with_paragraphs(load_nlp())
    names = sorted(p.stem for p in (GUM / "xml").glob("*.xml"))
    docs = [read_gum(name) for name in names]
    parsed = list(nlp.pipe([text for text, _, _ in docs], batch_size=32))
    results = {}
    for system, run in SYSTEMS.items():
        outputs = [run(doc, published) for doc, (_, published, _) in zip(parsed, docs, strict=True)]
        results[system] = score(docs, outputs)
        if args.show and system == "claimdesk":
            for name, (text, published, gold), pred in zip(names, docs, outputs, strict=True):
                print(f"== {name} {published}")
                for g in gold:
                    print(f"   gold {text[g['start']:g['end']]!r} {g.get('when') or (g.get('from'), g.get('to'))}")
                for p in pred:
                    print(f"   pred {text[p['start']:p['end']]!r} {p['value']} {p['kind']}")
    result = {"documents": len(docs), "gold_mentions": sum(len(g) for _, _, g in docs), "systems": results,
              "speed": speed(nlp, args.repeat) if POLNEAR_DEV.is_dir() else None}
    for system, r in results.items():
        v = r["value"]
        print(f"{system:17} exact F1 {r['exact']['f']:5.1f} (P {r['exact']['p']:5.1f} R {r['exact']['r']:5.1f})  "
              f"overlap F1 {r['overlap']['f']:5.1f}  points exact F1 {r['exact_points']['f']:5.1f} "
              f"overlap {r['overlap_points']['f']:5.1f}  value acc {v['accuracy_on_matched']:5.1f}% of "
              f"{v['matched']} matched ({v['accuracy_on_all']:5.1f}% of {v['scorable_gold']})")
    if result["speed"]:
        s = result["speed"]
        print(f"speed: find_dates {s['find_dates_ms_per_doc']:.2f} ms/doc, spaCy parse {s['spacy_parse_ms_per_doc']:.1f} "
              f"ms/doc ({100 * s['find_dates_share_of_parse']:.1f}%), search_dates {s['search_dates_ms_per_doc']:.1f} ms/doc")
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
