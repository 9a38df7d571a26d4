"""The Jobs and CronJobs of a rendered project that read the shared ConfigMap.

The prod overlay gives every workload that reads `<project>-config` the Secret
`<project>-backing` too (its REDIS_URL / DATABASE_URL win over the ConfigMap's in-cluster
defaults). Deployments are patched by kind; a Job's or CronJob's pod template sits at another
path and not every one has an `envFrom` to add to, so those are found here, by name, in the
rendered manifests (the prod kustomization is rendered after them, see `render.render_tree`).
"""

from __future__ import annotations

from typing import Any

from mlsd.catalog_model import parse_yaml_all

#: where the manifests the prod overlay builds on live in a rendered project
SCANNED = ("deploy/k8s/base/", "deploy/k8s/overlays/prod/")
POD_SPEC = {
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def _dig(obj: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def config_readers(tree: dict[str, bytes], config_map: str) -> list[dict[str, str]]:
    """`{kind, name, path}` of each Job / CronJob whose first container reads `config_map`
    through `envFrom`; `path` is the JSON pointer to append an `envFrom` entry to."""
    found: list[dict[str, str]] = []
    for rel in sorted(tree):
        if not rel.startswith(SCANNED) or not rel.endswith(".yaml"):
            continue
        if rel.endswith("/kustomization.yaml"):
            continue
        for doc in parse_yaml_all(tree[rel]):
            keys = POD_SPEC.get(doc.get("kind", "")) if isinstance(doc, dict) else None
            if keys is None:
                continue
            pod = _dig(doc, keys) or {}
            first = (pod.get("containers") or [{}])[0]
            refs = [e.get("configMapRef", {}).get("name") for e in first.get("envFrom") or []]
            if config_map in refs:
                pointer = "/" + "/".join(keys) + "/containers/0/envFrom/-"
                found.append(
                    {"kind": doc["kind"], "name": doc["metadata"]["name"], "path": pointer}
                )
    return found
