"""Where prediction log entries go: a SQL table (SQLite, PostgreSQL) or a JSONL file.

An entry is one predicted instance: `id` (unique), `logged_at`, `service`, `request_id`,
`model_name`, `model_version`, `instance` (its index in the request), `label`, `latency_ms`
(of the whole request), `input` and `output` (JSON). `write` raises when the sink is down;
the writer retries the same batch. The SQL sink ignores ids it already has, so a retried batch
is never stored twice; the JSONL sink appends (readers de-duplicate by `id`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    select,
)
from sqlalchemy.engine import Engine

from ..common.stores import sql_engine

Entry = dict[str, Any]

metadata = MetaData()
prediction_log = Table(
    "prediction_log",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("logged_at", DateTime(timezone=True), nullable=False, index=True),
    Column("service", String(64), nullable=False),
    Column("request_id", String(128), nullable=False, index=True),
    Column("model_name", String(128)),
    Column("model_version", String(128), index=True),
    Column("instance", Integer, nullable=False),
    Column("label", String(128)),
    Column("latency_ms", Float),
    Column("input", JSON, nullable=False),
    Column("output", JSON, nullable=False),
)


class Sink(Protocol):
    url: str

    def write(self, entries: Sequence[Entry]) -> None: ...

    def read_recent(self, limit: int) -> list[Entry]: ...

    def close(self) -> None: ...


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class JsonlSink:
    """Appends one JSON object per line; the folder must exist (a missing one is an outage)."""

    def __init__(self, path: Path, url: str) -> None:
        self.path = path
        self.url = url

    def write(self, entries: Sequence[Entry]) -> None:
        lines = "".join(
            json.dumps(e, default=_json_default, sort_keys=True) + "\n" for e in entries
        )
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())

    def read_recent(self, limit: int) -> list[Entry]:
        if not self.path.is_file():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines[-limit:] if line.strip()]

    def close(self) -> None:
        return None


class SqlSink:
    """Inserts into the `prediction_log` table (created on first use) with SQLAlchemy."""

    def __init__(self, url: str) -> None:
        # a missing SQLite folder is an outage the writer waits out, not something to create
        self.engine: Engine = sql_engine(url, timeout_s=5, make_folder=False)
        self.url = self.engine.url.render_as_string(hide_password=True)  # safe to log
        self._table_ready = False

    def _insert(self) -> Any:
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        elif dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:  # other databases: a plain insert (a retried batch may then fail on the key)
            return prediction_log.insert()
        return insert(prediction_log).on_conflict_do_nothing(index_elements=["id"])

    def write(self, entries: Sequence[Entry]) -> None:
        if not self._table_ready:
            metadata.create_all(self.engine)
            self._table_ready = True
        with self.engine.begin() as connection:
            connection.execute(self._insert(), list(entries))

    def read_recent(self, limit: int) -> list[Entry]:
        if not inspect(self.engine).has_table(prediction_log.name):
            return []
        query = select(prediction_log).order_by(prediction_log.c.logged_at.desc()).limit(limit)
        with self.engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
        return rows[::-1]

    def close(self) -> None:
        self.engine.dispose()


def sqlalchemy_url(url: str) -> str:
    """`postgres://` and `postgresql://` use the psycopg (3) driver; other URLs are kept."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


def open_sink(url: str) -> Sink:
    """`jsonl:relative/file.jsonl`, `jsonl:///abs/file.jsonl`, or a SQLAlchemy URL."""
    if url.startswith("jsonl:"):
        path = url.removeprefix("jsonl:")
        if path.startswith("//"):
            path = path[2:]
        if not path:
            raise ValueError("PREDICTION_LOG_URL=jsonl:<path> needs a file path")
        return JsonlSink(Path(path), url)
    return SqlSink(sqlalchemy_url(url))
