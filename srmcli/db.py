"""Where the journal lives and how it is opened.

SQLite: the file (0600, folder 0700) is created before SQLite opens it so the -wal and
-shm files inherit its mode; every connection runs in WAL with `busy_timeout`,
`synchronous=FULL` and foreign keys; writes take the lock up front with
`BEGIN IMMEDIATE` (SQLAlchemy's documented pysqlite recipe), reads use a plain `BEGIN`
so they never wait on a writer. The schema version is read straight from
`alembic_version`; Alembic is imported only when an upgrade is due, and that upgrade
runs inside the write lock (an advisory lock on PostgreSQL).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srmcli.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

SQLITE_MAGIC = b"SQLite format 3\x00"
ADVISORY_LOCK_KEY = 0x5352_4D31  # "SRM1"

_selected: str | None = None  # --db, set by the CLI's root callback
_engines: dict[tuple[str, bool], Engine] = {}


def select(path: str | None) -> None:
    """Remember the `--db` option for this process."""
    global _selected
    _selected = path
    _engines.clear()


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("srm", appauthor=False)) / "srm.db"


def url() -> str:
    """The database URL in force: --db, SRM_DATABASE_URL, SRM_DB, then the user data dir."""
    if _selected:
        return _path_url(_selected)
    env_url = os.environ.get("SRM_DATABASE_URL", "").strip()
    if env_url:
        return env_url
    env_path = os.environ.get("SRM_DB", "").strip()
    if env_path:
        return _path_url(env_path)
    return _path_url(str(default_path()))


def url_for(target: str) -> str:
    """A URL for a `--to` target: URLs pass through, anything else is a SQLite file path."""
    target_url = _path_url(target.strip())
    if url_password(target_url):
        _targets.append(target_url)
    return target_url


def _path_url(path: str) -> str:
    if "://" in path:
        return path
    return "sqlite:///" + str(Path(path).expanduser().absolute())


def is_sqlite(db_url: str | None = None) -> bool:
    return (db_url or url()).startswith("sqlite")


def sqlite_path(db_url: str | None = None) -> Path | None:
    u = db_url or url()
    if not u.startswith("sqlite"):
        return None
    rest = u.split("://", 1)[1]
    rest = rest[1:] if rest.startswith("/") else rest
    rest = rest.split("?", 1)[0]
    return Path(rest) if rest and rest != ":memory:" else None


# scheme://user:PASSWORD@host: the password runs to the last `@` before the host, so a
# password holding spaces, `:` or `@` (`srm:p@ss@word@host`) is masked whole
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][\w+.-]*://[^\s:/@?#]*:)[^\n?#]*@")
_QUERY_PASSWORD = re.compile(r"(?i)(\bpassword=)[^&\s]*")
SHORTEST_SECRET = 4  # a shorter password is masked in URLs only, not wherever it appears


def mask(text: str) -> str:
    """Hide every password in `text`: a URL's (`scheme://user:****@host`, however the
    password is written), a `password=` parameter's, and the password of the database in
    force wherever else it appears (as typed, or its %-escaped or unescaped form)."""
    text = _URL_PASSWORD.sub(r"\1****@", text)
    text = _QUERY_PASSWORD.sub(r"\1****", text)
    for secret in _secrets():
        text = text.replace(secret, "****")
    return text


_targets: list[str] = []  # `--to` URLs named in this process, whose passwords are secrets too


def _secrets() -> list[str]:
    """The passwords of the URLs srm was given, in every form a message may show them."""
    from urllib.parse import quote, unquote

    found: set[str] = set()
    for given in (url(), *_targets):
        password = url_password(given)
        if password:
            found.update({password, unquote(password), quote(password, safe=""), quote(password)})
    return sorted((s for s in found if len(s) >= SHORTEST_SECRET), key=len, reverse=True)


def url_password(db_url: str) -> str | None:
    """A URL's password as written in it (up to the last `@` before the host), or None."""
    if "://" not in db_url or db_url.startswith("sqlite"):
        return None
    rest = db_url.split("://", 1)[1]
    found = re.match(r"[^\s:/@?#]*:([^\n?#]*)@", rest)
    return found.group(1) if found else None


