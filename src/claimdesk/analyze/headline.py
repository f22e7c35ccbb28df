"""Does the headline fit its body, and if not, why: reasons a person can check.

``check_headline`` reads the one spaCy parse of the article (the title is a span of the
same text), the article's entities and dates, and the FNC-1 stance model
(``headline_model``), and returns a ``model.HeadlineCheck``: a verdict, the stance, a
score and reasons, each pointing at spans of the headline and/or the body.

The reasons read the headline without a label or the site's name around it
(``headline_core``: "Opinion | ...", "... | Al Bawaba", "Fact check: ..."). Reasons
(``HeadlineReason.kind``):

- ``missing-entity``: a name in the headline that the body never mentions (not by its
  canonical name, surname, acronym, a form such as "Russia"/"Russian", or as a place and its
  people: "Chinese"/"China", ``demonyms.py``). In a Title Case headline spaCy's names run
  on ("Stealth Over Health"), so there any of a name's words will do, and a "name" of five
  words or more is ignored.
- ``date-outside-frame``: a year in the headline outside the years the body's dates
  support (``time_frame`` semantics of ``dates.py``: an undated "December 19" in a body
  written no earlier than 2021 bounds the body from below).
- ``missing-event``: the headline's main event (its verb, or the object of a light verb:
  "held a *conference call*") has no counterpart in the body: no word with the same lemma
  or stem, none that en_core_web_md's vectors put in the same cluster ("attack"/"assault"),
  and no synonym by all-MiniLM-L6-v2's embeddings of the words ("resign"/"quit",
  ``synonym_in``). The body's nearest candidate is named when there is one.
- ``missing-denial``: the headline says someone denies ("Russia denies peacekeepers helped
  move mines") and nobody in the body denies, rejects, disputes or calls anything false.
- ``body-denies``: a body sentence about the headline's own event and subject, carrying most
  of its words, denies it ("false", "hoax", "denied", or the event negated with the
  headline's subject as its own: "the minister did not resign"). A denial the headline
  itself reports ("Minister denies ...") is none, and a negated headline ("doesn't run")
  agrees with a negated body.
- ``body-disputes`` (a note): the same, under a headline that reports a claim rather than
  asserting it (``reported_claim``: "X says ...", "Fact check: ...", a question, a quotation,
  "Name: ..."): a body disputing a reported claim is what a fact check looks like.
- ``low-similarity``: no body sentence comes close in meaning to the headline (cosine
  of sentence embeddings below ``LOW_SIMILARITY``).
- ``shared-entity`` (a positive note): a name in both, e.g. "Sergei Shoigu".

Verdict (``verdict``), in this order:

1. ``contradicts`` when a body sentence denies the headline (``body-denies``) and the stance
   is not *unrelated*. The stance model's *disagree* alone never contradicts: on genuine
   headlines (PolNeAR, Zyte pages) it was a false alarm nearly every time.
2. ``does-not-fit`` when the headline reports a denial the body lacks (``missing-denial``),
   when the stance is *unrelated* and the text gives at least one strong reason
   (missing-entity, date-outside-frame, missing-event, low-similarity), or on two *kinds* of
   strong reasons: one alone is too often an artefact of a short headline or a paraphrase,
   and the model's *unrelated* alone was wrong on about 1% of genuine headlines;
3. ``fits`` otherwise.

``benchmarks/headline_alarms.py`` measures both sides: false alarms on genuine headlines and
catches on headlines put over another article's body (rules chosen on PolNeAR train).

Score: the stance model's fit (agree 1, discuss 0.75, disagree 0.25, unrelated 0,
weighted by its probabilities) times ``PENALTY`` per kind of strong reason, so a headline
with reasons against it never scores as well as one without.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import DateMention, Entity, HeadlineCheck, HeadlineReason, Span
from .demonyms import same_place

# Labels of names whose absence from the body matters (dates and numbers have their own reason).
NAMED = {"PERSON", "ORG", "MEDIA", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
PLACES = {"GPE", "LOC", "NORP"}  # names that may stand for a place or its people ("Chinese" / "China")
STRONG = ("missing-entity", "date-outside-frame", "missing-event", "missing-denial", "low-similarity")
# Below this cosine (all-MiniLM-L6-v2) between the headline and its closest embedded body
# sentence, the two rarely share a topic: on the 12,670 FNC-1 pairs, 0.7% of related pairs
# and 95% of unrelated ones are below it (median 0.66 related, 0.10 unrelated).
LOW_SIMILARITY = 0.3
PENALTY = 0.6
# Vectors this similar are one cluster of en_core_web_md's pruned table (near-synonyms).
SAME_CLUSTER = 0.9
# A body word at least this similar is worth naming as "what the body describes instead".
NEAREST = 0.25
# Two words this close in all-MiniLM-L6-v2's embedding of the word alone name one event
# ("deny"/"reject" 0.64, "arrest"/"detain" 0.61; "catch"/"eat" 0.32). Chosen on PolNeAR train.
SYNONYM = 0.55

# Verbs whose object names the event ("held a conference call", "staged a protest"); other
# light verbs ("has a basketful of critics", "gives the GOP a boost") name no event.
EVENT_VERBS = {"hold", "conduct", "host", "stage", "convene", "organize", "organise", "attend", "chair"}
LIGHT_VERBS = EVENT_VERBS | {"have", "make", "take", "give", "do", "get", "receive", "carry", "be"}
REPORTING_VERBS = {"say", "claim", "tell", "state", "report", "insist", "argue", "suggest", "believe", "think",
                   "allege", "assert", "warn", "reveal", "admit"}
# Words that deny a claim (not "rejected", "dismissed": courts and voters reject things).
DENY_LEMMAS = {"deny", "refute", "debunk", "disprove", "retract"}
DENY_WORDS = {"false", "untrue", "hoax", "fake", "baseless", "fabricated", "bogus", "groundless", "unfounded",
              "debunked"}
_YEAR = re.compile(r"^(\d{4})(?:$|-)")

StanceModel = Callable[[Sequence[tuple[str, str]]], list]


def check_headline(doc: Doc, title: Span | None, entities: Iterable[Entity], dates: Iterable[DateMention],
                   stance_model: StanceModel | None = None) -> HeadlineCheck | None:
    """The headline check of one parsed article; None when it has no headline.

    ``stance_model`` takes (headline, body) pairs and returns ``headline_model.Stance``
    per pair (default: the shipped model, loaded once per process; one batch per call).
    Checking many articles, ``check_headlines`` batches them in one call.
    """
    return check_headlines([(doc, title, entities, dates)], stance_model)[0]


def check_headlines(articles: Sequence[tuple[Doc, Span | None, Iterable[Entity], Iterable[DateMention]]],
                    stance_model: StanceModel | None = None) -> list[HeadlineCheck | None]:
    """``check_headline`` for a batch of parsed articles (doc, title, entities, dates), in order.

    One call of the stance model for the whole batch: the embedding model sorts the
    batch's sentences by length and pads less, and its fixed cost per call and the
    boosted trees' per-call cost are paid once: on PolNeAR dev, 39 ms an article in
    batches of 32 against 70 ms in single calls, with bare ``nlp.pipe`` at 163 ms
    (``benchmarks/headline_check.py``, one thread).
    """
    inputs = [stance_inputs(doc, title) for doc, title, _, _ in articles]
    if stance_model is None:
        from .headline_model import assess as stance_model
    given = [pair for pair in inputs if pair is not None]
    stances = iter(stance_model(given) if given else [])
    return [judge(doc, title, entities, dates, next(stances)) if pair is not None else None
            for (doc, title, entities, dates), pair in zip(articles, inputs)]


def stance_inputs(doc: Doc, title: Span | None) -> tuple[str, str] | None:
    """(headline, body) as the stance model reads them; the body keeps document offsets
    (the headline's characters become spaces), so a body sentence is a document span."""
    if title is None:
        return None
    text = doc.text  # spaCy joins the tokens anew on every access: read it once
    if not text[title.start : title.end].strip():
        return None
    return text[title.start : title.end], text[: title.start] + " " * (title.end - title.start) + text[title.end :]


def judge(doc: Doc, title: Span, entities: Iterable[Entity], dates: Iterable[DateMention], stance) -> HeadlineCheck:
    """The verdict from the stance model's view (``headline_model.Stance``) and the reasons found in the parse.

    The reasons read the headline without the site's name around it (``headline_core``);
    the stance model has read the whole title.
    """
    core = headline_core(doc.text, title)
    parsed = _parsed(doc, title, core)
    missing, shared = entity_reasons(parsed, list(entities))
    reasons = missing + date_reasons(core, list(dates))
    event = headline_event(doc, core)
    reported = reported_claim(doc, core, title)
    denials = denial_reasons(parsed, event)
    if reported is not None:  # the outlet reports a claim: a body that disputes it does not contradict the headline
        denials = [HeadlineReason("body-disputes", f"the headline reports {reported}; the body disputes it: "
                                  + r.text.removeprefix("the body denies the headline: "), r.spans) for r in denials]
    if event is not None:
        reasons += missing_denial(parsed, event) or event_reasons(parsed, event, [s for r in shared for s in r.spans[1:]])
    if stance.similarity < LOW_SIMILARITY:
        reasons.append(HeadlineReason(
            "low-similarity",
            f"no body sentence is close in meaning to the headline: the closest has a similarity of "
            f"{stance.similarity:.2f} (below {LOW_SIMILARITY})",
            (core, Span(*stance.closest))))
    strong = {r.kind for r in reasons if r.kind in STRONG}
    return HeadlineCheck(verdict(stance.stance, strong, reported is None and bool(denials)), stance.stance,
                         round(stance.score * PENALTY ** len(strong), 4), tuple(denials + reasons + shared))


def verdict(stance: str, strong: set[str], denied: bool) -> str:
    """``contradicts`` on a body sentence that denies the headline's own event (never on the
    stance model's *disagree* alone: on genuine headlines it was a false alarm nearly every
    time); ``does-not-fit`` when the headline reports a denial nobody in the body makes, when
    the stance model finds the body unrelated *and* the text gives a reason, or on two kinds
    of reasons; ``fits`` otherwise."""
    if denied and stance != "unrelated":
        return "contradicts"
    if "missing-denial" in strong or (stance == "unrelated" and strong) or len(strong) >= 2:
        return "does-not-fit"
    return "fits"


_SEPARATOR = re.compile(r"\s*\|\s*|\s+[-\u2013\u2014]\s+")
SITE_WORDS = 5  # a site's name or a section label ("Opinion", "The Beachbody Blog") is this short
_LABEL = re.compile(r"\s*(fact[- ]?check(ed)?|breaking(\s+news)?|exclusive|opinion|analysis|editorial|watch|video|live|"
                    r"updated?|explainer|comment)\s*:\s*", re.I)


def headline_core(text: str, title: Span) -> Span:
    """The headline without a label or the site's name around it: of "Opinion | Republicans Are
    Following Trump to Nowhere" or "World Community Lashes Out at US ... | Al Bawaba" the longest
    part, when every other part is short. A dash separates only a last part ("... - Reuters"),
    since "Biden - Putin summit" is one headline. A label before a colon ("Fact check:",
    "BREAKING NEWS:") is no part of it either."""
    label = _LABEL.match(text, title.start, title.end)
    if label:  # "Fact check: ...", "BREAKING NEWS: ...", "Opinion: ..."
        title = Span(label.end(), title.end)
    raw = text[title.start : title.end]
    cuts = [m for m in _SEPARATOR.finditer(raw) if m.start() > 0 and m.end() < len(raw)]
    if not cuts:
        return title
    parts = list(zip([0] + [m.end() for m in cuts], [m.start() for m in cuts] + [len(raw)]))
    longest = max(parts, key=lambda p: len(raw[p[0]:p[1]].split()))
    others = [p for p in parts if p != longest]
    if any(len(raw[a:b].split()) > SITE_WORDS for a, b in others):
        return title
    dashes = [m for m in cuts if "|" not in m.group()]
    if dashes and (longest != parts[0] or len(parts) > 2 and any("|" not in m.group() for m in cuts[:-1])):
        return title
    return Span(title.start + longest[0], title.start + longest[1])


_FACT_CHECK = re.compile(r"^\W*(fact[- ]?check(ed|ing)?|claim|rumou?r|viral|false|true|misleading)\b.{0,20}?:", re.I)
_QUOTE = re.compile(r"[\"\u201c\u2018']([^\"\u201c\u201d\u2018\u2019']+\s[^\"\u201c\u201d\u2018\u2019']+\s[^\"\u201c\u201d\u2018\u2019']+)[\"\u201d\u2019']")


def reported_claim(doc: Doc, core: Span, title: Span | None = None) -> str | None:
    """What the headline reports rather than asserts, in words ("what Trump says", "a question"),
    or None when it is the outlet's own assertion. A question, a fact check ("Fact check: ..."),
    a reporting verb ("X says Y", "X claims Y"), a quotation ("A lesson from Loretta Lynch:
    'Be the voice ...'") or a speaker before a colon ("Trump: ...") report someone's claim."""
    text = doc.text[core.start : core.end].strip()
    if text.endswith("?"):
        return "a question"
    if _FACT_CHECK.match(doc.text[(title or core).start : (title or core).end].strip()):
        return "a claim it checks"
    if _QUOTE.search(text):
        return "a quotation"
    span = doc.char_span(core.start, core.end, alignment_mode="expand")
    if span is None:
        return None
    for sent in span.sents:
        root = sent.root
        if root.lemma_.lower() in REPORTING_VERBS and any(c.dep_ in ("ccomp", "xcomp") for c in root.children):
            who = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            return f"what {doc.text[who.left_edge.idx : who.idx + len(who.text)]} says" if who is not None else "a claim"
    raw = doc.text[core.start : core.end]
    lead = len(raw) - len(raw.lstrip())
    colon = raw.find(":")
    if lead < colon <= lead + 40:
        before = doc.char_span(core.start + lead, core.start + colon, alignment_mode="contract")
        if before is not None and any(e.label_ in ("PERSON", "ORG", "NORP", "GPE") for e in before.ents):
            return f"what {before.text.strip()} says"
    return None


@dataclass
class _Parsed:
    """The parse read once (spaCy builds a new Token object on every access, and
    ``doc.text``, ``doc.ents`` and ``doc.sents`` anew on every call): what every reason looks at."""

    text: str  # the document's
    title: Span  # the headline without the site's name around it (``headline_core``)
    ents: list[SpacySpan]
    head: list[Token]  # tokens of the headline
    sents: list[SpacySpan]  # sentences of the body
    words: dict[str, Span]  # lower-cased body word -> its first occurrence
    events: list[tuple[Token, int]]  # body nouns and verbs, with the index of their sentence


def _parsed(doc: Doc, title: Span, core: Span) -> _Parsed:
    """The body is what is outside the whole title; the headline's words are those of its core."""
    head, sents, words, events = [], [], {}, []
    for sent in doc.sents:
        in_title = sent.start_char < title.end and title.start < sent.end_char
        if not in_title:
            sents.append(sent)
        for t in sent:
            if core.start <= t.idx < core.end:
                head.append(t)
            elif title.start <= t.idx < title.end:
                continue  # the site's name: neither headline nor body
            elif t.is_alpha:
                words.setdefault(t.lower_, Span(t.idx, t.idx + len(t.text)))
                if t.pos_ in ("NOUN", "VERB") and not in_title:
                    events.append((t, len(sents) - 1))
    return _Parsed(doc.text, core, list(doc.ents), head, sents, words, events)


# --------------------------------------------------------------------------- entities

@dataclass(frozen=True)
class _Name:
    span: Span
    label: str
    name: str  # canonical when known, else as written
    text: str  # as written


def _names(parsed: _Parsed, entities: list[Entity], inside: Callable[[int, int], bool]) -> list[_Name]:
    """Names where ``inside`` holds: the given entities first, then spaCy's where none overlaps."""
    text = parsed.text
    found = [_Name(e.span, e.label, e.canonical, e.span.of(text)) for e in entities
             if e.label in NAMED and inside(e.span.start, e.span.end) and e.span.of(text)[:1].isupper()]
    taken = [(n.span.start, n.span.end) for n in found]
    for ent in parsed.ents:
        s, e = _trim(ent)
        if ent.label_ in NAMED and inside(s, e) and not any(s < b and a < e for a, b in taken):
            found.append(_Name(Span(s, e), ent.label_, text[s:e], text[s:e]))
    return sorted(found, key=lambda n: n.span.start)


def _trim(ent: SpacySpan) -> tuple[int, int]:
    """An entity without a leading "the" or a trailing possessive."""
    tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the") and t.tag_ != "POS"]
    return (tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)) if tokens else (ent.start_char, ent.end_char)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _words(name: str) -> list[str]:
    return [w for w in _key(name).split() if w not in {"the", "of", "and", "s"}]


