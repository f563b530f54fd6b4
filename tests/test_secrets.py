"""A database URL's password never shows, however it is written (SPEC §13, "Secrets"),
and `.pgpass`/`PGPASSFILE` let a URL carry no password at all.

The login tests need a server role that logs in with a password: `.ci/postgres.sh` makes
one (`SRM_TEST_LOGIN_URL`, its password in `SRM_TEST_LOGIN_PASSWORD`); without it they
are skipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from srmcli import db

LOGIN_URL = os.environ.get("SRM_TEST_LOGIN_URL", "").strip()
LOGIN_PASSWORD = os.environ.get("SRM_TEST_LOGIN_PASSWORD", "")
needs_login = pytest.mark.skipif(
    not (LOGIN_URL and LOGIN_PASSWORD), reason="needs a password-authenticated server role"
)

# passwords as buyers write them into URLs, each with the pieces that must never show
WRITTEN = [
    ("Sekr3t Pw", ["Sekr3t", "Pw@"]),
    ("p@ss@word", ["p@ss", "ss@word"]),
    ("a:b:c0lon", ["b:c0lon", "c0lon"]),
    ("p%40ss%3Aw%20rd", ["p%40ss", "p@ss", "w rd"]),
    ("pa/ss-w0rd", ["pa/ss", "w0rd"]),
]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_srm(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "srmcli", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(("password", "pieces"), WRITTEN)
def test_mask_hides_a_password_however_it_is_written(password: str, pieces: list[str]) -> None:
    url = f"postgresql+psycopg://srm:{password}@db.example.com:5432/srm"
    for text in (url, f"cannot use {url}: refused", f"({url})\nnext line"):
        masked = db.mask(text)
        assert "srm:****@db.example.com:5432/srm" in masked, masked
        for piece in pieces:
            assert piece not in masked, (piece, masked)


def test_mask_hides_a_password_parameter_and_keeps_urls_without_one() -> None:
    assert db.mask("postgresql://srm@h/db?password=hunter22&sslmode=require") == (
        "postgresql://srm@h/db?password=****&sslmode=require"
    )
    plain = "postgresql+psycopg://srm@db.example.com:5432/srm and sqlite:////tmp/a:b@c.db"
    assert db.mask(plain).startswith("postgresql+psycopg://srm@db.example.com:5432/srm")


@pytest.mark.parametrize(("password", "pieces"), WRITTEN)
def test_no_message_shows_the_password(password: str, pieces: list[str], tmp_path: Path) -> None:
    """`db path`, a server that cannot be reached (as --db, SRM_DATABASE_URL and as the
    target of `db copy`): every line masks the password."""
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://srm:{password}@127.0.0.1:{_closed_port()}/srm"
    runs = [
        run_srm("--db", url, "db", "path"),
        run_srm("--db", url, "supplier", "list"),
        run_srm("log", "Acme", "Call", env={"SRM_DATABASE_URL": url}),
        run_srm("--db", str(tmp_path / "j.db"), "db", "copy", "--to", url),
    ]
    assert runs[0].returncode == 0 and "srm:****@127.0.0.1" in runs[0].stdout
    for ran in runs[1:]:
        assert ran.returncode == 1, ran.stderr
        lines = ran.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: cannot reach the database")
        assert "srm:****@127.0.0.1" in lines[0]
    for ran in runs:
        for piece in pieces:
            assert piece not in ran.stdout + ran.stderr, (piece, ran.stdout, ran.stderr)


def test_a_password_holding_at_signs_reaches_the_host_after_the_last_one() -> None:
    """`srm:p@ss@word@host` is read as a browser reads it: the host follows the last `@`
    (not `ss@word@host`), and the whole `p@ss@word` is the password."""
    from sqlalchemy.engine import make_url

    for written in ("p@ss@word", "p@ss:w%rd@", "p%40ss@word"):
        url = f"postgresql+psycopg://srm:{written}@db.example.com:5433/srm?sslmode=require"
        login = make_url(db._login_url(url))
        assert (login.username, login.host, login.port, login.database) == (
            "srm",
            "db.example.com",
            5433,
            "srm",
        )
        assert login.password == written.replace("%40", "@")
        assert login.query == {"sslmode": "require"}


# ------------------------------------------------------------ a real password login


def _login_with(password: str) -> str:
    head, rest = LOGIN_URL.split("://", 1)
    return f"{head}://srm_login:{password}@{rest.split('@', 1)[1]}"


@needs_login
def test_a_password_written_raw_or_escaped_logs_in_and_never_shows() -> None:
    for written in (LOGIN_PASSWORD, quote(LOGIN_PASSWORD, safe="")):
        url = _login_with(written)
        ran = run_srm("--db", url, "supplier", "list")
        assert ran.returncode == 0, ran.stderr
        path = run_srm("--db", url, "db", "path")
        assert path.stdout.strip() == db.mask(url)
        assert "srm_login:****@127.0.0.1" in path.stdout
        for shown in (ran, path):
            assert "Sekr3t" not in shown.stdout + shown.stderr


@needs_login
def test_a_wrong_password_is_one_error_line_without_it() -> None:
    ran = run_srm("--db", _login_with("Wr0ng P@ss:w%rd"), "supplier", "list")
    assert ran.returncode == 1
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused the login" in lines[0], ran.stderr
    assert "Wr0ng" not in ran.stderr and "P@ss" not in ran.stderr


@needs_login
def test_pgpassfile_logs_in_with_no_password_in_the_url(tmp_path: Path) -> None:
    host_port = LOGIN_URL.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    escaped = LOGIN_PASSWORD.replace("\\", "\\\\").replace(":", "\\:")
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"{host}:{port}:srm_login:srm_login:{escaped}\n")
    passfile.chmod(0o600)  # libpq ignores a password file others may read
    elsewhere = {"HOME": str(tmp_path), "PGPASSWORD": ""}
    ran = run_srm("--db", LOGIN_URL, "db", "check", env={**elsewhere, "PGPASSFILE": str(passfile)})
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().endswith("ok")
    # ~/.pgpass, the default place, works the same
    (tmp_path / ".pgpass").write_text(passfile.read_text())
    (tmp_path / ".pgpass").chmod(0o600)
    ran = run_srm("--db", LOGIN_URL, "supplier", "list", env=elsewhere)
    assert ran.returncode == 0, ran.stderr
    # without it the server refuses the login: one line, no password asked for on a terminal
    ran = run_srm("--db", LOGIN_URL, "supplier", "list", env={"HOME": str(tmp_path / "none")})
    assert ran.returncode == 1
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1 and "asks for a password and none was given" in lines[0], ran.stderr
