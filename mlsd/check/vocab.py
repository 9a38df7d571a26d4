"""Shared vocabularies: what counts as a web framework, a training call, a model load..."""

from __future__ import annotations

import re

#: import prefixes that mark online-serving code
SERVING_IMPORTS = frozenset(
    {
        "fastapi",
        "flask",
        "starlette",
        "aiohttp.web",
        "grpc",
        "bentoml",
        "ray.serve",
        "kserve",
        "seldon_core",
        "ts.torch_handler",
        "sanic",
        "tornado.web",
        "falcon",
        "litserve",
        "mlserver",
        "quart",
        "uvicorn",
        "gunicorn",
    }
)

#: interactive apps that are deployed as online services (Streamlit Cloud, HF Spaces, ...)
UI_APP_IMPORTS = frozenset({"streamlit", "gradio", "panel", "dash", "chainlit"})
UI_APP_COMMANDS = frozenset({"streamlit", "gradio", "panel", "chainlit", "voila"})
#: cheap test for a command line worth parsing as a server start
SERVE_COMMAND_HINT = re.compile(
    r"\b(uvicorn|gunicorn|hypercorn|waitress-serve|streamlit|gradio|chainlit|panel serve|"
    r"flask run|fastapi run|bentoml serve|serve run)\b"
)

#: calls that create a server or app object (the entry of a serving unit)
APP_FACTORIES = re.compile(
    r"(^|\.)(FastAPI|Flask|Starlette|Quart|Sanic|Application|LitServer|Service|server"
    r"|deployment|ModelServer)$"
)

#: how a module creates the app a serving unit runs
APP_TEXT = re.compile(
    # an app object created at module level (a factory inside a def is not an entry point)
    r"^[A-Za-z_][\w.]*\s*(?::[^=\n]+)?=\s*(?:[\w.]+\.)?"
    r"(?:FastAPI|Flask|Starlette|Quart|Sanic|LitServer|ModelServer|Application)\(|"
    r"grpc\.(?:aio\.)?server\(|bentoml\.(?:Service\(|service)|serve\.deployment|"
    r"ModelServer\([^)\n]*\)\.start\(",
    re.M,
)
#: an app created anywhere in a module, an app factory's body included
FACTORY_APP_TEXT = re.compile(
    r"^\s+\w+\s*(?::[^=\n]+)?=\s*(?:[\w.]+\.)?(?:FastAPI|Flask|Starlette|Quart|Sanic)\(", re.M
)
#: a Streamlit page (any `st.` call) or a Gradio/Panel app started in the module
UI_APP_TEXT = re.compile(
    r"^\s*(?:import streamlit|from streamlit import)|"
    r"\.launch\(|\b(?:Interface|Blocks|ChatInterface)\(|\.servable\(",
    re.M,
)
TRAIN_NAME = re.compile(
    r"(^|[/_.-])(train|training|trainer|fit|experiments?|tune|tuning)([/_.-]|$)"
)
SERVE_NAME = re.compile(r"(serv|api|app|predict|infer|gateway|web)", re.I)

#: feature-flag and experiment SDKs (a way to evaluate or switch models online)
FLAG_SDKS = frozenset(
    {
        "ldclient",
        "UnleashClient",
        "growthbook",
        "flagsmith",
        "optimizely",
        "splitio",
        "statsig",
        "posthog",
        "openfeature",
        "eppo_client",
    }
)

#: words in a Dockerfile / compose / Job command that start an online server
SERVER_COMMANDS = frozenset(
    {
        "uvicorn",
        "gunicorn",
        "hypercorn",
        "daphne",
        "waitress-serve",
        "granian",
        "torchserve",
        "tritonserver",
        "tensorflow_model_server",
        "mlserver",
    }
)

SERVING_IMAGES = re.compile(
    r"(tritonserver|tensorflow/serving|pytorch/torchserve|seldonio/|kserve/|mlserver|"
    r"modelmesh)",
    re.I,
)
MULTI_MODEL_PLATFORMS = re.compile(r"(tritonserver|tensorflow/serving|modelmesh)", re.I)

