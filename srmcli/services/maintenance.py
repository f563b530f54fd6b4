"""Journal upkeep: integrity check and online backup."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srmcli import dates, db, files, sidecars, wording
from srmcli.errors import DatabaseError, InvalidValueError


@dataclass
class CheckReport:
    ok: bool = True
    problem: str = ""
    lines: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        """Record one more thing that is wrong; the problems read as one line."""
        self.ok = False
        self.problem = f"{self.problem}; {problem}" if self.problem else problem


def check_journal() -> CheckReport:
    """SQLite `integrity_check` and `foreign_key_check`, plus the schema revision."""
    from sqlalchemy import text

    from srmcli.migrations import HEAD

    path = db.sqlite_path()
    if path is not None and (not path.exists() or (path.is_file() and not path.stat().st_size)):
        # checking must not make one: an empty new journal would pass, and say nothing of
        # the backup that was expected there
        state = "is empty" if path.exists() else "does not exist"
        raise DatabaseError(
            f"there is no journal to check: {path} {state}; give the path of an srm journal"
        )
    report = CheckReport()
    # read before the journal is opened: opening it rebuilds the write-ahead log's index
    beside = sidecars.inspect(path) if path is not None else []
    for finding in beside:
        report.lines.append(f"beside the journal: {finding.text}")
        if finding.lost:
            report.fail(finding.text)
    if not report.ok:
        # not opened: opening it would apply what is left and erase the evidence
        report.lines.insert(0, f"journal: {db.describe()} (not opened)")
        return report
    with db.connection() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        report.lines.insert(0, f"journal: {db.describe()}")
        report.lines.insert(1, f"schema revision: {revision} (this srm: {HEAD})")
        if conn.dialect.name == "sqlite":
            results = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if results != ["ok"]:
                report.fail("; ".join(results[:3]))
            orphans = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if orphans:
                rows = wording.plural(len(orphans), "row")
                point = "points" if len(orphans) == 1 else "point"
                report.fail(f"{rows} {point} at records that do not exist")
            report.lines.append(f"integrity: {'ok' if report.ok else report.problem}")
        stale = _stale_links(conn)
        if stale:
            disagree = "disagrees" if stale == 1 else "disagree"
            report.fail(
                f"{wording.plural(stale, 'contact or tactic link')} {disagree} with their "
                "interaction's date or supplier"
            )
        report.lines.append(f"links: {'ok' if not stale else f'{stale} disagree'}")
        astray = _stale_contact_ids(conn)
        if astray:
            keep = "keeps" if astray == 1 else "keep"
            report.fail(
                f"{wording.plural(astray, 'interaction')} {keep} contact ids that disagree with "
                "who took part"
            )
        report.lines.append(f"contact ids: {'ok' if not astray else f'{astray} disagree'}")
    return report


def _stale_contact_ids(conn: Any) -> int:
    """Interactions whose kept contact ids (`Interaction.contact_ids`) are not exactly
    the ascending ids of their `interaction_contact` rows. Compared as JSON values, not
    as text."""
    from sqlalchemy import text

    if conn.dialect.name == "sqlite":
        query = (
            "SELECT count(*) FROM interaction i WHERE json(i.contact_ids) <> json('[' ||"
            " coalesce((SELECT group_concat(contact_id) FROM (SELECT contact_id"
            " FROM interaction_contact WHERE interaction_id = i.id ORDER BY contact_id)),"
            " '') || ']')"
        )
    else:
        query = (
            "SELECT count(*) FROM interaction i WHERE i.contact_ids::jsonb <>"
            " coalesce((SELECT jsonb_agg(contact_id ORDER BY contact_id)"
            " FROM interaction_contact WHERE interaction_id = i.id), '[]'::jsonb)"
        )
    return int(conn.execute(text(query)).scalar() or 0)


def _stale_links(conn: Any) -> int:
    """Link rows whose copied date (or supplier) differs from their interaction's."""
    from sqlalchemy import text

    return int(
        conn.execute(
            text(
                "SELECT (SELECT count(*) FROM interaction_contact l JOIN interaction i"
                " ON i.id = l.interaction_id WHERE l.occurred_at <> i.occurred_at)"
                " + (SELECT count(*) FROM interaction_tactic l JOIN interaction i"
                " ON i.id = l.interaction_id WHERE l.occurred_at <> i.occurred_at"
                " OR l.supplier_id <> i.supplier_id)"
            )
        ).scalar()
        or 0
    )


