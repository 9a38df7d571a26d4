"""What `mlsd list` and `mlsd show` print: the catalog as aligned columns, or JSON."""

from __future__ import annotations

from typing import Any

from mlsd.catalog import Catalog, Entry, load_catalog
from mlsd.errors import UsageError
from mlsd.output import console, print_columns, print_json, print_line

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


def _status(entry: Entry) -> str:
    """The status column; a pack's pattern names its pack."""
    return entry.status if entry.source == "mlsd" else f"{entry.status} [{entry.source}]"


def list_catalog(category: str | None, status: str | None, as_json: bool) -> None:
    catalog = load_catalog()
    entries = _filtered(catalog, category, status)
    if as_json:
        data: list[dict[str, Any]] = [e.to_dict() for e in entries]
        if not category and not status:
            data += [p.to_dict() for p in catalog.presets.values()]
        print_json(data)
        return
    rows: list[tuple[str, str, str, str]] = []  # (id, status, colour, summary)
    for cat_id, cat_title in catalog.categories.items():
        members = [e for e in entries if e.category == cat_id]
        if members:
            rows.append((cat_title, "", "", ""))
            rows += [(e.id, _status(e), STATUS_STYLE.get(e.status, ""), e.summary) for e in members]
    if not category and not status:
        rows.append(("Presets", "", "", ""))
        for p in catalog.presets.values():
            label = "preset" if p.available else "preset (planned)"
            summary = f"{p.summary} ({', '.join(p.patterns)})"
            rows.append((p.id, label, STATUS_STYLE[p.status], summary))
    print_columns(rows)
    print_line(f"Details: mlsd show ID. Source: {catalog.source}")


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
    if entry.source != "mlsd":
        con.print(f"[bold]From pack:[/] {entry.source} ({entry.folder})")
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
    clashes = [f"{other} ({why})" if why else other for other, why in catalog.clashes(entry.id)] + [
        f"{m} (same axis)" for m in catalog.axis_members(entry.axis or "") if m != entry.id
    ]
    con.print(f"[bold]Clashes with:[/] {', '.join(clashes) or 'nothing'}")
    if entry.implies:
        con.print(f"[bold]Brings:[/] {', '.join(entry.implies)}")
    if entry.available:
        pack = "" if entry.source == "mlsd" else f"--pack {entry.folder.parents[1]} "  # type: ignore[union-attr]
        con.print(f"\nRender it: [bold]mlsd {pack}new PATH --pattern {entry.id} --defaults[/]")
