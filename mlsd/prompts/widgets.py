"""The keyboard widgets of the guided flow: questionary prompts, Ctrl-C -> exit 130.

Imported only by the guided flow, so no other command pays for prompt_toolkit.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.filters import IsDone
from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from questionary import Choice, Separator
from questionary.prompts.common import InquirerControl

from mlsd.output import console
from mlsd.prompts.cancel import cancel
from mlsd.prompts.live import EMPTY, Status, status_lines

STYLE = questionary.Style(
    [
        ("separator", "bold"),
        ("disabled", "fg:ansibrightblack italic"),
        ("live.ok", "fg:ansigreen bold"),
        ("live.added", "fg:ansicyan"),
        ("live.problem", "fg:ansired bold"),
        ("live.hint", "fg:ansiyellow"),
    ]
)


@dataclass(frozen=True)
class Option:
    """One line of a list: `value` is returned; `disabled` says why it cannot be chosen."""

    value: str
    label: str
    summary: str = ""
    disabled: str | None = None


def _ask(question: questionary.Question) -> Any:
    try:
        answer = question.unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        cancel()
    if answer is None:  # the prompt was closed without an answer
        cancel()
    return answer


def _answered(message: str, answer: str) -> None:
    """The one line a list leaves behind once answered (its long rows are erased)."""
    from rich.markup import escape

    console().print(f"[bold green]?[/] [bold]{escape(message)}[/] [cyan]{escape(answer)}[/]")


def _title(option: Option, width: int) -> str:
    """`label  summary`, cut to one terminal line: a wrapped line breaks the list's scrolling."""
    text = f"{option.label:<{width}}  {option.summary}".rstrip()
    room = shutil.get_terminal_size().columns - 16  # pointer, box, " (planned)"
    return text if len(text) <= room else text[: room - 1] + "…"


def _choices(groups: Sequence[tuple[str, Sequence[Option]]]) -> list[Choice | Separator]:
    width = max((len(o.label) for _, options in groups for o in options), default=0)
    out: list[Choice | Separator] = []
    for heading, options in groups:
        if heading:
            out.append(Separator(f"── {heading} ──"))
        out += [Choice(_title(o, width), value=o.value, disabled=o.disabled) for o in options]
    return out


def select_one(message: str, groups: Sequence[tuple[str, Sequence[Option]]], default: str) -> str:
    choices = _choices(groups)
    labels = {o.value: o.label for _, options in groups for o in options}
    pointed = next(c for c in choices if isinstance(c, Choice) and c.value == default)
    question = questionary.select(
        message,
        choices=choices,
        default=pointed,
        style=STYLE,
        instruction="(arrow keys, Enter to choose)",
        erase_when_done=True,
    )
    answer = str(_ask(question))
    _answered(message, labels.get(answer, answer))
    return answer


@dataclass
class _Live:
    """The verdict on the checkbox's current selection, read by the panel at each redraw."""

    status: Status = EMPTY
    count: int = 0


def pick_many(
    message: str,
    groups: Sequence[tuple[str, Sequence[Option]]],
    judge: Callable[[list[str]], Status],
) -> list[str]:
    """A checkbox with a live panel under it: what `judge` says about the current selection.

    questionary calls `validate` on every toggle, so the panel follows each keypress; a
    selection `judge` refuses cannot be submitted (Enter shows the refusal instead).
    """
    live = _Live()
    selectable = {o.value for _, options in groups for o in options if not o.disabled}

    def validate(values: list[str]) -> bool | str:
        # a filter can leave the cursor on a heading, and space then "selects" it: ignore it
        values = [v for v in values if v in selectable]
        status = judge(values)
        live.status, live.count = status, len(values)
        return True if status.ok else status.refusal()

    def panel() -> list[tuple[str, str]]:
        lines = status_lines(live.status, live.count)
        return [(f"class:live.{style}", text + "\n") for style, text in lines]

    question = questionary.checkbox(
        message,
        choices=_choices(groups),
        validate=validate,
        style=STYLE,
        use_jk_keys=False,
        use_search_filter=True,
        instruction="(arrows move, space toggles, type to filter, Enter confirms)",
        erase_when_done=True,
    )
    app = question.application
    window = Window(FormattedTextControl(panel), dont_extend_height=True, wrap_lines=True)
    app.layout = Layout(HSplit([app.layout.container, ConditionalContainer(window, ~IsDone())]))
    app.before_render += _cursor_off_headings
    picked = [v for v in _ask(question) if v in selectable]
    _answered(message, ", ".join(picked))
    return picked


def _cursor_off_headings(app: Application[Any]) -> None:
    """Typing a filter puts the cursor on the first row, which can be a category heading or a
    planned pattern; space there would toggle nothing. Move it to the next real choice."""
    for window in app.layout.find_all_windows():
        control = window.content
        if isinstance(control, InquirerControl) and control.choice_count:
            for _ in range(control.choice_count):
                if control.is_selection_valid():
                    break
                control.select_next()


def text(message: str, default: str, check: Callable[[str], str | None]) -> str:
    """A line of text; `check` returns why it is refused, or None."""
    question = questionary.text(
        message, default=default, style=STYLE, validate=lambda v: check(v) or True
    )
    return str(_ask(question)).strip()


def confirm(message: str) -> bool:
    return bool(_ask(questionary.confirm(message, default=True, style=STYLE)))
