"""Generate docs/patterns.md from the catalog: `python -m mlsd.docs > docs/patterns.md`.

A test fails when the committed file is stale, so the docs can never drift from the
manifests.
"""

from __future__ import annotations

from mlsd.catalog import Catalog, load_catalog


def patterns_markdown(catalog: Catalog | None = None) -> str:
    catalog = catalog or load_catalog()
    out = [
        "# The mlsd catalog",
        "",
        "Generated from `templates/` by `python -m mlsd.docs`; do not edit by hand.",
        f"{catalog.source}",
        "",
    ]
    for cat_id, title in catalog.categories.items():
        entries = [catalog.entries[i] for i in catalog.order]
        entries = [e for e in entries if e.category == cat_id]
        if not entries:
            continue
        out += [f"## {title}", ""]
        for e in entries:
            out += [f"### {e.id} ({e.status})", "", f"**{e.title}.** {e.summary}", ""]
            if e.when:
                label = "Use it when" if e.kind == "pattern" else "Seen as"
                out += [f"{label}: {e.when}", ""]
            if e.adds:
                out += ["Adds: " + "; ".join(e.adds) + ".", ""]
            facts = [
                ("Axis", catalog.axes[e.axis].title if e.axis else ""),
                ("Requires", ", ".join(e.requires)),
                ("Needs axes", ", ".join(catalog.axes[a].title for a in e.requires_axes)),
                ("Needs a gateway", "yes" if e.requires_gateway else ""),
                (
                    "Conflicts with",
                    "; ".join(f"{o} ({why})" if why else o for o, why in catalog.clashes(e.id)),
                ),
                ("Brings", ", ".join(e.implies)),
                ("Fixed by", ", ".join(f"`{catalog.add_advice(p)}`" for p in e.fixed_by)),
            ]
            out += [f"- {k}: {v}" for k, v in facts if v]
            out.append("")
    out += ["## Presets", ""]
    for p in catalog.presets.values():
        planned = "" if p.available else " (planned)"
        out.append(f"- **{p.id}**{planned}: {p.summary} ({', '.join(p.patterns)})")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(patterns_markdown(), end="")
