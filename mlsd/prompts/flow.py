"""The guided `mlsd new`: preset or patterns (resolved live), open axes, name, description.

Each step runs only when its option was not given; the result is a `Request` that renders
the same project as the equivalent command line (`Request.command`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import mlsd.prompts.widgets as widgets
from mlsd import api
from mlsd.catalog import Catalog, load_catalog
from mlsd.errors import MlsdError
from mlsd.prompts.live import status_of
from mlsd.prompts.request import Request
from mlsd.prompts.widgets import Option
from mlsd.render import validate_description, validate_name
from mlsd.resolver import Question, expand_presets, pending_questions, resolve

CHOOSE = "(choose patterns)"  # not a preset id: ids have no parentheses


def run(path: Path, request: Request, *, force: bool) -> Request:
    catalog = load_catalog()
    ask_name = request.name is None and not request.use_defaults
    ask_description = request.description is None and not request.use_defaults
    ask_axes = False
    if request.has_selection:
        # a clash or a bad option is refused now, not after the user has answered everything
        requested = expand_presets(catalog, request.patterns, request.presets)
        resolve(catalog, requested, use_defaults=True)
        ask_axes = not request.use_defaults and bool(pending_questions(catalog, requested))
    if request.has_selection and not (ask_axes or ask_name or ask_description):
        return request
    if request.name:
        validate_name(request.name)
    if request.description:
        validate_description(request.description)
    api.check_target(path, force)

    if not request.has_selection:
        preset = _ask_start(catalog)
        if preset == CHOOSE:
            request = replace(request, patterns=_ask_patterns(catalog), use_defaults=True)
        else:
            request = replace(request, presets=[preset])
    if not request.use_defaults:
        request = _ask_axes(catalog, request)
    if ask_name:
        request = replace(request, name=_ask_name(path))
    if ask_description:
        request = replace(request, description=_ask_description())
    return replace(request, asked=True)


def _ask_start(catalog: Catalog) -> str:
    presets = [
        Option(
            p.id,
            p.id,
            f"{p.summary} ({', '.join(p.patterns)})",
            disabled=None if p.available else "planned",
        )
        for p in catalog.presets.values()
    ]
    mine = Option(CHOOSE, "choose patterns", "pick any combination, checked as you go")
    default = next((p.value for p in presets if not p.disabled), CHOOSE)
    return widgets.select_one(
        "Start from a preset, or choose the patterns?",
        [("Presets", presets), ("Your own combination", [mine])],
        default=default,
    )


def _pattern_groups(catalog: Catalog) -> list[tuple[str, list[Option]]]:
    groups = []
    for category, heading in catalog.categories.items():
        options = [
            Option(e.id, e.id, e.summary, disabled=None if e.available else "planned")
            for e in catalog.patterns
            if e.category == category
        ]
        if options:
            groups.append((heading, options))
    return groups


def _ask_patterns(catalog: Catalog) -> list[str]:
    return widgets.pick_many(
        "Which patterns should the project combine?",
        _pattern_groups(catalog),
        judge=lambda picked: status_of(catalog, picked),
    )


def _axis_options(catalog: Catalog, question: Question, working: list[str]) -> list[Option]:
    """The axis members; one that is planned, or clashes with the rest, is shown but disabled."""
    options = []
    for pid in question.choices:
        entry = catalog.entries[pid]
        why = None
        if not entry.available:
            why = "planned"
        else:
            status = status_of(catalog, [*working, pid])
            why = None if status.ok else f"clashes: {status.problem}"
        options.append(Option(pid, pid, entry.summary, disabled=why))
    return options


def _ask_axes(catalog: Catalog, request: Request) -> Request:
    """Each open axis as a choice; taking its default is recorded as `--defaults`."""
    working = expand_presets(catalog, request.patterns, request.presets)
    answers: list[str] = []
    chosen: list[str] = []  # answers other than the default: what the user asked for
    while questions := pending_questions(catalog, working):
        question = questions[0]
        options = _axis_options(catalog, question, working)
        usable = [o.value for o in options if not o.disabled]
        if not usable:  # nothing fits: resolve() explains why
            resolve(catalog, working, use_defaults=True)
        default = question.default if question.default in usable else usable[0]
        answer = widgets.select_one(
            f"Which {question.title}? (needed by {', '.join(question.needed_by)})",
            [("", options)],
            default=default,
        )
        working.append(answer)
        answers.append(answer)
        if answer != question.default:
            chosen.append(answer)
    took_default = len(chosen) < len(answers)
    answered = replace(request, patterns=[*request.patterns, *chosen], use_defaults=took_default)
    replayed = expand_presets(catalog, answered.patterns, answered.presets)
    if resolve(catalog, replayed, use_defaults=True).patterns != resolve(catalog, working).patterns:
        # a default that depends on a later answer: record every answer explicitly
        answered = replace(request, patterns=[*request.patterns, *answers], use_defaults=False)
    return answered


def _refusal(check: Callable[[str], str], value: str) -> str | None:
    try:
        check(value)
    except MlsdError as exc:
        return exc.message
    return None


def _ask_name(path: Path) -> str | None:
    default = api.default_name(path)
    name = widgets.text("Project name", default, lambda v: _refusal(validate_name, v.strip()))
    return None if name == default else name


def _ask_description() -> str | None:
    line = widgets.text(
        "One line on what it predicts (Enter keeps a generic one)",
        "",
        lambda v: _refusal(validate_description, v) if v.strip() else None,
    )
    return validate_description(line) if line else None