def _acronym(name: str) -> str:
    return "".join(w[0] for w in _words(name))


def _stem_match(a: str, b: str) -> bool:
    """"russia"/"russian", "armenia"/"armenians": one is the other plus a short ending."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short.removesuffix("e")) and len(long) - len(short) <= 3


def _body_mention(name: _Name, body: list[_Name], words: dict[str, Span], title_case: bool) -> Span | None:
    """Where the body mentions ``name``: same canonical name, surname, acronym, all its words
    (any of them in a Title Case headline, whose names spaCy cuts badly), or a stem."""
    key, ws = _key(name.name), _words(name.name)
    for other in body:
        if _key(other.name) == key or _key(other.text) == _key(name.text):
            return other.span
    for other in body:
        if len(ws) == 1 and len(ws[0]) >= 2 and (ws[0] == _acronym(other.name) or _acronym(name.name) == _key(other.name)):
            return other.span
        if len(_words(other.name)) == 1 and len(ws) > 1 and _key(other.name) == _acronym(name.name):
            return other.span
    if name.label == "PERSON" and ws and ws[-1] in words:
        return words[ws[-1]]
    if ws and all(w in words for w in ws):
        return words[ws[0]]
    if title_case and any(w in words for w in ws):
        return words[next(w for w in ws if w in words)]
    if len(ws) == 1:
        for word, span in words.items():
            if _stem_match(ws[0], word):
                return span
    if name.label in PLACES:  # "Chinese" in the headline, "China" in the body
        for other in body:
            if same_place(key, _key(other.name)) or same_place(key, _key(other.text)):
                return other.span
        if len(ws) == 1:
            return next((span for word, span in words.items() if same_place(ws[0], word)), None)
    return None


def _title_case(head: list[Token]) -> bool:
    """"Pence Gives GOP A Boost With Solid Debate Win": most words capitalised."""
    alpha = [t for t in head[1:] if t.is_alpha]
    return len(alpha) >= 3 and sum(t.text[0].isupper() for t in alpha) >= 0.6 * len(alpha)


def entity_reasons(parsed: _Parsed, entities: list[Entity]) -> tuple[list[HeadlineReason], list[HeadlineReason]]:
    """(names of the headline the body never mentions, names in both) as reasons."""
    title, words = parsed.title, parsed.words
    # A name of five words or more in a headline is a misparse ("Washington Post Hit Piece Exploits ...").
    head = [n for n in _names(parsed, entities, lambda s, e: title.start <= s and e <= title.end)
            if len(_words(n.text)) <= 4]
    title_case = _title_case(parsed.head)
    body = _names(parsed, entities, lambda s, e: not (s < title.end and title.start < e))
    missing, shared, seen = [], [], set()
    for name in head:
        if _key(name.name) in seen:
            continue
        seen.add(_key(name.name))
        where = _body_mention(name, body, words, title_case)
        if where is None:
            missing.append(HeadlineReason(
                "missing-entity", f"the headline names {name.text}, whom the body never mentions"
                if name.label == "PERSON" else f"the headline names {name.text}, which the body never mentions",
                (name.span,)))
        else:
            shared.append(HeadlineReason(
                "shared-entity", f"{name.name} is named in the headline and in the body", (name.span, where)))
    return missing, shared


# --------------------------------------------------------------------------- dates

def year_range(mention: DateMention) -> tuple[int | None, int | None]:
    """The years a mention can be in: (2016, 2016) for "2016-05", (2021, None) for an undated
    "December 19" no earlier than 2021; (None, None) for durations, sets and *_REF."""
    if mention.kind not in ("DATE", "TIME"):
        return None, None
    value = mention.value
    if m := _YEAR.match(value):
        return int(m[1]), int(m[1])
    if re.fullmatch(r"\d{3}", value):  # a decade
        return int(value) * 10, int(value) * 10 + 9
    if re.fullmatch(r"\d{2}", value):  # a century
        return int(value) * 100, int(value) * 100 + 99
    if value.startswith("X") and mention.earliest and (m := _YEAR.match(mention.earliest)):
        return int(m[1]), None
    return None, None


def date_reasons(title: Span, dates: list[DateMention]) -> list[HeadlineReason]:
    """Years of the headline before or after every date the body supports."""
    in_title = [d for d in dates if title.start <= d.span.start and d.span.end <= title.end]
    body = [(d, *year_range(d)) for d in dates if d.span.end <= title.start or d.span.start >= title.end]
    body = [(d, lo, hi) for d, lo, hi in body if lo is not None]
    if not in_title or not body:
        return []
    low = min(lo for _, lo, _ in body)
    high = None if any(hi is None for _, _, hi in body) else max(hi for _, _, hi in body)
    frame = f"{low} or later" if high is None else (str(low) if low == high else f"{low} to {high}")
    reasons = []
    for d in in_title:
        lo, hi = year_range(d)
        if lo is None or hi is None:
            continue
        if hi < low:
            bounds = tuple(x.span for x, l, _ in body if l == low)
            reasons.append(HeadlineReason(
                "date-outside-frame",
                f"the headline's year {_years(lo, hi)} is before the body's events ({frame})", (d.span, *bounds)))
        elif high is not None and lo > high:
            bounds = tuple(x.span for x, _, h in body if h == high)
            reasons.append(HeadlineReason(
                "date-outside-frame",
                f"the headline's year {_years(lo, hi)} is after the body's events ({frame})", (d.span, *bounds)))
    return reasons


def _years(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


# --------------------------------------------------------------------------- the event

@dataclass(frozen=True)
class Event:
    head: Token  # the word that names the event: "call" of "held a conference call", "resigned"
    span: Span  # the phrase as a reason shows it: "conference call"


def headline_event(doc: Doc, title: Span) -> Event | None:
    """The headline's main event: the first verb-rooted clause's verb, past a reporting verb
    ("X says Y resigned" -> "resigned"), or the object of a light verb ("held a conference call")."""
    head = doc.char_span(title.start, title.end, alignment_mode="expand")
    if head is None:
        return None
    for sent in head.sents:
        verb = sent.root
        if verb.pos_ not in ("VERB", "AUX") or not (title.start <= verb.idx < title.end):
            continue
        while verb.lemma_.lower() in REPORTING_VERBS:
            nxt = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None)
            if nxt is None:
                break
            verb = nxt
        if not verb.is_alpha or verb.ent_type_:  # "Graham: Trump's ... Destroying": a name tagged as a verb
            continue
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.pos_ == "NOUN"), None)
        if verb.lemma_.lower() in LIGHT_VERBS:
            if obj is None or verb.lemma_.lower() not in EVENT_VERBS:
                continue
            left = min([obj.i] + [c.i for c in obj.lefts if c.dep_ in ("compound", "amod") and c.i == obj.i - 1])
            return Event(obj, Span(doc[left].idx, obj.idx + len(obj.text)))
        if verb.pos_ == "VERB":
            return Event(verb, Span(verb.idx, verb.idx + len(verb.text)))
    return None


def _same_event(head: Token, token: Token) -> bool:
    """Is ``token`` (in the body) a mention of the event ``head`` names? Same lemma and word
    class, a stem ("resign"/"resignation"), or one vector cluster ("attack"/"assault")."""
    a, b = head.lemma_.lower(), token.lemma_.lower()
    if head.pos_ == "NOUN" and token.pos_ != "NOUN":
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 5 and long.startswith(short[: max(5, len(short) - 1)]) and head.pos_ == "VERB":
        return True
    return _similarity(head, token) >= SAME_CLUSTER


def _similarity(a: Token, b: Token) -> float:
    """Cosine of the two lemmas' vectors (0 when either has none)."""
    return _lemma_similarity(a.vocab, a.lemma_.lower(), b.lemma_.lower())


