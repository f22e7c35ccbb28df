"""Which WARC files a run reads, and how an executor opens one.

A manifest is a text file with one WARC path a line (blank lines and ``#`` comments
skipped), the way CC-NEWS publishes ``warc.paths``: local paths, ``file://``, ``hdfs://``,
``s3a://`` / ``s3://``, ``gs://``, ``http(s)://``. A folder may stand for a manifest: its
WARC files (``*.warc``, ``*.warc.gz``, ``*.arc.gz``), in the order ``claimdesk ingest``
reads a folder.

Executors open the files themselves and stream them record by record (never a whole
archive in memory): local paths with ``open``; Hadoop-style URIs through pyarrow's file
systems (S3 natively; HDFS through libhdfs, which a Hadoop cluster's nodes have); http(s)
by downloading to a temporary file first (the reader seeks to check the archive's end).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO
from urllib.parse import urlparse

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_REMOTE = {"hdfs", "viewfs", "s3", "s3a", "s3n", "gs", "gcs", "abfs", "abfss"}


def read_manifest(manifest: str) -> list[str]:
    """The WARC paths a manifest (or a folder) names, in its order."""
    if _is_local(manifest) and os.path.isdir(_local_path(manifest)):
        from ..ingest import expand_inputs

        return [p for p in expand_inputs([_local_path(manifest)]) if p.lower().endswith(WARC_SUFFIXES)]
    with open_input(manifest) as handle:
        text = handle.read().decode("utf-8")
    paths = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            paths.append(line)
    return paths


def _is_local(path: str) -> bool:
    scheme = urlparse(path).scheme
    return scheme in ("", "file") or len(scheme) == 1  # a Windows drive letter is no scheme


def _local_path(path: str) -> str:
    return urlparse(path).path if path.startswith("file:") else path


@contextmanager
def open_input(path: str) -> Iterator[BinaryIO]:
    """A seekable binary stream of the file at ``path`` (any scheme the module docstring names)."""
    scheme = urlparse(path).scheme.lower()
    if _is_local(path):
        with open(_local_path(path), "rb") as handle:
            yield handle
    elif scheme in ("http", "https"):
        with _downloaded(path) as handle:
            yield handle
    elif scheme in _REMOTE:
        from pyarrow import fs

        uri = "s3://" + path.split("://", 1)[1] if scheme in ("s3a", "s3n") else path
        filesystem, inner = fs.FileSystem.from_uri(uri)
        with filesystem.open_input_file(inner) as handle:
            yield handle
    else:
        raise OSError(f"no way to open {scheme}:// paths (local, file, hdfs, s3a, s3, gs, http and https are read)")


@contextmanager
def _downloaded(url: str) -> Iterator[BinaryIO]:
    import httpx

    with tempfile.TemporaryFile() as spool:
        with httpx.stream("GET", url, follow_redirects=True, timeout=60) as response:
            response.raise_for_status()
            for chunk in response.iter_bytes(1 << 20):
                spool.write(chunk)
        spool.seek(0)
        yield spool

