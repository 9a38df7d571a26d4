"""TMP003 many-data-stores."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context


class ManyDataStores(Rule):
    """
    ## What it does
    Fires when training code (the training modules and the in-repo modules they import)
    talks to more distinct data stores than `thresholds.max-data-stores` (default 3):
    Postgres, MySQL, BigQuery, S3/GCS, Snowflake, MongoDB, Redis, Kafka, Spark...

    ## Why is this bad?
    Every store is a credential, a schema and a failure mode; training that stitches many
    of them together is fragile and impossible to reproduce.

    ## Example
    ```python
    import psycopg2, pymongo, boto3, snowflake.connector, redis
    ```

    ## How to fix
    Land the inputs in one place (a feature table, a versioned dataset) and train from
    there (`mlsd add pipeline-training`, pattern `data-model-versioning`, planned).
    """

    code = "TMP003"
    name = "many-data-stores"
    family = "too-many-pipes"
    severity = Severity.INFO
    summary = "Training code uses too many distinct data stores."

    def check(self, ctx: Context) -> Iterator[Finding]:
        limit = ctx.threshold("max-data-stores")
        closure: set[str] = set()
        for unit in components_of(ctx).training:
            closure.update(unit.closure)
        stores: dict[str, tuple[str, int]] = {}
        for rel in sorted(closure):
            mod = ctx.modules.get(rel)
            if mod is None:
                continue
            for imp in mod.imports:
                if imp.level:
                    continue
                parts = imp.module.split(".")
                for k in range(len(parts), 0, -1):
                    store = vocab.DATA_STORE_IMPORTS.get(".".join(parts[:k]))
                    if store:
                        stores.setdefault(store, (rel, imp.line))
                        break
        if len(stores) > limit:
            path, line = sorted(stores.values())[0]
            yield self.finding(
                path,
                line,
                f"training code uses {len(stores)} data stores (limit {limit}): "
                f"{', '.join(sorted(stores))}",
                evidence="stores " + " ".join(sorted(stores)),
            )
