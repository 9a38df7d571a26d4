"""NK009 readme-says-nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, training_notebooks
from mlsd.check.context import Context

#: words that say what an ML system does (its task, its model or its data)
_PURPOSE = re.compile(
    r"\b(predict\w*|classif\w*|detect\w*|recogni[sz]\w*|forecast\w*|recommend\w*|sentiment|"
    r"regress\w*|segment\w*|translat\w*|chat\w*|diagnos\w*|estimat\w*|model(?:s|ed|ing)?|"
    r"llm|neural|trained|dataset)\b",
    re.I,
)
#: text a README template leaves behind when nobody filled it in
_PLACEHOLDER = re.compile(
    r"lorem ipsum|based on the actual implementation|you can adjust the \w+|"
    r"add (?:a |your )?description here|todo:? (?:describe|write|add)",
    re.I,
)
_CODE_BLOCK = re.compile(r"```.*?```|~~~.*?~~~", re.S)
_NOT_PROSE = re.compile(r"`[^`\n]*`|https?://\S+|<!--.*?-->", re.S)


def readme_prose(text: str) -> str:
    """The README's words a reader reads: no code blocks, inline code, links or comments."""
    return _NOT_PROSE.sub(" ", _CODE_BLOCK.sub(" ", text))


class ReadmeSaysNothing(Rule):
    """
    ## What it does
    Fires when a repository with ML code (a serving unit, training code or a notebook) has
    no README, or a README whose prose (code blocks, inline code and links left out) never
    says what the system does: no task, model or data word (predict, classify, detect,
    forecast, recommend, model, dataset, ...), or one that still holds a template's
    placeholder text ("Lorem ipsum", "based on the actual implementation"). A README that
    only lists set-up commands fires; one that names its task in a sentence does not.

    ## Why is this bad?
    Nobody but the author can tell what the model predicts, from what data, or whether it
    is still needed; it cannot be owned, reviewed or retired.

    ## Example
    ```markdown
    # quickstart
    pip install -r requirements.txt && uvicorn api.main:app
    ```

    ## How to fix
    Say in the README what the model predicts, from which inputs and data, and how it is
    run (projects from `mlsd new` start with these sections; `mlsd add
    prediction-monitoring` documents what is watched in production).
    """

    code = "NK009"
    name = "readme-says-nothing"
    family = "nobody-knows"
    severity = Severity.WARNING
    summary = "No README, or one that never says what the model does."

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        if not (comps.serving or comps.training_modules or training_notebooks(ctx)):
            return
        rel = ctx.readme
        if rel is None:
            yield self.finding(
                ctx.repo_anchor(), 1, "ML code but no README says what it is", evidence="no-readme"
            )
            return
        text = ctx.text(rel)
        if text is None:
            return
        placeholder = _PLACEHOLDER.search(text)
        if placeholder:
            line = text.count("\n", 0, placeholder.start()) + 1
            yield self.finding(
                rel,
                line,
                f"README still holds template text ('{placeholder.group(0)}')",
                evidence=placeholder.group(0),
            )
        elif not _PURPOSE.search(readme_prose(text)):
            yield self.finding(
                rel, 1, "README never says what the model does (task, model or data)"
            )
