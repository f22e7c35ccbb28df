"""The ``claimdesk`` command: options in, stages wired, results shown. No logic of its own."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import pipeline
from .ingest import expand_inputs
from .publish import console as views
from .publish.contract import analysis_json
from .store import AmbiguousId, Store, default_db_url

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLite path or database URL [default: $CLAIMDESK_DB or ./claimdesk.db]")]
FetchOption = Annotated[bool, typer.Option("--fetch", help="Fetch URLs given as inputs, and the links of feed entries.")]
MaxBytesOption = Annotated[Optional[int], typer.Option("--max-bytes", help="Largest input accepted [default: $CLAIMDESK_MAX_BYTES or 50 MB].")]
WorkersOption = Annotated[int, typer.Option("--workers", min=1, help="Processes for the spaCy parse.")]
PathsArgument = Annotated[list[str], typer.Argument(help="Files, folders (recursively), URLs, or - for stdin.")]

EXAMPLES = Path(__file__).parent / "examples"


def _inputs(paths: list[str], fetch: bool) -> list[str]:
    urls = [p for p in paths if p.startswith(("http://", "https://"))]
    if urls and not fetch:
        err.print(f"[red]error:[/] {urls[0]} is a URL; pass --fetch to fetch it (nothing is fetched otherwise)")
        raise typer.Exit(2)
    return expand_inputs(paths)


class _ProgressSink(pipeline.Sink):
    """Progress bar over inputs; one line per article when the batch is small."""

    def __init__(self, progress: Progress, task, verbose: bool):
        self.progress, self.task, self.verbose = progress, task, verbose

    def article(self, analysis, added) -> None:
        if self.verbose:
            self.progress.console.print(views.added_line(added, analysis.article, len(analysis.claims)))
        if analysis.note and added.status != "duplicate":
            self.progress.console.print(views.note_line(analysis.article.raw.name, analysis.note))

    def error(self, error) -> None:
        self.progress.console.print(views.error_line(error))

    def input_done(self, name: str) -> None:
        self.progress.advance(self.task)


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True)


def _open_store(db: str | None, *, must_exist: bool = False) -> Store | None:
    url = default_db_url(db)
    if must_exist and url.startswith("sqlite") and not Path(url.split("///", 1)[-1]).exists():
        return None
    return Store(url)


def _read_store(db: str | None) -> Store:
    """The store a read-only command reads; a missing SQLite file is an error, not a new empty store."""
    store = _open_store(db, must_exist=True)
    if store is None:
        err.print(f"[red]error:[/] no store at {default_db_url(db)} (ingest something first, or pass --db)")
        raise typer.Exit(1)
    return store


def _summary_line(summary: pipeline.Summary) -> str:
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return (f"{n(summary.inputs, 'input')}, {n(summary.documents, 'document')}: {summary.new} new, "
            f"{summary.duplicates} already stored, {n(summary.versions, 'new version')}, "
            f"{summary.near_duplicates} near-duplicate, {n(len(summary.errors), 'error')}")


def run_ingest(paths: list[str], store: Store, *, fetch: bool, max_bytes: int | None, console: Console,
               workers: int = 1) -> pipeline.Summary:
    inputs = _inputs(paths, fetch)
    if not inputs:
        console.print(f"[red]error:[/] nothing to read in {', '.join(paths)} (empty folders, or only hidden files)")
        raise typer.Exit(1)
    with _progress(console) as progress:
        task = progress.add_task("ingesting", total=len(inputs))
        sink = _ProgressSink(progress, task, verbose=len(inputs) <= 20)
        try:
            summary = pipeline.ingest(inputs, store, fetch=fetch, max_bytes=max_bytes, sink=sink, workers=workers)
        except KeyboardInterrupt:
            console.print("[yellow]interrupted:[/] every article stored so far is complete; run the same command again to finish")
            raise typer.Exit(130)
    console.print(_summary_line(summary), style="bold red" if summary.errors else "bold", highlight=False)
    return summary


@app.command()
def ingest(paths: PathsArgument, db: DbOption = None, fetch: FetchOption = False, max_bytes: MaxBytesOption = None,
           workers: WorkersOption = 1) -> None:
    """Read, clean, analyse and store documents. Exit 0 when all went in, 1 when some failed."""
    with _open_store(db) as store:
        summary = run_ingest(paths, store, fetch=fetch, max_bytes=max_bytes, console=err, workers=workers)
    raise typer.Exit(1 if summary.errors else 0)


@app.command()
def analyze(paths: PathsArgument, as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document (JSON Lines, the DESIGN.md contract).")] = False,
            db: DbOption = None, fetch: FetchOption = False, max_bytes: MaxBytesOption = None,
            workers: WorkersOption = 1) -> None:
    """Clean and analyse documents and show them (claims, people, what was removed), without storing them."""
    inputs = _inputs(paths, fetch)
    if not inputs:
        err.print(f"[red]error:[/] nothing to read in {', '.join(paths)} (empty folders, or only hidden files)")
        raise typer.Exit(1)
    store = _open_store(db, must_exist=True)
    failed = False
    try:
        for item in pipeline.analyze(inputs, store, fetch=fetch, max_bytes=max_bytes, workers=workers):
            if isinstance(item, pipeline.IngestError):
                failed = True
                err.print(views.error_line(item))
                continue
            if as_json:
                if item.note:  # the readable view shows it in the article's panel
                    err.print(views.note_line(item.article.raw.name, item.note))
                sys.stdout.write(json.dumps(analysis_json(item), ensure_ascii=False) + "\n")
            else:
                out.print(views.article_view(item.article, analysis=item))
    finally:
        if store:
            store.close()
    raise typer.Exit(1 if failed else 0)


@app.command()
def show(article_id: Annotated[str, typer.Argument(help="Article id or a prefix of it (4+ characters).")], db: DbOption = None) -> None:
    """Show a stored article: title, body, what was removed and why, versions, near-duplicates."""
    with _read_store(db) as store:
        try:
            stored = store.get(article_id)
        except AmbiguousId as ambiguous:
            err.print(f"[red]error:[/] {article_id!r} matches several articles: " + ", ".join(c[:16] for c in ambiguous.candidates))
            raise typer.Exit(1)
        if stored is None:
            err.print(f"[red]error:[/] no article with id {article_id!r}")
            raise typer.Exit(1)
        related = {i: store.get(i) for i in {*stored.versions, *stored.near_duplicates}}
    out.print(views.stored_view(stored, related))


@app.command()
def search(query: str, limit: Annotated[int, typer.Option(help="How many hits.")] = 20, db: DbOption = None) -> None:
    """Full-text search over titles and bodies, best first, with snippets."""
    with _read_store(db) as store:
        hits = store.search(query, limit=limit)
    if not hits:
        err.print(f"no article matches {query!r}")
        raise typer.Exit(1)
    out.print(views.hits_table(query, hits))


@app.command()
def claims(speaker: Annotated[str, typer.Argument(help="A name or part of one: 'Mammadov' finds 'Elman Mammadov'.")],
           limit: Annotated[int, typer.Option(help="How many claims.")] = 50, db: DbOption = None) -> None:
    """Every stored claim by a speaker, newest articles first."""
    with _read_store(db) as store:
        hits = store.claims_by_speaker(speaker, limit=limit)
    if not hits:
        err.print(f"no stored claim by {speaker!r}")
        raise typer.Exit(1)
    out.print(views.claim_hits_table(speaker, hits))


@app.command("speakers")
def speakers_command(
    name: Annotated[Optional[str], typer.Argument(help="Only speakers with this word or run of words in a name or alias; one speaker in full when it names one.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per speaker per line.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="How many speakers.")] = 50,
    db: DbOption = None,
) -> None:
    """Speakers across the corpus, most claims first: type, aliases, roles, claims."""
    with _read_store(db) as store:
        found = store.speaker_list(name, limit=limit)
        details = [store.speaker(s.name) for s in found]
        unattributed = store.unattributed() if name is None else {}
    if not found:
        err.print(f"no speaker matches {name!r}" if name else "no speaker stored")
        raise typer.Exit(1)
    if as_json:
        for detail in details:
            print(json.dumps(views.speaker_json(detail), ensure_ascii=False))
        return
    out.print(views.speakers_table(details, unattributed))


speaker_app = typer.Typer(help="Correct speakers: merge two, split an alias off, rename (logged).", no_args_is_help=True)
app.add_typer(speaker_app, name="speaker")
EditorOption = Annotated[Optional[str], typer.Option("--by", help="The desk user making the correction (logged).")]


def _correct(db: str | None, edit) -> None:
    from .store import SpeakerEditError

    with _read_store(db) as store:
        try:
            message = edit(store)
        except SpeakerEditError as error:
            err.print(f"[red]error:[/] {error}", markup=True, highlight=False)
            raise typer.Exit(1) from None
    out.print(message, markup=False, highlight=False)


@speaker_app.command("merge")
def speaker_merge(source: Annotated[str, typer.Argument(help="The speaker that disappears into TARGET.")],
                  target: Annotated[str, typer.Argument(help="The speaker that remains.")],
                  by: EditorOption = None, db: DbOption = None) -> None:
    """SOURCE and TARGET are one speaker: SOURCE's claims and aliases move to TARGET."""
    _correct(db, lambda store: f"merged {source!r} into {store.merge_speakers(source, target, editor=by)!r}")


