"""Claim groups (issue 16): what matching each new claim at ingest costs, and what it groups.

The 1,000 documents of ``ingest_throughput.py`` (924 PolNeAR news texts in their
publisher's chrome, 76 Zyte page dumps) are ingested by the real command, each run in a
fresh process, in the same run and at the same time (each charged its own CPU):

    CLAIMDESK_CLAIM_GROUPS=off claimdesk ingest FOLDER --db OFF.db   # matching off (the anchor)
    claimdesk ingest FOLDER --db ON.db                               # matching on

and, to see the matching alone, the claims of a copy of OFF.db are grouped in one more
fresh process by the function ingest calls (``store.groups.group_articles``: the backfill
path), timed in its parts (loading the sentence model, embedding, the rest: matching,
deciding, writing rows). That runs right after the anchor, before the matching-on ingest,
so that a run cut short on a loaded machine still has it. The grouped store is then described: groups with more
than one appearance, across outlets, their sizes, why claims joined.

``--pairs FILE`` also writes, for reading by hand, each grouped claim's nearest claim of
another article in bands of cosine similarity with the decision taken (how the
thresholds in ``corpus/groups.py`` were checked).

    python benchmarks/claim_groups.py [--json out.json] [--pairs pairs.txt]

On a loaded machine the two ingest runs take long (50 minutes each at load 10 on two
cores): ``--off-db STORE --off-wall S --off-cpu S`` reuses a matching-off store made
before (of the same documents, with the seconds its ingest took), and ``--no-on`` skips
the matching-on run; the grouping is then measured alone only, and the JSON says so.
``--documents N`` takes the first N documents of the same corpus (the PolNeAR texts come
first): the shares are ratios of CPU seconds, so a shorter run measures them too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine
from ingest_throughput import CLAIMDESK, write_corpus

HERE = Path(__file__).resolve().parent

GROUP_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from claimdesk.store import Store, groups
from claimdesk.corpus import match
timing = {"encode_s": 0.0, "encode_cpu_s": 0.0, "encoded": 0}
real = match.default_encoder
def timed_default_encoder(*a, **k):
    t, c = time.perf_counter(), time.process_time()
    encode = real(*a, **k)
    timing["model_load_s"], timing["model_load_cpu_s"] = time.perf_counter() - t, time.process_time() - c
    def timed(texts):
        t, c = time.perf_counter(), time.process_time()
        out = encode(texts)
        timing["encode_s"] += time.perf_counter() - t
        timing["encode_cpu_s"] += time.process_time() - c
        timing["encoded"] += len(texts)
        return out
    timed.id = getattr(encode, "id", "custom")
    timing["encoder"] = timed.id
    return timed
match.default_encoder = timed_default_encoder
store = Store(sys.argv[1])
t1, c1 = time.perf_counter(), time.process_time()
done = groups.group_articles(store, None)
t2, c2 = time.perf_counter(), time.process_time()
saved = groups.save(store)
t3 = time.perf_counter()
print(json.dumps({"claims": done.claims, "joined": done.joined, "failed": len(done.failed),
                  "group_s": t2 - t1, "group_cpu_s": c2 - c1, "save_s": t3 - t2, "process_s": t3 - t0, **timing}))
"""


class Started:
    """One claimdesk command running in a fresh process, its CPU read from ``os.wait4`` (that
    process and whatever it waited for), so two can run at once and each is charged its own."""

    def __init__(self, args: list[str], env: dict | None, log: Path) -> None:
        self.args, self.log, self.t = args, log, time.perf_counter()
        self.process = subprocess.Popen([*CLAIMDESK, *args], stdout=subprocess.DEVNULL, stderr=open(log, "w"),
                                        env={**os.environ, **(env or {})})

    def wait(self) -> tuple[float, float]:
        """(wall seconds, CPU seconds)."""
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = code = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - self.t
        stderr = self.log.read_text(errors="replace")
        if code not in (0, 1):  # 1: some inputs failed (named on stderr); the rest went in
            raise SystemExit(f"claimdesk {' '.join(self.args)} exited {code}:\n{stderr[-2000:]}")
        if code == 1:
            print(f"claimdesk {' '.join(self.args)}: some inputs failed:\n{stderr[-1500:]}", file=sys.stderr)
        return seconds, usage.ru_utime + usage.ru_stime


