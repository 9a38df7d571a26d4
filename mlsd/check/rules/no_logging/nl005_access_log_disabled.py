"""NL005 access-log-disabled."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.facts import mesh_present
from mlsd.check.pyfacts import FunctionFact
from mlsd.check.units import Unit

_PY_OFF = re.compile(
    r"access_log\s*=\s*(False|None)|getLogger\(\s*['\"](uvicorn|gunicorn|aiohttp)\.access['\"]\s*\)"
    r"\s*\.(disabled\s*=\s*True|setLevel\(\s*(logging\.)?(CRITICAL|ERROR|['\"]CRITICAL['\"]))"
)


def _logs(fn: FunctionFact) -> bool:
    """A log call in the function or in a method of its class (one level)."""
    if any(vocab.is_log_call(c.name) for c in fn.calls):
        return True
    if fn.cls is None:
        return False
    called = {c.attr for c in fn.calls}
    return any(
        m.name in called and any(vocab.is_log_call(c.name) for c in m.calls) for m in fn.cls.methods
    )


def _request_logging_middleware(ctx: Context, unit: Unit) -> bool:
    for mod in unit.modules(ctx):
        if "middleware" not in mod.text.lower() and "dispatch" not in mod.text:
            continue
        for fn in mod.functions:
            in_mw_class = fn.cls is not None and "middleware" in fn.cls.name.lower()
            is_mw = (
                fn.name == "dispatch"
                or (in_mw_class and fn.name == "__call__")
                or any("middleware" in (d if isinstance(d, str) else d.name) for d in fn.decorators)
            )
            if is_mw and _logs(fn):
                return True
    return False


class AccessLogDisabled(Rule):
    """
    ## What it does
    Fires when the access log of a serving unit is turned off (`--no-access-log`,
    `access_log=False`, `--access-logfile /dev/null`, silencing `uvicorn.access`) and no
    request-logging middleware or service mesh writes one instead.

    ## Why is this bad?
    Without access logs there is no record of who called the model, how often and how
    fast; incidents and abuse go unnoticed.

    ## Example
    ```dockerfile
    CMD ["uvicorn", "app:app", "--no-access-log"]
    ```

    ## How to fix
    Keep the server's access log, or replace it with a middleware that logs each request
    with its id, status and latency. `mlsd add prediction-log` includes such a middleware.
    """

    code = "NL005"
    name = "access-log-disabled"
    family = "no-logging"
    severity = Severity.WARNING
    summary = "Access logs are turned off with no replacement."

    def check(self, ctx: Context) -> Iterator[Finding]:
        if mesh_present(ctx):
            return
        for unit in components_of(ctx).serving:
            if _request_logging_middleware(ctx, unit):
                continue
            if unit.dockerfile is not None:
                words, line = unit.dockerfile.command()
                joined = " ".join(words)
                if "--no-access-log" in words or re.search(
                    r"--access-logfile[= ]/dev/null", joined
                ):
                    yield self.finding(
                        unit.dockerfile.path, line, "the server's access log is turned off"
                    )
            for mod in unit.modules(ctx):
                for m in _PY_OFF.finditer(mod.text):
                    line = mod.text.count("\n", 0, m.start()) + 1
                    yield self.finding(mod.path, line, "the server's access log is turned off")
