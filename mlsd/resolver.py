"""Selection -> a closed, valid, ordered set of patterns with reasons (a pure function).

The rules all come from the manifests (axis, requires, requires_axes, conflicts, implies,
requires_gateway, needs_serving); nothing about a particular pattern is written here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mlsd.catalog import Catalog, Entry
from mlsd.errors import MissingAnswersError, ResolutionError, UsageError

REQUESTED = "requested"


@dataclass(frozen=True)
class Question:
    """An axis the user left open that the chosen patterns need answered."""

    axis: str
    title: str
    choices: tuple[str, ...]
    default: str | None
    needed_by: tuple[str, ...]

    def describe(self) -> str:
        options = ", ".join(self.choices)
        default = f" (default: {self.default})" if self.default else ""
        return (
            f"{self.title}: choose one of {options}{default}; needed by {', '.join(self.needed_by)}"
        )


@dataclass(frozen=True)
class Resolution:
    """The closed set, in catalog order, with why each pattern is in it."""

    patterns: tuple[str, ...]
    reasons: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"patterns": list(self.patterns), "reasons": dict(self.reasons)}

    def has(self, pattern_id: str) -> bool:
        return pattern_id in self.patterns


def expand_presets(catalog: Catalog, patterns: Iterable[str], presets: Iterable[str]) -> list[str]:
    chosen: list[str] = []
    for preset in presets:
        chosen.extend(catalog.get_preset(preset).patterns)
    chosen.extend(patterns)
    return list(dict.fromkeys(chosen))


def resolve(
    catalog: Catalog,
    requested: Iterable[str],
    *,
    use_defaults: bool = False,
    allow_planned: bool = False,
) -> Resolution:
    """Close `requested` under implies/requires/axis defaults and validate every rule.

    Raises ResolutionError for clashes and planned patterns, MissingAnswersError when an
    axis is needed but open and `use_defaults` is False (listing every open question).
    """
    reasons: dict[str, str] = {}
    for pid in requested:
        entry = catalog.get(pid)
        if entry.kind != "pattern":
            raise UsageError(
                f"'{pid}' is an antipattern, not something to build",
                hint=f"see `mlsd show {pid}` for the patterns that fix it",
            )
        reasons.setdefault(pid, REQUESTED)
    if not reasons:
        raise UsageError(
            "no pattern chosen",
            hint="pass --pattern ID (see `mlsd list`), --preset NAME, or run in a terminal",
        )

    while True:
        _close(catalog, reasons)
        _check_axes(catalog, reasons)
        _check_conflicts(catalog, reasons)
        _check_gateway(catalog, reasons)
        questions = open_questions(catalog, reasons)
        if not questions:
            break
        if not use_defaults:
            raise MissingAnswersError(
                "some questions are still open",
                hint="add the missing --pattern choices, or pass --defaults to take the defaults",
                details=[q.describe() for q in questions],
            )
        for q in questions:
            if q.default is None:
                raise MissingAnswersError(f"{q.title} has no default", details=[q.describe()])
            reasons[q.default] = f"default {q.title} (needed by {', '.join(q.needed_by)})"

    ordered = tuple(sorted(reasons, key=catalog.rank))
    if not allow_planned:
        planned = [p for p in ordered if not catalog.entries[p].available]
        if planned:
            raise ResolutionError(
                f"not available yet: {', '.join(planned)}",
                hint="these patterns are planned; `mlsd list --status available` shows what "
                "`mlsd new` can render today",
                details=[f"{p}: {reasons[p]}" for p in planned],
            )
    return Resolution(patterns=ordered, reasons={p: reasons[p] for p in ordered})


def pending_questions(catalog: Catalog, requested: Iterable[str]) -> list[Question]:
    """The axes `requested` leaves open (what `--defaults` would fill), for asking one by one.

    Clashes are not checked here; `resolve` does that once the answers are in.
    """
    reasons = dict.fromkeys(requested, REQUESTED)
    _close(catalog, reasons)
    return open_questions(catalog, reasons)


def _close(catalog: Catalog, reasons: dict[str, str]) -> None:
    """Add implied and required patterns transitively, recording why."""
    queue = list(reasons)
    while queue:
        entry = catalog.get(queue.pop(0))
        for other, why in [(i, "implied by") for i in entry.implies] + [
            (r, "required by") for r in entry.requires
        ]:
            if other not in reasons:
                reasons[other] = f"{why} {entry.id}"
                queue.append(other)


def _entries(catalog: Catalog, reasons: dict[str, str]) -> list[Entry]:
    return [catalog.entries[p] for p in sorted(reasons, key=catalog.rank)]


def _check_axes(catalog: Catalog, reasons: dict[str, str]) -> None:
    for axis_id, axis in catalog.axes.items():
        members = [p for p in catalog.axis_members(axis_id) if p in reasons]
        if len(members) > axis.max:
            raise ResolutionError(
                f"{' and '.join(members)} clash: a project has at most {axis.max} {axis.title}",
                hint=f"choose one of {', '.join(members)}",
                details=[f"{m}: {reasons[m]}" for m in members],
            )


def _check_conflicts(catalog: Catalog, reasons: dict[str, str]) -> None:
    for entry in _entries(catalog, reasons):
        for other in entry.conflicts:
            if other in reasons:
                why = entry.conflict_reason(other)
                raise ResolutionError(
                    f"{entry.id} and {other} cannot be combined" + (f": {why}" if why else ""),
                    hint=f"drop {other}, or choose another pattern than {entry.id}",
                    details=[f"{entry.id}: {reasons[entry.id]}", f"{other}: {reasons[other]}"],
                )


def _topology(catalog: Catalog, reasons: dict[str, str]) -> Entry | None:
    for pid in catalog.axis_members("online-topology"):
        if pid in reasons:
            return catalog.entries[pid]
    return None


def _gateway_topologies(catalog: Catalog) -> list[str]:
    return [p for p in catalog.axis_members("online-topology") if catalog.entries[p].gateway]


def _check_gateway(catalog: Catalog, reasons: dict[str, str]) -> None:
    topology = _topology(catalog, reasons)
    if topology is None or topology.gateway:
        return
    needing = [e for e in _entries(catalog, reasons) if e.requires_gateway]
    if not needing:
        return
    first = needing[0]
    why = "it lives in a gateway in front of separate model servers"
    if first.min_model_services > 1:
        why = (
            f"it needs {first.min_model_services} or more model services; several models in "
            f"one process is the all-in-one antipattern"
        )
    raise ResolutionError(
        f"{first.id} cannot be combined with {topology.id}: {why}",
        hint=f"use a gateway topology instead of {topology.id}: "
        f"{', '.join(map(catalog.label, _gateway_topologies(catalog)))}",
        details=[f"{e.id}: {reasons[e.id]}" for e in needing],
    )


def open_questions(catalog: Catalog, reasons: dict[str, str]) -> list[Question]:
    """Axes that chosen patterns need but nobody answered, in axis order."""
    entries = _entries(catalog, reasons)
    needed: dict[str, list[str]] = {}
    for e in entries:
        axes = list(e.requires_axes)
        if e.requires_gateway:
            axes.append("online-topology")
        if e.serves_model:
            axes.append("model-delivery")
        if e.needs_serving and not any(o.serves_model for o in entries):
            axes.append("online-topology")
        for axis in axes:
            needed.setdefault(axis, []).append(e.id)
    questions = []
    for axis_id, axis in catalog.axes.items():
        if axis_id not in needed:
            continue
        if any(p in reasons for p in catalog.axis_members(axis_id)):
            continue
        choices = catalog.axis_members(axis_id)
        default = axis.default
        if any(e.requires_gateway for e in entries) and axis.gateway_default:
            default = axis.gateway_default
            choices = tuple(p for p in choices if catalog.entries[p].gateway)
        questions.append(
            Question(axis_id, axis.title, choices, default, tuple(dict.fromkeys(needed[axis_id])))
        )
    return questions
