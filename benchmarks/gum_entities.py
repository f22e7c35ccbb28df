"""Issue 4, entities: mention F1 and coreference on GUM's 24 Wikinews documents.

Data: ../shared/data/gum-news/dep/*.conllu (GUM 10, annotations CC BY 4.0, Wikinews texts
CC BY 2.5; see its LICENSE.txt), read in place. Each document's text is rebuilt from the
tokens (``SpaceAfter``), one paragraph per ``# newpar`` (blank line between), the first
paragraph as the title. The cleaner is skipped (nothing to clean; it would only blur what
is measured): the article goes straight to ``claimdesk.analyze.analyze_articles``, the
path ``claimdesk analyze`` takes, whose entities are ``analyze.entities.find_entities``.

Gold named mentions: GUM mentions of type person, place or organization that are names:
their syntactic head (the one token of the mention whose head lies outside it) is a
proper noun (UPOS PROPN: "U.S. President Donald Trump's", "the United Nations",
"Afghans"), or a common-noun head has a proper name in apposition ("Facebook creator Mark
Zuckerberg", flat or appos in GUM's UD). Common-noun mentions ("the team") are out of scope; so are GUM's event/object/abstract names
("FIRST Global Challenge"), which spaCy would call EVENT or PRODUCT.

Type mapping (ours -> GUM): PERSON -> person; NORP -> person (GUM types groups of people,
"Afghans", "Muslims", as person); ORG, MEDIA -> organization; GPE, LOC, FAC -> place; every
other spaCy label is not an entity here. The same mapping applies to the anchor.

A predicted mention matches a gold one when it lies inside the gold mention and overlaps
its name head: the syntactic head, moved right to the last word of the proper-noun run it
starts ("Obama" of "US President Barack Obama", which UD heads by "President"). So "Barack
Obama" matches "US President Barack Obama", "U.S" matches "U.S.", but "Malaysia" does not
match "Malaysia's Prime Minister" (it matches the nested place mention). Matching is one to
one, typed (mapped labels equal) or untyped. *Exact* also requires the same extent,
ignoring a leading "the", a trailing possessive and punctuation.

Coreference, restricted to what claimdesk clusters (named entities and the personal
pronouns it resolves): the key holds the GUM entities of those three types that have at
least one named mention, with their named mentions and their third-person singular
personal pronouns (he, she, him, her, his, hers, himself, herself); every other mention
is left out of the key. The response is every entity mention claimdesk outputs with a
mapped label, pronouns included, clustered by ``entity_key(canonical, label)``.
Response mentions align to key mentions by the head rule above (untyped, one to one);
an unaligned response mention stays in the response as a twinless mention (it costs
precision). Scores: MUC, B-cubed, CEAF-e (entity-level, phi4, optimal assignment) and
their mean, the CoNLL F1; once with singletons kept (an entity named once is still an
entity page) and once CoNLL-2012 style (singleton clusters removed from key and response).

Anchors in the same run: bare spaCy (``nlp.pipe``, same en_core_web_md, same texts) for
mention F1, and, for coreference, exact-string clustering of bare spaCy's mentions (the
same text, case-folded, is the same entity; no pronouns).

    python benchmarks/gum_entities.py [--json benchmarks/results/gum_entities.json]
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import machine
import numpy as np
from scipy.optimize import linear_sum_assignment
from zyte_common import SHARED

GUM = SHARED / "data" / "gum-news"
OURS_TO_GUM = {"PERSON": "person", "NORP": "person", "ORG": "organization", "MEDIA": "organization",
               "GPE": "place", "LOC": "place", "FAC": "place"}
GUM_TYPES = {"person", "place", "organization"}
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}


@dataclass
class Mention:
    start: int  # character offsets into the rebuilt text
    end: int
    head: tuple[int, int]  # the head token's characters
    etype: str  # GUM type (gold) or mapped label (predicted)
    cluster: str  # gold entity id, or the predicted cluster key
    pronoun: bool = False
    named: bool = False  # gold: the mention is a name (``name_head``)


@dataclass
class GumDoc:
    name: str
    text: str
    paragraphs: list[tuple[int, int]]
    gold: list[Mention] = field(default_factory=list)  # every gold mention of the three types


def read_conllu(path: Path) -> GumDoc:
    """The document text rebuilt from its tokens, with its gold mentions of the three types."""
    words: list[dict] = []  # form, upos, head (document index or -1), space_after, paragraph start
    sentence_base = 0
    new_paragraph = False
    mwt_end, mwt_space = -1, True
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") and not line.startswith("# newpar_block"):
            new_paragraph = True
        elif line.startswith("# sent_id"):
            sentence_base, mwt_end = len(words), -1
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0]:  # a multiword token ("Trump's"): its words are written without spaces
            first, last = (int(x) for x in cols[0].split("-"))
            mwt_end, mwt_space = last, "SpaceAfter=No" not in cols[9]
            continue
        if "." in cols[0]:  # an empty node of the enhanced graph
            continue
        index = int(cols[0])
        if index < mwt_end:
            space = False
        elif index == mwt_end:
            space = mwt_space
        else:
            space = "SpaceAfter=No" not in cols[9]
        entity = re.search(r"Entity=([^|]*)", cols[9])
        words.append({
            "form": cols[1], "upos": cols[3], "deprel": cols[7],
            "head": int(cols[6]) - 1 + sentence_base if cols[6] != "0" else -1,
            "space": space, "paragraph": new_paragraph, "entity": entity.group(1) if entity else "",
            "sentence_start": index == 1,
        })
        new_paragraph = False
    # text and offsets
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    paragraphs: list[tuple[int, int]] = []
    position = 0
    for i, w in enumerate(words):
        if i and w["paragraph"]:
            parts.append("\n\n")
            position += 2
        elif i and (w["sentence_start"] or words[i - 1]["space"]):
            parts.append(" ")
            position += 1
        if w["paragraph"] or not paragraphs:
            paragraphs.append((position, position))
        offsets.append((position, position + len(w["form"])))
        parts.append(w["form"])
        position += len(w["form"])
        paragraphs[-1] = (paragraphs[-1][0], position)
    text = "".join(parts)
    doc = GumDoc(path.stem, text, paragraphs)
    # mentions: "(3-organization-new-...-Identity" opens entity 3, "3)" closes it, "(3-...)" both
    open_at: dict[str, list[tuple[int, str]]] = defaultdict(list)
    spans: list[tuple[int, int, str, str]] = []
    last_opened = ""
    for i, w in enumerate(words):
        for found in re.finditer(r"\((\d+)-([a-z]+)[^()]*|(\d+)?\)", w["entity"]):
            opened, etype, closed = found.groups()
            if opened:
                open_at[opened].append((i, etype))
                last_opened = opened
            else:
                group = closed or last_opened  # "(5-place-...)" closes where it opens
                start, etype = open_at[group].pop()
                spans.append((start, i, group, etype))
    for first, last, group, etype in spans:
        if etype not in GUM_TYPES:
            continue
        head = name_head(words, first, last)
        doc.gold.append(Mention(
            offsets[first][0], offsets[last][1], offsets[head if head is not None else first], etype, group,
            pronoun=first == last and words[first]["form"].lower() in PRONOUNS and words[first]["upos"] == "PRON",
            named=head is not None,
        ))
    return doc


def name_head(words: list[dict], first: int, last: int) -> int | None:
    """The last word of the mention's name, or None when the mention is not a name.

    A name: the syntactic head is a proper noun ("US President Barack Obama", which UD heads
    by "President": the head moves right to "Obama"), or a common-noun head has a proper
    name in apposition ("Facebook creator Mark Zuckerberg", "English captain Harry Kane").
    """
    inside = range(first, last + 1)
    head = next((j for j in inside if words[j]["head"] not in inside), first)
    if words[head]["upos"] != "PROPN":
        head = next((j for j in inside if j > head and words[j]["head"] == head and words[j]["upos"] == "PROPN"
                     and words[j]["deprel"] in ("flat", "appos")), None)
        if head is None:
            return None
    while head < last and words[head]["upos"] == "PROPN" and words[head + 1]["upos"] == "PROPN":
        head += 1
    return head


def named(doc: GumDoc) -> list[Mention]:
    return [m for m in doc.gold if m.named]


# ---------------------------------------------------------------- mention F1

def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Extent for exact matching: no leading "the", trailing possessive or punctuation."""
    piece = text[start:end]
    lead = re.match(r"(?i)(the\s+|\W+)*", piece).end()
    tail = re.search(r"(\s*('s|’s|')|\W)*$", piece).start()
    return (start + lead, start + max(tail, lead))


