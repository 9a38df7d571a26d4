"""The one table of code prefixes. Codes are stable; a retired code is never reused."""

from __future__ import annotations

from functools import cache

#: prefix -> (family id, the family folder under rules/)
FAMILIES: dict[str, tuple[str, str]] = {
    "OB": ("online-bigsize", "online_bigsize"),
    "AIO": ("all-in-one", "all_in_one"),
    "OO": ("offline-only", "offline_only"),
    "OM": ("only-me", "only_me"),
    "TCS": ("training-code-in-serving", "training_code_in_serving"),
    "TMP": ("too-many-pipes", "too_many_pipes"),
    "NL": ("no-logging", "no_logging"),
    "NK": ("nobody-knows", "nobody_knows"),
    "MLS": ("meta", "meta"),
}

#: codes that existed once and must never be given to another rule
RETIRED: frozenset[str] = frozenset()

FAMILY_BY_ID = {family: prefix for prefix, (family, _folder) in FAMILIES.items()}


def family_of(code: str) -> str:
    for prefix, (family, _folder) in FAMILIES.items():
        if code.startswith(prefix) and code[len(prefix) :].isdigit():
            return family
    raise KeyError(code)


@cache
def family_fixes(family: str) -> tuple[str, ...]:
    """The catalog's `fixed_by` for an antipattern family (empty if unknown)."""
    try:
        from mlsd.catalog import load_catalog

        entry = load_catalog().entries.get(family)
    except Exception:  # the catalog is documentation here; never fail a check on it
        return ()
    return tuple(entry.fixed_by) if entry else ()


@cache
def _pattern_status() -> dict[str, str]:
    try:
        from mlsd.catalog import load_catalog

        return {e.id: e.status for e in load_catalog().entries.values()}
    except Exception:  # the catalog is documentation here; never fail a check on it
        return {}


def fix_advice(patterns: tuple[str, ...]) -> list[str]:
    """How to apply each fixing pattern: `mlsd add X` when X can be rendered today,
    `X (planned)` when the catalog lists it as planned (so no advice names a command that
    would fail)."""
    status = _pattern_status()
    return [f"mlsd add {p}" if status.get(p) == "available" else f"{p} (planned)" for p in patterns]
