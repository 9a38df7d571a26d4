"""`mlsd export ...`: the chosen combination in another tool's template format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlsd.cli_options import AnswersFile, AsJson, DryRun, PatternIds, PresetIds, UseDefaults
from mlsd.guard import run as _run

export_app = typer.Typer(
    name="export",
    help="Write the chosen combination of patterns in another tool's template format.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@export_app.command("copier")
def export_copier_cmd(
    dest: Annotated[
        Path, typer.Argument(metavar="DEST", help="Folder to write the copier template into.")
    ],
    pattern: PatternIds = None,
    preset: PresetIds = None,
    answers: AnswersFile = None,
    name: Annotated[
        str | None, typer.Option(help="Default project name (default: DEST's folder name).")
    ] = None,
    description: Annotated[
        str | None, typer.Option(help="Default one-line description of the project.")
    ] = None,
    defaults: UseDefaults = False,
    pack: Annotated[
        list[str] | None,
        typer.Option("--pack", help="A pattern pack whose patterns may be chosen; repeatable."),
    ] = None,
    dry_run: DryRun = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty folder (a re-export: copier.yml and template/ are "
            "replaced, other files such as .git are kept).",
        ),
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Export one fixed combination of patterns as a copier template.

    Use mlsd to compose a project and evolve it (add, remove, upgrade patterns); export a
    combination to copier to distribute that one vetted set to teams that run copier. The
    template asks for the project name and description; `copier copy` of it gives exactly
    what `mlsd new` gives for the same set and name, without `.mlsd/` (copier keeps its
    answers in .copier-answers.yml). Commit the folder to git and tag it (v1, v2, ...):
    projects made from it take later versions with `copier update`, keeping their edits.

    Examples:\n
      mlsd export copier ./churn-template --preset gateway --name churn-service\n
      copier copy ./churn-template my-service --data project_name=my-service\n
      mlsd export copier ./churn-template --preset gateway --pattern prediction-log --force
    """
    from mlsd import api
    from mlsd.views import export as views

    def body() -> None:
        if pack:
            from mlsd import packs

            packs.activate(pack)
        views.export_copier(
            dest,
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
        )

    _run(body, as_json)