def align(predicted: list[Mention], gold: list[Mention], text: str, *, typed: bool, exact: bool = False) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted index, gold index): inside the gold mention and covering its head
    (or, ``exact``, the same trimmed extent); the smallest fitting gold mention first."""
    pairs, used = [], set()
    for i, p in enumerate(predicted):
        best = None
        for j, g in enumerate(gold):
            if j in used or (typed and p.etype != g.etype):
                continue
            if exact:
                fits = _trim(text, p.start, p.end) == _trim(text, g.start, g.end)
            else:
                fits = g.start <= p.start and p.end <= g.end and p.start < g.head[1] and g.head[0] < p.end
            if fits and (best is None or g.end - g.start < gold[best].end - gold[best].start):
                best = j
        if best is not None:
            used.add(best)
            pairs.append((i, best))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": 100 * p, "r": 100 * r, "f": 100 * (2 * p * r / (p + r) if p + r else 0.0), "tp": tp,
            "predicted": n_pred, "gold": n_gold}


# ---------------------------------------------------------------- coreference

def muc(key: list[set], response: list[set]) -> tuple[float, float, float, float]:
    """(recall numerator, denominator, precision numerator, denominator): links kept (Vilain et al. 1995)."""
    def counts(k: list[set], r: list[set]) -> tuple[float, float]:
        where = {m: i for i, c in enumerate(r) for m in c}
        parts = [len({where.get(m, ("alone", m)) for m in c}) for c in k]
        return sum(len(c) - n for c, n in zip(k, parts)), sum(len(c) - 1 for c in k)
    return (*counts(key, response), *counts(response, key))


def b_cubed(key: list[set], response: list[set]) -> tuple[float, float, float, float]:
    """Per mention, the share of its cluster the other side agrees on (Bagga and Baldwin 1998)."""
    def counts(k: list[set], r: list[set]) -> tuple[float, float]:
        where = {m: c for c in r for m in c}
        return sum(len(c & where.get(m, set())) / len(c) for c in k for m in c), sum(len(c) for c in k)
    return (*counts(key, response), *counts(response, key))


def ceaf_e(key: list[set], response: list[set]) -> tuple[float, float, float, float]:
    """Entity-level CEAF with phi4 similarity and the best one-to-one entity alignment (Luo 2005)."""
    total = 0.0
    if key and response:
        sim = np.array([[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key])
        rows, cols = linear_sum_assignment(-sim)
        total = float(sim[rows, cols].sum())
    return total, len(key), total, len(response)


METRICS = {"muc": muc, "b3": b_cubed, "ceafe": ceaf_e}


class CorefScores:
    """Each metric's numerators and denominators summed over documents (as the CoNLL scorer pools them)."""

    def __init__(self) -> None:
        self.sums = {name: [0.0, 0.0, 0.0, 0.0] for name in METRICS}

    def add(self, key: list[set], response: list[set]) -> None:
        for name, metric in METRICS.items():
            self.sums[name] = [a + b for a, b in zip(self.sums[name], metric(key, response), strict=True)]

    def as_dict(self) -> dict:
        out: dict = {}
        for name, (r_num, r_den, p_num, p_den) in self.sums.items():
            r = r_num / r_den if r_den else 0.0
            p = p_num / p_den if p_den else 0.0
            out[name] = {"r": 100 * r, "p": 100 * p, "f": 100 * (2 * p * r / (p + r) if p + r else 0.0)}
        out["conll_f1"] = sum(out[n]["f"] for n in METRICS) / 3
        return out