def _login_url(db_url: str) -> str:
    """The URL as SQLAlchemy should read it: a password holding a bare `@`
    (`srm:p@ss@word@host`) ends at the last `@` before the host, as a browser reads it,
    not at the first one (which would take `ss@word@host` for the host and port)."""
    from urllib.parse import quote, unquote

    head, _, rest = db_url.partition("://")
    before_query, question, query = rest.partition("?")
    if before_query.count("@") < 2:
        return db_url
    userinfo, where = before_query.rsplit("@", 1)
    user, colon, password = userinfo.partition(":")
    escaped = quote(unquote(password), safe="")
    return f"{head}://{user}{colon}{escaped}@{where}{question}{query}"


def describe(db_url: str | None = None) -> str:
    """The journal's location for messages: a file path, or the URL with its password masked."""
    u = db_url or url()
    path = sqlite_path(u)
    return str(path) if path else mask(u)


def busy_timeout_ms() -> int:
    """How long a writer waits for another's lock: the config's `busy_timeout_s` (30 s by
    default), or `SRM_BUSY_TIMEOUT_MS` when that is set."""
    raw = os.environ.get("SRM_BUSY_TIMEOUT_MS", "").strip()
    if not raw:
        from srmcli import config

        return round(config.load()["busy_timeout_s"] * 1000)
    from srmcli import values

    return values.whole_number(
        raw, "SRM_BUSY_TIMEOUT_MS", 0, None, accepted="a whole number of milliseconds, 0 or more"
    )


WAIT_NOTICE_S = 1.0  # how long a writer waits quietly before saying so


