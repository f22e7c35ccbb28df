"""Issue 16, per-article side: are the speakers of `claimdesk analyze`'s claims someone?

Runs the user-facing analysis (``analyze_articles``) over the 84 PolNeAR dev texts,
each read as a text dump and cleaned exactly as ``polnear_claims.py`` does, and sorts
every claim's speaker:

- **pronoun**: every word of the speaker is a pronoun or a relative word ("you",
  "they", "I", "who", "It", "which", "his", ...; ``PRONOUN_WORDS`` below);
- **fragment**: the speaker is not a noun phrase naming someone. Operationally, spaCy
  parses it as the subject of a frame sentence ("<speaker> said that it was over.") and it
  is a fragment when (a) it runs over a line break; (b) it holds a colon or a dash between
  words (a dateline or a page label glued to it: "WASHINGTON -- President Obama"); (c) its
  first word is a conjunction, preposition, subordinator, particle, interjection, verb or
  auxiliary that is not a modifier inside the phrase ("and Syria ...", "agradece ..."); (d)
  a verb or auxiliary heads it or hangs from outside it ("they speak to American
  business", "Protesters marching through the streets"); or (e) two or more of its words
  are proper nouns written in lower case, no name particles, not after a hyphen (another
  language read as English: "agradece muito ao Carlos");
- **ok**: the rest, and **none** when the claim has no speaker.

These are definitions of the benchmark, independent of how analysis decides: they do
not read ``speaker_type``. Beside them the script counts the claims by ``speaker_type``
(where the model has it) and the unresolved share (``speaker_type == "unresolved"``).

    python benchmarks/speakers.py [--json out.json] [--dump claims.jsonl] [--from-dump claims.jsonl] [--before old.json]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter

import machine
from zyte_common import SHARED

from claimdesk.analyze import analyze_articles
from claimdesk.analyze.nlp import load_nlp
from claimdesk.clean import clean
from claimdesk.model import RawDocument
from claimdesk.train.polnear import read_folder

DEV = SHARED / "data" / "polnear" / "dev"
PRONOUN_WORDS = frozenset("""i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves this that these those who whom whose
which what whoever whichever""".split())
_NOT_FIRST = {"CCONJ", "ADP", "SCONJ", "VERB", "AUX", "PART", "INTJ"}
_NOUNISH = {"NOUN", "PROPN", "PRON", "NUM"}
_GLUED = re.compile(r"\w\s*(:|--|—|–|\s-\s)\s*\w")
_PARTICLES = {"de", "da", "do", "dos", "das", "van", "von", "der", "den", "bin", "ibn", "al", "el", "la", "le", "di",
              "du", "del", "y", "e", "of", "the", "and", "for", "on", "in"}


def kind(speaker: str | None, parsed) -> str:
    """none, pronoun, fragment or ok, by the definitions of the module docstring;
    ``parsed`` is spaCy's parse of ``frame(speaker)``."""
    if speaker is None:
        return "none"
    words = [t for t in parsed if t.idx < len(speaker) and not (t.is_punct or t.is_space)]
    if words and all(t.lower_ in PRONOUN_WORDS for t in words):
        return "pronoun"
    return "fragment" if fragment_reason(speaker, words) else "ok"


def frame(speaker: str) -> str:
    return f"{speaker} said that it was over."


def fragment_reason(speaker: str, words) -> str | None:
    """Why a speaker is a fragment (module docstring, (a) to (e)), or None."""
    if not words:
        return "no words"
    if "\n" in speaker.strip():
        return "line break"
    if _GLUED.search(speaker):
        return "colon or dash between words"
    if words[0].pos_ in _NOT_FIRST and words[0].dep_ not in ("amod", "compound", "nmod"):
        return f"starts with {words[0].pos_}"
    inside = {t.i for t in words}
    if any(t.pos_ in ("VERB", "AUX") and (t.head.i not in inside or t.head == t) for t in words):
        return "a verb heads it"
    lower = [t for t in words if t.pos_ == "PROPN" and t.is_alpha and t.is_lower and t.lower_ not in _PARTICLES
             and not (t.i and t.doc[t.i - 1].text == "-")]
    if len(lower) >= 2:
        return "lower-case proper nouns"
    return None


def analysed_claims() -> tuple[list[dict], int]:
    """Every claim of the dev texts through ``analyze_articles``, as plain rows."""
    gold = read_folder(DEV)
    articles = [clean(RawDocument(text=a.text, format="text", path=a.name)) for a in gold]
    rows = []
    for analysis in analyze_articles(articles):
        text = analysis.article.raw.text
        for c in analysis.claims:
            target = getattr(c, "target", None)  # the fields of issue 16, absent before it
            rows.append({"article": analysis.article.raw.path, "source": c.source.of(text) if c.source else None,
                         "speaker": c.speaker, "speaker_type": getattr(c, "speaker_type", None),
                         "target": target.of(text) if target else None, "cue": c.cue.of(text)})
    return rows, len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--dump", help="write every claim's source, speaker and kind here (JSON lines), to read by eye")
    parser.add_argument("--from-dump", help="score the claims of an earlier --dump instead of analysing anew")
    parser.add_argument("--before", help="an earlier --json of this script, kept beside the new figures for comparison")
    args = parser.parse_args()
    if args.from_dump:
        with open(args.from_dump) as f:
            rows = [json.loads(line) for line in f]
        articles = len({r["article"] for r in rows})
    else:
        rows, articles = analysed_claims()
    nlp = load_nlp()
    speakers = sorted({r["speaker"] for r in rows if r["speaker"]})
    parsed = dict(zip(speakers, nlp.pipe(frame(s) for s in speakers)))
    for r in rows:
        r["kind"] = kind(r["speaker"], parsed.get(r["speaker"]))
    kinds = Counter(r["kind"] for r in rows)
    types = Counter(str(r["speaker_type"]) for r in rows)
    total = len(rows)
    bad = kinds["pronoun"] + kinds["fragment"]
    result = {
        "articles": articles,
        "claims": total,
        "kinds": dict(kinds),
        "bad_share": bad / total,
        "unresolved_share": types.get("unresolved", 0) / total,
        "speaker_types": dict(types),
        "with_target": sum(1 for r in rows if r["target"]),
        "bad_examples": Counter(f"{r['kind']}: {r['speaker']}" for r in rows if r["kind"] in ("pronoun", "fragment")).most_common(40),
    }
    print(f"PolNeAR dev through claimdesk analyze: {articles} articles, {total} claims")
    print(f"pronoun or relative word as speaker: {kinds['pronoun']} ({kinds['pronoun'] / total:.1%})")
    print(f"fragment as speaker: {kinds['fragment']} ({kinds['fragment'] / total:.1%})")
    print(f"together: {bad} ({bad / total:.1%}); no speaker: {kinds['none']}")
    print(f"unresolved: {types.get('unresolved', 0)} ({result['unresolved_share']:.1%}); with a target: {result['with_target']}")
    print("by speaker_type:", ", ".join(f"{k} {v}" for k, v in types.most_common()))
    for example, n in result["bad_examples"]:
        print(f"  {n:3d}  {example}")
    if args.dump:
        with open(args.dump, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    if args.before:
        with open(args.before) as f:
            before = json.load(f)
        result["before"] = {k: before[k] for k in ("claims", "kinds", "bad_share", "unresolved_share", "speaker_types",
                                                   "bad_examples", "machine") if k in before}
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