def trim(folder: Path, keep: int, seed: int = 0) -> int:
    """Keep ``keep`` of the corpus's documents, drawn at random (seeded) so that the outlets'
    mix stays; returns how many are left."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if keep >= len(files):
        return len(files)
    for path in random.Random(seed).sample(files, len(files) - keep):
        path.unlink()
    return keep


def describe(db: Path) -> dict:
    """Groups of the store: sizes, outlets, reasons."""
    from sqlalchemy import text

    from claimdesk.store import Store

    with Store(str(db)) as store, store.engine.connect() as c:
        claims = c.execute(text("SELECT count(*) FROM claims")).scalar_one()
        indexed = c.execute(text("SELECT count(*) FROM claim_index")).scalar_one()
        reasons = dict(c.execute(text("SELECT reason, count(*) FROM claim_index GROUP BY reason")).all())
        sizes = [n for (n,) in c.execute(text(
            "SELECT count(*) FROM claim_index GROUP BY group_pk HAVING count(*) > 1 ORDER BY count(*) DESC"))]
        outlets = [n for (n,) in c.execute(text(
            "SELECT count(DISTINCT coalesce(d.outlet, d.scope, '')) FROM claim_index i JOIN documents d ON d.pk = i.doc_pk "
            "GROUP BY i.group_pk HAVING count(*) > 1"))]
    return {"claims": claims, "indexed": indexed, "reasons": reasons, "groups": len(sizes),
            "grouped_claims": sum(sizes), "largest": sizes[:10],
            "cross_outlet_groups": sum(1 for n in outlets if n > 1)}


def pairs(db: Path, out: Path, per_band: int = 12, seed: int = 0) -> dict:
    """Each indexed claim's nearest claim in another article (the matcher's best candidate
    by cosine), sampled by band, with the decision ``corpus.groups`` takes."""
    from claimdesk.corpus import groups as rules
    from claimdesk.store import Store, groups

    bands = [(0.6, 0.7), (0.7, 0.8), (0.8, 0.85), (0.85, 0.88), (0.88, 0.92), (0.92, 0.96), (0.96, 1.01)]
    found: dict[tuple, list] = {b: [] for b in bands}
    with Store(str(db)) as store:
        index = groups._index(store)
        with store._reading() as connection:
            groups._catch_up(index, connection)
            rows = connection.exec_driver_sql(
                "SELECT i.pk, i.doc_pk, d.url FROM claim_index i JOIN documents d ON d.pk = i.doc_pk").all()
        where = {pk: (doc, url) for pk, doc, url in rows}
        matcher = index.matcher
        texts = [c.text for c in matcher.claims]
        for start in range(0, len(texts), 256):
            batch = matcher.claims[start:start + 256]
            vectors = matcher.vectors.vectors(list(range(start, start + len(batch))))
            index.memo.remember([c.text for c in batch], vectors)
            for claim, matches in zip(batch, matcher.match([c.text for c in batch], top=10)):
                doc, url = where[int(claim.id)]
                others = [m for m in matches if where.get(int(m.claim.id), (None,))[0] != doc]
                if not others:
                    continue
                best = max(others, key=lambda m: m.similarity)
                for lo, hi in bands:
                    if lo <= best.similarity < hi:
                        new = rules.NewClaim(claim.text, doc, url)
                        cand = rules.Candidate(int(best.claim.id), 0, best.claim.text, best.similarity,
                                               *where[int(best.claim.id)])
                        found[(lo, hi)].append((best.similarity, claim.text, best.claim.text,
                                                rules.same_claim(new, cand) or "-"))
            index.memo.clear()
    rng = random.Random(seed)
    counts = {}
    with open(out, "w", encoding="utf-8") as f:
        for (lo, hi), items in found.items():
            counts[f"{lo:.2f}-{hi:.2f}"] = {"pairs": len(items), "decided_same": sum(i[3] != "-" for i in items)}
            f.write(f"\n=== cosine {lo:.2f}-{min(hi, 1):.2f}: {len(items)} claims; decided same: "
                    f"{counts[f'{lo:.2f}-{hi:.2f}']['decided_same']}\n")
            for sim, a, b, decision in sorted(rng.sample(items, min(per_band, len(items)))):
                f.write(f"{sim:.3f} [{decision}]\n  A: {a[:200]}\n  B: {b[:200]}\n")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures here as JSON")
    parser.add_argument("--pairs", help="write nearest cross-article pairs by similarity band here")
    parser.add_argument("--off-db", type=Path, help="a matching-off store of the same 1,000 documents made before "
                        "(with --off-wall and --off-cpu, the seconds its ingest took): the anchor is not run again")
    parser.add_argument("--off-wall", type=float)
    parser.add_argument("--off-cpu", type=float)
    parser.add_argument("--no-on", action="store_true", help="skip the matching-on ingest (the grouping is still measured alone)")
    parser.add_argument("--note", help="a note for the report (why a run was reused or skipped)")
    parser.add_argument("--documents", type=int, default=1000,
                        help="how many of the corpus's documents (fewer: a shorter run, same mix as far as it goes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "corpus"
        folder.mkdir()
        write_corpus(folder, args.documents)
        n = trim(folder, args.documents)
        off_db, on_db, later_db = tmp / "off.db", tmp / "on.db", tmp / "later.db"
        # matching off and on at once (each charged its own CPU): on a loaded machine the run
        # then takes the longer of the two, not their sum
        on = None if args.no_on else Started(["ingest", str(folder), "--db", str(on_db)], None, tmp / "on.log")
        if args.off_db:
            for part in args.off_db.parent.glob(args.off_db.name + "*"):
                shutil.copy(part, tmp / part.name.replace(args.off_db.name, "off.db"))
            off_s, off_cpu = args.off_wall, args.off_cpu
        else:
            off_s, off_cpu = Started(["ingest", str(folder), "--db", str(off_db)], {"CLAIMDESK_CLAIM_GROUPS": "off"},
                                     tmp / "off.log").wait()
        print(f"matching off: {off_cpu:.0f} CPU s, {off_s:.0f} s", file=sys.stderr, flush=True)
        # the grouping alone first: on a loaded machine it is the figure most likely to be had
        for part in tmp.glob("off.db*"):
            shutil.copy(part, tmp / part.name.replace("off.db", "later.db"))
        done = subprocess.run([sys.executable, "-c", GROUP_SCRIPT, str(later_db)], capture_output=True, text=True,
                              check=True)
        grouping = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"grouping alone: {json.dumps(grouping)}", file=sys.stderr, flush=True)
        on_s = on_cpu = None
        if on is not None:
            on_s, on_cpu = on.wait()
            print(f"matching on: {on_cpu:.0f} CPU s, {on_s:.0f} s", file=sys.stderr, flush=True)
        grouped = on_db if on_s is not None else later_db
        cache = Path(str(grouped) + ".claims")
        cache_mb = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) / 1e6 if cache.exists() else 0.0
        db_mb = {name: sum(p.stat().st_size for p in tmp.glob(f"{name}.db*") if p.is_file()) / 1e6
                 for name in ("off", "on", "later")}
        groups_on = describe(grouped)
        band_counts = pairs(grouped, Path(args.pairs)) if args.pairs else None
    result = {
        "documents": n,
        "ingest_off_s": off_s,
        "ingest_on_s": on_s,
        "ingest_off_docs_per_s": n / off_s,
        "ingest_on_docs_per_s": n / on_s if on_s else None,
        "ingest_off_cpu_s": off_cpu,
        "ingest_on_cpu_s": on_cpu,
        "anchor_reused": bool(args.off_db),
        "matching_share_of_ingest": (on_s - off_s) / off_s if on_s else None,
        "matching_share_of_ingest_cpu": (on_cpu - off_cpu) / off_cpu if on_cpu else None,
        "grouping_alone": grouping,
        "grouping_alone_share_of_ingest": grouping["group_s"] / off_s,
        "grouping_alone_share_of_ingest_cpu": grouping["group_cpu_s"] / off_cpu,
        "grouping_without_model_load_share_cpu": (grouping["group_cpu_s"] - grouping.get("model_load_cpu_s", 0.0)) / off_cpu,
        "db_mb_off": db_mb["off"],
        "db_mb_on": db_mb["on"] if on_s is not None else db_mb["later"],
        "cache_mb": cache_mb,
        "groups": groups_on,
    }
    if band_counts is not None:
        result["pair_bands"] = band_counts
    result["load_at_end"] = os.getloadavg()[0]
    if args.note:
        result["note"] = args.note
    print(json.dumps(result, indent=2))
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
