"""Issue 20: claimdesk on Spark against the plain pipeline, on 500 documents in WARC files.

The 500 documents: the 181 Zyte pages (real news HTML, at their own URLs) and 319 PolNeAR
articles (train, in file order) wrapped as HTML pages of their publisher (its name as
og:site_name, its date as article:published_time, a menu, a newsletter line and a footer
every page of that publisher has), as HTTP responses in 10 gzipped WARC files of 50
records each, written to a temporary folder (never into the repository).

In one run, as fresh processes, interleaved round by round so that the machine's other load
falls on each alike (the load average is recorded around every run):

    claimdesk analyze --json FOLDER                       # the plain pipeline, one process: the work the job does
    claimdesk spark analyze FOLDER OUT --master local[1]
    claimdesk spark analyze FOLDER OUT --master local[2]
    claimdesk ingest FOLDER --db TMP.db                   # what the issue names: read, analyse, store, match claims

then, once, figure 1: ``claimdesk load OUT`` of the local[2] run into a second store, compared
with the ingest store: article ids, bodies, claims, entities (each difference listed).

Wall time and the CPU time of the process and all its children (the JVM and its Python
workers included) are recorded per run.

    python benchmarks/spark_scaling.py [--rounds 2] [--documents 500] [--per-partition 25] [--json ...]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine
from zyte_common import SHARED, ZYTE

POLNEAR = SHARED / "data" / "polnear"
CLAIMDESK = [sys.executable, "-m", "claimdesk.cli"]
TOTAL, PER_WARC = 500, 50


def documents(total: int = TOTAL) -> list[tuple[str, bytes]]:
    """(URL, HTML bytes) of ``total`` pages, Zyte first, in the proportion of the 500 (181 Zyte, 319 PolNeAR)."""
    truth = json.loads((ZYTE / "ground-truth.json").read_text())
    zyte = sorted((ZYTE / "html").glob("*.html.gz"))
    found = [(truth[p.name.split(".")[0]]["url"], gzip.decompress(p.read_bytes()))
             for p in zyte[: round(total * len(zyte) / TOTAL)]]
    with open(POLNEAR / "metadata.tsv", newline="") as handle:
        meta = {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}
    for path in sorted((POLNEAR / "train" / "text").glob("*.txt")):
        if len(found) >= total:
            break
        row = meta.get(path.stem, {})
        outlet = (row.get("publisher") or "unknown").title()
        headline, _, body = path.read_text(encoding="utf-8").partition("\n")
        paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>\n" for p in body.split("\n") if p.strip())
        page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(headline)}</title>'
                f'<meta property="og:site_name" content="{outlet}">'
                f'<meta property="article:published_time" content="{row.get("publication_date", "")}"></head><body>'
                f'<nav><a href="/">Home</a> | <a href="/politics">Politics</a> | <a href="/world">World</a></nav>'
                f"<article><h1>{html.escape(headline)}</h1>\n<p>Sign up for the {outlet} newsletter</p>\n{paragraphs}"
                f"<p>Share this story with your friends</p></article>"
                f"<footer>© 2016 {outlet} Media Group. All rights reserved.</footer></body></html>")
        found.append((f"https://{outlet.lower().replace(' ', '')}.example/{path.stem}", page.encode("utf-8")))
    return found[:total]


def write_warcs(folder: Path, total: int = TOTAL) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    docs = documents(total)
    for start in range(0, len(docs), PER_WARC):
        with open(folder / f"bench-{start // PER_WARC:02d}.warc.gz", "wb") as handle:
            writer = WARCWriter(handle, gzip=True)
            for url, data in docs[start : start + PER_WARC]:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(data), http_headers=headers,
                                                              warc_headers_dict={"WARC-Date": "2024-03-20T10:00:00Z"}))
    return len(docs)


def _tree_cpu(root: int, seen: dict[int, float]) -> None:
    """Add the CPU seconds so far of ``root`` and every process under it to ``seen`` (pid: seconds):
    Spark's JVM and its Python workers are not waited for by the command, so its rusage misses them."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    for pid in tree & cpu.keys():
        seen[pid] = max(seen.get(pid, 0.0), cpu[pid])


def timed(cmd: list[str], **kwargs) -> dict:
    """Wall and CPU seconds of a command and every process under it (sampled from /proc every
    half second, and the command's rusage); the load average before and after."""
    before_load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    seen: dict[int, float] = {}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, **kwargs)
        while proc.poll() is None:
            _tree_cpu(proc.pid, seen)
            time.sleep(0.5)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    sampled = sum(seconds for pid, seconds in seen.items() if pid != proc.pid) + seen.get(proc.pid, 0.0)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return {"wall": round(wall, 2), "cpu": round(max(waited, sampled), 2), "load_before": round(before_load, 1),
            "load_after": round(os.getloadavg()[0], 1), "stdout_lines": stdout.count("\n"),
            "stderr_tail": stderr.strip().splitlines()[-1:] if stderr.strip() else []}


