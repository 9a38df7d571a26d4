"""One mechanism for the overlays' patches: `overlays.<overlay>.patches` lists patch files
(names) and inline patches ({kind, name, patch}); the old `prod_patches` key is gone."""

from __future__ import annotations

import pytest
import yaml

from mlsd import paths, render
from mlsd.api import resolve_selection
from mlsd.catalog import load_catalog
from mlsd.errors import InternalError
from mlsd.render import Project, render_tree

INLINE = {"kind": "ConfigMap", "name": "x-config", "patch": "- op: remove\n  path: /data/A\n"}


def test_the_schema_takes_files_and_inline_patches_in_one_list() -> None:
    both = {"overlays": {"prod": {"patches": ["a.yaml", INLINE]}, "dev": {"patches": [INLINE]}}}
    render.validate_contributes(both, "x.yaml", paths.TEMPLATES_DIR)
    with pytest.raises(InternalError, match="prod_patches"):
        render.validate_contributes({"prod_patches": [INLINE]}, "x.yaml", paths.TEMPLATES_DIR)
    broken = {"overlays": {"prod": {"patches": [{"kind": "ConfigMap", "patch": "x"}]}}}
    with pytest.raises(InternalError, match="invalid contributes"):
        render.validate_contributes(broken, "x.yaml", paths.TEMPLATES_DIR)


def test_inline_patches_come_after_the_files_in_the_prod_kustomization() -> None:
    catalog = load_catalog()
    resolution = resolve_selection(
        ["asynchronous", "data-model-versioning"], use_defaults=True, catalog=catalog
    )
    tree = render_tree(catalog, resolution, Project(name="demo"))
    prod = yaml.safe_load(tree["deploy/k8s/overlays/prod/kustomization.yaml"])
    patches = prod["patches"]
    assert patches[0] == {"path": "worker-hpa-removed.yaml"}  # asynchronous's file
    assert [p["target"] for p in patches[-2:]] == [
        {"kind": "ConfigMap", "name": "mlflow-config"},
        {"kind": "Deployment", "name": "mlflow"},
    ]
