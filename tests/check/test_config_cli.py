"""Configuration, selection, pragmas, baseline and the CLI commands (exit codes 0/1/2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from mlsd.check.api import run_check
from mlsd.check.commands import register
from mlsd.check.engine import Options
from mlsd.errors import UsageError
from tests.check.test_formats import validate_sarif

PERSONAL = 'DATA = "/Users/alice/x.csv"\n'


@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


def codes(report) -> list[str]:
    return sorted(f.code for f in report.findings)


# -- configuration ---------------------------------------------------------------------
def test_unknown_key_in_mlsd_yml_is_exit_2(tree, cli) -> None:
    root = tree({"a.py": "x = 1\n", ".mlsd.yml": "selct: [OM]\n"})
    result = cli("check", root)
    assert result.exit_code == 2
    assert "unknown configuration key 'selct'" in result.output
    assert "did you mean 'select'" in result.output
    assert "Traceback" not in result.output


def test_unknown_key_in_pyproject_is_exit_2(tree) -> None:
    root = tree({"pyproject.toml": "[tool.mlsd]\nthresholds = {large-model-gb = 1}\n"})
    with pytest.raises(UsageError, match="large-model-gb"):
        run_check(root)


@pytest.mark.parametrize(
    "args",
    [["--select", "ZZ9"], ["--ignore", "NOPE"], ["--fail-on", "fatal"], ["--output-format", "xml"]],
)
def test_bad_flags_are_exit_2(tree, cli, args) -> None:
    root = tree({"a.py": "x = 1\n"})
    result = cli("check", root, *args)
    assert result.exit_code == 2, result.output


def test_unknown_code_in_per_path_ignores_is_exit_2(tree) -> None:
    root = tree({"a.py": "x\n", ".mlsd.yml": "per-path-ignores:\n  'a.py': [XYZ1]\n"})
    with pytest.raises(UsageError, match="XYZ1"):
        run_check(root)


def test_select_ignore_by_prefix(tree) -> None:
    root = tree({"a.py": PERSONAL})
    assert set(codes(run_check(root, Options(select=["OM"])))) >= {"OM006", "OM003"}
    assert codes(run_check(root, Options(select=["OM006"]))) == ["OM006"]
    assert "OM006" not in codes(run_check(root, Options(select=["OM"], ignore=["OM006"])))
    assert codes(run_check(root, Options(select=["NL"]))) == []


def test_opt_in_rules_need_selection(tree) -> None:
    root = tree({"app.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    assert "NK001" not in codes(run_check(root))  # hygiene rules are opt-in
    assert "NK001" in codes(run_check(root, Options(extend_select=["NK001"])))


def test_per_path_ignores_and_config_file_option(tree) -> None:
    root = tree(
        {
            "scripts/a.py": PERSONAL,
            "src/b.py": PERSONAL,
            "cfg.yml": "select: [OM006]\nper-path-ignores:\n  scripts/: [OM]\n",
        }
    )
    report = run_check(root, Options(config=root / "cfg.yml"))
    assert [f.path for f in report.findings] == ["src/b.py"]


def test_pyproject_tool_mlsd(tree) -> None:
    root = tree(
        {
            "a.py": PERSONAL,
            "pyproject.toml": '[tool.mlsd]\nselect = ["OM006"]\nfail-on = "error"\n',
        }
    )
    report = run_check(root)
    assert codes(report) == ["OM006"]


def test_components_override(tree) -> None:
    # a "runner" that starts an app in a way detection cannot see
    root = tree(
        {
            "svc/handler.py": "import joblib\nmodel = joblib.load('m.pkl')\n",
            ".mlsd.yml": "components:\n  serving: ['svc/*.py']\n",
        }
    )
    assert "NL001" in codes(run_check(root, Options(select=["NL001"])))
    (root / ".mlsd.yml").write_text("components:\n  serving: []\n  exclude: ['svc/*']\n")
    assert codes(run_check(root, Options(select=["NL001"]))) == []


# -- pragmas ---------------------------------------------------------------------------
def test_pragma_suppresses_and_unused_is_reported(tree) -> None:
    root = tree(
        {
            "a.py": 'DATA = "/Users/alice/x.csv"  # mlsd: ignore[OM006]\n',
            "b.py": 'X = "/app/x.csv"  # mlsd: ignore[OM006]\n',
            "c.py": "Y = 1  # mlsd: ignore[QQ123]\n",
            "d.py": "# mlsd: ignore-file[OM]\nZ = '/home/bob/z.csv'\n",
        }
    )
    report = run_check(root, Options(select=["OM006", "MLS001"]))
    got = sorted((f.code, f.path) for f in report.findings)
    assert got == [("MLS001", "b.py"), ("MLS001", "c.py")]
    assert report.suppressed == 2
    assert "unknown code" in next(f.message for f in report.findings if f.path == "c.py")


def test_pragma_for_a_disabled_rule_is_not_reported_unused(tree) -> None:
    root = tree({"b.py": "X = 1  # mlsd: ignore[NL001]\n"})
    assert codes(run_check(root, Options(select=["OM006", "MLS001"]))) == []


# -- baseline --------------------------------------------------------------------------
def test_baseline_hides_known_findings_only(tree, cli) -> None:
    root = tree({"a.py": PERSONAL})
    base = root / "baseline.json"
    result = cli("check", root, "--select", "OM006", "--write-baseline", base)
    assert result.exit_code == 0
    assert json.loads(base.read_text())["findings"][0]["code"] == "OM006"
    # moving the line does not resurrect it
    (root / "a.py").write_text("import os\n\n" + PERSONAL)
    assert cli("check", root, "--select", "OM006", "--baseline", base).exit_code == 0
    (root / "b.py").write_text('NEW = "/home/carol/y.csv"\n')
    result = cli(
        "check", root, "--select", "OM006", "--baseline", base, "--output-format", "concise"
    )
    assert result.exit_code == 1
    assert "b.py:1" in result.output and "a.py" not in result.output.split("\n")[0]


def test_missing_baseline_is_exit_2(tree, cli) -> None:
    root = tree({"a.py": "x = 1\n"})
    assert cli("check", root, "--baseline", root / "nope.json").exit_code == 2


# -- exit codes and commands ---------------------------------------------------------------
def test_exit_codes(tree, cli) -> None:
    root = tree({"a.py": PERSONAL})
    assert cli("check", root, "--select", "OM006").exit_code == 1
    assert cli("check", root, "--select", "OM006", "--exit-zero").exit_code == 0
    assert cli("check", root, "--select", "OM006", "--fail-on", "error").exit_code == 0
    assert cli("check", root, "--select", "OM006", "--fail-on", "warning").exit_code == 1
    assert cli("check", root, "--select", "NL").exit_code == 0


def test_info_findings_do_not_fail_by_default(tree, cli) -> None:
    root = tree({"a.py": "x = 1\n"})  # no Python version declared: OM005 is info
    result = cli("check", root, "--select", "OM005", "--json")
    assert [f["severity"] for f in json.loads(result.output)["findings"]] == ["info"]
    assert result.exit_code == 0
    assert cli("check", root, "--select", "OM005", "--fail-on", "info").exit_code == 1


def test_info_findings_inform_without_failing(tree, cli) -> None:
    app = "import torch\nfrom fastapi import FastAPI\nimport xgboost\napp = FastAPI()\n"
    root = tree({"app.py": app})
    result = cli("check", root, "--select", "AIO004")
    assert "AIO004" in result.output  # reported (info) ...
    assert result.exit_code == 0  # ... but only warnings and errors fail by default
    assert cli("check", root, "--select", "AIO004", "--fail-on", "info").exit_code == 1


def test_json_alias_and_output_file(tree, cli) -> None:
    root = tree({"a.py": PERSONAL})
    result = cli("check", root, "--select", "OM006", "--json")
    assert json.loads(result.output)["findings"][0]["code"] == "OM006"
    out = root / "report.sarif"
    cli("check", root, "--select", "OM006", "--output-format", "sarif", "-o", out)
    data = json.loads(out.read_text())
    assert data["version"] == "2.1.0"
    validate_sarif(data)


def test_rules_and_rule_commands(cli) -> None:
    result = cli("rules", "--json")
    assert result.exit_code == 0
    items = json.loads(result.output)
    assert {i["code"] for i in items} >= {"NL001", "TCS003", "OB001", "NK002"}
    result = cli("rule", "tcs003")
    assert result.exit_code == 0 and "Why is this bad?" in result.output
    data = json.loads(cli("rule", "TCS003", "--json").output)
    assert data["fix"] and data["example"]
    result = cli("rule", "NL01")
    assert result.exit_code == 2 and "did you mean" in result.output
    assert cli("rules").exit_code == 0


def test_no_copier_import_and_lazy_commands() -> None:
    import subprocess
    import sys

    code = (
        "import sys, typer; from mlsd.check.commands import register; register(typer.Typer());"
        "assert 'mlsd.check.engine' not in sys.modules;"
        "from mlsd.check.api import run_check; run_check('.');"
        "assert 'copier' not in sys.modules and 'cookiecutter' not in sys.modules"
    )
    root = Path(__file__).parent / "fixtures" / "generated_project"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
