"""CLI commands: `check`, `rules`, `rule`. Each parses, calls `mlsd.check.api`, formats,
and exits. Imports stay inside the functions so `mlsd --help` stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Callable


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _guard(fn: Callable[[], int]) -> None:
    """Run a command body: MlsdError -> message + hint on stderr and its exit code."""
    from mlsd.errors import EXIT_INTERNAL, MlsdError
    from mlsd.output import print_error

    try:
        code = fn()
    except MlsdError as exc:
        print_error(exc.message, exc.hint, exc.details)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:  # never a traceback for the user; exit 2 per the check spec
        print_error(
            f"internal error: {type(exc).__name__}: {exc}",
            "please report this with the command you ran",
        )
        raise typer.Exit(max(2, min(EXIT_INTERNAL, 2))) from None
    raise typer.Exit(code)


def check(
    path: Annotated[Path, typer.Argument(help="Repository folder to check.")] = Path("."),
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Codes or prefixes to enable (replaces the default set; ALL for every rule).",
        ),
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option("--extend-select", help="Codes or prefixes to add.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Codes or prefixes to disable.")
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--output-format", help="text, concise, json, sarif, github or markdown."),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Alias for --output-format json.")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Show counts per code instead of findings.")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Configuration file (.mlsd.yml or a pyproject.toml)."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Hide findings whose fingerprints are in this file."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline", help="Write every current finding to this baseline file and exit 0."
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Lowest severity that makes the exit code 1: error, warning (default) or info.",
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even with findings.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to a file instead of stdout."),
    ] = None,
) -> None:
    """Audit a repository for ML-system antipatterns (never runs its code)."""

    def body() -> int:
        from mlsd.check import api
        from mlsd.check.formats import render
        from mlsd.errors import UsageError

        if json_out and output_format not in (None, "json"):
            raise UsageError("--json conflicts with --output-format " + str(output_format))
        options = api.Options(
            select=_split(select) if select else None,
            extend_select=_split(extend_select),
            ignore=_split(ignore),
            config=config,
            baseline=baseline,
            fail_on=fail_on,
            output_format="json" if json_out else output_format,
            use_baseline=write_baseline is None,
        )
        report, cfg = api.run_check_with_config(path, options)
        if write_baseline is not None:
            n = api.write_baseline(write_baseline, report)
            from mlsd.output import err_console

            err_console().print(f"wrote {n} findings to baseline {write_baseline}")
            return 0
        text = render(report, cfg.output_format, statistics)
        if text is not None:
            if output is not None:
                output.write_text(text, encoding="utf-8")
            else:
                typer.echo(text, nl=False)
        return 0 if exit_zero else report.exit_code(cfg.fail_on)

    _guard(body)


def rules(
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List every check rule with its code, family and severity."""

    def body() -> int:
        from mlsd.check import api

        items = [r.info() for r in api.list_rules()]
        if json_out:
            from mlsd.output import print_json

            print_json(items)
            return 0
        from rich.table import Table

        from mlsd.output import console

        table = Table("Code", "Name", "Family", "Severity", "Default", "Summary")
        for r in items:
            table.add_row(
                r["code"],
                r["name"],
                r["family"],
                r["severity"],
                "yes" if r["default_enabled"] else "no",
                r["summary"],
            )
        console().print(table)
        return 0

    _guard(body)


def rule(
    code: Annotated[str, typer.Argument(help="A rule code, e.g. NL001.")],
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Explain one rule: what it does, why it is bad, an example and the fix."""

    def body() -> int:
        from mlsd.check import api

        info = api.explain_rule(code)
        if json_out:
            from mlsd.output import print_json

            print_json(info)
            return 0
        from rich.markdown import Markdown

        from mlsd.output import console

        console().print(Markdown(rule_markdown(info)))
        return 0

    _guard(body)


def rule_markdown(info: dict, level: int = 1) -> str:
    h = "#" * level
    default = "" if info["default_enabled"] else " Off by default."
    fixes = ", ".join(f"`{f}`" for f in info["fix"]) or "none"
    return (
        f"{h} {info['code']} {info['name']}\n\n"
        f"Family: `{info['family']}`. Severity: {info['severity']}.{default} Fixed by: {fixes}.\n\n"
        f"{h}# What it does\n{info['what']}\n\n{h}# Why is this bad?\n{info['why']}\n\n"
        f"{h}# Example\n{info['example']}\n\n{h}# How to fix\n{info['how_to_fix']}\n"
    )


def register(app: typer.Typer) -> None:
    """Add `check`, `rules` and `rule` to a Typer app."""
    app.command("check")(check)
    app.command("rules")(rules)
    app.command("rule")(rule)
