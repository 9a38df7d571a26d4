"""The parts of routing rules that know nothing of the request's schema or the routes.

Header and time-of-day conditions, the strict pydantic base, parsing a YAML rules file with
the place of every error named, and `ReloadingFile`: a rules file re-read whenever it changes
on disk (size, mtime or inode), so rules are edited without a restart. A valid new file
replaces the rules at once; an invalid one is reported and the last valid rules stay in force;
until a valid file was read there are no rules (`error` says why). Plain Python: the gateway
mlsd writes and the one `mlsd adopt` puts in front of a foreign service share this module.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

log = logging.getLogger(__name__)

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HeaderCondition(Strict):
    """A request header: equal to a value, one of several, or just present."""

    name: str = Field(min_length=1)
    equals: str | None = None
    one_of: list[str] | None = Field(default=None, min_length=1)
    present: bool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> HeaderCondition:
        tests = [self.equals is not None, self.one_of is not None, self.present is not None]
        if sum(tests) != 1:
            raise ValueError("a header condition needs exactly one of equals, one_of, present")
        return self

    def holds(self, headers: Mapping[str, str]) -> bool:
        value = headers.get(self.name)
        if self.present is not None:
            return (value is not None) == self.present
        if value is None:
            return False
        if self.equals is not None:
            return value == self.equals
        return value in (self.one_of or [])


class Comparison(Strict):
    """A number compared with gt / ge / lt / le / eq (at least one; all given must hold)."""

    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    eq: float | None = None

    @model_validator(mode="after")
    def _some_test(self) -> Comparison:
        if all(getattr(self, op) is None for op in ("gt", "ge", "lt", "le", "eq")):
            raise ValueError("a field condition needs at least one of gt, ge, lt, le, eq")
        return self

    def holds_for(self, value: float) -> bool:
        return (
            (self.gt is None or value > self.gt)
            and (self.ge is None or value >= self.ge)
            and (self.lt is None or value < self.lt)
            and (self.le is None or value <= self.le)
            and (self.eq is None or value == self.eq)
        )


class TimeCondition(Strict):
    """A daily window [start, end) in `timezone`; start > end crosses midnight."""

    start: dt.time
    end: dt.time
    timezone: str = "UTC"
    days: list[Day] | None = Field(default=None, min_length=1)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _hh_mm(cls, value: Any) -> Any:
        if isinstance(value, int):  # YAML reads an unquoted 22:00 as the number 1320 (minutes)
            raise ValueError("write times as quoted strings, e.g. '22:00'")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value != "UTC":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                message = f"unknown timezone {value!r} (an IANA name such as Europe/Paris)"
                raise ValueError(message) from None
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> TimeCondition:
        if self.start == self.end:
            raise ValueError("a time window needs start != end")
        return self

    def holds(self, now: dt.datetime) -> bool:
        zone = dt.UTC if self.timezone == "UTC" else ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        if self.days is not None and DAYS[local.weekday()] not in self.days:
            return False
        clock = local.time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


def unique_names(rules: list[Any]) -> list[Any]:
    """A validator's body: rule names must be unique."""
    names = [rule.name for rule in rules]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"rule names must be unique: {', '.join(twice)}")
    return rules


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file and what is wrong."""


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "(top)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


M = TypeVar("M", bound=BaseModel)


def parse_model(
    model: type[M], text: str, source: str, context: Mapping[str, Any] | None = None
) -> M:
    """``text`` (YAML) as ``model``; RulesError naming ``source`` and the place of each error.
    ``context`` reaches the validators (e.g. the routes or fields a rule may name)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{source} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RulesError(f"{source} must be a mapping with `default` and `rules`")
    try:
        return model.model_validate(data, context=dict(context or {}))
    except ValidationError as exc:
        raise RulesError(f"{source} is invalid: {_describe(exc)}") from None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"cannot read the routing rules file {path}: {exc.strerror}") from None


class HasRules(Protocol):
    @property
    def rules(self) -> list[Any]: ...


R = TypeVar("R", bound=HasRules)


class FixedRules(Generic[R]):
    """No rules file: the same rules for good (a gateway started without one)."""

    path: Path | None = None
    error: str | None = None
    loads = 0

    def __init__(self, rules: R) -> None:
        self.rules = rules

    def refresh(self) -> R:
        return self.rules


class ReloadingFile(Generic[R]):
    """The rules of one file, re-read whenever the file changes."""

    def __init__(self, path: Path, load: Callable[[Path], R]) -> None:
        self.path = path
        self.load = load
        self.rules: R | None = None
        self.error: str | None = None
        self.loads = 0
        self._signature: tuple[int, int, int] | None = None

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def refresh(self) -> R | None:
        """Re-read the file if it changed; return the rules in force (None: none valid yet)."""
        signature = self._stat()
        if signature is not None and signature == self._signature:
            return self.rules
        self._signature = signature
        try:
            rules = self.load(self.path)
        except RulesError as exc:
            self.error = str(exc)
            log.error(
                "routing rules rejected",
                extra={"path": str(self.path), "error": self.error, "kept": self.rules is not None},
            )
            return self.rules
        self.rules, self.error = rules, None
        self.loads += 1
        log.info(
            "routing rules loaded",
            extra={
                "path": str(self.path),
                "rules": [rule.name for rule in rules.rules],
                "loads": self.loads,
            },
        )
        return self.rules