@contextmanager
def waiting_for_writers() -> Iterator[None]:
    """Around taking the write lock: on a terminal, a writer still waiting after about a
    second says that it waits for another srm writer (and for how long it will)."""
    import sys

    if not _on_terminal(sys.stderr):
        yield
        return
    import threading

    def notice() -> None:
        seconds = busy_timeout_ms() / 1000
        print(
            f"Waiting for another srm writer to finish (up to {seconds:g} s)…",
            file=sys.stderr,
            flush=True,
        )

    timer = threading.Timer(WAIT_NOTICE_S, notice)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _on_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def prepare_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and file (0600) if needed; refuse a file that is not SQLite."""
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not an srm journal")
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise DatabaseError(f"cannot read the journal {path}: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise DatabaseError(
                f"{path} is not an srm journal (not a SQLite database); it was left untouched"
            )
        if head:
            _refuse_foreign(path)
        return
    from srmcli import files

    try:
        files.make_folders(path.parent)
    except files.OutputFileError as exc:
        raise DatabaseError(f"cannot create the journal {path}: {exc}") from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseError(f"cannot create the journal {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)
    except (AttributeError, OSError):  # pragma: no cover - Windows has no fchmod
        pass
    finally:
        os.close(fd)


def _refuse_foreign(path: Path) -> None:
    """Refuse another program's SQLite database: one holding tables but no srm schema
    revision. It is read as an immutable file (no lock, no -wal or -shm made, nothing
    written) before any connection that could change it (turning WAL on rewrites the
    header), so a refused file stays byte for byte as it was."""
    import sqlite3
    from urllib.parse import quote

    def tables(options: str) -> set[str]:
        con = sqlite3.connect(f"file:{quote(str(path))}?{options}", uri=True)
        try:
            found = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return {row[0] for row in found}
        finally:
            con.close()

    try:
        names = tables("immutable=1")
        if not names and Path(f"{path}-wal").exists():
            names = tables("mode=ro")  # tables still only in its write-ahead log
    except sqlite3.Error:
        return  # unreadable now (damaged, or mid-write): the journal's own open reports it
    if names and "alembic_version" not in names:
        shown = ", ".join(sorted(names)[:3]) + (", …" if len(names) > 3 else "")
        raise DatabaseError(
            f"{path} is another program's SQLite database (tables: {shown}), not an srm "
            "journal; it was left untouched. Give the path of an srm journal, or of a new "
            "or empty file to start one"
        )


def configure_sqlite(dbapi_conn: Any, *, write: bool) -> None:
    """Every SQLite connection, ORM or stdlib: WAL, busy timeout, FULL sync, foreign keys."""
    dbapi_conn.isolation_level = None  # transactions are begun explicitly (BEGIN IMMEDIATE)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal" and write:
        cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def json_text(value: Any) -> str:
    """The text a JSON column stores: non-ASCII text as UTF-8 (`["präzision"]`, not
    `["pr\\u00e4zision"]`), so SQL over the journal finds accented values. Control
    characters stay escaped, as JSON requires."""
    return json.dumps(value, ensure_ascii=False)


def _build_engine(db_url: str, write: bool) -> Engine:
    from sqlalchemy import create_engine, event

    if db_url.startswith("sqlite"):
        path = sqlite_path(db_url)
        if path is not None:
            prepare_sqlite_file(path)
        timeout_ms = busy_timeout_ms()
        engine = create_engine(
            db_url,
            hide_parameters=True,
            json_serializer=json_text,
            connect_args={"timeout": timeout_ms / 1000, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            configure_sqlite(dbapi_conn, write=write)

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            wants_write = conn.get_execution_options().get("srm_write", write)
            if not wants_write:
                conn.exec_driver_sql("BEGIN")
                return
            with waiting_for_writers():
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    connect_args: dict[str, Any] = {}
    if db_url.startswith("postgresql"):
        # a writer blocked by another's lock gives up like SQLite's busy timeout does,
        # and a dead host does not hang srm
        connect_args = {"options": f"-c lock_timeout={busy_timeout_ms()}", "connect_timeout": 10}
    try:
        return create_engine(
            _login_url(db_url),
            hide_parameters=True,
            json_serializer=json_text,
            connect_args=connect_args,
        )
    except ModuleNotFoundError as exc:  # the driver is an extra
        hint = (
            "; install srm with its PostgreSQL driver: pip install 'srmcli[postgres]'"
            if db_url.startswith("postgresql")
            else ""
        )
        raise DatabaseError(
            f"cannot use the database URL {mask(db_url)}: no driver ({exc.name}){hint}"
        ) from None
    except Exception as exc:  # bad URL
        raise DatabaseError(
            f"cannot use the database URL {mask(db_url)}: {mask(str(exc))}"
        ) from None


def engine(write: bool = False) -> Engine:
    """The engine of the journal in force, its schema brought up to date (once per process)."""
    db_url = url()
    key = (db_url, write)
    if key not in _engines:
        _engines[key] = open_engine(db_url, write=write)
    return _engines[key]


def open_engine(db_url: str, *, write: bool = False, output: Path | None = None) -> Engine:
    """An engine for any journal URL, migrated to the head revision (`output`: see
    `translate_errors`)."""
    eng = _build_engine(db_url, write)
    with translate_errors(db_url, output=output):
        ensure_schema(eng)
    return eng


def dispose() -> None:
    for eng in _engines.values():
        eng.dispose()
    _engines.clear()


@contextmanager
def session(write: bool = False) -> Iterator[Session]:
    """A unit of work: committed when the block ends, rolled back (nothing written) on error."""
    from sqlmodel import Session

    eng = engine(write)
    with translate_errors():
        with Session(eng, expire_on_commit=False) as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise


@contextmanager
def connection(write: bool = False) -> Iterator[Connection]:
    """A Core connection in one transaction, for bulk reads and writes."""
    eng = engine(write)
    with translate_errors():
        with eng.begin() as conn:
            yield conn


# -- schema version -----------------------------------------------------------------


def _current_revision(conn: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(eng: Engine, *, force: bool = False) -> str:
    """Bring the journal to the head revision if it is behind; return the revision."""
    from srmcli.migrations import HEAD

    if not force:
        with eng.connect() as conn:
            rev = _current_revision(conn)
            conn.rollback()
        if rev == HEAD:
            return rev
        _refuse_unknown(rev, eng)
    with eng.connect() as conn:
        conn = conn.execution_options(srm_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                from sqlalchemy import text

                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
            rev = _current_revision(conn)  # another process may have upgraded meanwhile
            _refuse_unknown(rev, eng)
            if rev != HEAD:
                _run_alembic_upgrade(conn)
    return HEAD


def _refuse_unknown(rev: str | None, eng: Engine) -> None:
    from srmcli.migrations import known_revisions

    if rev is not None and rev not in known_revisions():
        raise DatabaseError(
            f"the journal {describe(str(eng.url))} has schema revision {rev}, which this srm "
            "does not know; upgrade srm"
        )


def _run_alembic_upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def current_revision() -> str | None:
    with connection() as conn:
        return _current_revision(conn)


# -- errors -------------------------------------------------------------------------


def explain(exc: BaseException, db_url: str | None = None) -> str | None:
    """A one-line explanation of a database failure, or None when it is not one."""
    if isinstance(exc, OSError):
        return _outside_the_journal(exc)
    module = type(exc).__module__ or ""
    if not module.startswith(("sqlalchemy", "sqlite3", "psycopg")):
        return None
    where = describe(db_url)
    detail = _detail(exc)
    low = detail.lower()
    if "locked" in low or "busy" in low or "lock timeout" in low:
        secs = busy_timeout_ms() / 1000
        return (
            f"the journal {where} is locked by another srm process (waited {secs:g} s); "
            "nothing was written, try again in a moment"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return (
            f"the journal {where} is damaged or not a database ({detail}); nothing was changed. "
            "Run `srm db check`, or restore a backup"
        )
    if "readonly" in low or "read-only" in low or "unable to open" in low:
        return f"cannot write the journal {where} ({detail}); check the file and folder permissions"
    if "disk is full" in low or "disk i/o" in low or "no space" in low:
        return (
            f"cannot write the journal {where} ({detail}); free some disk space, "
            "nothing was written"
        )
    if "password authentication" in low or "authentication failed" in low:
        return f"the database {where} refused the login ({mask(detail)})"
    if "no password supplied" in low:
        return (
            f"the database {where} asks for a password and none was given: put it in "
            "~/.pgpass (or the file PGPASSFILE names), or in the URL"
        )
    if module.startswith(("sqlalchemy", "psycopg")) and (
        "connect" in low
        or "could not translate host" in low
        or "resolve host" in low
        or "timeout" in low
    ):
        return f"cannot reach the database {where}: {mask(detail)}"
    if "no such table" in low or "no such column" in low or "does not exist" in low:
        return (
            f"the journal {where} does not have the expected tables ({mask(detail)}); "
            "run `srm db upgrade`"
        )
    if module.startswith(("sqlalchemy", "sqlite3", "psycopg")):
        return f"database error on {where}: {mask(detail)}"
    return None


def _detail(exc: BaseException) -> str:
    """The driver's own first line about a failure (SQLAlchemy wraps it in `orig`)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    return mask(text.splitlines()[0]) if text else type(orig).__name__


