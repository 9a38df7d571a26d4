"""NK006 numeric-input-without-range."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context

_NUMERIC = {"int", "float", "Decimal", "conint", "confloat", "PositiveInt", "PositiveFloat"}
_DOCUMENTED = {"ge", "gt", "le", "lt", "description", "title", "json_schema_extra", "examples"}


_OUTPUT = re.compile(r"(Response|Prediction|Output|Result|Metadata|Health|Error|Status)s?$")


def _is_numeric(ann: ast.expr) -> bool:
    names = {n.id for n in ast.walk(ann) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(ann) if isinstance(n, ast.Attribute)}
    return bool(names & _NUMERIC) and not (names & {"list", "List", "dict", "Dict"})


def _documented(stmt: ast.AnnAssign) -> bool:
    nodes = [stmt.value] if stmt.value is not None else []
    nodes.append(stmt.annotation)  # Annotated[float, Field(ge=0)]
    for node in nodes:
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and {k.arg for k in call.keywords} & _DOCUMENTED:
                return True
    return False


class NumericInputWithoutRange(Rule):
    """
    ## What it does
    Fires on numeric fields (`int`, `float`) of the request models (pydantic `BaseModel`
    subclasses, not the response models) in a serving unit that declare neither a range
    (`ge`/`le`/`gt`/`lt`) nor a description (where the unit goes). Off by default; select
    `NK006` to enable.

    ## Why is this bad?
    Nobody knows whether `age` is in years or months, or what range the model was trained
    on; out-of-range inputs reach the model silently.

    ## Example
    ```python
    class Features(BaseModel):
        tenure: float
    ```

    ## How to fix
    `tenure: float = Field(ge=0, le=120, description="months as a customer")`
    (`mlsd add prediction-monitoring` then watches the inputs for drift).
    """

    code = "NK006"
    name = "numeric-input-without-range"
    family = "nobody-knows"
    severity = Severity.INFO
    summary = "Numeric request fields without a unit or range."
    default_enabled = False

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[str, int]] = set()
        for unit in components_of(ctx).serving:
            for mod in unit.modules(ctx):
                if "BaseModel" not in mod.text:
                    continue
                for cls in mod.classes:
                    if not any(b.endswith("BaseModel") for b in cls.bases) or _OUTPUT.search(
                        cls.name
                    ):
                        continue
                    for stmt in cls.node.body:
                        if (
                            isinstance(stmt, ast.AnnAssign)
                            and isinstance(stmt.target, ast.Name)
                            and _is_numeric(stmt.annotation)
                            and not _documented(stmt)
                            and (mod.path, stmt.lineno) not in seen
                        ):
                            seen.add((mod.path, stmt.lineno))
                            yield self.finding(
                                mod.path,
                                stmt.lineno,
                                f"numeric input '{cls.name}.{stmt.target.id}' has no range "
                                "or description",
                            )
