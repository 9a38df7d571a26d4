"""NK008 no-data-description."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, training_notebooks
from mlsd.check.context import Context, is_test_path
from mlsd.check.facts import headings, model_cards

#: a README heading about the data (not "Metadata", "Database setup" or "Update")
DATA_HEADING = re.compile(
    r"^(?:the |our |training |input |source |evaluation )?"
    r"(?:data(?:sets?)?|datasheets?|data cards?)\b"
    r"|\b(?:training|input|source|evaluation) data\b|\bdata(?:sets?)? (?:description|sources?|"
    r"dictionary|card|used|and features|& features|schema|lineage|provenance)\b",
    re.I,
)
#: a file that describes the data: a datasheet, a data card, a data dictionary, DATA.md...
DATA_DOC = re.compile(
    r"(^|/)(datasheet|data[_-]?sheet|data[_-]?card|dataset[_-]?card|data[_-]?dictionary|"
    r"data[_-]?description)(?:[_-][\w-]*)?\.(md|rst|markdown|txt|ya?ml|json|csv|pdf|html)$"
    r"|(^|/)(data|datasets?)\.(md|rst|markdown)$"
    r"|(^|/)(data|datasets?)/readme(\.\w+)?$",
    re.I,
)


def data_descriptions(ctx: Context) -> list[str]:
    return [
        f.rel
        for f in ctx.files
        if f.kind != "python" and DATA_DOC.search(f.rel) and not is_test_path(f.rel)
    ]


def describes_data(ctx: Context) -> bool:
    """The README, or a model card, has a section about the data."""
    docs = ([ctx.readme] if ctx.readme else []) + model_cards(ctx)
    for rel in docs:
        text = ctx.text(rel)
        if text and any(DATA_HEADING.search(h.strip("# *`")) for h in headings(text)):
            return True
    return False


class NoDataDescription(Rule):
    """
    ## What it does
    Fires when the repository trains a model (a script, module or notebook calling training
    APIs) but describes its data nowhere: no "Data" section in the README ("Data",
    "Dataset", "Training data", "Data sources"...), and no datasheet, data card, data
    dictionary, `DATA.md` / `docs/data.md` or `data/README.md`, and no data section in the
    model card.

    ## Why is this bad?
    Only the author knows where the training data comes from, what a row is, what the
    columns and labels mean, how it was sampled and what it must not be used for; nobody
    else can retrain, audit or debug the model.

    ## Example
    ```text
    repo/
      train.py   README.md   # the README says how to run, not what the data is
    ```

    ## How to fix
    Add a `## Data` section to the README (source, owner, schema, how it is split and
    versioned) or a datasheet / data card next to the code, and version the data with the
    model (pattern `data-model-versioning`, planned).
    """

    code = "NK008"
    name = "no-data-description"
    family = "nobody-knows"
    severity = Severity.INFO
    summary = "A model is trained but the data is described nowhere."
    fix = ("data-model-versioning",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        if not (comps.training_modules or training_notebooks(ctx)):
            return
        if describes_data(ctx) or data_descriptions(ctx):
            return
        yield self.finding(
            ctx.readme or ctx.repo_anchor(),
            1,
            "training code but no data description (README 'Data' section, datasheet or data card)",
            evidence="no-data-description",
        )