def _outside_the_journal(exc: OSError) -> str:
    """An OSError is never the journal's: SQLite and the PostgreSQL driver report the
    journal's own failures as their errors. It is a file srm reads or writes, or the
    terminal or pipe it prints to; blaming the journal would send the buyer looking in the
    wrong place."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename:
        return f"cannot use {exc.filename}: {reason}"
    return f"cannot write the output: {reason}"


@contextmanager
def translate_errors(db_url: str | None = None, *, output: Path | None = None) -> Iterator[None]:
    """Database failures as one-line `DatabaseError`s. With `output`, the database is a
    new file srm is writing (`db copy` into a file, built beside it): a failure is a
    failure to write that file, and is named so."""
    try:
        yield
    except DatabaseError:
        raise
    except Exception as exc:
        message = explain(exc, db_url)
        if message is None:
            raise
        if output is not None and not isinstance(exc, OSError):
            message = (
                f"cannot write {output} ({_detail(exc)}); the file was not written, "
                "the journal is unchanged"
            )
        raise DatabaseError(message) from None


def upgrade() -> tuple[str | None, str]:
    """Run any pending migrations; return (revision before, revision after)."""
    db_url = url()
    eng = _build_engine(db_url, True)
    try:
        with translate_errors():
            with eng.connect() as conn:
                before = _current_revision(conn)
                conn.rollback()
            after = ensure_schema(eng, force=before is None or before != _head())
    finally:
        eng.dispose()
    return before, after


def _head() -> str:
    from srmcli.migrations import HEAD

    return HEAD
