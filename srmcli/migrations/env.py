"""Alembic environment: runs on the connection srm hands over (inside its write lock)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import srmcli.models  # noqa: F401  (registers the tables)
from srmcli.db import json_text
from srmcli.migrations import include_name

target_metadata = SQLModel.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        engine = create_engine(
            context.config.get_main_option("sqlalchemy.url") or "", json_serializer=json_text
        )
        with engine.begin() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