@speaker_app.command("split")
def speaker_split(speaker: Annotated[str, typer.Argument(help="The speaker an alias was wrongly joined to.")],
                  alias: Annotated[str, typer.Argument(help="The alias (as listed) that is someone else.")],
                  by: EditorOption = None, db: DbOption = None) -> None:
    """The claims written as ALIAS leave SPEAKER for a speaker of their own."""
    _correct(db, lambda store: f"split {alias!r} off {speaker!r} as {store.split_speaker(speaker, alias, editor=by)!r}")


@speaker_app.command("rename")
def speaker_rename(speaker: Annotated[str, typer.Argument(help="The speaker's name or an alias.")],
                   new_name: Annotated[str, typer.Argument(help="The name to show from now on.")],
                   by: EditorOption = None, db: DbOption = None) -> None:
    """Show SPEAKER as NEW_NAME; the old name stays an alias."""
    _correct(db, lambda store: f"renamed {speaker!r} to {store.rename_speaker(speaker, new_name, editor=by)!r}")


def _open_lines(path: str):
    """(text stream, name for messages) of a file of lines, or of stdin for "-"; exit 2 naming
    the file when it cannot be opened."""
    if path == "-":
        return sys.stdin, "<stdin>"
    try:
        return open(path, encoding="utf-8"), path
    except OSError as e:
        err.print(f"[red]error:[/] {path}: {e.strerror}")
        raise typer.Exit(2)


