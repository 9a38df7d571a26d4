"""The registry: one line per rule module. Adding a rule = one file in its family folder,
one cases file, and one line here."""

from __future__ import annotations

import difflib
import importlib
from functools import cache

from mlsd.check.base import Rule
from mlsd.check.codes import FAMILIES, RETIRED
from mlsd.errors import UsageError

RULE_MODULES: tuple[str, ...] = (
    # online-bigsize
    "online_bigsize.ob001_large_model_artifact",
    "online_bigsize.ob002_heavy_architecture",
    "online_bigsize.ob003_no_latency_budget",
    "online_bigsize.ob004_no_load_test",
    "online_bigsize.ob005_heavy_model_without_mitigation",
    # all-in-one
    "all_in_one.aio001_many_models_loaded",
    "all_in_one.aio002_many_models_in_image",
    "all_in_one.aio003_per_model_routes",
    "all_in_one.aio004_many_frameworks",
    "all_in_one.aio005_many_models_one_deployable",
    # offline-only
    "offline_only.oo001_no_online_evaluation",
    "offline_only.oo002_no_kill_switch",
    "offline_only.oo003_prediction_not_joinable",
    "offline_only.oo004_no_outcome_join",
    # only-me
    "only_me.om001_notebook_only_training",
    "only_me.om002_model_without_provenance",
    "only_me.om003_no_dependency_declaration",
    "only_me.om004_unpinned_dependencies",
    "only_me.om005_no_python_version",
    "only_me.om006_personal_path",
    "only_me.om007_no_shared_environment",
    "only_me.om008_no_review_surface",
    # training-code-in-serving
    "training_code_in_serving.tcs001_training_package_in_serving_deps",
    "training_code_in_serving.tcs002_training_package_in_serving_image",
    "training_code_in_serving.tcs003_training_call_in_serving",
    "training_code_in_serving.tcs004_serving_imports_training",
    "training_code_in_serving.tcs005_serving_image_copies_repo",
    "training_code_in_serving.tcs006_training_config_on_deployment",
    "training_code_in_serving.tcs007_shared_image",
    # too-many-pipes
    "too_many_pipes.tmp001_pipeline_too_large",
    "too_many_pipes.tmp002_many_orchestrators",
    "too_many_pipes.tmp003_many_data_stores",
    "too_many_pipes.tmp004_scattered_connections",
    # no-logging
    "no_logging.nl001_serving_without_logging",
    "no_logging.nl002_prediction_not_logged",
    "no_logging.nl003_no_request_id",
    "no_logging.nl004_no_prediction_sink",
    "no_logging.nl005_access_log_disabled",
    # nobody-knows
    "nobody_knows.nk001_no_owner",
    "nobody_knows.nk002_readme_sections",
    "nobody_knows.nk003_no_model_card",
    "nobody_knows.nk004_unversioned_reference",
    "nobody_knows.nk005_no_review_gate",
    "nobody_knows.nk006_numeric_input_without_range",
    "nobody_knows.nk007_no_monitoring",
    "nobody_knows.nk008_no_data_description",
    "nobody_knows.nk009_readme_says_nothing",
    # meta
    "meta.mls001_unused_suppression",
)


@cache
def all_rules() -> tuple[type[Rule], ...]:
    rules: list[type[Rule]] = []
    for name in RULE_MODULES:
        module = importlib.import_module(f"mlsd.check.rules.{name}")
        found = [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type)
            and issubclass(obj, Rule)
            and obj is not Rule
            and obj.__module__ == module.__name__
        ]
        if len(found) != 1:
            raise RuntimeError(f"{name} must define exactly one rule, found {len(found)}")
        rules.append(found[0])
    codes = [r.code for r in rules]
    dupes = {c for c in codes if codes.count(c) > 1} | (set(codes) & RETIRED)
    if dupes:
        raise RuntimeError(f"duplicate or retired rule codes: {sorted(dupes)}")
    return tuple(sorted(rules, key=_sort_key))


def _sort_key(rule: type[Rule]) -> tuple[int, str]:
    prefixes = list(FAMILIES)
    prefix = rule.code.rstrip("0123456789")
    return (prefixes.index(prefix) if prefix in prefixes else 99, rule.code)


def get_rule(code: str) -> type[Rule]:
    wanted = code.strip().upper()
    for rule in all_rules():
        if rule.code == wanted:
            return rule
    choices = [r.code for r in all_rules()]
    close = difflib.get_close_matches(wanted, choices, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "run `mlsd rules` to list every code"
    raise UsageError(f"unknown rule code '{code}'", hint=hint)


def matching(token: str) -> list[type[Rule]]:
    """Rules selected by a code, a prefix of codes, or ALL. Unknown -> UsageError."""
    t = token.strip().upper()
    if t == "ALL":
        return list(all_rules())
    found = [r for r in all_rules() if r.code.startswith(t)]
    if not found:
        choices = [r.code for r in all_rules()] + list(FAMILIES)
        close = difflib.get_close_matches(t, choices, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "run `mlsd rules` for codes"
        raise UsageError(f"unknown rule code or prefix '{token}'", hint=hint)
    return found


def select(
    select: list[str] | None, extend: list[str] | None = None, ignore: list[str] | None = None
) -> list[type[Rule]]:
    if select is None:
        chosen = {r for r in all_rules() if r.default_enabled}
    else:
        chosen = {r for t in select for r in matching(t)}
    chosen |= {r for t in extend or [] for r in matching(t)}
    chosen -= {r for t in ignore or [] for r in matching(t)}
    return sorted(chosen, key=_sort_key)
