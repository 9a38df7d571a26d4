"""Request handlers of a serving unit: routes, gRPC servicer methods, predict methods."""

from __future__ import annotations

import ast
import re

from mlsd.check import vocab
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.pyfacts import CallFact, FunctionFact, PyModule, dotted
from mlsd.check.units import Unit

#: a name about logging (`log_vote`, `prediction_logger`), not `logits` or `logprobs`
_LOG_NAME = re.compile(
    r"(?:^|_)log(?:s|ger|ging)?(?:_|$)(?!softmax|sigmoid|prob|likelihood|sum|det|space|odds)",
    re.I,
)
_PREDICT_METHOD = re.compile(r"^(predict|Predict|__call__|infer|Infer|score)\w*$")


def route_of(fn: FunctionFact) -> str | None:
    """The route path a function is registered on ("" when the decorator has none)."""
    for d in fn.decorators:
        if isinstance(d, CallFact) and vocab.is_route_decorator(d.name):
            return d.arg0() or ""
        if isinstance(d, str) and d.endswith((".api", ".route")):
            return ""
    return None


def routes(ctx: Context, unit: Unit) -> list[tuple[PyModule, FunctionFact, str]]:
    out = []
    for mod in unit.modules(ctx):
        if "@" not in mod.text:
            continue
        for fn in mod.functions:
            path = route_of(fn)
            if path is not None:
                out.append((mod, fn, path))
    return out


def predict_handlers(ctx: Context, unit: Unit) -> list[tuple[PyModule, FunctionFact]]:
    out: list[tuple[PyModule, FunctionFact]] = []
    for mod, fn, path in routes(ctx, unit):
        if vocab.PREDICT_WORDS.search(path) or vocab.PREDICT_WORDS.search(fn.name):
            out.append((mod, fn))
    for mod in unit.modules(ctx):
        for cls in mod.classes:
            served = any(
                vocab.SERVED_CLASS.search(dotted(d.func if isinstance(d, ast.Call) else d))
                for d in cls.node.decorator_list
            )
            if not served and not any(
                b.endswith(("Servicer", "Model", "Runnable")) for b in cls.bases
            ):
                continue
            out.extend((mod, m) for m in cls.methods if _PREDICT_METHOD.match(m.name))
    return out


def routes_called_by_logging_units(ctx: Context, unit: Unit) -> set[str]:
    """Route paths of `unit` that another serving unit calls (a string ending with the
    path) and that logs: the caller is where the prediction is recorded."""
    paths = {path for _m, _f, path in routes(ctx, unit) if len(path) > 1}
    if not paths:
        return set()
    own = set(unit.closure)
    called: set[str] = set()
    for other in components_of(ctx).serving:
        if other is unit or not other.imports_any(ctx, vocab.LOGGING_IMPORTS):
            continue
        for mod in other.modules(ctx):
            if mod.path in own:
                continue
            called.update(p for p in paths if p in mod.text and _quoted_suffix(mod.text, p))
    return called


def _quoted_suffix(text: str, path: str) -> bool:
    return f'{path}"' in text or f"{path}'" in text


def functions_by_name(ctx: Context, unit: Unit) -> dict[str, list[FunctionFact]]:
    out: dict[str, list[FunctionFact]] = {}
    for mod in unit.modules(ctx):
        for fn in mod.functions:
            out.setdefault(fn.name, []).append(fn)
    return out


def _names_in_args(call: CallFact) -> list[str]:
    names = []
    for a in [*call.node.args, *(k.value for k in call.node.keywords)]:
        if isinstance(a, ast.Name | ast.Attribute):
            names.append(a.attr if isinstance(a, ast.Attribute) else a.id)
    return names


def log_calls(
    fn: FunctionFact, by_name: dict[str, list[FunctionFact]], depth: int = 0
) -> list[CallFact]:
    """Log calls made by a handler, directly or through in-repo helpers (two levels)."""
    found = [c for c in fn.calls if vocab.is_log_call(c.name)]
    if found:
        return found
    for c in fn.calls:
        if _LOG_NAME.search(c.attr) or any(_LOG_NAME.search(n) for n in _names_in_args(c)):
            return [c]
        if depth < 2:
            for helper in by_name.get(c.attr, []):
                if helper is not fn:
                    found = log_calls(helper, by_name, depth + 1)
                    if found:
                        return found
    return []