def clusters(mentions: list[tuple[object, str]]) -> list[set]:
    """[(mention id, cluster key)] -> clusters as sets of mention ids."""
    grouped: dict[str, set] = defaultdict(set)
    for mention_id, key in mentions:
        grouped[key].add(mention_id)
    return list(grouped.values())


def coref_sets(doc: GumDoc, predicted: list[Mention]) -> tuple[list[set], list[set]]:
    """Key and response clusters over shared mention ids (aligned response mentions take the key's id)."""
    named_groups = {m.cluster for m in named(doc)}
    key_mentions = [m for m in doc.gold if m.cluster in named_groups and (m.named or m.pronoun)]
    pairs = dict(align(predicted, key_mentions, doc.text, typed=False))
    key = clusters([(j, m.cluster) for j, m in enumerate(key_mentions)])
    response = clusters([(pairs.get(i, ("twinless", i)), p.cluster) for i, p in enumerate(predicted)])
    return key, response


def without_singletons(sets: list[set]) -> list[set]:
    return [c for c in sets if len(c) > 1]


# ---------------------------------------------------------------- systems

def head_of(span) -> tuple[int, int]:
    root = span.root
    return root.idx, root.idx + len(root.text)


def bare_mentions(doc) -> list[Mention]:
    """spaCy's entities as they come, with mapped labels; clustered by their exact text."""
    return [Mention(e.start_char, e.end_char, head_of(e), OURS_TO_GUM[e.label_], " ".join(e.text.lower().split()))
            for e in doc.ents if e.label_ in OURS_TO_GUM]


