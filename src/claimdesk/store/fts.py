"""Full-text indexing and search, the one part of the store that differs by dialect.

SQLite: an FTS5 table (porter stemming, title weighted 10x through the table's
``rank`` setting). PostgreSQL: a generated ``tsvector`` (title weight A, body B)
with a GIN index. Both return only the latest version of each URL.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from claimdesk.model import SearchHit

_TERM = re.compile(r"\w+")

_LATEST = "NOT EXISTS (SELECT 1 FROM documents AS newer WHERE newer.url = d.url AND newer.version > d.version)"

_SQLITE_INSERT = text("INSERT INTO articles_fts (rowid, title, body) VALUES (:pk, :title, :body)")
_SQLITE_SEARCH = text(
    f"""
    SELECT d.id, articles_fts.title, snippet(articles_fts, -1, '[', ']', '…', 12) AS snippet,
           d.outlet, d.published, -articles_fts.rank AS rank
    FROM articles_fts JOIN documents AS d ON d.pk = articles_fts.rowid
    WHERE articles_fts MATCH :query AND {_LATEST}
    ORDER BY articles_fts.rank, d.pk
    LIMIT :limit OFFSET :offset
    """
)

_POSTGRESQL_INSERT = text("INSERT INTO articles_fts (doc_pk, title, body) VALUES (:pk, :title, :body)")
_POSTGRESQL_SEARCH = text(
    f"""
    WITH query AS (SELECT websearch_to_tsquery('english', :query) AS q),
    hits AS (
        SELECT d.pk, d.id, d.outlet, d.published,
               ts_rank('{{0.1, 0.2, 0.1, 1.0}}', f.tsv, query.q) AS rank
        FROM articles_fts AS f JOIN documents AS d ON d.pk = f.doc_pk CROSS JOIN query
        WHERE f.tsv @@ query.q AND {_LATEST}
        ORDER BY rank DESC, d.pk
        LIMIT :limit OFFSET :offset
    )
    SELECT hits.id, f.title,
           ts_headline('english', f.title || E'\\n\\n' || f.body, query.q,
                       'StartSel="[", StopSel="]", MaxWords=12, MinWords=6, MaxFragments=1,
                        FragmentDelimiter=" … "') AS snippet,
           hits.outlet, hits.published, hits.rank
    FROM hits JOIN articles_fts AS f ON f.doc_pk = hits.pk CROSS JOIN query
    ORDER BY hits.rank DESC, hits.pk
    """
)


def terms(query: str) -> list[str]:
    """The words of a user query; punctuation and operators are not words."""
    return _TERM.findall(query)


def fts5_query(query: str) -> str:
    """Each word quoted, so FTS5 syntax in user input (``"``, ``-``, ``:``, ``*``,
    AND/OR/NOT/NEAR, parentheses) is read as plain words: all of them must match."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms(query))


def index(connection: Connection, pk: int, title: str, body: str) -> None:
    statement = _POSTGRESQL_INSERT if connection.dialect.name == "postgresql" else _SQLITE_INSERT
    connection.execute(statement, {"pk": pk, "title": title, "body": body})


def search(connection: Connection, query: str, limit: int, offset: int) -> list[SearchHit]:
    if not terms(query) or limit <= 0:
        return []
    if connection.dialect.name == "postgresql":
        statement, params = _POSTGRESQL_SEARCH, {"query": query.replace("\x00", " ")}  # PG text holds no NUL
    else:
        statement, params = _SQLITE_SEARCH, {"query": fts5_query(query)}
    rows = connection.execute(statement, {**params, "limit": limit, "offset": max(offset, 0)})
    return [
        SearchHit(id=row.id, title=row.title, snippet=row.snippet, outlet=row.outlet,
                  published=row.published, rank=float(row.rank))
        for row in rows
    ]