@lru_cache(maxsize=65536)
def _lemma_similarity(vocab, a: str, b: str) -> float:
    va, vb = vocab[a], vocab[b]
    if not (va.has_vector and vb.has_vector):
        return 0.0
    return float(va.similarity(vb))


def synonym_in(head: Token, tokens: Sequence[Token]) -> Token | None:
    """The body word closest in meaning to the headline's event when it is a synonym: the
    cosine of the two lemmas' all-MiniLM-L6-v2 embeddings (the model the stance check has
    loaded) at least ``SYNONYM``. en_core_web_md's pruned vectors put "deny" and "reject" in
    different clusters (0.39); MiniLM gives them 0.64, "resign"/"quit" 0.65, "ink"/"sign" 0.41."""
    pool = {t.lemma_.lower(): t for t in tokens if t.pos_ == head.pos_ and t.is_alpha}
    pool.pop(head.lemma_.lower(), None)
    if not pool:
        return None
    vectors = _lemma_vectors([head.lemma_.lower(), *pool])
    target = vectors[head.lemma_.lower()]
    best = max(pool, key=lambda lemma: float(vectors[lemma] @ target))
    return pool[best] if float(vectors[best] @ target) >= SYNONYM else None


_LEMMA_VECTORS: dict = {}
_LEMMA_CACHE = 50_000  # words kept between articles: news has a bounded vocabulary of events


