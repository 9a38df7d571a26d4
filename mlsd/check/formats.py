"""Output formats: text (rich, grouped), concise, json, sarif, github, markdown."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from mlsd import __version__
from mlsd.check.base import Finding, Report, Rule, Severity
from mlsd.check.codes import fix_advice

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _fix(f: Finding) -> str:
    return ", ".join(fix_advice(f.fix))


def summary_line(report: Report) -> str:
    c = report.counts()
    n = len(report.findings)
    parts = [f"{n} finding{'s' if n != 1 else ''}"]
    if n:
        parts.append(f"({c['error']} error, {c['warning']} warning, {c['info']} info)")
    extra = []
    if report.suppressed:
        extra.append(f"{report.suppressed} suppressed")
    if report.baselined:
        extra.append(f"{report.baselined} in baseline")
    if report.skipped:
        extra.append(f"{len(report.skipped)} skipped")
    return " ".join(parts) + (f"; {', '.join(extra)}" if extra else "") + "."


def to_json(report: Report, statistics: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": __version__,
        "root": report.root,
        "summary": {
            "findings": len(report.findings),
            **report.counts(),
            "suppressed": report.suppressed,
            "baselined": report.baselined,
            "skipped": len(report.skipped),
            "files": report.files_checked,
        },
        "findings": [f.to_dict() for f in report.iter_sorted()],
        "skipped": [s.to_dict() for s in report.skipped],
    }
    if statistics:
        data["statistics"] = report.statistics()
    return data


def concise(report: Report) -> str:
    lines = [
        f"{f.path}:{f.line}:{f.column or 1}: {f.code} [{f.severity.label}] {f.message}"
        for f in report.iter_sorted()
    ]
    lines += [f"{s.path}: skipped: {s.reason}" for s in report.skipped]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github(report: Report) -> str:
    out = []
    for f in report.iter_sorted():
        col = f",col={f.column}" if f.column else ""
        msg = f.message + (f" (fix: {_fix(f)})" if f.fix else "")
        out.append(
            f"::{_GH_LEVEL[f.severity]} file={_gh_escape(f.path, True)},line={f.line}{col},"
            f"title={_gh_escape(f.code, True)}::{_gh_escape(msg)}"
        )
    return "\n".join(out) + ("\n" if out else "")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: Report, statistics: bool = False) -> str:
    lines = ["## mlsd check", "", summary_line(report), ""]
    if statistics:
        lines += ["| Code | Name | Severity | Count |", "| --- | --- | --- | ---: |"]
        lines += [
            f"| {r['code']} | {r['name']} | {r['severity']} | {r['count']} |"
            for r in report.statistics()
        ]
        return "\n".join(lines) + "\n"
    if report.findings:
        lines += [
            "| Severity | Code | Location | Message | Fix |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in report.iter_sorted():
            lines.append(
                f"| {f.severity.label} | `{f.code}` | `{_md(f.path)}:{f.line}` | "
                f"{_md(f.message)} | {_md(_fix(f))} |"
            )
    if report.skipped:
        lines += ["", "<details><summary>Skipped files</summary>", ""]
        lines += [f"- `{_md(s.path)}`: {_md(s.reason)}" for s in report.skipped]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


_CELL_SUFFIX = re.compile(r"#cell\d+$")


def _sarif_uri(path: str) -> str:
    """A repository-relative path as a SARIF `uri` (an RFC 3986 URI reference): spaces, `#`,
    `%` and non-ASCII characters percent-encoded; undecodable file-name bytes (surrogate
    escapes) keep their original byte value."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _sarif_text(text: str) -> str:
    """Text without lone surrogates (undecodable file names), which strict JSON readers
    reject."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _sarif_rule(rule: type[Rule]) -> dict[str, Any]:
    info = rule.info()
    help_md = (
        f"**{info['summary']}**\n\n{info['why']}\n\n### Example\n{info['example']}\n\n"
        f"### How to fix\n{info['how_to_fix']}"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": info["what"] or rule.summary},
        "help": {"text": info["how_to_fix"] or rule.summary, "markdown": help_md},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": [rule.family, "ml-system-design"], "precision": "medium"},
    }


def sarif(report: Report) -> dict[str, Any]:
    from mlsd.check.registry import all_rules

    rules = list(all_rules())
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for f in report.iter_sorted():
        region: dict[str, Any] = {"startLine": f.line}
        if f.column:
            region["startColumn"] = f.column
        text = _sarif_text(f.message + (f" Fix: {_fix(f)}." if f.fix else ""))
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index.get(f.code, 0),
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": _sarif_uri(f.path),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": region,
                        }
                    }
                ],
                "partialFingerprints": {"mlsdFingerprint/v1": f.fingerprint},
            }
        )
    notes = [
        {
            "level": "note",
            "message": {"text": _sarif_text(f"skipped {s.path}: {s.reason}")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": _sarif_uri(_CELL_SUFFIX.sub("", s.path)),
                            "uriBaseId": "%SRCROOT%",
                        }
                    }
                }
            ],
        }
        for s in report.skipped
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlsd",
                        "version": __version__,
                        "informationUri": "https://example.invalid/mlsd",
                        "rules": [_sarif_rule(r) for r in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "repository root"}}},
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notes}],
                "results": results,
            }
        ],
    }


def print_text(report: Report, statistics: bool = False) -> None:
    from rich.markup import escape

    from mlsd.output import console

    con = console()
    if statistics:
        from rich.table import Table

        table = Table("Code", "Name", "Severity", "Count", title="mlsd check statistics")
        for r in report.statistics():
            table.add_row(r["code"], r["name"], r["severity"], str(r["count"]))
        con.print(table)
        con.print(summary_line(report))
        return
    current = None
    for f in report.iter_sorted():
        if f.path != current:
            current = f.path
            con.print(f"\n[bold]{escape(f.path)}[/]")
        style = _STYLE[f.severity]
        con.print(
            f"  {f.line:>4}  [{style}]{f.code:<7}[/] [{style}]{f.severity.label:<7}[/] "
            f"{escape(f.message)}"
        )
        if f.fix:
            con.print(f"               [dim]fix: {escape(_fix(f))}[/]")
    if report.skipped:
        con.print("\n[bold]skipped[/]")
        for s in report.skipped:
            con.print(f"  {escape(s.path)}: [dim]{escape(s.reason)}[/]")
    con.print(("\n" if report.findings or report.skipped else "") + summary_line(report))


def render(report: Report, fmt: str, statistics: bool = False) -> str | None:
    """The output as a string, or None when it was printed (text goes through rich)."""
    if fmt == "text":
        print_text(report, statistics)
        return None
    if fmt == "json":
        return json.dumps(to_json(report, statistics), indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(sarif(report), indent=2) + "\n"
    if fmt == "github":
        return github(report)
    if fmt == "markdown":
        return markdown(report, statistics)
    if statistics:
        return (
            "\n".join(f"{r['count']:>5}  {r['code']:<7} {r['name']}" for r in report.statistics())
            + "\n"
        )
    return concise(report)
