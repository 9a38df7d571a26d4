"""A rendered project turned into copier template files (pure: bytes in, bytes out).

The project was rendered with placeholder answers; each occurrence of a placeholder's
rendered text becomes a Jinja expression over copier's answers. Everything else must come
out of copier byte for byte, so:
- a file without a placeholder is copied verbatim (no `.jinja` suffix: copier does not
  render it, so the `${{ github.ref }}` of a workflow or a shipped cookiecutter template is
  left alone);
- in a file with one, the text around the expressions is wrapped in `{% raw %}` where it
  holds anything Jinja would read, and a carriage return is written as an expression
  (Jinja turns every line ending of a template into `\\n`);
- a project file whose name ends in the templates suffix is made a template of its own, so
  copier strips only the suffix added here;
- path segments are rendered by copier too: placeholders become expressions, Jinja-like
  text is wrapped in `{% raw %}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

SUFFIX = ".jinja"
DELIMITERS = ("{{", "{%", "{#")
# Jinja ends a raw block at the first `{% endraw %}` (in any spacing): such text inside one
# is written as an expression instead.
ENDRAW = re.compile(r"\{%(?=[-+]?\s*endraw\b)")


class ExportError(ValueError):
    """The rendered project cannot be expressed as a copier template."""


def literal(text: str) -> str:
    """Jinja source that renders exactly `text` (newlines kept as they are)."""
    return '{{ "\\r" }}'.join(_literal_line(part) for part in text.split("\r"))


def _literal_line(text: str) -> str:
    # a brace at either end would join the expression written next to it (`{{{ x }}`)
    if not any(d in text for d in DELIMITERS) and not text.endswith("{") and text[:1] != "}":
        return text
    body = ENDRAW.sub('{% endraw %}{{ "{%" }}{% raw %}', text)
    return "{% raw %}" + body + "{% endraw %}"


def _splitter(values: Sequence[tuple[str, str]]) -> re.Pattern[str]:
    ordered = sorted((v for v, _ in values), key=len, reverse=True)  # longest match first
    return re.compile("|".join(re.escape(v) for v in ordered))


def substitute(text: str, values: Sequence[tuple[str, str]]) -> str | None:
    """`text` as Jinja source with each placeholder turned into its expression, or None when
    no placeholder occurs in it."""
    expressions = dict(values)
    pattern = _splitter(values)
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        out.append(literal(text[pos : match.start()]))
        out.append("{{ " + expressions[match.group()] + " }}")
        pos = match.end()
    if pos == 0:
        return None
    out.append(literal(text[pos:]))
    return "".join(out)


def template_path(rel: str, values: Sequence[tuple[str, str]], templated: bool) -> str:
    """The path of a project file inside the template."""
    parts = []
    for part in rel.split("/"):
        source = substitute(part, values)
        parts.append(source if source is not None else literal(part))
    path = "/".join(parts)
    return path + SUFFIX if templated or rel.endswith(SUFFIX) else path


def to_template(tree: Mapping[str, bytes], values: Sequence[tuple[str, str]]) -> dict[str, bytes]:
    """The template files (paths relative to the template folder) that copier renders back
    into `tree`, with the placeholders' texts replaced by answers."""
    out: dict[str, bytes] = {}
    markers = [v.encode("utf-8") for v, _ in values]
    for rel, data in tree.items():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if any(m in data for m in markers):
                raise ExportError(f"{rel} is binary and holds a project answer") from None
            if rel.endswith(SUFFIX):
                raise ExportError(f"{rel} is binary and named like a copier template") from None
            out[template_path(rel, values, False)] = data
            continue
        source = substitute(text, values)
        if source is None and rel.endswith(SUFFIX):
            source = literal(text)  # copier would render it: make it render to itself
        if source is None:
            out[template_path(rel, values, False)] = data
        else:
            out[template_path(rel, values, True)] = source.encode("utf-8")
    return dict(sorted(out.items()))
