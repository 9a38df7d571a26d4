"""Merges where a line merge lies: lists merged as lists, requirements as requirement sets.

A line merge sees two additions at the end of the same list (a kustomization resource, a
compose service, a dependency) as a conflict, and sees nothing wrong in a dependency the user
pinned that mlsd adds again, pinned differently, to an extra. This layer, between the text
merge and the plan, fixes both for TOML and YAML files:

- `settle` turns a conflict hunk whose three sides are list items (YAML ``- item`` lines,
  quoted strings of a TOML array) into the three-way merge of those items: an item either
  side removed goes, an item either side added comes, an item the user changed keeps the
  user's version. Requirements are matched by package name. A hunk where both sides only
  insert whole YAML entries at one indentation (two compose services) gets both.
- `check` runs on a merged file: in `pyproject.toml` a package the user pinned keeps the
  user's specifier everywhere mlsd asks for it (and says so), so no installable combination
  lists one package with two specifiers; and a merged TOML/YAML file must still parse (no
  duplicate keys), or the caller makes it a conflict.

Both only act when the user's file and mlsd's parse: a file that is broken already, or a
template that is not plain YAML, is merged as text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

from mlsd.merge.text import Hunk

Kind = Literal["pyproject", "toml", "yaml"]

_TOML_ITEM = re.compile(rb"""^\s*(["'])(?P<value>[^"'\r\n]+)\1\s*,?\s*(#[^\r\n]*)?\r?\n?$""")
_YAML_ITEM = re.compile(rb"^(?P<indent> *)- \S[^\r\n]*\r?\n?$")


def kind(path: str) -> Kind | None:
    name = path.rsplit("/", 1)[-1]
    if name == "pyproject.toml":
        return "pyproject"
    if name.endswith(".toml"):
        return "toml"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    return None


# --------------------------------------------------------------------------------------
# Conflict hunks of list items
# --------------------------------------------------------------------------------------


def settle(
    path: str,
    hunks: Sequence[Hunk],
    base: Sequence[bytes],
    ours: Sequence[bytes],
    theirs: Sequence[bytes],
) -> list[Hunk]:
    """``hunks`` with every conflict of list items replaced by its item-wise merge."""
    file_kind = kind(path)
    if file_kind is None:
        return list(hunks)
    out = []
    for hunk in hunks:
        lines = None
        if hunk.kind == "conflict":
            sides = [_slice(base, hunk.base), _slice(ours, hunk.ours), _slice(theirs, hunk.theirs)]
            lines = _merge_items(file_kind, *sides)
            if lines is None and file_kind == "yaml" and not sides[0]:
                lines = _both_entries(sides[1], sides[2])
        out.append(hunk if lines is None else replace(hunk, kind="settled", lines=tuple(lines)))
    return out


def _slice(lines: Sequence[bytes], span: tuple[int, int]) -> list[bytes]:
    return list(lines[span[0] : span[1]])


def _merge_items(
    file_kind: Kind, base: list[bytes], ours: list[bytes], theirs: list[bytes]
) -> list[bytes] | None:
    keyed = [_items(file_kind, side) for side in (base, ours, theirs)]
    if any(k is None for k in keyed):
        return None
    b, o, t = (dict(k or []) for k in keyed)
    if len(b) != len(base) or len(o) != len(ours) or len(t) != len(theirs):
        return None  # the same item twice on one side: leave it to the user
    merged = []
    for key, line in o.items():
        if key not in b or line != b[key]:
            merged.append(line)  # the user added or changed it
        elif key in t:
            merged.append(t[key])  # untouched by the user: mlsd's version (or removal)
    merged += [line for key, line in t.items() if key not in o and key not in b]
    return merged


def _items(file_kind: Kind, lines: list[bytes]) -> list[tuple[str, bytes]] | None:
    """(key, line) per line when every line is one list item, else None."""
    out = []
    indents = set()
    for line in lines:
        if file_kind == "yaml":
            match = _YAML_ITEM.match(line)
            if match is None:
                return None
            indents.add(match["indent"])
            out.append((line.strip().decode("utf-8", "replace"), line))
        else:
            match = _TOML_ITEM.match(line)
            if match is None:
                return None
            value = match["value"].decode("utf-8", "replace")
            out.append((_package(value) if file_kind == "pyproject" else value, line))
    return out if len(indents) <= 1 else None


def _package(requirement: str) -> str:
    """The canonical package name of a requirement (the text itself when it is none)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        return str(canonicalize_name(Requirement(requirement).name))
    except InvalidRequirement:
        return requirement


def _both_entries(ours: list[bytes], theirs: list[bytes]) -> list[bytes] | None:
    """Both sides inserted whole YAML entries at one indentation: keep both, the user's first."""
    indents = {_entry_indent(side) for side in (ours, theirs)}
    if None in indents or len(indents) != 1:
        return None
    return [*ours, *theirs]


def _entry_indent(lines: list[bytes]) -> int | None:
    """The indentation of the entries ``lines`` holds, if they are whole entries."""
    body = [line for line in lines if line.strip()]
    if not body:
        return None
    first = len(body[0]) - len(body[0].lstrip(b" "))
    if body[0].lstrip().startswith(b"#"):
        return None
    if any(len(line) - len(line.lstrip(b" ")) < first for line in body):
        return None
    return first


# --------------------------------------------------------------------------------------
# Checks of a merged file
# --------------------------------------------------------------------------------------


def check(
    path: str, base: bytes | None, ours: bytes, theirs: bytes, merged: bytes
) -> tuple[bytes | None, list[str]]:
    """The merged file made consistent, with notes; None when it no longer parses."""
    file_kind = kind(path)
    if file_kind is None or not (parses(file_kind, ours) and parses(file_kind, theirs)):
        return merged, []
    notes: list[str] = []
    if file_kind == "pyproject":
        merged, notes = keep_user_pins(base or b"", ours, merged)
    return (merged if parses(file_kind, merged) else None), notes


def parses(file_kind: Kind, data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
        if file_kind == "yaml":
            import yaml

            for _ in yaml.load_all(text, Loader=_unique_key_loader()):
                pass
        else:
            tomllib.loads(text)
    except Exception:  # any parser error (or a non-UTF-8 file) means: does not parse
        return False
    return True


def _unique_key_loader() -> Any:
    """A safe YAML loader that refuses a mapping with the same key twice (two services)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where there is one

    class UniqueKeyLoader(base):  # type: ignore[misc, valid-type]
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return loader.construct_mapping(node, deep)

    tag = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
    UniqueKeyLoader.add_constructor(tag, mapping)
    return UniqueKeyLoader


def requirements(data: bytes) -> list[tuple[str, str]]:
    """(where, requirement) for every string in the dependency lists of a pyproject."""
    doc = tomllib.loads(data.decode("utf-8"))
    project = doc.get("project") or {}
    lists: list[tuple[str, Any]] = [("dependencies", project.get("dependencies"))]
    for table, label in (
        (project.get("optional-dependencies"), "extra"),
        (doc.get("dependency-groups"), "group"),
    ):
        if isinstance(table, dict):
            lists += [(f"{label} {name}", items) for name, items in table.items()]
    return [
        (where, item)
        for where, items in lists
        if isinstance(items, list)
        for item in items
        if isinstance(item, str)
    ]


def keep_user_pins(base: bytes, ours: bytes, merged: bytes) -> tuple[bytes, list[str]]:
    """Give every requirement on a package the user pinned the user's specifier."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    def specs(data: bytes) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for _, text in requirements(data):
            try:
                req = Requirement(text)
            except InvalidRequirement:
                continue
            out.setdefault(canonicalize_name(req.name), set()).add(str(req.specifier))
        return out

    before, mine = specs(base), specs(ours)
    pins = {}  # the one specifier the user brought in for a package
    for name, spec in mine.items():
        new = spec - before.get(name, set())
        if len(new) == 1 and next(iter(new)):
            pins[name] = next(iter(new))
    notes = []
    for where, text in requirements(merged):
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        pin = pins.get(canonicalize_name(req.name))
        if pin is None or str(req.specifier) == pin:
            continue
        req.specifier = type(req.specifier)(pin)
        for quote in (b'"', b"'"):
            merged = merged.replace(
                quote + text.encode() + quote, quote + str(req).encode() + quote
            )
        notes.append(f"kept your {req.name}{pin} (mlsd asks for {text} in {where})")
    return merged, notes
