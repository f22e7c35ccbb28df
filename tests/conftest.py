from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SAMPLE = SHARED / "samples" / "karabakh-peacekeepers.txt"


@pytest.fixture
def sample_text() -> str:
    if not SAMPLE.exists():
        pytest.skip(f"shared sample not found at {SAMPLE}")
    return SAMPLE.read_text(encoding="utf-8")


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server for the tests: $CLAIMDESK_TEST_PG_URL, else a private one started here.

    The private server listens on 127.0.0.1 only, lives in a temporary folder, and is
    stopped when the session ends. In CI a missing PostgreSQL fails the run instead of
    skipping, so a missing install step cannot hide behind a green build.
    """
    import shutil
    import subprocess
    import tempfile

    if os.environ.get("CLAIMDESK_TEST_PG_URL"):
        yield os.environ["CLAIMDESK_TEST_PG_URL"]
        return
    bindir = _postgres_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: scripts/setup-system.sh should have installed it")
        pytest.skip("PostgreSQL is not installed (scripts/setup-system.sh installs it)")
    base = Path(tempfile.mkdtemp(prefix="claimdesk-pg-"))  # not under pytest's 0700 root: the server user must reach it
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True)  # noqa: E731
    run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"), "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off", "start")
    try:
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "claimdesk_test")
        yield f"postgresql://postgres@127.0.0.1:{port}/claimdesk_test"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(base, ignore_errors=True)