@app.command("headline-check")
def headline_check(pairs_file: Annotated[str, typer.Argument(metavar="PAIRS.jsonl", help='JSON lines {"headline": ..., "body": ...}, or - for stdin.')],
                   batch: Annotated[int, typer.Option(min=1, help="Pairs per batch (one parse and one embedding batch).")] = 32) -> None:
    """Does each headline fit its body? One JSON `headline` object per input line (blank lines skipped).

    Spans are {"in": "headline" or "body", "text", "start", "end"}, offsets into the string given.
    A bad line is reported on stderr with its file and line, and stands as {"line": N, "error": ...}
    in the output, so output line i answers the i-th non-blank input line; exit 1 when any line was bad.
    """
    from .analyze.headline import PairChecker, read_pair
    from .publish.contract import headline_pair_json

    stream, name = _open_lines(pairs_file)
    failed = False
    checker = PairChecker()  # parses each distinct headline and body once

    def checked(pairs: list[tuple[str, str]]) -> list:
        """The checks of a batch; when the batch fails, pair by pair, a failure standing as its message."""
        try:
            return checker.check(pairs) if pairs else []
        except Exception:
            pass
        results = []
        for pair in pairs:
            try:
                results += checker.check([pair])
            except Exception as e:
                results.append(f"headline check failed: {type(e).__name__}: {e}")
        return results

    def flush(chunk: list[tuple[int, tuple[str, str] | str]]) -> None:
        nonlocal failed
        checks = iter(checked([item for _, item in chunk if not isinstance(item, str)]))
        for number, item in chunk:
            if not isinstance(item, str):
                item = next(checks)
                if isinstance(item, str):
                    failed = True
                    err.print(f"error: {name}:{number}: {item}", style="red", highlight=False, markup=False)
            result = {"line": number, "error": item} if isinstance(item, str) else headline_pair_json(item)
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    with stream, _progress(err) as progress:
        task = progress.add_task("checking headlines", total=None)
        chunk: list[tuple[int, tuple[str, str] | str]] = []
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                chunk.append((number, read_pair(line)))
            except ValueError as e:
                failed = True
                progress.console.print(f"error: {name}:{number}: {e}", style="red", highlight=False, markup=False)
                chunk.append((number, str(e)))
            if len(chunk) >= batch:
                flush(chunk)
                progress.advance(task, len(chunk))
                chunk = []
        flush(chunk)
    raise typer.Exit(1 if failed else 0)


@app.command("check-worthiness")
def check_worthiness(transcript: Annotated[str, typer.Argument(metavar="TRANSCRIPT.tsv", help="CheckThat task 5 TSV: line_number, speaker, text[, label], with or without a header row; - for stdin.")]) -> None:
    """Score each sentence's check-worthiness with the model the review queue uses: `line_number<TAB>score` per line.

    The file is one document: each sentence is scored with its neighbours and its speaker.
    A bad line is reported on stderr with its file and line and skipped; exit 1 when any line was bad.
    """
    from .analyze import checkworthiness as cw

    stream, name = _open_lines(transcript)
    failed = False
    rows: list[tuple[int, str, str]] = []
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip() or (number == 1 and cw.is_header(line)):
                continue
            try:
                line_number, speaker, text, _label = cw.parse_line(line)
            except ValueError as e:
                failed = True
                err.print(f"error: {name}:{number}: {e}", style="red", highlight=False, markup=False)
                continue
            rows.append((line_number, speaker, text))
    scores = cw.score([text for _, _, text in rows], speakers=[speaker for _, speaker, _ in rows], document=True)
    sys.stdout.write("".join(f"{n}\t{s:.6f}\n" for (n, _, _), s in zip(rows, scores)))
    raise typer.Exit(1 if failed else 0)


@app.command("score-claims")
def score_claims(db: DbOption = None,
                 everything: Annotated[bool, typer.Option("--all", help="Score every claim again (after the model changed).")] = False) -> None:
    """Give the stored claims their check-worthiness score, which ranks the review queue:
    those stored before claims were scored, or all of them with --all."""
    from itertools import groupby

    from .analyze import checkworthiness as cw
    from .store import queue as work

    done = 0
    with _read_store(db) as store:
        for batch in work.claims_to_score(store, everything=everything):
            values: list[float] = []  # an article's claims are scored as one document, as at analysis
            for _, rows in groupby(batch, key=lambda row: row[0]):
                values += cw.score([t for _, _, t in rows], document=True)
            work.set_scores(store, [(d, s, v) for (d, s, _), v in zip(batch, values)])
            done += len(batch)
            err.print(f"{done} claims scored", highlight=False)
    out.print(f"{done} claim{'' if done == 1 else 's'} scored", highlight=False)


