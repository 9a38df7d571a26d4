"""Check the server for a newer edge model; download it once, verify it, swap atomically.

`check_for_update(server, model_dir)` asks `GET <server>/edge/model` for the version devices
should run and its sha256. When the local model already has that sha256 nothing is
downloaded. Otherwise the model and its report are downloaded into a hidden staging folder,
the model's sha256 is compared with the listed one, the report must name the same sha256 and
onnxruntime must load the model; only then is the release renamed into place and `CURRENT`
replaced (an atomic rename), so a reader sees the old or the new model, never half of one.
Any failure (server down, timeout, HTTP error, wrong checksum, unloadable model) keeps the old
model and says why in the result. The previous release stays on disk for a rollback; older
ones are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .model import (
    CURRENT_FILE,
    MODEL_FILE,
    REPORT_FILE,
    EdgeModel,
    EdgeModelError,
    current_folder,
)

KEEP_RELEASES = 2  # the current one and the one before it
MAX_REPORT_BYTES = 1 << 20


class UpdateFailed(Exception):
    """The check or the download failed; the old model stays."""


@dataclass(frozen=True)
class UpdateResult:
    status: str  # "updated", "up-to-date" or "kept" (the update failed; see reason)
    version: str | None  # the version in use after the check
    offered: str | None = None  # the version the server offers
    previous: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"Accept": "*/*"}, method="GET")


def _read_json(url: str, timeout: float) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(_request(url), timeout=timeout) as response:
            payload = json.loads(response.read(MAX_REPORT_BYTES))
    except urllib.error.HTTPError as exc:
        raise UpdateFailed(f"GET {url} answered {exc.code}") from exc
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused, bad JSON
        raise UpdateFailed(f"GET {url} failed: {exc}") from exc
    if not isinstance(payload, dict):
        raise UpdateFailed(f"GET {url} did not answer a JSON object")
    return payload


def _download(url: str, target: Path, limit: int, timeout: float) -> str:
    """Stream `url` into `target`; returns the sha256 of what was written."""
    digest = hashlib.sha256()
    written = 0
    try:
        with (
            urllib.request.urlopen(_request(url), timeout=timeout) as response,
            target.open("wb") as out,
        ):
            for chunk in iter(lambda: response.read(1 << 16), b""):
                written += len(chunk)
                if written > limit:
                    raise UpdateFailed(f"GET {url} sent more than the {limit} bytes listed")
                digest.update(chunk)
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise UpdateFailed(f"GET {url} answered {exc.code}") from exc
    except OSError as exc:
        raise UpdateFailed(f"GET {url} failed: {exc}") from exc
    return digest.hexdigest()


def _listing(server: str, timeout: float) -> dict[str, Any]:
    listing = _read_json(urllib.parse.urljoin(server, "/edge/model"), timeout)
    for key in ("version", "sha256", "download", "report"):
        if not isinstance(listing.get(key), str) or not listing[key]:
            raise UpdateFailed(f"the server's edge listing lacks {key}")
    return listing


def _fetch_release(server: str, listing: dict[str, Any], staging: Path, timeout: float) -> None:
    size = int(listing.get("size_bytes") or 0) or (1 << 30)
    model_url = urllib.parse.urljoin(server, listing["download"])
    actual = _download(model_url, staging / MODEL_FILE, size, timeout)
    if actual != listing["sha256"]:
        raise UpdateFailed(
            f"checksum mismatch for version {listing['version']}: downloaded sha256 {actual}, "
            f"the server lists {listing['sha256']}"
        )
    report = _read_json(urllib.parse.urljoin(server, listing["report"]), timeout)
    if report.get("sha256") != listing["sha256"] or report.get("version") != listing["version"]:
        raise UpdateFailed("the downloaded report names another version or sha256")
    (staging / REPORT_FILE).write_text(json.dumps(report, sort_keys=True), encoding="utf-8")
    try:
        EdgeModel.load_release(staging)  # the bytes must also be a model onnxruntime runs
    except EdgeModelError as exc:
        raise UpdateFailed(str(exc)) from exc


def _swap(model_dir: Path, release: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{CURRENT_FILE}.", dir=model_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(release + "\n")
    os.replace(tmp, model_dir / CURRENT_FILE)


def _prune(model_dir: Path, keep: list[str]) -> None:
    releases = [p for p in model_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    for folder in sorted(releases, key=lambda p: p.stat().st_mtime, reverse=True):
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def _local(model_dir: Path) -> EdgeModel | None:
    try:
        return EdgeModel.load(model_dir) if current_folder(model_dir) else None
    except EdgeModelError:
        return None  # a broken local model is replaced like a missing one


def check_for_update(server: str, model_dir: str | Path, timeout: float = 10.0) -> UpdateResult:
    """Bring `model_dir` to the version the server offers; never lose a working model."""
    model_dir = Path(model_dir).expanduser()
    model_dir.mkdir(parents=True, exist_ok=True)
    server = server.rstrip("/") + "/"
    local = _local(model_dir)
    current = local.version if local else None
    try:
        listing = _listing(server, timeout)
    except UpdateFailed as exc:
        return UpdateResult("kept", current, reason=str(exc))
    offered = listing["version"]
    if local is not None and (local.version, local.sha256) == (offered, listing["sha256"]):
        return UpdateResult("up-to-date", current, offered)
    release = f"{offered}-{listing['sha256'][:12]}"
    staging = Path(tempfile.mkdtemp(prefix=".download-", dir=model_dir))
    try:
        _fetch_release(server, listing, staging, timeout)
        target = model_dir / release
        shutil.rmtree(target, ignore_errors=True)  # an earlier, unused copy of this release
        os.replace(staging, target)
    except UpdateFailed as exc:
        return UpdateResult("kept", current, offered, reason=str(exc))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    previous_folder = current_folder(model_dir)
    _swap(model_dir, release)
    keep = [release] + ([previous_folder.name] if previous_folder else [])
    _prune(model_dir, keep[:KEEP_RELEASES])
    return UpdateResult("updated", offered, offered, previous=current)