def our_mentions(text: str, entities) -> list[Mention]:
    from claimdesk.analyze.entities import entity_key

    return [Mention(e.span.start, e.span.end, (e.span.start, e.span.end), OURS_TO_GUM[e.label],
                    entity_key(e.canonical, e.label), pronoun=e.span.of(text).lower() in PRONOUNS)
            for e in entities if e.label in OURS_TO_GUM]


def article_of(doc: GumDoc):
    from claimdesk.model import Article, RawDocument, Span

    raw = RawDocument(text=doc.text, path=doc.name, format="text")
    spans = [Span(*p) for p in doc.paragraphs]
    return Article(raw, title=spans[0], body=spans[1:], removed=[])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    args = parser.parse_args()
    from claimdesk.analyze import analyze_articles
    from claimdesk.analyze.entities import find_entities
    from claimdesk.analyze.nlp import load_nlp
    from claimdesk.analyze.parse import kept_text

    docs = [read_conllu(p) for p in sorted((GUM / "dep").glob("*.conllu"))]
    articles = [article_of(d) for d in docs]
    nlp = load_nlp()
    list(analyze_articles(articles[:2]))  # warm up: loads the model and the taggers
    start = time.perf_counter()
    bare_docs = list(nlp.pipe([kept_text(a) for a in articles], batch_size=32))
    bare_seconds = time.perf_counter() - start
    start = time.perf_counter()
    analyses = list(analyze_articles(articles))
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for spacy_doc in bare_docs:
        find_entities(spacy_doc)
    entities_seconds = time.perf_counter() - start

    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    coref = {name: {"all": CorefScores(), "conll": CorefScores()} for name in ("claimdesk", "claimdesk_names_only", "exact_string")}
    for doc, spacy_doc, analysis in zip(docs, bare_docs, analyses, strict=True):
        gold = named(doc)
        ours = our_mentions(doc.text, analysis.entities)
        systems = {"spacy": bare_mentions(spacy_doc), "claimdesk": [m for m in ours if not m.pronoun]}
        for name, predicted in systems.items():
            c = counts[name]
            c["predicted"] += len(predicted)
            c["gold"] += len(gold)
            c["head_typed"] += len(align(predicted, gold, doc.text, typed=True))
            c["head_untyped"] += len(align(predicted, gold, doc.text, typed=False))
            c["exact_typed"] += len(align(predicted, gold, doc.text, typed=True, exact=True))
            for etype in sorted(GUM_TYPES):
                p_t = [m for m in predicted if m.etype == etype]
                g_t = [m for m in gold if m.etype == etype]
                c[f"{etype}_tp"] += len(align(p_t, g_t, doc.text, typed=True))
                c[f"{etype}_predicted"] += len(p_t)
                c[f"{etype}_gold"] += len(g_t)
        responses = {"claimdesk": ours, "claimdesk_names_only": systems["claimdesk"], "exact_string": systems["spacy"]}
        for name, predicted in responses.items():
            key, response = coref_sets(doc, predicted)
            coref[name]["all"].add(key, response)
            coref[name]["conll"].add(without_singletons(key), without_singletons(response))
        counts["key"]["mentions"] += sum(len(c) for c in key)
        counts["key"]["entities"] += len(key)
        counts["key"]["pronouns"] += sum(1 for m in doc.gold if m.pronoun and m.cluster in {g.cluster for g in gold})

    mentions = {}
    for name in ("spacy", "claimdesk"):
        c = counts[name]
        mentions[name] = {
            "head_typed": prf(c["head_typed"], c["predicted"], c["gold"]),
            "head_untyped": prf(c["head_untyped"], c["predicted"], c["gold"]),
            "exact_typed": prf(c["exact_typed"], c["predicted"], c["gold"]),
            "by_type": {t: prf(c[f"{t}_tp"], c[f"{t}_predicted"], c[f"{t}_gold"]) for t in sorted(GUM_TYPES)},
        }
    result = {
        "documents": len(docs),
        "gold_named_mentions": counts["spacy"]["gold"],
        "key": dict(counts["key"]),
        "mentions": mentions,
        "coref": {name: {"with_singletons": s["all"].as_dict(), "conll_no_singletons": s["conll"].as_dict()}
                  for name, s in coref.items()},
        "seconds": {"bare_spacy_pipe": bare_seconds, "claimdesk_analyze": ours_seconds,
                    "find_entities_alone": entities_seconds},
        "ms_per_doc_find_entities": 1000 * entities_seconds / len(docs),
    }
    print(f"GUM news: {len(docs)} documents, {result['gold_named_mentions']} gold named mentions")
    print(f"{'mentions':28} {'P':>6} {'R':>6} {'F1':>6}   untyped F1   exact F1")
    for name in ("spacy", "claimdesk"):
        m = mentions[name]
        print(f"{name:28} {m['head_typed']['p']:6.1f} {m['head_typed']['r']:6.1f} {m['head_typed']['f']:6.1f}"
              f"   {m['head_untyped']['f']:10.1f}   {m['exact_typed']['f']:8.1f}")
    for variant in ("with_singletons", "conll_no_singletons"):
        print(f"coreference ({variant}):     MUC     B3  CEAF-e  CoNLL")
        for name, scores in result["coref"].items():
            s = scores[variant]
            print(f"  {name:26} {s['muc']['f']:6.1f} {s['b3']['f']:6.1f} {s['ceafe']['f']:6.1f} {s['conll_f1']:6.1f}")
    print(f"time: bare spaCy {bare_seconds:.1f} s, claimdesk analyze {ours_seconds:.1f} s, "
          f"find_entities {result['ms_per_doc_find_entities']:.1f} ms/doc")
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