train_app = typer.Typer(help="Train the models claimdesk ships.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("attributions")
def train_attributions(
    polnear: Annotated[Path, typer.Argument(help="The PolNeAR folder (with train/ and dev/).", exists=True, file_okay=False)],
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Where to write the weights [default: the package's own].")] = None,
    seed: Annotated[int, typer.Option("--seed", help="The role net's seed; another seed gives another draw of the same recipe.")] = 0,
) -> None:
    """Train the attribution taggers on PolNeAR train and write their weights."""
    from .train.attributions import main as train

    report = train(polnear, out_dir, seed=seed) if out_dir else train(polnear, seed=seed)
    out.print(report)


@train_app.command("matcher")
def train_matcher(
    data: Annotated[Optional[Path], typer.Argument(help="The CheckThat 2020 claim-retrieval folder (train/ and verified_claims.docs.tsv).", exists=True, file_okay=False)] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Where to write the weights [default: the package's own].")] = None,
    cv: Annotated[int, typer.Option("--cv", help="Folds of cross-validation on train before the final training (0: none).")] = 0,
    seed: Annotated[int, typer.Option("--seed", help="The seed of the shuffles and the folds.")] = 0,
) -> None:
    """Fine-tune the claim matcher's encoder on CheckThat 2020 train and write its top layers."""
    from .train.matcher import main as train

    argv = ([str(data)] if data else []) + (["--out", str(out_dir)] if out_dir else []) + ["--cv", str(cv), "--seed", str(seed)]
    train(argv)


@train_app.command("reranker")
def train_reranker(
    data: Annotated[Optional[Path], typer.Argument(help="The CheckThat 2020 claim-retrieval folder (train/ and verified_claims.docs.tsv).", exists=True, file_okay=False)] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Where to write reranker.json [default: the package's own].")] = None,
) -> None:
    """Train the claim matcher's reranker on CheckThat 2020 train (cross-validated first) and write it."""
    from .train.reranker import main as train

    train(([str(data)] if data else []) + (["--out", str(out_dir)] if out_dir else []))


@train_app.command("check-worthiness")
def train_check_worthiness(
    data: Annotated[Optional[Path], typer.Argument(help="The CheckThat 2020 task 5 folder (one TSV per transcript).", exists=True, file_okay=False)] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Where to write the weights [default: the package's own].")] = None,
) -> None:
    """Train the check-worthiness model on every CheckThat 2020 task 5 transcript and write its weights."""
    from .train.checkworthiness import DEFAULT_DATA, main as train
    from .analyze.checkworthiness import WEIGHTS

    path = train(data or DEFAULT_DATA, out_dir or WEIGHTS)
    out.print(f"wrote {path.parent}")


user_app = typer.Typer(help="Desk accounts: reader, reviewer, editor, admin.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The sign-in name (no spaces).")],
    role: Annotated[str, typer.Option("--role", help="reader, reviewer, editor or admin.")] = "reader",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin instead of a prompt.")] = False,
    db: DbOption = None,
) -> None:
    """Create an account (the first admin comes from here)."""
    from . import accounts
    from .store import reviews as desk

    try:
        name, role = accounts.normal_name(name), accounts.check_role(role)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        password_hash = accounts.hash_password(password)
    except ValueError as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    with _open_store(db) as store:
        try:
            user = desk.add_user(store, name, password_hash, role)
        except desk.UserExists as error:
            err.print(f"[red]error:[/] {error}")
            raise typer.Exit(1) from None
    out.print(f"added {user.name} ({user.role})")


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="The account whose password to set.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin instead of a prompt.")] = False,
    db: DbOption = None,
) -> None:
    """Set an account's password (a forgotten admin password is reset here); its sessions end."""
    from . import accounts
    from .store import reviews as desk

    try:
        password = sys.stdin.readline().rstrip("\r\n") if password_stdin else typer.prompt(
            "New password", hide_input=True, confirmation_prompt=True)
        password_hash = accounts.hash_password(password)
    except ValueError as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    with _read_store(db) as store:
        try:
            desk.set_password_hash(store, name, password_hash)
        except desk.UnknownUser as error:
            err.print(f"[red]error:[/] {error}")
            raise typer.Exit(1) from None
    out.print(f"password of {name} changed; their sessions ended", markup=False, highlight=False)


@user_app.command("role")
def user_role(
    name: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[str, typer.Argument(help="reader, reviewer, editor or admin.")],
    db: DbOption = None,
) -> None:
    """Give an account another role; its sessions end, so the new role applies at once."""
    from . import accounts
    from .store import reviews as desk

    try:
        role = accounts.check_role(role)
    except ValueError as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    with _read_store(db) as store:
        try:
            user = desk.set_role(store, name, role)
        except desk.UnknownUser as error:
            err.print(f"[red]error:[/] {error}")
            raise typer.Exit(1) from None
    out.print(f"{user.name} is now {user.role}", markup=False, highlight=False)


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """Every account and its role."""
    from .store import reviews as desk

    with _read_store(db) as store:
        for user in desk.list_users(store):
            out.print(f"{user.name}\t{user.role}\t{user.created}", markup=False, highlight=False)


export_app = typer.Typer(help="Export what the news line's filters find: claims, articles or published reviews, as "
                         "CSV (UTF-8 with BOM; cells that would start a formula get a leading apostrophe), JSON Lines, "
                         "or W3C Web Annotations (claims).", no_args_is_help=True)
app.add_typer(export_app, name="export")

FormatOption = Annotated[str, typer.Option("--format", "-f", help="csv, jsonl, or jsonld (W3C Web Annotations; claims only).")]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file [default: stdout].")]
QOption = Annotated[Optional[str], typer.Option("--q", help="Search words (every word must match).")]
OutletOption = Annotated[Optional[str], typer.Option(help="Articles of this outlet.")]
SpeakerOption = Annotated[Optional[str], typer.Option(help="Claims by this speaker (a name or surname).")]
EntityOption = Annotated[Optional[str], typer.Option(help="Articles mentioning this entity (canonical name).")]
SinceOption = Annotated[Optional[str], typer.Option(help="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")]
UntilOption = Annotated[Optional[str], typer.Option(help="Published on or before.")]
HedgeOption = Annotated[Optional[str], typer.Option(help="Claims of this hedge (states, claims, alleges, ...).")]
VerdictOption = Annotated[Optional[str], typer.Option(help="Claims whose published review has this rating.")]
LimitOption = Annotated[Optional[int], typer.Option(min=1, help="At most this many rows.")]


