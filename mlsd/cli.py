"""The mlsd command line: parse -> api call -> output -> exit code. Nothing else lives here.

Imports of the heavy machinery (jinja2, the renderer, rich tables) happen inside the
commands, so `mlsd --help` and `mlsd list` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mlsd import __version__
from mlsd.cli_export import export_app
from mlsd.cli_options import (
    AllowDirty,
    AnswersFile,
    AsJson,
    ConflictStyle,
    DryRun,
    PatternIds,
    PresetIds,
    ProjectPath,
    ShowDiff,
    UseDefaults,
    _complete_ids,
    _ids,
    _pattern_args,
)
from mlsd.guard import guarded
from mlsd.guard import run as _run

app = typer.Typer(
    name="mlsd",
    help="Render, extend and audit ML systems built from the ML system design patterns.\n\n"
    "Start with `mlsd list`, read one entry with `mlsd show ID`, render a project with "
    "`mlsd new PATH`, and audit any repository with `mlsd check PATH`. To hand one fixed "
    "combination to copier users: `mlsd export copier DEST`.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(export_app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mlsd {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    pack: Annotated[
        list[str] | None,
        typer.Option(
            "--pack",
            help="A pattern pack (a folder with pack.yaml, or an installed pack's name) whose "
            "patterns join the catalog; repeatable. Also MLSD_PACKS and [tool.mlsd] packs.",
        ),
    ] = None,
) -> None:
    """mlsd: ML system design patterns as working software."""
    from mlsd import packs

    specs = packs.configured(pack or ())
    if specs:
        guarded(lambda: packs.activate(specs))


@app.command("list")
def list_cmd(
    category: Annotated[
        str | None, typer.Option(help="Only this category (serving, qa, training, ...).")
    ] = None,
    status: Annotated[str | None, typer.Option(help="Only 'available' or 'planned'.")] = None,
    as_json: AsJson = False,
) -> None:
    """List every pattern, antipattern and preset in the catalog."""
    from mlsd.views import catalog as views

    _run(lambda: views.list_catalog(category, status, as_json), as_json)


@app.command("show")
def show_cmd(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A pattern, antipattern or preset.", autocompletion=_complete_ids
        ),
    ],
    as_json: AsJson = False,
) -> None:
    """Explain one pattern, antipattern or preset: what it is for, adds, needs and clashes with."""
    from mlsd.views import catalog as views

    _run(lambda: views.show_entry(entry_id, as_json), as_json)


@app.command("new")
def new_cmd(
    path: Annotated[Path, typer.Argument(help="Folder to create (its name is the project name).")],
    pattern: PatternIds = None,
    preset: PresetIds = None,
    answers: AnswersFile = None,
    name: Annotated[str | None, typer.Option(help="Project name (default: folder name).")] = None,
    description: Annotated[
        str | None, typer.Option(help="One line on what the project predicts (README, package).")
    ] = None,
    defaults: UseDefaults = False,
    dry_run: DryRun = False,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder.")] = False,
    as_json: AsJson = False,
) -> None:
    """Render a complete, tested project from a combination of patterns.

    Examples:\n
      mlsd new demo --preset minimal\n
      mlsd new demo --pattern asynchronous --defaults\n
      mlsd new demo --pattern synchronous --pattern model-load --pattern batch-training
    """
    from mlsd import api
    from mlsd.views import new as views

    _run(
        lambda: views.new_project(
            path,
            api.NewRequest.gather(
                pattern or [],
                preset or [],
                answers_file=answers,
                name=name,
                description=description,
                use_defaults=defaults,
            ),
            dry_run=dry_run,
            force=force,
            as_json=as_json,
            interactive=sys.stdin.isatty() and sys.stdout.isatty() and not as_json,
        ),
        as_json,
    )


@app.command("add")
def add_cmd(
    patterns: Annotated[list[str], _pattern_args("Patterns to add.")],
    replace: Annotated[
        list[str] | None,
        _ids(
            "--replace",
            help="A pattern the new ones take the place of (e.g. a topology); repeatable.",
        ),
    ] = None,
    path: ProjectPath = Path("."),
    dry_run: DryRun = False,
    diff: ShowDiff = False,
    conflict: ConflictStyle = "inline",
    allow_dirty: AllowDirty = False,
    as_json: AsJson = False,
) -> None:
    """Add patterns to a project made by `mlsd new`, keeping every line you wrote.

    mlsd renders the project as it was and as it would be with the new patterns, and merges
    the difference three ways into your files. With --replace the change is a switch (of
    topology, model delivery or training) in one step. Conflicts get markers (or .rej
    files); the command then exits 1: resolve them and run `mlsd resume`, or undo the whole
    change with `mlsd abort`.

    Examples:\n
      mlsd add prediction-log\n
      mlsd add synchronous --replace web-single
    """
    from mlsd.views import evolve as views

    _run(
        lambda: views.evolve(
            "add", path, patterns, dry_run, diff, conflict, allow_dirty, as_json, replace
        ),
        as_json,
    )


@app.command("remove")
def remove_cmd(
    patterns: Annotated[list[str], _pattern_args("Patterns to remove.")],
    path: ProjectPath = Path("."),
    dry_run: DryRun = False,
    diff: ShowDiff = False,
    conflict: ConflictStyle = "inline",
    allow_dirty: AllowDirty = False,
    as_json: AsJson = False,
) -> None:
    """Withdraw patterns from a project, keeping every line you wrote.

    The files a pattern owns go when you never changed them (changed ones are kept and
    listed); what it contributed leaves the shared files by the same three-way merge as
    `add`. A pattern another one needs is refused with the reason. Conflicts exit 1: resolve
    them and run `mlsd resume`, or undo with `mlsd abort`.
    """
    from mlsd.views import evolve as views

    _run(
        lambda: views.evolve(
            "remove", path, patterns, dry_run, diff, conflict, allow_dirty, as_json
        ),
        as_json,
    )


@app.command("upgrade")
def upgrade_cmd(
    path: ProjectPath = Path("."),
    dry_run: DryRun = False,
    diff: ShowDiff = False,
    conflict: ConflictStyle = "inline",
    allow_dirty: AllowDirty = False,
    as_json: AsJson = False,
) -> None:
    """Re-render the project's answers with the installed mlsd and merge like `add`."""
    from mlsd.views import evolve as views

    _run(
        lambda: views.evolve("upgrade", path, [], dry_run, diff, conflict, allow_dirty, as_json),
        as_json,
    )