def backup_journal(dest: str | None) -> Path:
    """Copy a SQLite journal with the online backup API into a new 0600 file.

    The copy is made beside the destination and renamed into place when complete, so a
    failed or killed backup leaves no file that looks like a backup.
    """
    source = db.sqlite_path()
    if source is None:
        raise InvalidValueError(
            f"`srm db backup` copies SQLite journals; {db.describe()} is a server database — "
            "use the server's own backup (pg_dump), or `srm db copy --to sqlite:///FILE`"
        )
    db.engine()  # refuses a file that is not a journal, brings the schema up to date
    stamp = dates.now().strftime("%Y%m%d-%H%M%S")
    target = (
        Path(dest).expanduser()
        if dest
        else source.with_name(f"{source.stem}-backup-{stamp}{source.suffix or '.db'}")
    )
    if target.is_dir():
        target = target / f"{source.stem}-backup-{stamp}{source.suffix or '.db'}"
    if target.exists() and target.resolve() == source.resolve():
        raise InvalidValueError("the backup file must not be the journal itself")
    files.check_target(target)
    if target.exists() and not _unfinished_backup(target):
        raise InvalidValueError(f"{target} already exists; choose another backup file")
    with files.replacing(target, create_folders=True, database=True) as partial:
        try:
            src = sqlite3.connect(str(source), timeout=db.busy_timeout_ms() / 1000)
            dst = sqlite3.connect(str(partial))
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
                src.close()
        except sqlite3.Error as exc:
            raise DatabaseError(
                f"the backup to {target} failed ({exc}); no backup file was written"
            ) from None
    return target


def _unfinished_backup(target: Path) -> bool:
    """An empty file, or one beside a rollback journal still holding pages: what a backup
    killed half-way by an older srm left, which a new backup may replace."""
    if target.stat().st_size == 0:
        return True
    try:
        return Path(f"{target}-journal").stat().st_size > 0
    except OSError:
        return False


def copy_journal(target: str) -> dict[str, int]:
    """Copy every record, ids and links included, into an empty journal at `target`.

    `target` is a SQLAlchemy URL or a file path. The target is created/migrated to the
    current schema, must hold no records, and is filled in one transaction: all or nothing.
    Returns the number of rows copied per table.
    """
    target_url = db.url_for(target)
    if target_url == db.url():
        raise InvalidValueError("the target is the journal itself; name another database")
    path = db.sqlite_path(target_url)
    if path is not None:
        files.check_target(path)
        if not path.exists() or path.stat().st_size == 0:
            # a new file: filled beside it and renamed into place only when complete
            from sqlalchemy.engine import make_url

            with files.replacing(path, create_folders=True, database=True) as partial:
                partial_url = make_url(target_url).set(database=str(partial))
                return _copy_into(partial_url.render_as_string(hide_password=False), path)
    return _copy_into(target_url)


def _copy_into(target_url: str, output: Path | None = None) -> dict[str, int]:
    """The copy into `target_url`; `output` names the file a new database becomes."""
    from sqlalchemy import func, insert, select, text
    from sqlmodel import SQLModel

    import srmcli.models  # noqa: F401  (registers the tables)

    source_engine = db.engine()
    target_engine = db.open_engine(target_url, write=True, output=output)
    tables = list(SQLModel.metadata.sorted_tables)
    copied: dict[str, int] = {}
    try:
        with db.translate_errors(target_url, output=output), target_engine.connect() as out:
            out = out.execution_options(srm_write=True)
            with out.begin():
                # a new journal is born with an identity of its own; the copy takes the
                # source's, so calendar to-dos written from either one are the same
                identity = SQLModel.metadata.tables["journal"]
                out.execute(identity.delete())
                for table in tables:
                    if out.execute(select(func.count()).select_from(table)).scalar():
                        raise InvalidValueError(
                            f"the target {db.describe(target_url)} already holds records "
                            f"(table {table.name}); copy into an empty database"
                        )
                with source_engine.connect() as src:
                    for table in tables:
                        order = list(table.primary_key.columns)
                        result = src.execution_options(yield_per=1000).execute(
                            select(table).order_by(*order)
                        )
                        count = 0
                        for chunk in result.partitions():
                            rows = [dict(r._mapping) for r in chunk]
                            out.execute(insert(table), rows)
                            count += len(rows)
                        copied[table.name] = count
                if out.dialect.name == "postgresql":
                    for table in tables:
                        if "id" in table.c and table.c.id.autoincrement:
                            out.execute(
                                text(
                                    "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                                ),
                                {"t": table.name},
                            )
    finally:
        target_engine.dispose()
    return copied
