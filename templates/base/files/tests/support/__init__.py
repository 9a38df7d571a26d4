"""Helpers the tests share: free ports, real processes, real backing servers."""

from tests.support.processes import (
    ROOT,
    ServiceURL,
    free_port,
    pip_tool,
    process_env,
    run_process,
    run_service,
    wait_for,
)
from tests.support.servers import redis_server, require_binary, start_server

__all__ = [
    "ROOT",
    "ServiceURL",
    "free_port",
    "pip_tool",
    "process_env",
    "redis_server",
    "require_binary",
    "run_process",
    "run_service",
    "start_server",
    "wait_for",
]
