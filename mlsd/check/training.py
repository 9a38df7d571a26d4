"""Training facts about one module: does it train, which calls train, is it a script."""

from __future__ import annotations

import ast

from mlsd.check import vocab
from mlsd.check.pyfacts import CallFact, PyModule, dotted


def has_training(mod: PyModule) -> bool:
    if not vocab.may_train(mod.text):
        return False
    return any(vocab.is_training_call(c.name) and c.attr != "partial_fit" for c in mod.calls)


def training_calls(mod: PyModule) -> list[CallFact]:
    if not vocab.may_train(mod.text):
        return []
    return [c for c in mod.calls if vocab.is_training_call(c.name)]


def trains_when_run(mod: PyModule) -> bool:
    """The module is also a training script: its `if __name__ == "__main__":` block calls
    training, directly or through a function or method defined in the module."""
    if "__main__" not in mod.text or not vocab.may_train(mod.text):
        return False
    trainers = {fn.name for fn in mod.functions if any(_trains(c) for c in fn.calls)}
    for stmt in mod.tree.body:
        if isinstance(stmt, ast.If) and "__main__" in ast.unparse(stmt.test):
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call):
                    name = dotted(node.func)
                    if vocab.is_training_call(name) or name.rsplit(".", 1)[-1] in trainers:
                        return True
    return False


def _trains(call: CallFact) -> bool:
    return vocab.is_training_call(call.name) and call.attr != "partial_fit"
