"""Pipeline definitions: orchestrators in use and each pipeline's graph (nodes, fan-in)."""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass

from mlsd.check import vocab
from mlsd.check.context import Context, is_test_path

_TASK_DECORATORS = re.compile(r"(^|\.)(task|op|asset|step|component|container_component)$")


@dataclass
class Pipeline:
    orchestrator: str
    path: str
    line: int
    nodes: int
    max_fan_in: int


def _shift_edges(tree: ast.AST) -> list[tuple[str, str]]:
    """Edges of `a >> b >> [c, d]` / `<<` chains."""
    edges: list[tuple[str, str]] = []

    def names(node: ast.expr) -> list[str]:
        if isinstance(node, ast.List | ast.Tuple):
            return [ast.unparse(e) for e in node.elts]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift | ast.LShift):
            return names(node.right if isinstance(node.op, ast.RShift) else node.left)
        return [ast.unparse(node)]

    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift | ast.LShift):
            left, right = names(node.left), names(node.right)
            if isinstance(node.op, ast.LShift):
                left, right = right, left
            edges.extend((a, b) for a in left for b in right)
    return edges


def _python_pipelines(ctx: Context) -> list[Pipeline]:
    out = []
    for mod in ctx.source_modules():
        tops = mod.top_packages & set(vocab.ORCHESTRATOR_IMPORTS)
        if not tops:
            continue
        orch = vocab.ORCHESTRATOR_IMPORTS[sorted(tops)[0]]
        tasks = (
            {c.arg0() or "" for c in mod.calls if "task_id" in c.kwargs}
            if orch == "airflow"
            else set()
        )
        nodes = len(tasks)
        for fn in mod.functions:
            if any(
                _TASK_DECORATORS.search(d if isinstance(d, str) else d.name) for d in fn.decorators
            ):
                nodes += 1
        fan_in = 0
        if ">>" in mod.text or "<<" in mod.text:
            edges = set(_shift_edges(mod.tree))
            counts = Counter(b for _a, b in edges)
            fan_in = max(counts.values(), default=0)
            nodes = max(nodes, len({x for e in edges for x in e}))
        out.append(Pipeline(orch, mod.path, 1, nodes, fan_in))
    return out


def _yaml_pipelines(ctx: Context) -> list[Pipeline]:
    out = []
    for f in ctx.by_kind["yaml"]:
        name = f.rel.rsplit("/", 1)[-1]
        if name in ("dvc.yaml", "dvc.yml"):
            for doc in ctx.yaml_docs(f.rel):
                stages = (doc or {}).get("stages") if isinstance(doc, dict) else None
                if isinstance(stages, dict) and stages:
                    outs: dict[str, str] = {}
                    for sname, st in stages.items():
                        for o in (st or {}).get("outs") or []:
                            outs[str(o if not isinstance(o, dict) else next(iter(o)))] = sname
                    fan = [
                        len({outs[str(d)] for d in (st or {}).get("deps") or [] if str(d) in outs})
                        for st in stages.values()
                    ]
                    out.append(Pipeline("dvc", f.rel, 1, len(stages), max(fan, default=0)))
            continue
        text = ctx.text(f.rel) or ""
        if "argoproj.io" not in text:
            continue
        for doc in ctx.yaml_docs(f.rel):
            if not isinstance(doc, dict) or doc.get("kind") not in (
                "Workflow",
                "WorkflowTemplate",
                "CronWorkflow",
                "ClusterWorkflowTemplate",
            ):
                continue
            spec = doc.get("spec") or {}
            if doc["kind"] == "CronWorkflow":
                spec = spec.get("workflowSpec") or {}
            nodes, fan_in = 0, 0
            for tpl in spec.get("templates") or []:
                dag = (tpl or {}).get("dag") or {}
                for task in dag.get("tasks") or []:
                    nodes += 1
                    deps = task.get("dependencies") or []
                    if isinstance(task.get("depends"), str):
                        deps = re.split(r"&&|\|\|", task["depends"])
                    fan_in = max(fan_in, len(deps))
                for group in (tpl or {}).get("steps") or []:
                    nodes += len(group or [])
            out.append(Pipeline("argo", f.rel, 1, nodes, fan_in))
    if ctx.named("MLproject"):
        out.append(Pipeline("mlflow-projects", ctx.named("MLproject")[0], 1, 0, 0))
    return out


def pipelines(ctx: Context) -> list[Pipeline]:
    cached = getattr(ctx, "_pipelines", None)
    if cached is None:
        cached = [
            p for p in _python_pipelines(ctx) + _yaml_pipelines(ctx) if not is_test_path(p.path)
        ]
        ctx._pipelines = cached  # type: ignore[attr-defined]
    return cached
