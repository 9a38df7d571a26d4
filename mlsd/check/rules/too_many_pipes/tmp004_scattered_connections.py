"""TMP004 scattered-connections."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context

_TEXT = (
    "connect",
    "create_engine",
    "MongoClient",
    "Redis",
    "Client(",
    "client(",
    "resource(",
    "Producer",
    "Consumer",
    "from_url",
)


class ScatteredConnections(Rule):
    """
    ## What it does
    Fires when data-store connections are set up (`create_engine`, `psycopg.connect`,
    `redis.Redis(...)`, `boto3.client`, `bigquery.Client()`, `MongoClient`, Kafka
    producers...) in more modules than `thresholds.max-connection-modules` (default 3)
    instead of one data-access layer.

    ## Why is this bad?
    Connection settings, retries and credentials are copied around; changing a database or
    rotating a secret means finding every copy, and pipelines grow new edges unnoticed.

    ## Example
    ```text
    etl/a.py: create_engine(...)   etl/b.py: create_engine(...)   train.py: connect(...)
    ```

    ## How to fix
    Put connections in one module (a small data-access layer) that everything imports
    (`mlsd add pipeline-training`).
    """

    code = "TMP004"
    name = "scattered-connections"
    family = "too-many-pipes"
    severity = Severity.INFO
    summary = "Data-store connections are set up in many modules."

    def check(self, ctx: Context) -> Iterator[Finding]:
        limit = ctx.threshold("max-connection-modules")
        sites: list[tuple[str, int]] = []
        for mod in ctx.source_modules():
            if not any(t in mod.text for t in _TEXT):
                continue
            if not mod.imports_any(set(vocab.DATA_STORE_IMPORTS)):
                continue
            call = next((c for c in mod.calls if vocab.CONNECTION_CALLS.search(c.name)), None)
            if call is not None:
                sites.append((mod.path, call.line))
        if len(sites) > limit:
            sites.sort()
            yield self.finding(
                sites[0][0],
                sites[0][1],
                f"connections are set up in {len(sites)} modules (limit {limit}): "
                f"{', '.join(p for p, _ in sites[:5])}",
                evidence="connections " + " ".join(p for p, _ in sites),
            )