#: packages that belong to training, experiments or notebooks, not to an online server
TRAINING_ONLY_PACKAGES = frozenset(
    {
        "optuna",
        "hyperopt",
        "ray-tune",
        "wandb",
        "tensorboard",
        "tensorboardx",
        "jupyter",
        "jupyterlab",
        "notebook",
        "ipykernel",
        "ipywidgets",
        "kfp",
        "apache-airflow",
        "dvc",
        "great-expectations",
        "matplotlib",
        "seaborn",
        "plotly",
        "bokeh",
        "altair",
        "papermill",
        "comet-ml",
        "neptune-client",
        "neptune",
        "keras-tuner",
        "scikit-optimize",
        "nni",
        "ax-platform",
    }
)
TRAINING_ONLY_IMPORTS = frozenset(
    {
        "optuna",
        "hyperopt",
        "ray.tune",
        "wandb",
        "tensorboard",
        "tensorboardX",
        "torch.utils.tensorboard",
        "IPython",
        "ipywidgets",
        "kfp",
        "airflow",
        "dvc",
        "great_expectations",
        "matplotlib",
        "seaborn",
        "plotly",
        "bokeh",
        "altair",
        "papermill",
        "comet_ml",
        "neptune",
        "keras_tuner",
        "skopt",
        "nni",
    }
)

#: callee names (dotted suffix or last attribute) that train a model
TRAINING_ATTRS = frozenset({"fit", "fit_transform", "fit_generator", "train_on_batch", "backward"})
TRAINING_NAMES = frozenset(
    {
        "train_test_split",
        "GridSearchCV",
        "RandomizedSearchCV",
        "HalvingGridSearchCV",
        "HalvingRandomSearchCV",
        "BayesSearchCV",
        "cross_val_score",
        "cross_validate",
        "Trainer",
        "Seq2SeqTrainer",
        "SFTTrainer",
        "start_run",
        "create_study",
    }
)
TRAINING_DOTTED = frozenset(
    {
        "mlflow.start_run",
        "wandb.init",
        "optuna.create_study",
        "xgb.train",
        "xgboost.train",
        "lgb.train",
        "lightgbm.train",
        "tune.run",
        "tune.Tuner",
    }
)
TRAINING_TEXT = re.compile(
    r"\.fit\(|fit_transform\(|fit_generator|train_on_batch|\.backward\(|\.step\(|"
    r"train_test_split|SearchCV|cross_val|Trainer\(|start_run|wandb\.init|create_study|"
    r"\b(?:xgb|xgboost|lgb|lightgbm)\.train\(|tune\.(?:run|Tuner)"
)


_TRAINING_HINTS = (
    "fit",
    "backward",
    "step(",
    "train",
    "SearchCV",
    "cross_val",
    "Trainer",
    "start_run",
    "wandb",
    "create_study",
    "tune.",
)


def may_train(text: str) -> bool:
    """Cheap test before any AST work: substring checks first, then the regex."""
    return any(h in text for h in _TRAINING_HINTS) and bool(TRAINING_TEXT.search(text))


def is_training_call(name: str) -> bool:
    """`name` is a CallFact.name (dotted)."""
    last = name.rsplit(".", 1)[-1]
    if name in TRAINING_DOTTED or any(name.endswith("." + d) for d in TRAINING_DOTTED):
        return True
    if last in TRAINING_NAMES:
        return True
    if last in TRAINING_ATTRS and "." in name:
        return True
    return bool(last == "step" and "optim" in name.lower())


LOGGING_IMPORTS = frozenset(
    {
        "logging",
        "loguru",
        "structlog",
        "opentelemetry",
        "pythonjsonlogger",
        "google.cloud.logging",
        "absl.logging",
        "logbook",
        "eliot",
    }
)

MONITORING_IMPORTS = frozenset(
    {
        "prometheus_client",
        "prometheus_fastapi_instrumentator",
        "starlette_exporter",
        "aioprometheus",
        "opentelemetry",
        "statsd",
        "datadog",
        "ddtrace",
        "newrelic",
        "sentry_sdk",
        "evidently",
        "whylogs",
    }
)

#: clients of data stores (training data, feature stores, sinks)
DATA_STORE_IMPORTS: dict[str, str] = {
    "psycopg": "postgres",
    "psycopg2": "postgres",
    "asyncpg": "postgres",
    "pymysql": "mysql",
    "MySQLdb": "mysql",
    "mysql.connector": "mysql",
    "sqlalchemy": "sql",
    "sqlite3": "sqlite",
    "boto3": "aws",
    "s3fs": "s3",
    "google.cloud.bigquery": "bigquery",
    "google.cloud.storage": "gcs",
    "gcsfs": "gcs",
    "snowflake": "snowflake",
    "redis": "redis",
    "pymongo": "mongodb",
    "motor": "mongodb",
    "cassandra": "cassandra",
    "elasticsearch": "elasticsearch",
    "kafka": "kafka",
    "confluent_kafka": "kafka",
    "aiokafka": "kafka",
    "pyspark": "spark",
    "hdfs": "hdfs",
    "deltalake": "delta",
    "databricks": "databricks",
    "feast": "feast",
    "azure.storage": "azure-storage",
    "clickhouse_connect": "clickhouse",
    "duckdb": "duckdb",
}

