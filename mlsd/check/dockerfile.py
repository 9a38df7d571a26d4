"""A small Dockerfile parser: stages, FROM, COPY/ADD, RUN, CMD/ENTRYPOINT, HEALTHCHECK, USER."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field


@dataclass
class Instruction:
    op: str  # upper-case keyword
    args: str  # continuation lines joined
    line: int  # first line
    flags: dict[str, str] = field(default_factory=dict)

    def words(self) -> list[str]:
        """Exec-form JSON or shell words, never raising."""
        text = self.args.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
                if isinstance(value, list):
                    return [str(v) for v in value]
            except ValueError:
                pass
        try:
            return shlex.split(text, comments=False)
        except ValueError:
            return text.split()


@dataclass
class Copy:
    sources: list[str]
    dest: str
    from_stage: str | None
    line: int
    op: str


@dataclass
class Stage:
    index: int
    base: str
    alias: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)

    def ops(self, *names: str) -> list[Instruction]:
        return [i for i in self.instructions if i.op in names]

    @property
    def copies(self) -> list[Copy]:
        out = []
        for ins in self.ops("COPY", "ADD"):
            words = [w for w in ins.words()]
            if len(words) < 2:
                continue
            out.append(Copy(words[:-1], words[-1], ins.flags.get("from"), ins.line, ins.op))
        return out


@dataclass
class Dockerfile:
    path: str
    stages: list[Stage]

    @property
    def final(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def stage(self, ref: str) -> Stage | None:
        for s in self.stages:
            if s.alias == ref.lower() or str(s.index) == ref:
                return s
        return None

    def lineage(self, stage: Stage) -> list[Stage]:
        """The stage and the in-file stages it is built FROM (nearest first)."""
        out = [stage]
        seen = {stage.index}
        while True:
            parent = self.stage(out[-1].base)
            if parent is None or parent.index in seen:
                return out
            out.append(parent)
            seen.add(parent.index)

    def command(
        self, stage: Stage | None = None, cmd: list[str] | None = None
    ) -> tuple[list[str], int]:
        """ENTRYPOINT + CMD words of a stage (inherited within the file) and the line;
        `cmd` replaces the CMD, as a compose `command:` does."""
        stage = stage or self.final
        if stage is None:
            return [], 0
        entry: Instruction | None = None
        last: Instruction | None = None
        for s in self.lineage(stage):
            for ins in reversed(s.instructions):
                if ins.op == "ENTRYPOINT" and entry is None:
                    entry = ins
                if ins.op == "CMD" and last is None:
                    last = ins
        line = (entry or last).line if (entry or last) else stage.line
        if cmd is None:
            cmd = last.words() if last else []
        words = (entry.words() if entry else []) + cmd
        return words, line

    def base_image(self, stage: Stage | None = None) -> str:
        """The external image a stage finally derives from."""
        stage = stage or self.final
        return self.lineage(stage)[-1].base if stage else ""


def _flags(args: str) -> tuple[dict[str, str], str]:
    flags: dict[str, str] = {}
    rest = args.lstrip()
    while rest.startswith("--"):
        token, _, rest = rest.partition(" ")
        key, _, value = token[2:].partition("=")
        flags[key.lower()] = value
        rest = rest.lstrip()
    return flags, rest


def parse_dockerfile(path: str, text: str) -> Dockerfile:
    stages: list[Stage] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        raw = lines[i]
        start = i + 1
        i += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        joined = stripped
        while joined.endswith("\\") and i < len(lines):
            joined = joined[:-1]
            nxt = lines[i].strip()
            i += 1
            if nxt.startswith("#") or not nxt:
                joined += "\\"  # comments and blank lines inside a continuation are dropped
                continue
            joined += " " + nxt
        joined = joined.rstrip("\\").strip()
        op, _, args = joined.partition(" ")
        op = op.upper()
        flags: dict[str, str] = {}
        if op in ("FROM", "COPY", "ADD", "RUN", "HEALTHCHECK"):
            flags, args = _flags(args)
        if op == "FROM":
            words = args.split()
            base = words[0] if words else ""
            alias = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(Stage(len(stages), base, alias, start))
            continue
        if not stages:
            continue  # ARG before FROM, parser directives
        stages[-1].instructions.append(Instruction(op, args, start, flags))
    return Dockerfile(path, stages)
