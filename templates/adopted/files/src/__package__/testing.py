"""Real processes for the tests: the upstream service, the gateway, a recording server.

The upstream is the repository's own model service: started from `UPSTREAM_COMMAND` (a
command line where `{port}` becomes a free port, run in the repository's top folder), or an
instance already running at `UPSTREAM_URL`, or started from the command `mlsd adopt
--upstream-command` recorded. The recording server (`python -m <package>.testing
recorder --port P [--forward URL]`) keeps every POST it receives (read back at
`GET /_recorded`) and answers it itself or by forwarding it: a shadow candidate, an A/B
variant, or a counter in front of the upstream.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2]  # the adopted folder
REPOSITORY = HERE.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, process: subprocess.Popen[bytes] | None, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process exited with {process.returncode} before listening")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout_s:g} s")


class Service:
    """One real process listening on a loopback port (or a URL we do not own)."""

    def __init__(self, url: str, process: subprocess.Popen[bytes] | None = None) -> None:
        self.url = url
        self.process = process

    @property
    def owned(self) -> bool:
        return self.process is not None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    argv: list[str], port: int, *, cwd: Path, env: Mapping[str, str] | None = None
) -> Service:
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port, process)
    except Exception:
        process.kill()
        process.wait()
        raise
    return Service(f"http://127.0.0.1:{port}", process)


def start_upstream(recorded: str = "") -> Service | None:
    """The repository's model service, or None when neither variable is set nor a command
    ``recorded``."""
    url = os.environ.get("UPSTREAM_URL")
    command = os.environ.get("UPSTREAM_COMMAND") or ("" if url else recorded)
    if command:
        port = free_port()
        argv = shlex.split(command.replace("{port}", str(port)))
        return start(argv, port, cwd=REPOSITORY)
    return Service(url.rstrip("/")) if url else None


def start_gateway(package: str, env: Mapping[str, str]) -> Service:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", f"{package}.app:app", "--port", str(port)]
    pythonpath = os.pathsep.join(filter(None, [str(HERE / "src"), os.environ.get("PYTHONPATH")]))
    workdir = Path(tempfile.mkdtemp(prefix="gateway-"))  # relative paths (logs) land here
    gateway = start(argv, port, cwd=workdir, env={**env, "PYTHONPATH": pythonpath})
    wait_http(gateway.url + "/health")
    return gateway


def start_recorder(forward: str | None = None) -> Service:
    port = free_port()
    argv = [sys.executable, "-m", f"{__package__}.testing", "recorder", "--port", str(port)]
    pythonpath = os.pathsep.join(filter(None, [str(HERE / "src"), os.environ.get("PYTHONPATH")]))
    return start(
        [*argv, *(["--forward", forward] if forward else [])],
        port,
        cwd=HERE,
        env={"PYTHONPATH": pythonpath},
    )


def wait_http(url: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def recorded(service: Service) -> list[dict[str, Any]]:
    with urllib.request.urlopen(service.url + "/_recorded", timeout=5) as response:
        return json.loads(response.read())


def _recorder_handler(forward: str | None) -> type[BaseHTTPRequestHandler]:
    lock, seen = threading.Lock(), []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            with lock:
                self._send(200, json.dumps(seen).encode())

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with lock:
                seen.append({"path": self.path, "headers": headers, "body": json.loads(raw)})
            if forward is None:
                self._send(200, json.dumps({"recorded": len(seen)}).encode())
                return
            keep = {k: v for k, v in headers.items() if k in ("content-type", "x-request-id")}
            request = urllib.request.Request(forward + self.path, raw, keep, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    self._send(answer.status, answer.read())
            except urllib.error.HTTPError as exc:
                self._send(exc.code, exc.read())

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="testing")
    parser.add_argument("role", choices=["recorder"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--forward", default=None)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), _recorder_handler(args.forward))
    server.serve_forever()


if __name__ == "__main__":
    main()
