"""Every output format, on one small repository with known findings."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mlsd.check.api import run_check
from mlsd.check.base import Report
from mlsd.check.engine import Options
from mlsd.check.formats import render
from tests.check.conftest import build_tree

SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0-subset.schema.json").read_text())

REPO = {
    "svc/app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    "load.py": 'DATA = "/Users/alice/Downloads/x.csv"\n',
    "bin.pkl": {"bytes_hex": "00ff00ff"},
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
    assert f["fix"] and all(x.startswith("mlsd add ") for x in f["fix"])


def test_sarif_validates_and_has_what_github_needs(report: Report) -> None:
    data = json.loads(render(report, "sarif") or "")
    jsonschema.validate(data, SCHEMA)
    run = data["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for res in run["results"]:
        assert res["ruleId"] in rule_ids
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri


def test_sarif_schema_rejects_a_result_without_location(report: Report) -> None:
    data = json.loads(render(report, "sarif") or "")
    del data["runs"][0]["results"][0]["locations"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


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