def _export(kind: str, fmt: str, output: Path | None, db: str | None, limit: int | None, **filters) -> None:
    """Write the export of ``kind`` row by row as it is read (the desk's /export/ downloads,
    from the same code). Desk addresses in it start with $CLAIMDESK_BASE_URL."""
    from pydantic import ValidationError

    from .publish import export
    from .store import exports
    from .web import links
    from .web.views import LineFilters

    try:
        wanted = LineFilters(**filters)
    except ValidationError as error:
        problems = "; ".join(f"--{e['loc'][0]}: {e['msg']}" for e in error.errors())
        err.print(f"[red]error:[/] {problems}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    desk = export.Links(base=links.base_url(), article=links.article_url, claim=links.claim_url)
    with _read_store(db) as store:
        records = {"claims": exports.claims, "articles": exports.articles, "reviews": exports.reviews}[kind](
            store, exports.Selection(filters=wanted.filters(), query=wanted.q, limit=limit))
        try:
            lines = export.lines(kind, fmt, records, desk, label=f"claimdesk: {kind}")
        except ValueError as error:
            err.print(f"[red]error:[/] {error}", markup=True, highlight=False)
            raise typer.Exit(2) from None
        target = output.open("wb") if output else sys.stdout.buffer
        try:
            with _progress(err) as progress:
                task = progress.add_task(f"exporting {kind}", total=None)
                for line in lines:
                    target.write(line.encode("utf-8"))
                    progress.advance(task)
            target.flush()
        except BrokenPipeError:  # the reader stopped (| head): nothing more to write; stdout now
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # points nowhere, so exit flushes quietly
        finally:
            if output:
                target.close()


@export_app.command("claims")
def export_claims(fmt: FormatOption = "csv", output: OutputOption = None, q: QOption = None, outlet: OutletOption = None,
                  speaker: SpeakerOption = None, entity: EntityOption = None, since: SinceOption = None,
                  until: UntilOption = None, hedge: HedgeOption = None, verdict: VerdictOption = None,
                  limit: LimitOption = None, db: DbOption = None) -> None:
    """One row per claim (article, outlet, date, speaker, hedge, check-worthiness, published verdict, addresses)."""
    _export("claims", fmt, output, db, limit, q=q, outlet=outlet, speaker=speaker, entity=entity, since=since,
            until=until, hedge=hedge, verdict=verdict)


@export_app.command("articles")
def export_articles(fmt: FormatOption = "csv", output: OutputOption = None, q: QOption = None, outlet: OutletOption = None,
                    speaker: SpeakerOption = None, entity: EntityOption = None, since: SinceOption = None,
                    until: UntilOption = None, hedge: HedgeOption = None, verdict: VerdictOption = None,
                    limit: LimitOption = None, db: DbOption = None) -> None:
    """One row per article (date, outlet, title, language, claims, headline check, addresses)."""
    _export("articles", fmt, output, db, limit, q=q, outlet=outlet, speaker=speaker, entity=entity, since=since,
            until=until, hedge=hedge, verdict=verdict)


@export_app.command("reviews")
def export_reviews(fmt: FormatOption = "csv", output: OutputOption = None, q: QOption = None, outlet: OutletOption = None,
                   speaker: SpeakerOption = None, entity: EntityOption = None, since: SinceOption = None,
                   until: UntilOption = None, hedge: HedgeOption = None, verdict: VerdictOption = None,
                   limit: LimitOption = None, db: DbOption = None) -> None:
    """One row per published review (the claim, verdict, rationale, evidence; no drafts, no account names)."""
    _export("reviews", fmt, output, db, limit, q=q, outlet=outlet, speaker=speaker, entity=entity, since=since,
            until=until, hedge=hedge, verdict=verdict)


@export_app.command("corrections")
def export_corrections(output: OutputOption = None, db: DbOption = None) -> None:
    """Reviewers' corrections of extracted claims as training data, JSON Lines: the article's text with
    the character offsets of source, cue and content as extracted and as corrected (null: not a claim)."""
    from .publish.corrections import correction_lines
    from .store import queue as work

    written = 0
    with _read_store(db) as store:
        target = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for line in correction_lines(work.correction_rows(store)):
                target.write(line)
                written += 1
        finally:
            if output:
                target.close()
    err.print(f"{written} correction{'' if written == 1 else 's'} exported", highlight=False)


@app.command()
def stats(db: DbOption = None) -> None:
    """What the store holds."""
    with _read_store(db) as store:
        out.print(views.stats_table(store.stats()))


sources_app = typer.Typer(help="Sources to follow: feeds (RSS, Atom, JSON Feed), news sitemaps, pages.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
ContactOption = Annotated[Optional[str], typer.Option("--contact", envvar="CLAIMDESK_CONTACT", help="How site operators reach you (an https:// page or mailto:), sent in the User-Agent.")]
MinDelayOption = Annotated[float, typer.Option("--min-delay", min=0.0, help="Seconds between two requests to one host.")]


def _source_line(source) -> str:
    from .follow.schedule import human

    every = f"every {human(source.every)}" if source.every else "adaptive"
    state = (f"last poll {source.last_poll_at}, HTTP {source.last_status or '-'}" if source.last_poll_at else "never polled")
    error = f", failing: {source.last_error}" if source.last_error else ""
    return f"{source.pk}\t{source.name}\t{source.url}\t{source.kind or '?'}\t{every}\t{state}, next {source.next_poll_at}{error}"


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="The feed, news sitemap or page.")],
    name: Annotated[Optional[str], typer.Option("--name", help="What to call it [default: its host].")] = None,
    every: Annotated[Optional[str], typer.Option("--every", help="A fixed interval (15m, 2h, 1d) [default: adapts to how often it publishes].")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="The outlet its articles are stored under [default: what the pages say].")] = None,
    language: Annotated[Optional[str], typer.Option("--language", help="Its language, when its pages do not say (en, ru).")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", help="A tag (repeat it, or comma-separated).")] = None,
    db: DbOption = None,
) -> None:
    """Follow a source: 'claimdesk follow' (or 'serve --follow') polls it from now on."""
    from .follow.manage import add_source

    with _open_store(db) as store:
        try:
            source = add_source(store, url, name=name, every=every, outlet=outlet, language=language, tags=tag or ())
        except ValueError as error:
            err.print(f"error: {error}", style="red", highlight=False, markup=False)
            raise typer.Exit(2 if "followed already" not in str(error) else 1) from None
    out.print(f"following {source.name} ({source.url})", highlight=False, markup=False)


@sources_app.command("list")
def sources_list(as_json: Annotated[bool, typer.Option("--json", help="One JSON object per source per line.")] = False,
                 db: DbOption = None) -> None:
    """Every source with where its polling stands."""
    import dataclasses

    from .store import sources as followed

    with _read_store(db) as store:
        found = followed.listing(store)
    if as_json:
        for source in found:
            print(json.dumps(dataclasses.asdict(source), ensure_ascii=False))
        return
    if not found:
        err.print("no sources: add one with 'claimdesk sources add URL'")
    for source in found:
        out.print(_source_line(source), highlight=False, markup=False)


