"""OO004 no-outcome-join."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, has_production_manifests
from mlsd.check.context import Context, is_test_path
from mlsd.check.pyfacts import CallFact, PyModule

#: metric libraries whose functions, called in code, are offline evaluation
_METRIC_MODULES = ("sklearn.metrics", "torchmetrics", "evaluate")
_NOT_METRICS = frozenset({"make_scorer", "get_scorer", "check_scoring", "get_scorer_names"})
_OUTCOME = (
    r"(?:outcomes?|feedbacks?|ground[_-]?truths?|labels|labell?ed\w*|conversions?|kpis?|actuals)"
)
#: SQL that reads or writes an outcome / feedback / label / KPI table (upper-case keywords
#: in code, so that "computed from labels" in a docstring is not SQL; any case in .sql)
_SQL_TABLE = r"\s+[`\"\[]?(?:[\w-]+\.){0,2}\w*(?i:" + _OUTCOME + r")\b"
_SQL_OUTCOME = re.compile(r"\b(?:FROM|JOIN|INTO|TABLE|UPDATE)" + _SQL_TABLE)
_SQL_FILE_OUTCOME = re.compile(r"\b(?i:from|join|into|table|update)" + _SQL_TABLE)
#: a dataframe merge / join keyed by a request or prediction id, or with an outcome table
_JOIN = re.compile(
    r"\b(?:merge|merge_asof|join)\((?:[^()]|\([^()]*\))*?"
    r"(?:\b(?:request|prediction|trace|correlation|event|impression)_?id\b|\b\w*"
    + _OUTCOME
    + r"\b)",
    re.I,
)
#: an endpoint that collects outcomes (`POST /feedback`)
_ENDPOINT = re.compile(
    r"\.(?:post|put|route|api_route|patch)\(\s*[\"'][^\"']*"
    r"(?:feedback|outcome|ground[_-]?truth|label|conversion)",
    re.I,
)
_KPI = re.compile(r"\bkpis?\b|\bkpi_\w+|\w+_kpis?\b", re.I)
_OUTCOME_FILE = re.compile(
    r"(^|/|_|-)(kpis?|outcomes?|feedback|ground[_-]?truth|conversions?)([_.-]|$)", re.I
)
_CODE_SUFFIXES = (".py", ".sql", ".yaml", ".yml", ".ipynb", ".toml", ".json")


def evaluation_calls(mod: PyModule) -> list[CallFact]:
    """Metric functions (sklearn.metrics, torchmetrics, HF evaluate) called in a module."""
    text = mod.text
    if "metrics" not in text and "evaluate" not in text:
        return []
    names: set[str] = set()
    prefixes: set[str] = set()
    for imp in mod.imports:
        if imp.level or not imp.module.startswith(_METRIC_MODULES):
            continue
        if imp.module.split(".")[0] not in ("sklearn", "torchmetrics", "evaluate"):
            continue
        if imp.names:
            names.update(n for n in imp.names if n != "*")
        else:
            prefixes.add(imp.module + ".")
    for imp in mod.imports:  # `from sklearn import metrics`
        if imp.module == "sklearn" and "metrics" in imp.names:
            prefixes.add("metrics.")
    if not names and not prefixes:
        return []
    out = []
    for call in mod.calls:
        attr = call.attr
        if attr in _NOT_METRICS:
            continue
        if (call.name in names and call.name[:1].islower()) or call.name.startswith(
            tuple(prefixes)
        ):
            out.append(call)
    return out


def outcome_join(ctx: Context) -> str | None:
    """Where the repository joins predictions to outcomes, or tracks a KPI (None: nowhere)."""
    for f in ctx.files:
        rel = f.rel
        lower = rel.lower()
        if not lower.endswith(_CODE_SUFFIXES) or is_test_path(rel):
            continue
        name = lower.rsplit("/", 1)[-1]
        if _OUTCOME_FILE.search(name.rsplit(".", 1)[0]):
            return rel
        if f.kind == "notebook":
            mod = ctx.notebooks.get(rel)
            text = mod.text if mod is not None else None
        elif lower.endswith(".json"):
            continue
        else:
            text = ctx.text(rel)
        if not text:
            continue
        sql = _SQL_FILE_OUTCOME if lower.endswith(".sql") else _SQL_OUTCOME
        if sql.search(text) or _JOIN.search(text) or _ENDPOINT.search(text):
            return rel
        if _KPI.search(text):
            return rel
    return None


class NoOutcomeJoin(Rule):
    """
    ## What it does
    Fires when the repository evaluates a model offline (it calls `sklearn.metrics`,
    `torchmetrics` or Hugging Face `evaluate` functions on held-out data) but nothing
    anywhere connects the model to what happens after a prediction: no outcome / feedback /
    label / conversion / KPI table read or written, no dataframe join keyed by a request or
    prediction id, no feedback endpoint, no KPI definition. Informational when there is no
    serving unit and no production manifest. Off by default; select `OO004` to enable.

    ## Why is this bad?
    Offline metrics on a holdout say how well the model fits past labels, not whether it
    moves the business metric it exists for; without an outcome join nobody learns that a
    model with a better AUC made things worse.

    ## Example
    ```python
    print(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))   # and nothing else
    ```

    ## How to fix
    Log every prediction with its request and entity id (`mlsd add prediction-log`), collect
    the outcomes in a table keyed the same way, join them and track the KPI per model
    version; compare versions on live traffic (`mlsd add online-ab-testing`).
    """

    code = "OO004"
    name = "no-outcome-join"
    family = "offline-only"
    severity = Severity.WARNING
    summary = "Offline evaluation code but no KPI or outcome join anywhere."
    fix = ("prediction-log", "online-ab-testing")
    default_enabled = False  # on once generated projects join predictions to outcomes

    def check(self, ctx: Context) -> Iterator[Finding]:
        found: tuple[PyModule, CallFact] | None = None
        modules = [*ctx.source_modules(), *ctx.notebooks.values()]
        for mod in modules:
            if is_test_path(mod.path):
                continue
            calls = evaluation_calls(mod)
            if calls:
                found = (mod, calls[0])
                break
        if found is None or outcome_join(ctx) is not None:
            return
        mod, call = found
        comps = components_of(ctx)
        weak = not comps.serving and not has_production_manifests(ctx)
        yield self.finding(
            mod.path,
            call.line,
            f"model evaluated offline only ({call.attr}{mod.where(call.line)}): no outcome, "
            "feedback or KPI join anywhere",
            evidence="no-outcome-join",
            severity=Severity.INFO if weak else None,
        )
