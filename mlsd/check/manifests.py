"""Deployment manifests of a repository: Dockerfiles, Kubernetes objects, compose
services and pyproject.toml files, each parsed once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from mlsd.check.dockerfile import Dockerfile, parse_dockerfile
from mlsd.check.reader import RepoFiles


@dataclass(frozen=True)
class K8sObject:
    path: str
    kind: str
    name: str
    doc: dict[str, Any]
    line: int

    def pod_spec(self) -> dict[str, Any]:
        spec = self.doc.get("spec") or {}
        if self.kind == "CronJob":
            spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
        if self.kind == "Pod":
            return spec if isinstance(spec, dict) else {}
        tpl = (spec.get("template") or {}) if isinstance(spec, dict) else {}
        pod = tpl.get("spec") if isinstance(tpl, dict) else None
        return pod if isinstance(pod, dict) else {}

    def containers(self) -> list[dict[str, Any]]:
        pod = self.pod_spec()
        out = [c for c in (pod.get("containers") or []) if isinstance(c, dict)]
        out += [c for c in (pod.get("initContainers") or []) if isinstance(c, dict)]
        return out


class Manifests(RepoFiles):
    """The parsed manifests (each a cached property over the file reads)."""

    @cached_property
    def dockerfiles(self) -> dict[str, Dockerfile]:
        out = {}
        for f in self.by_kind["dockerfile"]:
            text = self.text(f.rel)
            if text is not None:
                out[f.rel] = parse_dockerfile(f.rel, text)
        return out

    @cached_property
    def k8s_objects(self) -> list[K8sObject]:
        out: list[K8sObject] = []
        for f in self.by_kind["yaml"]:
            text = self.text(f.rel)
            if text is None or "kind:" not in text or "apiVersion" not in text:
                continue
            starts = [1] + [
                text.count("\n", 0, m.start()) + 2 for m in re.finditer(r"^---", text, re.M)
            ]
            if text.lstrip().startswith("---"):
                starts = starts[1:]
            for n, doc in enumerate(self.yaml_docs(f.rel)):
                if not isinstance(doc, dict) or not isinstance(doc.get("kind"), str):
                    continue
                doc_start = starts[n] if n < len(starts) else 1
                items = doc.get("items") if doc["kind"].endswith("List") else [doc]
                for d in items or []:
                    if isinstance(d, dict) and isinstance(d.get("kind"), str):
                        meta = d.get("metadata") or {}
                        name = str(meta.get("name", "")) if isinstance(meta, dict) else ""
                        line = self.line_of(f.rel, f"name: {name}", doc_start, doc_start)
                        out.append(K8sObject(f.rel, d["kind"], name, d, line))
        return out

    @cached_property
    def compose_files(self) -> dict[str, dict[str, Any]]:
        """compose file -> its services mapping."""
        out: dict[str, dict[str, Any]] = {}
        for f in self.by_kind["yaml"]:
            name = f.rel.rsplit("/", 1)[-1]
            if not (name.startswith(("compose", "docker-compose"))):
                continue
            for doc in self.yaml_docs(f.rel):
                if isinstance(doc, dict) and isinstance(doc.get("services"), dict):
                    out[f.rel] = doc["services"]
        return out

    @cached_property
    def pyprojects(self) -> dict[str, dict[str, Any]]:
        out = {}
        for f in self.by_kind["toml"]:
            if not f.rel.endswith("pyproject.toml"):
                continue
            text = self.text(f.rel)
            if text is None:
                continue
            try:
                out[f.rel] = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                self.skip(f.rel, f"invalid TOML: {exc}")
        return out