@sources_app.command("remove")
def sources_remove(source: Annotated[str, typer.Argument(help="The source's URL, name or number (as 'sources list' shows).")],
                   db: DbOption = None) -> None:
    """Stop following a source (the articles stored from it stay)."""
    from .store import sources as followed

    with _read_store(db) as store:
        found = followed.get(store, int(source)) if source.isdigit() else followed.find(store, source)
        if found is None or not followed.remove(store, found.pk):
            err.print(f"error: no source {source!r}", style="red", highlight=False, markup=False)
            raise typer.Exit(1)
    out.print(f"stopped following {found.name} ({found.url})", highlight=False, markup=False)


@sources_app.command("import")
def sources_import(path: Annotated[Path, typer.Argument(metavar="OPML", help="An OPML file (a feed reader's export).")],
                   db: DbOption = None) -> None:
    """Follow every source an OPML file lists; those followed already are skipped, and said so."""
    from .follow.manage import import_opml

    try:
        data = path.read_bytes()
    except OSError as error:
        err.print(f"error: {path}: {error.strerror}", style="red", highlight=False, markup=False)
        raise typer.Exit(2)
    with _open_store(db) as store:
        try:
            added, skipped = import_opml(store, data)
        except ValueError as error:
            err.print(f"error: {path}: {error}", style="red", highlight=False, markup=False)
            raise typer.Exit(2) from None
    for reason in skipped:
        err.print(f"skipped {reason}", highlight=False, markup=False)
    out.print(f"following {len(added)} new source{'' if len(added) == 1 else 's'} from {path}", highlight=False, markup=False)


@sources_app.command("export")
def sources_export(path: Annotated[Optional[Path], typer.Argument(metavar="[OPML]", help="Where to write [default: stdout].")] = None,
                   db: DbOption = None) -> None:
    """Every source as an OPML file, for a feed reader or another claimdesk."""
    from .follow.manage import export_opml

    with _read_store(db) as store:
        data = export_opml(store)
    if path is None:
        sys.stdout.buffer.write(data)
    else:
        path.write_bytes(data)


def _follow_settings(contact: str | None, min_delay: float, workers: int, analyze: bool = True):
    from .follow.poller import Settings, check_contact

    try:
        return Settings(contact=check_contact(contact), min_delay=min_delay, workers=workers, analyze=analyze)
    except ValueError as error:
        err.print(f"error: {error}", style="red", highlight=False, markup=False)
        raise typer.Exit(2) from None


def _log_to_stderr() -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger("claimdesk.follow")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


@app.command()
def follow(
    once: Annotated[bool, typer.Option("--once", help="Poll every due source once and exit (cron, tests); exit 1 when any poll failed.")] = False,
    contact: ContactOption = None,
    min_delay: MinDelayOption = 1.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=32, help="Sources polled at once (one request per host at a time all the same).")] = 4,
    no_analyze: Annotated[bool, typer.Option("--no-analyze", help="Store new articles without analysing them (no claims).")] = False,
    db: DbOption = None,
) -> None:
    """Poll the sources ('claimdesk sources add') and ingest what is new, until Ctrl-C; logs to stderr."""
    import signal
    import threading

    from .follow.poller import Poller

    settings = _follow_settings(contact, min_delay, workers, analyze=not no_analyze)
    _log_to_stderr()
    with _open_store(db) as store:
        poller = Poller(store, settings)
        try:
            if once:
                reports = poller.run_once()
                failed = sum(r.error is not None for r in reports)
                err.print(f"{len(reports)} sources polled, {sum(r.stored for r in reports)} new articles, {failed} failed",
                          highlight=False, markup=False)
                raise typer.Exit(1 if failed else 0)
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):  # finish the polls under way, then leave
                signal.signal(signum, lambda *_: stop.set())
            err.print("following sources (Ctrl-C stops after the polls under way)", highlight=False, markup=False)
            poller.run(stop)
        finally:
            poller.close()
    err.print("stopped", highlight=False, markup=False)


def _sample_folders() -> list[str]:
    """The shared samples beside the checkout (or $CLAIMDESK_SAMPLES), and the examples shipped with claimdesk."""
    candidates = [os.environ.get("CLAIMDESK_SAMPLES"), "../shared/samples", Path(__file__).resolve().parents[3] / ".." / "shared" / "samples"]
    folders = [str(EXAMPLES)]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            folders.append(str(Path(candidate).resolve()))
            break
    return folders


HostOption = Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]


ServeWorkersOption = Annotated[int, typer.Option("--workers", min=1, max=64, help="Server processes answering requests (each opens the store; SQLite readers in WAL mode do not block each other).")]


BaseUrlOption = Annotated[Optional[str], typer.Option("--base-url", envvar="CLAIMDESK_BASE_URL", help="Where readers reach the desk (https://desk.example.org): the start of every absolute link it writes (share links, feeds, ClaimReview). Default: http://HOST:PORT.")]


def _serve(store: Store, host: str, port: int, workers: int = 1, base_url: str | None = None, follow=None) -> None:
    """Serve the desk; with ``follow`` (poller settings), the poller runs beside it until the server stops."""
    if follow is not None:
        from .follow.poller import Beside

        _log_to_stderr()
        poller = Beside(store, follow)
        poller.start()
        try:
            _serve(store, host, port, workers, base_url)
        finally:
            poller.stop()
        return
    import uvicorn

    from .web import create_app
    from .web.links import base_url as checked_base_url
    from .web.serving import HTTP, LOOP

    listening = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    try:
        base = checked_base_url(base_url or listening)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--base-url") from None
    out.print(f"[bold]The claimdesk desk is on [cyan]{listening}[/][/] (Ctrl-C stops it)"
              + (f", linked as [cyan]{base}[/]" if base != listening else ""), highlight=False)
    if workers == 1:
        from .web.app import settle_heap

        desk = create_app(store, base_url=base)
        settle_heap(desk)
        uvicorn.run(desk, host=host, port=port, log_level="warning", http=HTTP, loop=LOOP)
        return
    # worker processes import the app by name and open the store themselves; it is already
    # migrated here (opening it did), so they only read the schema version
    os.environ["CLAIMDESK_DB"] = store.url
    os.environ["CLAIMDESK_BASE_URL"] = base
    uvicorn.run("claimdesk.web.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning", http=HTTP, loop=LOOP)


