"""The project -> copier template conversion: text that looks like Jinja, line endings,
suffix clashes and templated paths all come back from copier byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.copier_template import ExportError, literal, substitute, to_template

copier = pytest.importorskip("copier")

VALUES = [("acme-churn", "project_name"), ("acme_churn", "project_package")]
TREE = {
    ".github/workflows/ci.yml": b"concurrency:\n  group: acme-churn-${{ github.ref }}\n",
    "README.md": b"# acme-churn\n\n{% raw %}kept{% endraw %} and {%- endraw -%} {# c #}\n",
    "win.bat": b"echo acme-churn\r\nrem {{ x }}\r\n",
    "plain.txt": b"no answers here, but {{ braces }} and {% tags %}\n",
    "notes.jinja": b"a file that happens to end like a template: {{ x }}\n",
    "src/acme_churn/__init__.py": b'"""acme-churn."""\n',
    "cookie/{{cookiecutter.slug}}/app.py": b"# {{ cookiecutter.slug }} of acme-churn\n",
    "model.bin": bytes(range(256)),
    "edge.txt": b"{acme-churn} }acme-churn{ {{acme-churn}} acme-churn",
}


def test_literal_renders_to_itself() -> None:
    import jinja2

    env = jinja2.Environment(keep_trailing_newline=True)
    text = "a {{ b }} {% endraw %} {#c#}\r\nd {%endraw%}\n"
    assert env.from_string(literal(text)).render() == text


def test_substitute_leaves_files_without_answers() -> None:
    assert substitute("nothing to see", VALUES) is None
    assert substitute("x acme-churn y", VALUES) == "x {{ project_name }} y"


def test_copier_renders_the_template_back_to_the_tree(tmp_path: Path) -> None:
    template = tmp_path / "tpl"
    files = to_template(TREE, VALUES)
    assert "plain.txt" in files  # no answer in it: copied, never rendered
    for rel, data in files.items():
        path = template / "template" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (template / "copier.yml").write_text(
        "_subdirectory: template\nproject_name: {type: str}\n"
        "project_package: {type: str, default: \"{{ project_name | replace('-', '_') }}\","
        " when: false}\n"
    )
    copier.run_copy(
        str(template), tmp_path / "out", data={"project_name": "acme-churn"}, quiet=True
    )
    out = {
        p.relative_to(tmp_path / "out").as_posix(): p.read_bytes()
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
    }
    assert out == TREE


def test_binary_file_holding_an_answer_is_refused() -> None:
    with pytest.raises(ExportError, match=r"model\.bin"):
        to_template({"model.bin": b"\xff\xfeacme-churn"}, VALUES)
