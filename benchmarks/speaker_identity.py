"""Issue 16, corpus side: one speaker per real person, over a store of the 84 PolNeAR dev articles.

Ingests the dev texts (``claimdesk ingest`` on the folder, into a fresh SQLite store)
and reads the store back as a user would through ``claimdesk speakers``:

- **speakers that are no one**: the share of stored claims whose speaker (as the desk
  shows it) is a pronoun, a relative word or a fragment, by the definitions of
  ``speakers.py`` (frame-sentence parse; they do not read ``speaker_type``), over all
  claims and over the claims that have a speaker page;
- **unresolved** and **unnamed** shares (``speaker_type``), and how many claims have a
  speaker page;
- **entries per person** for the 20 persons with most claims: how many speaker entries
  stand for each. An entry stands for a person when every name it was seen under is a
  form of theirs: their full name with or without titles and middle initials, or their
  surname alone (with or without a title) where no other person speaker in the store has
  that surname. Surnames that are ambiguous (two people called Clinton quoted in the
  same weeks) are reported apart: keeping those apart is what the issue asks.

    python benchmarks/speaker_identity.py [--json out.json] [--keep dev.db]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import machine
from speakers import frame, kind
from zyte_common import SHARED

from claimdesk.analyze.nlp import load_nlp
from claimdesk.corpus import identity
from claimdesk.store import Store

DEV = SHARED / "data" / "polnear" / "dev" / "text"


def ingest(db: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "claimdesk.cli", "ingest", str(DEV), "--db", str(db)], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def stored_claims(store: Store) -> list[tuple[str | None, str | None, int | None]]:
    """(speaker as stored, speaker_type, speaker_pk) of every claim of the latest versions."""
    from sqlalchemy import select

    from claimdesk.store.schema import claims

    with store._reading() as connection:  # a benchmark reads the rows as they are
        return [tuple(r) for r in connection.execute(select(claims.c.speaker, claims.c.speaker_type, claims.c.speaker_pk))]


def forms_of(name: str) -> tuple[str, str | None]:
    key = identity.name_key(name, "person")
    return key, identity.surname_of(key)


def entries_per_person(store: Store, top: int = 20) -> tuple[list[dict], list[dict]]:
    every = store.speaker_list(limit=100_000)
    persons = [s for s in every if s.type == "person" and identity.surname_of(identity.name_key(s.name, "person"))]
    surnames = Counter(forms_of(s.name)[1] for s in persons)
    rows, ambiguous = [], []
    for person in persons[:top]:
        key, surname = forms_of(person.name)
        entries = [person.name]
        for other in every:
            if other.pk == person.pk:
                continue
            keys = {identity.name_key(a, "person") for a in [other.name, *other.aliases]}
            if keys <= {key} | ({surname} if surnames[surname] == 1 else set()):
                entries.append(other.name)
            elif surnames[surname] > 1 and keys <= {surname}:
                ambiguous.append({"person": person.name, "entry": other.name, "claims": other.claims})
        rows.append({"person": person.name, "claims": person.claims, "entries": len(entries), "names": entries})
    return rows, ambiguous


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="Keep the store here (a new SQLite file) to look at.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.keep or Path(folder) / "dev.db"
        seconds = ingest(db)
        with Store(str(db)) as store:
            claims = stored_claims(store)
            people, ambiguous = entries_per_person(store)
            speakers = len(store.speaker_list(limit=100_000))
    nlp = load_nlp()
    named = sorted({s for s, _, _ in claims if s})
    kinds = dict(zip(named, (kind(s, doc) for s, doc in zip(named, nlp.pipe(frame(s) for s in named)))))
    total = len(claims)
    by_kind = Counter(kinds.get(s, "none") if s else "none" for s, _, _ in claims)
    paged = [(s, t) for s, t, pk in claims if pk is not None]
    paged_kinds = Counter(kinds[s] for s, _ in paged)
    types = Counter(t or "none" for _, t, _ in claims)
    result = {
        "machine": machine.describe(),
        "articles": 84,
        "ingest_seconds": round(seconds, 1),
        "claims": total,
        "speakers": speakers,
        "with_speaker_page": len(paged),
        "no_one_share": (by_kind["pronoun"] + by_kind["fragment"]) / total,
        "no_one_share_paged": (paged_kinds["pronoun"] + paged_kinds["fragment"]) / max(len(paged), 1),
        "kinds": dict(by_kind),
        "types": dict(types),
        "unresolved_share": types["unresolved"] / total,
        "unnamed_share": types["unnamed"] / total,
        "people": people,
        "max_entries": max(p["entries"] for p in people),
        "ambiguous_surnames": ambiguous,
        "no_one_examples": sorted({s for s, _ in paged if kinds[s] in ("pronoun", "fragment")})[:20],
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        machine.save(str(args.json), result)


if __name__ == "__main__":
    main()