CONNECTION_CALLS = re.compile(
    r"(^|\.)(create_engine|create_async_engine|connect|MongoClient|Redis|StrictRedis|"
    r"from_url|KafkaProducer|KafkaConsumer|Producer|Consumer)$|"
    r"^(boto3|session)\.(client|resource)$|(bigquery|storage)\.Client$"
)

SINK_IMPORTS = frozenset(
    {
        "kafka",
        "confluent_kafka",
        "aiokafka",
        "google.cloud.pubsub",
        "google.cloud.pubsub_v1",
        "google.cloud.bigquery",
        "boto3",
        "redis",
        "rq",
        "celery",
        "sqlalchemy",
        "psycopg",
        "psycopg2",
        "asyncpg",
        "pymongo",
        "fluent",
        "pythonjsonlogger",
        "structlog",
        "elasticsearch",
        "opentelemetry",
        "pika",
        "nats",
    }
)

#: calls that load a model artefact
MODEL_LOAD = re.compile(
    r"(^|\.)(joblib\.load|pickle\.loads?|cloudpickle\.load|dill\.load|torch\.load|"
    r"jit\.load|load_model|saved_model\.load|InferenceSession|from_pretrained|"
    r"Booster|SentenceTransformer|load_learner|pipeline)$"
)
#: calls that write a model artefact, and names that say the object is a model
MODEL_SAVE = re.compile(
    r"(^|\.)(joblib\.dump|pickle\.dump|cloudpickle\.dump|dill\.dump|torch\.save|jit\.save|"
    r"onnx\.save|onnx\.save_model|save_model|save_pretrained|save|save_weights|dump_model|"
    r"log_model)$"
)
SAVE_HINT = re.compile(r"dump|save|log_model")
MODEL_NAME = re.compile(
    r"model|clf|classifier|regressor|estimator|learner|net\b|booster|pipe|gbm|xgb|forest", re.I
)
#: a call to a model hosted on a managed endpoint (the unit fronts that model)
HOSTED_MODEL_CALL = re.compile(
    r"(^|\.)(invoke_endpoint(_async|_with_response_stream)?|aiplatform\.Endpoint)$"
)
#: model zoos whose classes download pretrained weights when built in code
PRETRAINED_ZOOS = (
    "keras.applications",
    "tensorflow.keras.applications",
    "torchvision.models",
    "timm",
    "efficientnet_pytorch",
    "segmentation_models_pytorch",
)
PRETRAINED_HINT = re.compile(r"\b(?:weights|pretrained)\s*=")
NOT_A_MODEL = re.compile(
    r"token|vocab|scaler|encoder|label|preprocess|feature|config|tfidf|vectori[sz]er|"
    r"imputer|mapping|stopword|embedding_index|processor|normali[sz]er|columns",
    re.I,
)

FRAMEWORK_IMPORTS: dict[str, str] = {
    "torch": "pytorch",
    "tensorflow": "tensorflow",
    "keras": "tensorflow",
    "jax": "jax",
    "flax": "jax",
    "xgboost": "xgboost",
    "lightgbm": "lightgbm",
    "catboost": "catboost",
    "onnxruntime": "onnxruntime",
    "mxnet": "mxnet",
    "paddle": "paddle",
}

ORCHESTRATOR_IMPORTS: dict[str, str] = {
    "airflow": "airflow",
    "kfp": "kubeflow-pipelines",
    "prefect": "prefect",
    "dagster": "dagster",
    "metaflow": "metaflow",
    "luigi": "luigi",
    "zenml": "zenml",
    "flytekit": "flyte",
}

#: class decorators that make a class a served deployment (Ray Serve, BentoML)
SERVED_CLASS = re.compile(r"(^|\.)(serve\.deployment|bentoml\.service)(\(\))?$")

ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "route", "api_route", "websocket", "api"}
)
PREDICT_WORDS = re.compile(r"predict|infer|score|classif|generate|recommend|rank|detect", re.I)
LOG_METHODS = frozenset(
    {"info", "debug", "warning", "warn", "error", "exception", "critical", "log", "msg", "bind"}
)


def is_log_call(name: str) -> bool:
    parts = name.lower().split(".")
    if len(parts) < 2:
        return False
    return parts[-1] in LOG_METHODS and any("log" in p for p in parts[:-1])


def is_route_decorator(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 2 and parts[-1] in ROUTE_METHODS


MODEL_FILE_HINT = re.compile(r"\.(onnx|pt|pth|bin|h5|keras|pkl|joblib|sav|safetensors|ckpt|pb)$")
