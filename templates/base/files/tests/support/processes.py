"""Start real processes for tests and always stop them.

`run_service` starts `python -m uvicorn <module>` (or a given command) on 127.0.0.1, waits
until its health endpoint answers 200 and yields the base URL. The yielded URL is a `str`
with two extras: `.log()` returns the process output so far and `.process` is the `Popen`.
If the service never gets healthy, the test fails with the tail of its log.

`run_module` runs `python -m <module> args` from the project root as a real process or, with
`process=False`, its `main(argv)` in the test process (`run_main`), reported as
`subprocess.run` reports a process: for the many runs a test makes of a command once a real
process has proven the command itself (each process pays the imports again).
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import io
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from unittest import mock

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process environment plus `env`, with src/ and the root on PYTHONPATH."""
    merged = dict(os.environ)
    merged.update({k: str(v) for k, v in (env or {}).items()})
    paths = [str(ROOT / "src"), str(ROOT)]
    if merged.get("PYTHONPATH"):
        paths.append(merged["PYTHONPATH"])
    merged["PYTHONPATH"] = os.pathsep.join(paths)
    merged.setdefault("PYTHONUNBUFFERED", "1")
    return merged


def run_main(
    main: Callable[[list[str]], int | None], *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`main(argv)` in this process: its status (`SystemExit` included), stdout and stderr.

    `env` is laid over the environment for the call, the command runs in a context of its own
    (a request id it sets stays there), and the logging set-up it makes is undone."""
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    overrides = {key: str(value) for key, value in (env or {}).items()}
    try:
        with (
            mock.patch.dict(os.environ, overrides),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                status = contextvars.copy_context().run(main, list(args))
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return subprocess.CompletedProcess(list(args), status or 0, out.getvalue(), err.getvalue())


def run_module(
    module: str,
    *args: str,
    env: Mapping[str, str] | None = None,
    process: bool = True,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`python -m <module> args...` from the project root: a real process, or with
    `process=False` the `main(argv)` of the module (or of its `__main__`) in this process."""
    if not process:
        target = importlib.import_module(module)
        main = getattr(target, "main", None) or importlib.import_module(f"{module}.__main__").main
        return run_main(main, *args, env=env)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=process_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class ServiceURL(str):
    """A base URL that also knows its process and log."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "<no log>"
    return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def run_process(
    cmd: Sequence[str], env: Mapping[str, str] | None = None, *, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `cmd` (output to a temporary log file, `proc.log_path`); stop it on exit."""
    with tempfile.TemporaryDirectory(prefix="proc-") as tmp:
        log_path = Path(tmp) / "process.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                list(cmd),
                cwd=cwd or ROOT,
                env=process_env(env),
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path  # type: ignore[attr-defined]
        try:
            yield process
        finally:
            _stop(process)


@contextlib.contextmanager
def run_service(
    module_or_cmd: str | Sequence[str],
    *,
    port: int,
    env: Mapping[str, str] | None = None,
    health: str = "/health/live",
    timeout: float = 90,
) -> Iterator[ServiceURL]:
    """Run an ASGI module (`pkg.serving.app:app`) under uvicorn, or a full command that
    listens on `port`, and yield its base URL once `health` answers 200. The deadline is
    generous: a healthy start takes seconds, but on a loaded machine (two test suites on two
    cores) importing the app alone has taken over 30 s; only a broken start waits it out."""
    if isinstance(module_or_cmd, str):
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            module_or_cmd,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ]
    else:
        cmd = list(module_or_cmd)
    with run_process(cmd, env) as process:
        url = ServiceURL(f"http://127.0.0.1:{port}")
        url.process = process
        url.log_path = process.log_path  # type: ignore[attr-defined]
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"{cmd} exited with {process.returncode} before {health} answered:\n"
                    f"{_tail(url.log_path)}"
                )
            try:
                response = httpx.get(url + health, timeout=1.0)
                if response.status_code == 200:
                    break
                last = f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as exc:
                last = repr(exc)
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{cmd} not healthy at {health} after {timeout}s ({last}):\n"
                    f"{_tail(url.log_path)}"
                )
            time.sleep(0.1)
        yield url


def wait_for(
    predicate: object, *, timeout: float = 10, interval: float = 0.1, what: str = "condition"
) -> None:
    """Poll `predicate()` until it is truthy or fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
