"""What each command shows: rich tables for people, JSON for scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlsd.catalog import Catalog, Entry, load_catalog
from mlsd.errors import UsageError
from mlsd.output import console, print_json

STATUS_STYLE = {"available": "green", "planned": "dim"}


def _filtered(catalog: Catalog, category: str | None, status: str | None) -> list[Entry]:
    if category and category not in catalog.categories:
        raise UsageError(
            f"unknown category '{category}'", hint=f"choose from {', '.join(catalog.categories)}"
        )
    if status and status not in STATUS_STYLE:
        raise UsageError(f"unknown status '{status}'", hint="choose available or planned")
    return [
        e
        for e in (catalog.entries[i] for i in catalog.order)
        if (not category or e.category == category) and (not status or e.status == status)
    ]


def list_catalog(category: str | None, status: str | None, as_json: bool) -> None:
    catalog = load_catalog()
    entries = _filtered(catalog, category, status)
    if as_json:
        data: list[dict[str, Any]] = [e.to_dict() for e in entries]
        if not category and not status:
            data += [p.to_dict() for p in catalog.presets.values()]
        print_json(data)
        return
    from rich.table import Table

    # One table with a section per category: rich measures columns once, which keeps
    # `mlsd list` within its cold-start budget.
    table = Table(expand=False, pad_edge=False, show_lines=False)
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("summary")
    for cat_id, cat_title in catalog.categories.items():
        rows = [e for e in entries if e.category == cat_id]
        if not rows:
            continue
        table.add_row(f"[bold underline]{cat_title}[/]", "", "")
        for e in rows:
            table.add_row(e.id, f"[{STATUS_STYLE.get(e.status, '')}]{e.status}[/]", e.summary)
        table.add_section()
    if not category and not status:
        table.add_row("[bold underline]Presets[/]", "", "")
        for p in catalog.presets.values():
            status = f"[{STATUS_STYLE[p.status]}]preset[/]"
            if not p.available:
                status += " [dim](planned)[/]"
            table.add_row(p.id, status, f"{p.summary} ({', '.join(p.patterns)})")
    con = console()
    con.print(table)
    con.print("Details: [bold]mlsd show ID[/]. Source: " + catalog.source)


def show_entry(entry_id: str, as_json: bool) -> None:
    catalog = load_catalog()
    if entry_id in catalog.presets and entry_id not in catalog.entries:
        preset = catalog.presets[entry_id]
        if as_json:
            print_json(preset.to_dict())
            return
        con = console()
        con.print(f"[bold]{preset.title}[/] ({preset.id}, preset)")
        con.print(preset.summary)
        con.print(f"patterns: {', '.join(map(catalog.label, preset.patterns))}")
        if preset.available:
            con.print(f"render it: [bold]mlsd new PATH --preset {preset.id} --defaults[/]")
        else:
            con.print("[dim]planned: it brings patterns that are not available yet[/]")
        return
    entry = catalog.get(entry_id)
    if as_json:
        print_json(entry.to_dict())
        return
    con = console()
    con.print(f"[bold]{entry.title}[/] ({entry.id}, {catalog.categories[entry.category]})")
    con.print(entry.summary)
    if entry.when:
        label = "Use it when" if entry.kind == "pattern" else "Seen as"
        con.print(f"\n[bold]{label}:[/] {entry.when}")
    if entry.kind == "antipattern":
        con.print("\n[bold]Fixed by:[/] " + ", ".join(map(catalog.add_advice, entry.fixed_by)))
        con.print(f"Find it in a repository: [bold]mlsd check PATH[/] (rules of family {entry.id})")
        return
    con.print(f"[bold]Status:[/] [{STATUS_STYLE[entry.status]}]{entry.status}[/]")
    if entry.axis:
        axis = catalog.axes[entry.axis]
        others = [m for m in catalog.axis_members(entry.axis) if m != entry.id]
        con.print(f"[bold]Axis:[/] {axis.title} (at most {axis.max}; others: {', '.join(others)})")
    if entry.adds:
        con.print("\n[bold]Adds:[/]")
        for item in entry.adds:
            con.print(f"  - {item}")
    needs = list(entry.requires) + [f"a {catalog.axes[a].title}" for a in entry.requires_axes]
    if entry.serves_model or entry.needs_serving:
        needs.append("a model delivery" if entry.serves_model else "a pattern that serves a model")
    if entry.requires_gateway:
        gateways = [
            m for m in catalog.axis_members("online-topology") if catalog.entries[m].gateway
        ]
        needs.append(f"a gateway topology ({', '.join(map(catalog.label, gateways))})")
    if entry.min_model_services > 1:
        needs.append(f"{entry.min_model_services}+ model services")
    con.print(f"\n[bold]Needs:[/] {', '.join(needs) or 'nothing else'}")
    clashes = list(entry.conflicts) + [
        f"{m} (same axis)" for m in catalog.axis_members(entry.axis or "") if m != entry.id
    ]
    con.print(f"[bold]Clashes with:[/] {', '.join(clashes) or 'nothing'}")
    if entry.implies:
        con.print(f"[bold]Brings:[/] {', '.join(entry.implies)}")
    if entry.available:
        con.print(f"\nRender it: [bold]mlsd new PATH --pattern {entry.id} --defaults[/]")


def new_project(
    path: Path,
    patterns: list[str],
    presets: list[str],
    *,
    answers_file: Path | None,
    name: str | None,
    description: str | None = None,
    use_defaults: bool,
    dry_run: bool,
    force: bool,
    as_json: bool,
    interactive: bool,
) -> None:
    from mlsd import api

    if answers_file is not None:
        data = api.read_answers_file(answers_file)
        patterns = [*data.get("patterns", []), *patterns]
        presets = [*data.get("presets", []), *presets]
        name = name or data.get("name")
        description = description or data.get("description")
        use_defaults = use_defaults or bool(data.get("defaults"))
    # --- questions for what the options left open (mlsd/prompts) ---
    from mlsd.prompts import Request, ask_open

    request = ask_open(
        path,
        Request(patterns, presets, name, description, use_defaults),
        force=force,
        interactive=interactive,
    )
    patterns, presets, name = request.patterns, request.presets, request.name
    description, use_defaults = request.description, request.use_defaults
    # --- end of questions ---
    con = console()
    if not as_json:
        with con.status("Rendering…"):
            result = api.new_project(
                path,
                patterns,
                presets,
                name=name,
                description=description,
                use_defaults=use_defaults,
                dry_run=True,
                force=force,
            )
        show_plan(result)
        if request.asked:  # the guided flow: services, replay command, confirmation
            from mlsd.prompts.plan import confirm_plan

            confirm_plan(path, request, result, dry_run)
        if dry_run:
            con.print("[yellow]dry run:[/] nothing was written")
            return
    result = api.new_project(
        path,
        patterns,
        presets,
        name=name,
        description=description,
        use_defaults=use_defaults,
        dry_run=dry_run,
        force=force,
    )
    if as_json:
        print_json(result.to_dict())
        return
    con.print(f"[green]Created[/] {result.target} ({len(result.plan)} files).")
    con.print("Next: [bold]cd " + str(path) + " && make demo[/]  (see its README)")


def show_plan(result: Any) -> None:
    from collections import Counter

    con = console()
    con.print(f"[bold]Project[/] {result.project.name} in {result.target}")
    for pid in result.resolution.patterns:
        why = result.resolution.reasons[pid]
        con.print(f"  [bold]{pid}[/] [dim]({why})[/]")
    counts = Counter(f.action for f in result.plan)
    summary = ", ".join(f"{n} {a}" for a, n in sorted(counts.items()))
    con.print(f"[bold]Files:[/] {summary}")
    for f in result.plan:
        if f.action == "overwrite":  # --force: name every file of the user's it replaces
            con.print(f"  [yellow]overwrite[/] {f.path}")


ACTION_STYLE = {
    "create": "green",
    "update": "cyan",
    "merge": "cyan",
    "keep": "dim",
    "unchanged": "dim",
    "conflict": "bold red",
    "user-deleted": "yellow",
    "obsolete": "yellow",
}


def evolve(
    verb: str,
    path: Path,
    patterns: list[str],
    dry_run: bool,
    diff: bool,
    conflict: str,
    allow_dirty: bool,
    as_json: bool,
) -> int:
    from mlsd import api
    from mlsd.errors import EXIT_FINDINGS, EXIT_OK

    if conflict not in ("inline", "rej"):
        raise UsageError(f"--conflict must be inline or rej, not {conflict!r}")
    options: dict[str, Any] = {
        "dry_run": dry_run,
        "conflict_style": conflict,
        "allow_dirty": allow_dirty,
    }

    def run(**extra: Any) -> Any:
        if verb == "add":
            return api.add_patterns(path, patterns, **{**options, **extra})
        return api.upgrade_project(path, **{**options, **extra})

    if as_json:
        result = run()
        print_json(result.to_dict())
    else:
        result = run(dry_run=True)  # the plan is shown before anything is written
        _show_merge(result, diff)
        if dry_run:
            console().print("[yellow]dry run:[/] nothing was written")
        else:
            result = run()
            _show_outcome(result)
    return EXIT_FINDINGS if result.plan.has_conflicts and not dry_run else EXIT_OK


def _show_merge(result: Any, diff: bool) -> None:
    from rich.markup import escape

    from mlsd.merge import unified_diff

    con = console()
    for note in result.notes:
        con.print(f"[bold]{escape(note)}[/]")
    for entry in result.plan.entries:
        if entry.action.value == "unchanged":
            continue
        style = ACTION_STYLE.get(entry.action.value, "")
        message = f" [dim]{escape(entry.message)}[/]" if entry.message else ""
        con.print(f"  [{style}]{entry.action.value:>12}[/] {escape(entry.path)}{message}")
        if diff and entry.result is not None:
            old = (
                (result.root / entry.path).read_bytes()
                if (result.root / entry.path).is_file()
                else None
            )
            con.print(escape(unified_diff(entry.path, old, entry.result)), end="")
    counts = ", ".join(f"{n} {a.value}" for a, n in result.plan.counts().items())
    con.print(f"[bold]Plan:[/] {counts or 'nothing to do'}")


def _show_outcome(result: Any) -> None:
    con = console()
    if result.pending:
        con.print(
            f"[bold red]{len(result.plan.conflicts)} conflicts[/]: resolve the markers, then run "
            "[bold]mlsd resume[/] (`mlsd status` lists what is left)"
        )
    else:
        con.print("[green]Done.[/] The recorded answers now include the change.")


def status(path: Path, as_json: bool, finish: bool) -> int:
    from mlsd.errors import EXIT_FINDINGS, EXIT_OK
    from mlsd.evolve import project_status, resume

    state = resume(path) if finish else project_status(path)
    if as_json:
        print_json(state.to_dict())
    else:
        con = console()
        con.print(f"[bold]{state.answers.project['name']}[/] (mlsd {state.answers.mlsd_version})")
        con.print("patterns: " + ", ".join(state.answers.patterns))
        for rel in state.conflicts:
            con.print(f"  [bold red]conflict[/] {rel}")
        for rel in state.resolved:
            con.print(f"  [green]resolved[/] {rel}")
        if state.conflicts:
            con.print("Resolve the conflicts above, then run [bold]mlsd resume[/].")
        elif state.resolved:
            con.print("All conflicts are resolved: run [bold]mlsd resume[/] to finish.")
        elif finish:
            con.print("[green]Finished:[/] the recorded answers are up to date.")
    return EXIT_FINDINGS if state.conflicts else EXIT_OK