def corpus(db: Path) -> dict:
    from sqlalchemy import select

    from claimdesk.store import Store
    from claimdesk.store.schema import body_ranges, claims, documents, entities

    with Store(str(db)) as store, store.engine.connect() as c:
        ids = {row.pk: row.id for row in c.execute(select(documents.c.pk, documents.c.id))}

        def by_doc(table, *cols):
            found: dict[str, list] = {}
            for row in c.execute(select(table.c.doc_pk, *[table.c[n] for n in cols]).order_by(table.c.doc_pk, table.c.seq)):
                found.setdefault(ids[row[0]], []).append(list(row[1:]))
            return found

        return {"ids": sorted(ids.values()), "body": by_doc(body_ranges, "start", "end"),
                "claims": by_doc(claims, "source_start", "source_end", "speaker", "cue_start", "cue_end", "content_start",
                                 "content_end", "hedge", "negated", "speaker_type", "confidence"),
                "entities": by_doc(entities, "start", "end", "label", "canonical", "role"),
                "groups": len({r[0] for r in c.execute(select(documents.c.group_pk))})}


def compare(ingested: dict, loaded: dict) -> dict:
    differences = {part: sorted(i for i in set(ingested[part]) | set(loaded[part])
                                if ingested[part].get(i) != loaded[part].get(i))
                   for part in ("body", "claims", "entities")}
    return {
        "articles": len(ingested["ids"]), "articles_loaded": len(loaded["ids"]),
        "same_ids": ingested["ids"] == loaded["ids"],
        "claims": sum(map(len, ingested["claims"].values())), "claims_loaded": sum(map(len, loaded["claims"].values())),
        "entities": sum(map(len, ingested["entities"].values())),
        "entities_loaded": sum(map(len, loaded["entities"].values())),
        "near_duplicate_groups": [ingested["groups"], loaded["groups"]],
        "differing_articles": {part: ids[:20] for part, ids in differences.items()},
        "differing_counts": {part: len(ids) for part, ids in differences.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--documents", type=int, default=TOTAL, help="the first N of the 500 (a loaded machine)")
    parser.add_argument("--per-partition", type=int, default=25, help="documents per analysis task")
    parser.add_argument("--json", default="benchmarks/results/spark_scaling.json")
    args = parser.parse_args()
    started = machine.describe()
    with tempfile.TemporaryDirectory(prefix="claimdesk-spark-bench-") as tmp:
        work = Path(tmp)
        folder = work / "warcs"
        folder.mkdir()
        docs = write_warcs(folder, args.documents)
        runs: dict[str, list[dict]] = {"analyze": [], "local1": [], "local2": [], "ingest": []}
        stages: dict[str, list[dict]] = {"local1": [], "local2": []}
        load, same = None, None
        for round_ in range(args.rounds):
            for name in runs:
                out, db = work / f"out-{name}", work / f"{name}.db"
                shutil.rmtree(out, ignore_errors=True)
                if db.exists():
                    db.unlink()
                if name == "analyze":
                    cmd = [*CLAIMDESK, "analyze", "--json", str(folder)]
                elif name == "ingest":
                    cmd = [*CLAIMDESK, "ingest", str(folder), "--db", str(db)]
                else:
                    cmd = [*CLAIMDESK, "spark", "analyze", str(folder), str(out), "--master", f"local[{name[-1]}]",
                           "--per-partition", str(args.per_partition)]
                result = timed(cmd)
                result["round"] = round_
                runs[name].append(result)
                if name in stages:
                    run_file = json.loads((out / "_run.json").read_text())
                    stages[name].append({"seconds": run_file["seconds"], "documents": run_file["documents"],
                                         "errors": run_file["errors"], "partitions": run_file["partitions"],
                                         "model_loads": run_file["model_loads"]})
                print(name, round_, result, flush=True)
            if same is None:  # figure 1 once, from the first round's outputs
                loaded_db = work / "loaded.db"
                load = timed([*CLAIMDESK, "load", str(work / "out-local2"), "--db", str(loaded_db)])
                same = compare(corpus(work / "ingest.db"), corpus(loaded_db))
                print("load", load, same["differing_counts"], flush=True)
            save(args.json, docs, round_ + 1, started, runs, stages, load, same, args.per_partition)


def save(path: str, docs: int, rounds: int, started: dict, runs: dict, stages: dict, load: dict, same: dict,
         per_partition: int) -> None:
    """The figures so far (after each round: a run cut short still leaves its complete rounds)."""
    def best(name: str) -> dict:
        return min(runs[name], key=lambda r: r["wall"])

    rate = {name: docs / best(name)["wall"] for name in runs}
    machine.save(path, {
        "documents": docs, "warc_files": -(-docs // PER_WARC), "per_partition": per_partition, "rounds": rounds,
        "started": started,
        "runs": runs, "spark_stages": stages, "load": load, "same_results": same,
        "docs_per_second": {k: round(v, 2) for k, v in rate.items()},
        "local2_over_local1": round(best("local1")["wall"] / best("local2")["wall"], 3),
        "local2_over_local1_each_round": [round(a["wall"] / b["wall"], 3) for a, b in zip(runs["local1"], runs["local2"], strict=False)],
        "spark_overhead_over_plain": round(best("local1")["wall"] / best("analyze")["wall"] - 1, 3),
        "spark_overhead_cpu": round(best("local1")["cpu"] / best("analyze")["cpu"] - 1, 3),
    })

if __name__ == "__main__":
    main()
