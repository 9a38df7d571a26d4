"""What a selection resolves to, as the checkbox shows it while the user toggles (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mlsd.catalog import Catalog
from mlsd.errors import MlsdError
from mlsd.resolver import REQUESTED, resolve


@dataclass(frozen=True)
class Status:
    """The resolver's verdict on a selection: what it adds and why, or why it is refused."""

    added: tuple[tuple[str, str], ...] = ()  # (pattern id, reason)
    problem: str | None = None
    instead: str | None = None
    details: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.problem is None

    def refusal(self) -> str:
        """One line for the validation bar when Enter is refused (the panel has the rest)."""
        return f"Not possible: {self.problem}"


EMPTY = Status(problem="nothing chosen yet", instead="space toggles the pattern under the cursor")


def status_of(catalog: Catalog, picked: Sequence[str]) -> Status:
    """Resolve `picked` as `mlsd new --pattern ... --defaults` would."""
    if not picked:
        return EMPTY
    try:
        resolution = resolve(catalog, picked, use_defaults=True)
    except MlsdError as exc:
        return Status(problem=exc.message, instead=exc.hint, details=tuple(exc.details))
    added = tuple((pid, why) for pid, why in resolution.reasons.items() if why != REQUESTED)
    return Status(added=added)


def status_lines(status: Status, picked: int) -> list[tuple[str, str]]:
    """(style, text) lines for the live panel under the checkbox."""
    if not status.ok:
        lines = [("problem", f"x {status.problem}")]
        if status.instead:
            lines.append(("hint", f"  instead: {status.instead}"))
        return lines
    total = picked + len(status.added)
    lines = [("ok", f"ok: {total} pattern{'s' if total != 1 else ''} ({picked} chosen)")]
    lines += [("added", f"  + {pid}: {why}") for pid, why in status.added]
    return lines