def _lemma_vectors(lemmas: Sequence[str]) -> dict:
    """Unit embeddings of single words, encoded once per process (batched, cached)."""
    todo = [w for w in dict.fromkeys(lemmas) if w not in _LEMMA_VECTORS]
    if todo:
        from .headline_model import load

        if len(_LEMMA_VECTORS) + len(todo) > _LEMMA_CACHE:
            _LEMMA_VECTORS.clear()
        vectors = load()[1].model.encode(todo, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                                         show_progress_bar=False)
        _LEMMA_VECTORS.update(zip(todo, vectors))
    return {w: _LEMMA_VECTORS[w] for w in lemmas}


def _negated(token: Token) -> bool:
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    return any(c.dep_ == "neg" for c in verb.children)


def _phrase(token: Token) -> Span:
    """A noun with its determiner and modifiers ("a collegial meeting"); a verb alone."""
    if token.pos_ != "NOUN":
        return Span(token.idx, token.idx + len(token.text))
    left = [c for c in token.lefts if c.dep_ in ("det", "amod", "compound", "nummod", "poss")]
    start = min([token.idx] + [c.left_edge.idx for c in left])
    return Span(start, token.idx + len(token.text))


def event_reasons(parsed: _Parsed, event: Event, shared_spans: list[Span]) -> list[HeadlineReason]:
    """The headline's event when the body has no counterpart, with what the body describes instead."""
    text = parsed.text
    if any(_same_event(event.head, t) for t, _ in parsed.events):
        return []
    if synonym_in(event.head, [t for t, _ in parsed.events]) is not None:
        return []  # "inks" / "signed", "resigns" / "quit": the body tells the event in other words
    # What the body describes instead: the nearest word of the same class, preferably in a
    # sentence that names someone the headline names too ("In a collegial meeting ..., Shoigu asserted").
    near = {i for i, sent in enumerate(parsed.sents) for s in shared_spans
            if sent.start_char <= s.start < sent.end_char}
    same_class = [(t, i) for t, i in parsed.events
                  if t.pos_ == event.head.pos_ and t.lemma_.lower() not in LIGHT_VERBS | REPORTING_VERBS]
    pool = [t for t, i in same_class if i in near] or [t for t, _ in same_class]
    scored = sorted(((_similarity(event.head, t), -t.i, t) for t in pool), key=lambda x: x[:2], reverse=True)
    what = text[event.span.start : event.span.end]
    if scored and scored[0][0] >= NEAREST:
        nearest = _phrase(scored[0][2])
        return [HeadlineReason(
            "missing-event",
            f'the headline\'s event "{what}" has no counterpart in the body, which describes '
            f'"{text[nearest.start:nearest.end]}"', (event.span, nearest))]
    return [HeadlineReason("missing-event", f'the headline\'s event "{what}" has no counterpart in the body',
                           (event.span,))]