@app.command()
def serve(db: DbOption = None, host: HostOption = "127.0.0.1", port: PortOption = 8000,
          workers: ServeWorkersOption = 1, base_url: BaseUrlOption = None,
          follow: Annotated[bool, typer.Option("--follow", help="Poll the sources beside the desk (as 'claimdesk follow').")] = False,
          contact: ContactOption = None, min_delay: MinDelayOption = 1.0) -> None:
    """Serve the web desk over the store: news line, articles, claims, speakers, reviews, feeds, API."""
    settings = _follow_settings(contact, min_delay, workers=4) if follow else None
    with (_open_store(db) if follow else _read_store(db)) as store:
        _serve(store, host, port, workers, base_url, follow=settings)


@app.command()
def demo(db: DbOption = None, no_serve: Annotated[bool, typer.Option("--no-serve", help="Stop after ingesting; do not start the web desk.")] = False,
         host: HostOption = "127.0.0.1", port: PortOption = 8000, base_url: BaseUrlOption = None) -> None:
    """Ingest the samples, show each article (clean title, body, what was removed and why), then serve the web desk."""
    folders = _sample_folders()
    out.print(f"[bold]claimdesk demo[/]: ingesting {', '.join(folders)}")
    with _open_store(db) as store:
        summary = run_ingest(folders, store, fetch=False, max_bytes=None, console=out)
        for article_id in dict.fromkeys(summary.ids):
            out.print(views.stored_view(store.get(article_id)))
        out.print(views.stats_table(store.stats()))
        out.print("Try: [cyan]claimdesk search peacekeepers[/], [cyan]claimdesk show ID[/], [cyan]claimdesk analyze --json FILE[/]")
        if not no_serve:
            _serve(store, host, port, base_url=base_url)
    raise typer.Exit(1 if summary.errors else 0)


