"""A baseline file keyed by fingerprints (never line numbers)."""

from __future__ import annotations

import json
from pathlib import Path

from mlsd.check.findings import Finding
from mlsd.errors import UsageError

FORMAT = "mlsd-baseline"
VERSION = 1


def write_baseline(path: Path, findings: list[Finding]) -> int:
    entries = sorted(
        (
            {"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "message": f.message}
            for f in findings
        ),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    data = {"format": FORMAT, "version": VERSION, "findings": entries}
    try:
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(entries)


def read_baseline(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"baseline file not found: {path}", hint="create one with --write-baseline FILE"
        ) from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read baseline {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"{path} is not an mlsd baseline file")
    return {
        str(e["fingerprint"])
        for e in data.get("findings", [])
        if isinstance(e, dict) and "fingerprint" in e
    }
