"""Run the selected rules over one walk of the tree, then apply per-path ignores,
inline pragmas, fingerprints and the baseline."""

from __future__ import annotations

import fnmatch
import gc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mlsd.check import registry
from mlsd.check.adopted import adjust_fixes
from mlsd.check.base import Finding, Report, Rule, Severity, compute_fingerprint
from mlsd.check.baseline import read_baseline
from mlsd.check.config import Config, check_format, load_config
from mlsd.check.context import Context
from mlsd.check.suppress import Pragma, find_pragmas
from mlsd.check.walk import walk
from mlsd.errors import UsageError


@dataclass
class Options:
    """What the CLI (or a test) asks for on top of the configuration file."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    config: Path | None = None
    baseline: Path | None = None
    fail_on: str | None = None
    output_format: str | None = None
    use_baseline: bool = True


def resolve_config(root: Path, options: Options) -> Config:
    cfg = load_config(root, options.config)
    if options.select is not None:
        cfg.select = list(options.select)
    cfg.extend_select = [*cfg.extend_select, *options.extend_select]
    cfg.ignore = [*cfg.ignore, *options.ignore]
    if options.fail_on:
        cfg.fail_on = Severity.parse(options.fail_on)
    if options.output_format:
        cfg.output_format = check_format(options.output_format)
    if options.baseline is not None:
        cfg.baseline = str(options.baseline)
    for codes in cfg.per_path_ignores.values():
        for token in codes:
            registry.matching(token)  # unknown codes are an error
    return cfg


def run(root: Path, options: Options | None = None) -> tuple[Report, Config]:
    """Check `root`. The cyclic GC is paused meanwhile: thousands of live ASTs would make
    every collection rescan them (it tripled the run time on a large tree)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(root, options or Options())
    finally:
        if was_enabled:
            gc.enable()


def _run(root: Path, options: Options) -> tuple[Report, Config]:
    if not root.exists():
        raise UsageError(f"path not found: {root}")
    if not root.is_dir():
        raise UsageError(f"not a folder: {root}", hint="mlsd check takes a repository folder")
    cfg = resolve_config(root, options)
    rules = registry.select(cfg.select, cfg.extend_select, cfg.ignore)
    files, skipped = walk(root, cfg.exclude, cfg.respect_gitignore)
    if cfg.baseline:  # the baseline quotes findings; never check it
        base = _rooted(root, cfg.baseline).resolve()
        files = [f for f in files if f.abs.resolve() != base]
    ctx = Context(root, cfg, files, skipped)
    report = Report(root=str(root), skipped=skipped, files_checked=len(files), rules=rules)

    raw: list[Finding] = []
    for rule in rules:
        try:
            raw.extend(rule().check(ctx))
        except Exception as exc:  # a rule bug must not hide the other rules' findings
            ctx.skip(".", f"rule {rule.code} failed: {type(exc).__name__}: {exc}")

    if any(r.code == "MLS001" for r in rules):  # every pragma must be seen to report unused
        for f in files:
            if f.kind not in ("artifact", "other"):
                _text_for(ctx, f.rel)
    raw = [f for f in raw if not _path_ignored(f, cfg.per_path_ignores)]
    raw = adjust_fixes(root, raw)  # an adopted repository: only what `mlsd add` takes there
    kept, suppressed, pragmas = _apply_pragmas(ctx, raw)
    report.suppressed = suppressed
    kept.extend(_unused_pragmas(pragmas, rules))
    _fingerprint(ctx, kept)
    if cfg.baseline and options.use_baseline:
        known = read_baseline(_rooted(root, cfg.baseline))
        before = len(kept)
        kept = [f for f in kept if f.fingerprint not in known]
        report.baselined = before - len(kept)
    report.findings = sorted(kept, key=lambda f: (f.path, f.line, f.code))
    report.skipped = sorted(ctx.skipped, key=lambda s: s.path)
    ctx.close()
    return report, cfg


def _rooted(root: Path, path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() or p.exists() else root / p


def _path_ignored(f: Finding, per_path: dict[str, list[str]]) -> bool:
    for pattern, codes in per_path.items():
        pat = pattern.rstrip("/")
        if (
            fnmatch.fnmatch(f.path, pat)
            or fnmatch.fnmatch(f.path, pat + "/*")
            or f.path.startswith(pat + "/")
        ) and any(f.code.startswith(c.upper()) or c.upper() == "ALL" for c in codes):
            return True
    return False


def _text_for(ctx: Context, rel: str) -> str | None:
    entry = ctx.by_path.get(rel)
    if entry is not None and entry.kind == "artifact":
        return None  # a model file holds no pragma; reading it would only report "binary"
    if rel.endswith(".ipynb"):
        mod = ctx.python(rel)
        return mod.text if mod else None
    return ctx.text(rel)


def _apply_pragmas(
    ctx: Context, findings: list[Finding]
) -> tuple[list[Finding], int, list[Pragma]]:
    for f in findings:
        _text_for(ctx, f.path)  # make sure the file with the finding is scanned
    pragmas: dict[str, list[Pragma]] = {}
    for rel in list(ctx.texts_read):
        text = _text_for(ctx, rel)
        if text and "mlsd:" in text:
            pragmas[rel] = find_pragmas(rel, text)
    kept, suppressed = [], 0
    for f in findings:
        hit = False
        for p in pragmas.get(f.path, []):
            token = p.matches(f.code, f.line)
            if token:
                p.used.add(token)
                hit = True
        if hit:
            suppressed += 1
        else:
            kept.append(f)
    return kept, suppressed, [p for ps in pragmas.values() for p in ps]


def _unused_pragmas(pragmas: list[Pragma], rules: list[type[Rule]]) -> list[Finding]:
    meta = next((r for r in rules if r.code == "MLS001"), None)
    if meta is None:
        return []
    enabled = {r.code for r in rules}
    known = {r.code for r in registry.all_rules()}
    out = []
    for p in pragmas:
        tokens = p.codes or ("*",)
        for token in tokens:
            if token in p.used:
                continue
            if token != "*" and not any(c.startswith(token) for c in known):
                msg = f"suppression names an unknown code '{token}'"
            elif token == "*" or any(c.startswith(token) for c in enabled):
                label = "blanket suppression" if token == "*" else f"suppression of {token}"
                msg = f"unused {label}: no finding here to suppress"
            else:
                continue  # the rule is not enabled, so we cannot tell
            out.append(meta().finding(p.path, p.line, msg, evidence=f"pragma {token}"))
    return out


def _fingerprint(ctx: Context, findings: list[Finding]) -> None:
    seen: Counter[tuple[str, str, str]] = Counter()
    for f in sorted(findings, key=lambda f: (f.path, f.line, f.code, f.message)):
        evidence = f.evidence
        if evidence is None:
            text = _text_for(ctx, f.path)
            lines = text.splitlines() if text else []
            evidence = lines[f.line - 1] if 0 < f.line <= len(lines) else f.message
        key = (f.code, f.path, evidence.strip())
        f.fingerprint = compute_fingerprint(f.code, f.path, evidence, seen[key])
        seen[key] += 1