@app.command("adopt")
def adopt_cmd(
    path: Annotated[
        Path, typer.Argument(help="The repository's top folder (default: the current one).")
    ] = Path("."),
    upstream: Annotated[
        str | None,
        typer.Option(help="Base URL of your existing model service (e.g. http://localhost:8000)."),
    ] = None,
    predict_path: Annotated[
        str, typer.Option("--predict-path", help="The path of its prediction endpoint.")
    ] = "/predict",
    name: Annotated[str | None, typer.Option(help="Project name (default: folder name).")] = None,
    folder: Annotated[
        str | None,
        typer.Option("--dir", help="The folder mlsd's files go to (default: prediction-gateway)."),
    ] = None,
    sample: Annotated[
        Path | None,
        typer.Option(help="A JSON file with one request body your service accepts (tests)."),
    ] = None,
    upstream_command: Annotated[
        str | None,
        typer.Option(
            "--upstream-command",
            help="How the generated tests start your service, run in the top folder; {port} "
            'is a free port (e.g. "uvicorn app:app --port {port}"). Set in the CI workflow.',
        ),
    ] = None,
    dry_run: DryRun = False,
    diff: ShowDiff = False,
    as_json: AsJson = False,
) -> None:
    """Make a repository mlsd did not write one it can add patterns to, changing none of it.

    mlsd records .mlsd/ (the upstream service and an empty merge base: every file here is
    yours); patterns added later live in their own folder; the repository's compose file, CI
    workflow and pre-commit config get one marked block each, shown in the plan first.

    Examples:\n
      mlsd adopt --upstream http://localhost:8000 --predict-path /v1/score\n
      mlsd adopt --upstream-command "uvicorn app:app --port {port}"   # the tests, in CI too\n
      mlsd adopt .   # a repository without a service: `mlsd check` in its CI
    """
    from mlsd.views import evolve as views

    options = {"upstream": upstream, "predict_path": predict_path, "name": name}
    options |= {"folder": folder, "sample": sample, "upstream_command": upstream_command}
    _run(lambda: views.adopt(path, options, dry_run, diff, as_json), as_json)


@app.command("status")
def status_cmd(
    path: ProjectPath = Path("."),
    as_json: AsJson = False,
) -> None:
    """Show the project's patterns and the change in progress, if any: which one, and the
    conflicts still to resolve (exit 1 while there are any, or when it was interrupted).
    Finish it with `mlsd resume`, or undo it with `mlsd abort`."""
    from mlsd.views import evolve as views

    _run(lambda: views.status(path, as_json, finish=False), as_json)


@app.command("resume")
def resume_cmd(
    path: ProjectPath = Path("."),
    as_json: AsJson = False,
) -> None:
    """Finish an add/remove/upgrade once its conflicts are resolved: record the new answers.

    Refused while markers or .rej files remain, or when files the change wrote are missing
    or reverted; `mlsd abort` undoes the change instead.
    """
    from mlsd.views import evolve as views

    _run(lambda: views.status(path, as_json, finish=True), as_json)


@app.command("abort")
def abort_cmd(
    path: ProjectPath = Path("."),
    as_json: AsJson = False,
) -> None:
    """Undo an add/remove/upgrade that left conflicts or was interrupted.

    Every file the change touched gets back the exact bytes it had before the change
    started (edits made since to those files are dropped with it); the recorded answers
    stay as they were.
    """
    from mlsd.views import evolve as views

    _run(lambda: views.abort(path, as_json), as_json)


def _register_check() -> None:
    """`check`, `rules` and `rule` live in the check package, which adds them itself."""
    from mlsd.check.commands import register

    register(app)


_register_check()


def main() -> None:
    try:
        app(prog_name="mlsd")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