@app.command("match")
def match(
    queries: Annotated[str, typer.Argument(metavar="QUERIES.tsv|TEXT", help="A file of (id, text) rows with a header row, or one text to match.")],
    against: Annotated[Optional[Path], typer.Option("--against", metavar="CLAIMS.tsv|FOLDER", help="Known claims: (id, text[, title]) rows with a header row, or a folder saved with --save [default: the store's claims].")] = None,
    out_path: Annotated[Optional[Path], typer.Option("--out", metavar="RUN", help="Write the TREC run here [default: stdout].")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Matches per query.")] = 5,
    save: Annotated[Optional[Path], typer.Option("--save", metavar="FOLDER", help="Keep the indexed claims in FOLDER, to match against it again without embedding them anew.")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Against the store: one JSON object per claim found.")] = False,
) -> None:
    """Which known claims does each query repeat? Writes TREC run lines `qid Q0 claim_id rank score claimdesk`.

    Given one TEXT instead of a file, prints its nearest claims readably. Without --against,
    matches against the store's claims ("has this been checked already?"): the nearest claim
    of each claim group, with the published reviews of the group. Bad rows are reported
    as FILE:LINE on stderr and skipped; exit 1 when any were.
    """
    from .corpus.match import Matcher, read_claims, read_queries, read_tsv_file, trec_lines

    if against is None:
        _match_store(queries, db, top=top, as_json=as_json, out_path=out_path)
        return

    problems: list[str] = []
    try:
        if against.is_dir():
            matcher = Matcher.load(against)
        else:
            claims, problems = read_tsv_file(against, read_claims)
            matcher = Matcher()
            with _progress(err) as progress:
                task = progress.add_task("indexing claims", total=len(claims))
                matcher.add(claims, progress=lambda n: progress.advance(task, n))
        batch = read_tsv_file(queries, read_queries) if Path(queries).is_file() else None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        err.print(f"error: {e}", style="red", highlight=False, markup=False)
        raise typer.Exit(2)
    if save:
        matcher.save(save)
    if batch is None:
        from rich.markup import escape

        for m in matcher.match([queries], top=top)[0]:
            out.print(f"[bold]{escape(m.claim.id)}[/]  similarity {m.similarity:.2f}  {escape(m.claim.text)}"
                      + (f"  [dim]({escape(m.claim.title)})[/]" if m.claim.title else ""), highlight=False)
    else:
        pairs, bad = batch
        problems += bad
        stream = open(out_path, "w", encoding="utf-8") if out_path else sys.stdout
        with stream, _progress(err) as progress:
            task = progress.add_task("matching", total=len(pairs))
            for start in range(0, len(pairs), 64):
                chunk = pairs[start:start + 64]
                for (qid, _), matches in zip(chunk, matcher.match([text for _, text in chunk], top=top)):
                    stream.writelines(line + "\n" for line in trec_lines(qid, matches))
                progress.advance(task, len(chunk))
    for problem in problems:
        err.print(f"error: {problem}", style="red", highlight=False, markup=False)
    raise typer.Exit(1 if problems else 0)


def _match_store(text: str, db: str | None, *, top: int, as_json: bool, out_path: Path | None) -> None:
    """``claimdesk match TEXT`` against the store: claims not grouped yet are grouped first.
    A QUERIES.tsv file instead of TEXT: TREC run lines, the claim keys as document ids."""
    from rich.markup import escape

    from .corpus.match import Claim, Match, read_queries, read_tsv_file, trec_lines
    from .store import groups

    with _read_store(db) as store:
        with _progress(err) as progress:
            task = progress.add_task("grouping stored claims", total=None)
            done = groups.group_articles(store, None, progress=lambda n: progress.advance(task, n))
            groups.save(store)
        for article_id, cause in done.failed:
            err.print(f"error: {article_id[:12]}: {cause}", style="red", highlight=False, markup=False)
        if Path(text).is_file():
            try:
                pairs, problems = read_tsv_file(text, read_queries)
            except (OSError, UnicodeDecodeError) as e:
                err.print(f"error: {e}", style="red", highlight=False, markup=False)
                raise typer.Exit(2)
            import contextlib

            with open(out_path, "w", encoding="utf-8") if out_path else contextlib.nullcontext(sys.stdout) as stream:
                for qid, query in pairs:
                    found = [Match(Claim(f"{n.ref.article_id}:{n.ref.seq}", n.ref.content), n.score, n.similarity)
                             for n in groups.nearest(store, query, top=top)]
                    stream.writelines(line + "\n" for line in trec_lines(qid, found))
            for problem in problems:
                err.print(f"error: {problem}", style="red", highlight=False, markup=False)
            raise typer.Exit(1 if problems or done.failed else 0)
        found = groups.nearest(store, text, top=top)
    for rank, n in enumerate(found, 1):
        ref = n.ref
        reviews = [{"claim": r.review.claim, "rating": r.review.rating, "published_at": r.review.published_at}
                   for r in n.reviews]
        if as_json:
            typer.echo(json.dumps({"rank": rank, "claim": f"{ref.article_id}:{ref.seq}", "score": n.score,
                                 "similarity": n.similarity, "speaker": ref.speaker, "text": ref.content,
                                 "outlet": ref.outlet, "published": ref.published, "title": ref.title,
                                 "appearances": n.group_size, "reviews": reviews}, ensure_ascii=False))
            continue
        who = f"{escape(ref.speaker)} {escape(ref.cue)}: " if ref.speaker else ""
        out.print(f"[bold]{rank}.[/] similarity {n.similarity:.2f}  score {n.score:.4f}  {who}{escape(ref.content)}",
                  highlight=False)
        out.print(f"   {escape(ref.outlet or 'unknown outlet')}, {escape(ref.published or 'undated')}: "
                  f"{escape(ref.title)}  [dim]{ref.article_id[:12]}:{ref.seq}[/]"
                  + (f", {n.group_size} appearances" if n.group_size > 1 else ""), highlight=False)
        for r in reviews:
            out.print(f"   [green]reviewed {escape(r['rating'])}[/] ({r['claim'][:12]}, published {r['published_at'][:10]})",
                      highlight=False)
    if not found:
        err.print("no stored claim is near it")
    raise typer.Exit(0 if found or not done.failed else 1)


spark_app = typer.Typer(help="Run on Apache Spark: WARC files in, Parquet tables out (README, 'Run on Spark').",
                        no_args_is_help=True)
app.add_typer(spark_app, name="spark")


@spark_app.command("analyze")
def spark_analyze(
    manifest: Annotated[str, typer.Argument(help="A file of WARC paths, one a line (local, file://, hdfs://, s3a://, https://), or a folder of WARC files.")],
    output: Annotated[str, typer.Argument(help="Where the Parquet tables go (a local folder, hdfs://, s3a://); replaced if it exists.")],
    master: Annotated[Optional[str], typer.Option("--master", help="Spark master, e.g. local[2] [default: spark-submit's, else local[*]].")] = None,
    per_partition: Annotated[int, typer.Option("--per-partition", min=1, help="Documents analysed by one task at most.")] = 200,
    max_bytes: MaxBytesOption = None,
    keep_work: Annotated[bool, typer.Option("--keep-work", help="Keep the staged records in OUTPUT/_work.")] = False,
) -> None:
    """Read, clean and analyse every WARC a manifest names, on Spark; write Parquet tables (load them with 'claimdesk load').
    Exit 0 when the job finished, whatever records failed (they are rows of the errors table)."""
    try:
        from pyspark.sql import SparkSession

        from .spark.job import run, session
    except ImportError as exc:
        err.print(f"[red]error:[/] Spark is not installed ({exc}); pip install 'claimdesk[spark]'")
        raise typer.Exit(2)
    owned = SparkSession.getActiveSession() is None  # a session made here is stopped here
    spark = session(master)
    try:
        summary = run(spark, manifest, output, per_partition=per_partition, max_bytes=max_bytes, keep_work=keep_work,
                      log=lambda message: err.print(message, highlight=False, markup=False))
    except (ValueError, OSError) as exc:
        err.print(f"error: {exc}", style="red", highlight=False, markup=False)
        raise typer.Exit(1)
    finally:
        if owned:
            spark.stop()
    err.print(summary.line(), style="bold", highlight=False, markup=False)


@app.command("load")
def load_command(
    output: Annotated[str, typer.Argument(help="The OUTPUT folder of 'claimdesk spark analyze'.")],
    db: DbOption = None,
) -> None:
    """Store a Spark run's Parquet tables as ingest would; loading a run again, or an overlapping one, stores nothing twice."""
    try:
        from .spark.load import NotARun, check_run, load, partitions
    except ImportError as exc:
        err.print(f"[red]error:[/] pyarrow is not installed ({exc}); pip install 'claimdesk[parquet]'")
        raise typer.Exit(2)
    try:
        check_run(output)  # before a store is opened (or made)
        parts = partitions(output)
        with _open_store(db) as store, _progress(err) as progress:
            task = progress.add_task("loading", total=len(parts))
            summary = load(output, store, sink=_ProgressSink(progress, task, verbose=False))
    except NotARun as exc:
        err.print(f"error: {exc}", style="red", highlight=False, markup=False)
        raise typer.Exit(1)
    err.print(f"{summary.partitions} partitions, {summary.documents} documents: {summary.new} new, "
              f"{summary.duplicates} already stored, {summary.versions} new versions, {summary.near_duplicates} "
              f"near-duplicate; {len(summary.errors)} error rows ({summary.errors_loaded} new to the store)",
              style="bold", highlight=False, markup=False)


if __name__ == "__main__":
    app()
