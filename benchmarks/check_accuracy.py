"""Accuracy of `mlsd check` on a labelled corpus of real repositories (not part of CI).

The corpus file lists public repositories pinned to a commit with per-family labels
(present / absent / borderline / na). This script runs `mlsd check --output-format json`
(the default rule set) on each checked-out repository, counts a family as reported when a
finding of that family has severity warning or error (info never counts, as it never fails a
run), and prints per-family precision and recall over the scored labels (present and absent;
borderline and na are not scored), then every false positive and miss with the codes involved.

    python benchmarks/check_accuracy.py CORPUS.yaml [CORPUS_DIR] [--mirrors DIR]

CORPUS_DIR (or the environment variable MLSD_CORPUS_DIR) holds one folder per repository,
named `owner+name` (the layout of the `fetch` mirrors). With `--mirrors DIR`, a missing
folder is first extracted from the git mirror `DIR/owner+name/repo` at the pinned commit;
blobs the mirror lacks (files of 4 MiB and more) become sparse files of 4 MiB, so size-based
rules still see a large file. The repositories are not ours: never copy them into this project.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FAMILIES = ("OB", "AIO", "OO", "OM", "TCS", "TMP", "NL", "NK")
SCORED = ("present", "absent")
COUNTED = ("warning", "error")
MISSING_BLOB_BYTES = 4 * 1024 * 1024


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def family_of(code: str) -> str | None:
    """The family prefix of a code (`AIO003` -> `AIO`); None for meta codes."""
    prefix = code.rstrip("0123456789")
    return prefix if prefix in FAMILIES else None


def folder_name(repo: str) -> str:
    return repo.replace("/", "+")


def extract_from_mirror(mirrors: Path, repo: str, commit: str, dest: Path) -> None:
    """Write the tree of `commit` from a fetch mirror to `dest`, tolerating absent blobs."""
    base = mirrors / folder_name(repo) / "repo"
    git_dir = base / ".git" if (base / ".git").is_dir() else base
    git = ["git", "--git-dir", str(git_dir)]
    listing = subprocess.run(
        [*git, "ls-tree", "-r", "-z", commit], capture_output=True, check=True
    ).stdout
    for entry in filter(None, listing.split(b"\0")):
        meta, raw_path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob":
            continue
        path = dest / os.fsdecode(raw_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = subprocess.run([*git, "cat-file", "blob", sha.decode()], capture_output=True)
        if blob.returncode != 0:
            with open(path, "wb") as fh:
                fh.truncate(MISSING_BLOB_BYTES)
        elif mode == b"120000":
            with contextlib.suppress(OSError):
                os.symlink(blob.stdout, path)
        else:
            path.write_bytes(blob.stdout)


def run_check(folder: Path) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "mlsd", "check", str(folder), "--output-format", "json"],
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"mlsd check failed on {folder} ({proc.returncode}): {proc.stderr}")
    return json.loads(proc.stdout)["findings"]


def reported_codes(findings: list[dict]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        fam = family_of(f["code"])
        if fam and f["severity"] in COUNTED:
            out[fam].add(f["code"])
    return out


def score(corpus: dict, corpus_dir: Path, mirrors: Path | None) -> dict[str, Score]:
    scores = {fam: Score() for fam in FAMILIES}
    for item in corpus["repos"]:
        folder = corpus_dir / folder_name(item["repo"])
        if not folder.is_dir():
            if mirrors is None:
                raise SystemExit(f"missing checkout {folder} (fetch it, or pass --mirrors)")
            extract_from_mirror(mirrors, item["repo"], item["commit"], folder)
        target = folder / item["subdir"] if item.get("subdir") else folder
        codes = reported_codes(run_check(target))
        name = item["repo"] + (f":{item['subdir']}" if item.get("subdir") else "")
        for fam in FAMILIES:
            label = item["labels"].get(fam, "na")
            if label not in SCORED:
                continue
            got = codes.get(fam, set())
            s = scores[fam]
            if label == "present" and got:
                s.tp += 1
            elif label == "present":
                s.fn += 1
                s.misses.append(name)
            elif got:
                s.fp += 1
                s.false_positives.append(f"{name} ({', '.join(sorted(got))})")
            else:
                s.tn += 1
    return scores


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(scores: dict[str, Score]) -> str:
    rows = [
        "| Family | TP | FP | FN | TN | Precision | Recall |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    total = Score()
    for fam, s in scores.items():
        rows.append(
            f"| {fam} | {s.tp} | {s.fp} | {s.fn} | {s.tn} | {_fmt(s.precision)} "
            f"| {_fmt(s.recall)} |"
        )
        total.tp, total.fp, total.fn, total.tn = (
            total.tp + s.tp,
            total.fp + s.fp,
            total.fn + s.fn,
            total.tn + s.tn,
        )
    rows.append(
        f"| all | {total.tp} | {total.fp} | {total.fn} | {total.tn} | {_fmt(total.precision)} "
        f"| {_fmt(total.recall)} |"
    )
    return "\n".join(rows)


def details(scores: dict[str, Score]) -> str:
    lines = []
    for fam, s in scores.items():
        for fp in s.false_positives:
            lines.append(f"false positive {fam}: {fp}")
        for miss in s.misses:
            lines.append(f"miss {fam}: {miss}")
    return "\n".join(lines) or "no false positives and no misses"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", type=Path, help="the labelled corpus YAML")
    parser.add_argument(
        "corpus_dir",
        type=Path,
        nargs="?",
        default=os.environ.get("MLSD_CORPUS_DIR"),
        help="folder of checked-out repositories (default: $MLSD_CORPUS_DIR)",
    )
    parser.add_argument("--mirrors", type=Path, help="extract missing checkouts from here")
    args = parser.parse_args(argv)
    if args.corpus_dir is None:
        parser.error("give CORPUS_DIR or set MLSD_CORPUS_DIR")
    try:
        corpus = yaml.safe_load(args.corpus.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        parser.error(f"cannot read {args.corpus}: {exc}")
    scores = score(corpus, Path(args.corpus_dir), args.mirrors)
    print(table(scores))
    print()
    print(details(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
