"""Real backing servers for tests, started on a free loopback port in a temporary folder.

Each `<name>_server()` yields a URL. It uses the `<NAME>_URL` environment variable when set
(an external server). Otherwise it starts the binary; when the binary is missing the test is
skipped with the install command, or fails when `CI` is set (CI must run everything).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.support.processes import _stop, _tail, free_port


def require_binary(binary: str, install: str, env_var: str) -> str:
    """The path of `binary`, or skip (fail in CI) with how to get it."""
    path = shutil.which(binary)
    if path is None:
        message = f"{binary} not found: install it with `{install}` or set {env_var}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@contextlib.contextmanager
def start_server(
    name: str,
    cmd: Sequence[str],
    ready: Callable[[], bool],
    *,
    cwd: Path,
    timeout: float = 20,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `cmd` in `cwd`, wait until `ready()`, stop it on exit."""
    log_path = cwd / f"{name}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(list(cmd), cwd=cwd, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{name} did not start ({cmd}):\n{_tail(log_path)}")
            time.sleep(0.05)
        yield process
    finally:
        _stop(process)


def redis_ping(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A Redis URL: `REDIS_URL`, or a private redis-server without persistence."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = require_binary("redis-server", "apt-get install redis-server", "REDIS_URL")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="redis-") as tmp:
        cmd = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", tmp]
        cmd += ["--save", "", "--appendonly", "no"]
        with start_server("redis", cmd, lambda: redis_ping("127.0.0.1", port), cwd=Path(tmp)):
            yield f"redis://127.0.0.1:{port}/0"