# --------------------------------------------------------------------------- denial

def _content_lemmas(tokens: Iterable[Token]) -> set[str]:
    return {t.lemma_.lower() for t in tokens if t.is_alpha and not t.is_stop and t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")}


def _denial_cue(token: Token, event: Event | None) -> bool:
    if token.lemma_.lower() in DENY_LEMMAS or token.lower_ in DENY_WORDS:
        return True
    if token.lower_ == "true" and any(c.dep_ == "neg" for c in token.head.children):
        return True
    # "did not resign" denies "resigns"; it agrees with "doesn't run" (a negated headline event)
    return (event is not None and token.pos_ in ("VERB", "NOUN") and _negated(token)
            and not _negated(event.head) and _same_event(event.head, token))


def _own_subject(token: Token, subject: set[str]) -> bool:
    """Is the negated body verb said of the headline's subject ("the minister did not resign",
    "he did not resign") rather than of someone else ("Clinton never stopped speaking" under
    "Secret Service stops protester") or of no one ("not voting for Trump")?"""
    who = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(c.pos_ == "PRON" or any(t.lemma_.lower() in subject or any(same_place(t.lower_, w) for w in subject)
                                       for t in c.subtree) for c in who)


def _subject(event: Event | None) -> set[str]:
    """Lemmas of the subject of the headline's event ("Russia" of "Russia denies ..."); empty
    when it has none. A headline without an event verb ("The bridge is unsafe") is held to
    sharing nearly all its words instead."""
    if event is None:
        return set()
    verb = event.head if event.head.pos_ in ("VERB", "AUX") else event.head.head
    who = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return {t.lemma_.lower() for c in who for t in c.subtree if t.pos_ in ("PROPN", "NOUN") and t.is_alpha}


def _mentions(sent: SpacySpan, lemmas: set[str]) -> bool:
    return any(t.lemma_.lower() in lemmas or any(same_place(t.lower_, w) for w in lemmas)
               for t in sent if t.pos_ in ("PROPN", "NOUN", "ADJ", "PRON"))


def denial_reasons(parsed: _Parsed, event: Event | None) -> list[HeadlineReason]:
    """Body sentences about the headline's own subject and event that deny it, carrying most of
    its words (nearly all of them when the headline has no event verb: "The bridge is unsafe")."""
    words = _content_lemmas(parsed.head)
    if len(words) < 2:
        return []
    if any(_denial_cue(t, None) for t in parsed.head):
        return []  # the headline reports a denial ("Minister denies ..."): the body's denial words tell it
    subject = _subject(event)
    mirrored = event is not None and any(_same_event(event.head, t) and _negated(t) for t in parsed.head)
    reasons = []
    for sent in parsed.sents:
        cue = next((t for t in sent if _denial_cue(t, None) or (
            not mirrored and _denial_cue(t, event) and _own_subject(t, subject))), None)
        if cue is None:
            continue
        about = event is not None and any(_same_event(event.head, t) for t in sent)
        if event is not None and not about:
            continue  # "climate change deniers" deny climate change, not that the trends are terrifying
        if subject and not _mentions(sent, subject):
            continue  # a denial about someone else ("Its rival did not raise prices")
        shared = words & _content_lemmas(sent)
        if len(shared) >= max(2, -(-len(words) * (3 if about else 4) // 5)):
            reasons.append(HeadlineReason(
                "body-denies",
                f'the body denies the headline: "{cue.text}" in a sentence that shares its words '
                f"({', '.join(sorted(shared))})",
                (parsed.title, Span(sent.start_char, sent.end_char), Span(cue.idx, cue.idx + len(cue.text)))))
    return reasons


# Verbs of denial: a headline "X denies Y" says someone in the story denies something.
DENIAL_EVENTS = DENY_LEMMAS | {"reject", "dismiss", "rebuff", "rebut", "dispute", "disavow", "contest", "repudiate"}
_NO_EVIDENCE = re.compile(r"\b(no|not any|lack of) (evidence|proof|truth)\b|\bnot true\b|\bnothing to do with\b", re.I)


def missing_denial(parsed: _Parsed, event: Event) -> list[HeadlineReason]:
    """"Russia denies peacekeepers helped move mines" over a body in which nobody denies, rejects,
    disputes or calls anything false: the headline's main point has no support."""
    if event.head.lemma_.lower() not in DENIAL_EVENTS:
        return []
    for sent in parsed.sents:
        if any(t.lemma_.lower() in DENIAL_EVENTS or t.lower_ in DENY_WORDS or _denial_cue(t, None) for t in sent):
            return []
        if _NO_EVIDENCE.search(sent.text):
            return []
    what = parsed.text[event.span.start : event.span.end]
    return [HeadlineReason("missing-denial", f'the headline says "{what}", but nobody in the body denies anything',
                           (event.span,))]


# --------------------------------------------------------------------------- bare pairs

@dataclass(frozen=True)
class PairCheck:
    """The check of a bare (headline, body) pair, parsed as one document: headline, a blank
    line, body. Spans of the check point into ``text``; ``headline_chars`` and ``body_start``
    turn them back into offsets of the strings given."""

    text: str
    headline_chars: int
    body_start: int
    check: HeadlineCheck | None


def pair_text(headline: str, body: str) -> tuple[str, Span, int]:
    """(document text, title span, body start) of a pair, the way an article reads."""
    return f"{headline}\n\n{body}", Span(0, len(headline)), len(headline) + 2


def check_pairs(pairs: Sequence[tuple[str, str]], nlp=None, stance_model: StanceModel | None = None) -> list[PairCheck]:
    """Headline checks of bare pairs, in one stance batch (``PairChecker`` for a stream of them)."""
    return PairChecker(nlp, stance_model).check(pairs)


class PairChecker:
    """Checks bare (headline, body) pairs (``claimdesk headline-check``), parsing each distinct
    headline and body once while it is among the last ``keep`` seen.

    Pair sets share bodies (FNC-1: 12,670 pairs over 452 bodies), and the parse is most of
    a check's cost. Each pair goes through what an article goes through: the spaCy parse (a
    body of at most ``parse.ANALYSIS_LIMIT`` characters), its entities
    (``entities.find_entities``) and dates (``dates.find_dates``, no document date), on one
    Doc made of the headline's and the body's parses (``Doc.from_docs``: the paragraph break
    between them ends a sentence either way). The stance model keeps the embeddings of the
    body sentences it has seen (``headline_model.assess``).
    """

    def __init__(self, nlp=None, stance_model: StanceModel | None = None, keep: int = 512) -> None:
        if nlp is None:
            from .nlp import load_nlp
            from .parse import with_paragraphs

            nlp = with_paragraphs(load_nlp())
        self.nlp, self.stance_model, self.keep = nlp, stance_model, keep
        self._docs: OrderedDict[str, Doc] = OrderedDict()

    def check(self, pairs: Sequence[tuple[str, str]]) -> list[PairCheck]:
        from .dates import find_dates
        from .entities import find_entities
        from .parse import analysis_end

        laid_out = [pair_text(h, b) for h, b in pairs]
        bodies = [b[: analysis_end(b)] for _, b in pairs]
        parsed = self._parse([f"{h}\n\n" for h, _ in pairs] + bodies)
        docs = [Doc.from_docs([parsed[f"{h}\n\n"], parsed[b]], ensure_whitespace=False)
                for (h, _), b in zip(pairs, bodies)]
        checks = check_headlines([(doc, title, find_entities(doc), find_dates(doc, None))
                                  for doc, (_, title, _) in zip(docs, laid_out)], self.stance_model)
        return [PairCheck(text, title.end, body_start, check)
                for (text, title, body_start), check in zip(laid_out, checks)]

    def _parse(self, texts: list[str]) -> dict[str, Doc]:
        """Each distinct text's Doc, parsing only those not kept from earlier calls."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._docs]
        for text, doc in zip(todo, self.nlp.pipe(todo, batch_size=32)):
            self._docs[text] = doc
        found = {}
        for text in texts:
            self._docs.move_to_end(text)
            found[text] = self._docs[text]
        while len(self._docs) > max(self.keep, len(found)):
            self._docs.popitem(last=False)
        return found


def read_pair(line: str) -> tuple[str, str]:
    """A JSON line {"headline": ..., "body": ...}; ValueError says what is wrong with it."""
    import json

    try:
        item = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(item, dict):
        raise ValueError('expected an object {"headline": ..., "body": ...}')
    for field in ("headline", "body"):
        if not isinstance(item.get(field), str):
            raise ValueError(f'"{field}" is missing or not a string')
    if not item["headline"].strip():
        raise ValueError('"headline" is empty')
    return item["headline"], item["body"]
