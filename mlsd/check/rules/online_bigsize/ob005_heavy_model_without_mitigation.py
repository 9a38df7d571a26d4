"""OB005 heavy-model-without-mitigation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.heavy import heavy_loads, large_artifacts
from mlsd.check.pyfacts import CallFact
from mlsd.check.units import Unit

CACHE_IMPORTS = frozenset(
    {
        "redis",
        "aioredis",
        "pymemcache",
        "memcache",
        "pylibmc",
        "aiomcache",
        "aiocache",
        "cachetools",
        "diskcache",
        "fastapi_cache",
        "flask_caching",
        "dogpile.cache",
        "cashews",
    }
)
QUEUE_IMPORTS = frozenset(
    {
        "celery",
        "rq",
        "dramatiq",
        "arq",
        "huey",
        "taskiq",
        "kombu",
        "kafka",
        "confluent_kafka",
        "aiokafka",
        "faststream",
        "pika",
        "aio_pika",
        "nats",
        "google.cloud.pubsub",
        "google.cloud.pubsub_v1",
        "google.cloud.tasks",
    }
)
#: words in code that name a mitigation: a prediction cache, a job queue, several stages
_MITIGATION_TEXT = re.compile(
    r"prediction[_-]?cache|cache[_-]?(?:key|prediction|result)|multi[_-]?stage|two[_-]?stage|"
    r"first[_-]?stage|second[_-]?stage|cascade|job[_-]?queue|task[_-]?queue|enqueue\(",
    re.I,
)
#: services, images and Dockerfiles that are a cache or an asynchronous worker / broker
_MITIGATION_NAME = re.compile(
    r"(^|[/._-])(worker|consumer|queue|broker|redis|memcached?|valkey|rabbitmq|kafka|nats|"
    r"celery|cache)([/._:-]|$)",
    re.I,
)
_CACHE_DECORATORS = re.compile(r"(^|\.)(lru_cache|cache|cached|alru_cache|memoize)$")


def _cached_predict(ctx: Context, unit: Unit) -> bool:
    """A predict-like function decorated with a cache (not a cached model loader)."""
    for mod in unit.modules(ctx):
        if "cache" not in mod.text and "memoize" not in mod.text:
            continue
        for fn in mod.functions:
            if not vocab.PREDICT_WORDS.search(fn.name):
                continue
            for d in fn.decorators:
                name = d.name if isinstance(d, CallFact) else d
                if _CACHE_DECORATORS.search(name):
                    return True
    return False


#: in a unit's own code: answers streamed, requests queued or bounded, inputs batched
_UNIT_MITIGATION = re.compile(
    r"StreamingResponse|EventSourceResponse|stream=True|\.queue\(|Semaphore\(|"
    r"@serve\.batch|max_batch_size|dynamic_batching"
)


def unit_mitigated(ctx: Context, unit: Unit) -> bool:
    return any(_UNIT_MITIGATION.search(mod.text) for mod in unit.modules(ctx))


def mitigations(ctx: Context) -> list[str]:
    """What in the repository keeps heavy models off the request path (empty: nothing)."""
    for rel in ctx.dockerfiles:
        if _MITIGATION_NAME.search(rel.rsplit("/", 1)[-1]):
            return [rel]
    for services in ctx.compose_files.values():
        for name, svc in services.items():
            image = str(svc.get("image", "")) if isinstance(svc, dict) else ""
            if _MITIGATION_NAME.search(str(name)) or _MITIGATION_NAME.search(image):
                return [f"compose service {name}"]
    for o in ctx.k8s_objects:
        if o.kind in ("Deployment", "StatefulSet") and _MITIGATION_NAME.search(o.name):
            return [f"{o.kind} {o.name}"]
        if o.kind in ("ScaledObject", "KafkaTopic", "RabbitmqCluster"):
            return [f"{o.kind} {o.name}"]
    for mod in ctx.source_modules():
        if mod.imports_any(CACHE_IMPORTS) or mod.imports_any(QUEUE_IMPORTS):
            return [mod.path]
        if _MITIGATION_TEXT.search(mod.text):
            return [mod.path]
    for unit in components_of(ctx).serving:
        if _cached_predict(ctx, unit):
            return [unit.name]
    return []


class HeavyModelWithoutMitigation(Rule):
    """
    ## What it does
    Fires when an online serving unit serves a heavy model (an artefact over
    `thresholds.large-model-mb` that goes into it, as in OB001, or a known-heavy
    architecture loaded in its code, as in OB002) and nothing in the repository mitigates
    it: no prediction cache (Redis, memcached, cachetools, a cached predict function), no
    asynchronous queue or worker (Celery, RQ, Kafka, Pub/Sub, a worker service or
    Dockerfile), no multi-stage prediction (a light model first, the heavy one after), and
    the unit's own code neither streams answers, bounds or queues concurrent requests
    (a semaphore, Gradio `.queue()`) nor batches them.
    Static rules show risk only: measure with a load test before acting.

    ## Why is this bad?
    Every request pays the full cost of the heavy model on the request path; latency and
    memory grow with traffic and there is no cheaper answer to fall back on.

    ## Example
    ```python
    app = FastAPI()
    model = AutoModel.from_pretrained("bert-large-uncased")   # every request, no cache
    ```

    ## How to fix
    Cache predictions (`mlsd add prediction-cache`), answer asynchronously through a queue
    (`mlsd add asynchronous`), or put a light model in front of the heavy one (`mlsd add
    multiple-stage-prediction`); verify with `mlsd add loading-test`.
    """

    code = "OB005"
    name = "heavy-model-without-mitigation"
    family = "online-bigsize"
    severity = Severity.WARNING
    summary = "A heavy model is served online with no cache, async queue or multi-stage."
    fix = ("prediction-cache", "asynchronous", "multiple-stage-prediction", "loading-test")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not components_of(ctx).serving:
            return
        heavy: dict[int, tuple[Unit, str, int, str]] = {}
        for unit, path, line, rel, mb in large_artifacts(ctx):
            heavy.setdefault(id(unit), (unit, path, line, f"{rel} ({mb} MB)"))
        for unit, path, line, hit in heavy_loads(ctx):
            heavy.setdefault(id(unit), (unit, path, line, f"'{hit}'"))
        if not heavy or mitigations(ctx):
            return
        for unit, path, line, what in heavy.values():
            if unit_mitigated(ctx, unit):
                continue
            yield self.finding(
                path,
                line,
                f"heavy model {what} served online by {unit.label} with no prediction cache, "
                "async queue or multi-stage prediction (static rules show risk only)",
                evidence=f"{unit.name} {what}",
            )
