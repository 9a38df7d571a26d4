"""`mlsd adopt`: check the repository and the flags, then plan the first change like `add`.

Nothing is written until every input is checked; the plan (a journal, then one atomic apply)
is the same `EvolveResult` as `mlsd add`, with an empty merge base: every file already in the
repository is the user's.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mlsd import __version__
from mlsd.adopt.options import DEFAULT_DIR, DEFAULT_PREDICT_PATH, KEY, Adopted, adopted
from mlsd.adopt.resolve import adoptable
from mlsd.catalog import load_catalog
from mlsd.errors import TargetError, UsageError
from mlsd.evolve import EvolveResult, _plan, check_version
from mlsd.merge import ConflictStyle
from mlsd.progress import check_idle
from mlsd.render import Project, _clash, validate_name
from mlsd.resolver import Resolution
from mlsd.state import ANSWERS_FILE, STATE_DIR, Answers, read_answers

FOLDER_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# a folder named like these would shadow a package the adopted folder's code imports
RESERVED = frozenset({"mlsd", "tests", "src", "fastapi", "httpx", "locust", "pytest"})


def check_upstream(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise UsageError(
            f"--upstream {url!r} is not an http(s) base URL",
            hint="e.g. --upstream http://localhost:8000 (the service's base URL; the path of its "
            "prediction endpoint goes in --predict-path)",
        )
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise UsageError(f"--upstream {url!r} has an invalid port") from None
    return url.rstrip("/")


def check_upstream_command(command: str | None) -> str | None:
    """The command line the generated tests start the upstream with; `{port}` is required
    (the tests pick a free port), and it must split like a shell line."""
    if command is None:
        return None
    hint = 'e.g. --upstream-command "uvicorn app:app --port {port}" (run in the top folder)'
    command = command.strip()
    if not command or any(ch in command for ch in "\r\n\0"):
        raise UsageError("--upstream-command must be one non-empty command line", hint=hint)
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        message = f"--upstream-command {command!r} does not parse: {exc}"
        raise UsageError(message, hint=hint) from None
    if not argv or "{port}" not in command:
        raise UsageError(
            f"--upstream-command {command!r} has no {{port}}: the tests start your service on a "
            "free port and put it there",
            hint=hint,
        )
    if "${{" in command:
        raise UsageError(
            f"--upstream-command {command!r} holds `${{{{`, which GitHub Actions would expand",
            hint=hint,
        )
    return command


def check_predict_path(path: str) -> str:
    if not re.match(r"^/[A-Za-z0-9._~/-]*$", path) or "//" in path:
        raise UsageError(
            f"--predict-path {path!r} is not a URL path", hint="e.g. --predict-path /v1/predict"
        )
    return path


def check_folder(root: Path, folder: str) -> str:
    package = folder.replace("-", "_")
    why = None
    if not FOLDER_RE.match(folder) or len(folder) > 40:
        why = "use lower-case letters, digits and single dashes, starting with a letter"
    elif folder in RESERVED or package in RESERVED or _clash(package):
        why = f"its package `{package}` would shadow a Python package or folder of that name"
    elif (root / folder).exists() or (root / package).exists():
        why = "the repository has a file or folder of that name already"
    if why:
        raise UsageError(
            f"--dir {folder!r} cannot hold mlsd's files: {why}",
            hint=f"choose another name, e.g. --dir {DEFAULT_DIR}-mlsd",
        )
    return folder


def default_name(root: Path) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", root.name.lower()).strip("-")
    name = name if name and name[0].isalpha() else f"service-{name}".strip("-")
    try:
        return validate_name(name[:40].strip("-"))
    except UsageError:
        return "adopted-service"


def read_sample(path: Path | None) -> Any:
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(
            f"--sample {path}: not a readable JSON file ({exc})",
            hint="pass one request body your service accepts, as JSON",
        ) from None


def check_repository(root: Path) -> tuple[Path, Answers | None]:
    """The repository folder, and its recorded answers when it was adopted before."""
    if not root.exists():
        raise TargetError(f"{root} does not exist", hint="pass the folder of your repository")
    if not root.is_dir():
        raise TargetError(f"{root} is not a folder", hint="pass the folder of your repository")
    root = root.resolve()
    if not (root / STATE_DIR).exists():
        _check_git(root)
        return root, None
    if not (root / ANSWERS_FILE).is_file():
        raise TargetError(f"{root / STATE_DIR} exists but holds no answers; remove it first")
    answers = read_answers(root)
    if adopted(answers) is None:
        raise TargetError(
            f"{root} is a project made by `mlsd new`: there is nothing to adopt",
            hint="add patterns to it with `mlsd add PATTERN`",
        )
    _check_git(root)
    return root, answers


def _check_git(root: Path) -> None:
    if not (root / ".git").exists():
        raise TargetError(
            f"{root} is not the top folder of a git repository (no .git here)",
            hint="run `mlsd adopt` in the repository's top folder (`git init` first if needed), "
            "so every change mlsd makes can be reviewed and undone",
        )


def plan_adopt(
    path: Path,
    *,
    upstream: str | None = None,
    predict_path: str = DEFAULT_PREDICT_PATH,
    name: str | None = None,
    folder: str | None = None,
    sample: Path | None = None,
    upstream_command: str | None = None,
    conflict_style: ConflictStyle = "inline",
) -> EvolveResult:
    root, previous = check_repository(Path(path))
    upstream = check_upstream(upstream)
    upstream_command = check_upstream_command(upstream_command)
    if previous is not None:
        return _set_upstream(root, previous, upstream, upstream_command)
    settings = Adopted(
        upstream=upstream,
        predict_path=check_predict_path(predict_path),
        folder=check_folder(root, folder or DEFAULT_DIR),
        sample=read_sample(sample),
        upstream_command=upstream_command,
    )
    project = Project(validate_name(name) if name else default_name(root))
    answers = Answers(__version__, project.to_dict(), (), {KEY: settings.to_dict()}, ())
    result = _plan(root, answers, Resolution(()), [], conflict_style, "adopt", (), base={})
    result.notes.insert(0, f"adopts {root} (mlsd's files go to {settings.folder}/)")
    catalog = load_catalog()
    what = ", ".join(adoptable(catalog))
    if upstream is None:
        result.notes.append(
            f"no --upstream: {what} stand in front of or beside a service and need one "
            "(`mlsd adopt --upstream URL` records it later)"
        )
    else:
        result.notes.append(f"next: `mlsd add PATTERN` with PATTERN one of {what}")
    return result


def _set_upstream(
    root: Path, previous: Answers, upstream: str | None, command: str | None
) -> EvolveResult:
    """An adopted repository may record its upstream later (once) and its upstream command
    (set or changed); anything else is a second adoption, refused."""
    recorded = adopted(previous)
    assert recorded is not None
    changes: dict[str, str] = {}
    if upstream is not None and upstream != recorded.upstream:
        changes["upstream"] = upstream
    if command is not None and command != recorded.upstream_command:
        changes["upstream_command"] = command
    if not changes or (recorded.upstream is not None and "upstream" in changes):
        raise TargetError(
            f"{root} is adopted already (upstream: {recorded.upstream or 'none'})",
            hint="add patterns with `mlsd add PATTERN`; `mlsd status` shows what it holds; "
            "`mlsd adopt --upstream-command ...` sets how the tests start your service",
        )
    check_idle(root)  # not in the middle of another change
    check_version(previous)
    options = {**previous.options, KEY: {**previous.options[KEY], **changes}}
    answers = Answers(
        previous.mlsd_version, previous.project, previous.patterns, options, previous.requested
    )
    result = _plan(root, answers, Resolution(previous.patterns), [], "inline", "adopt", ())
    for key, value in changes.items():
        result.notes.insert(0, f"records the {key.replace('_', ' ')} {value}")
    return result
