"""Real backing servers for tests, started on a free loopback port in a temporary folder.

Each `<name>_server()` yields a URL. It uses the `<NAME>_URL` environment variable when set
(an external server). Otherwise it starts the binary; when the binary is missing the test is
skipped with the install command, or fails when `CI` is set (CI must run everything).

`postgres_server()` yields a SQLAlchemy URL (`postgresql+psycopg://...`). PostgreSQL refuses to
run as root, so under root (e.g. in a container) its processes drop to the `nobody` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.support.processes import _stop, _tail, free_port


def require_binary(binary: str, install: str, env_var: str | None = None) -> str:
    """The path of `binary`, or skip (fail in CI) with how to get it (`env_var`: the setting
    that points the tests at a running server instead)."""
    path = shutil.which(binary)
    if path is None:
        message = f"{binary} not found: install it with `{install}`"
        if env_var:
            message += f" or set {env_var}"
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
    timeout: float = 60,  # generous for a loaded machine; a healthy start takes a second
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


PG_INSTALL = "apt-get install postgresql"
_PG_DIRS = "/usr/lib/postgresql/*/bin"  # Debian/Ubuntu keep the server binaries off PATH
_DROP_ROOT = (
    "import os, sys; os.setgroups([]); os.setgid(int(sys.argv[1])); os.setuid(int(sys.argv[2]));"
    " os.execv(sys.argv[3], sys.argv[3:])"
)


def _sqlalchemy_postgres_url(url: str) -> str:
    """`postgres://` and `postgresql://` URLs as SQLAlchemy URLs with the psycopg 3 driver."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in {"postgres", "postgresql"}:
        return f"postgresql+psycopg://{rest}"
    return url


def _external_postgres_url() -> str | None:
    """`POSTGRES_URL`, else `DATABASE_URL` when it names PostgreSQL (not e.g. SQLite)."""
    for name in ("POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://", "postgresql+")):
            return _sqlalchemy_postgres_url(url)
    return None


def find_postgres_bin() -> Path | None:
    """The folder holding `initdb` and `postgres`: on PATH, else the newest Debian/Ubuntu
    `/usr/lib/postgresql/<version>/bin`."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("postgres"):
        return Path(on_path).resolve().parent

    def version(folder: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in folder.parent.name.split(".") if part.isdigit())

    for folder in sorted(map(Path, glob.glob(_PG_DIRS)), key=version, reverse=True):
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def _unprivileged(cmd: list[str], home: Path) -> list[str]:
    """`cmd` as is, or run as `nobody` when we are root (PostgreSQL refuses to run as root);
    `home` (and what is in it) is handed to that user."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return cmd
    import pwd  # POSIX only; root happens in containers and CI images

    nobody = pwd.getpwnam("nobody")
    for folder, _, names in os.walk(home):
        for path in [folder, *(os.path.join(folder, n) for n in names)]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
    return [sys.executable, "-c", _DROP_ROOT, str(nobody.pw_gid), str(nobody.pw_uid), *cmd]


def _pg_ready(pg_isready: str | None, port: int) -> bool:
    if pg_isready is None:  # no client tools: the port answering is the best we can tell
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            return sock.connect_ex(("127.0.0.1", port)) == 0
    result = subprocess.run(
        [pg_isready, "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-t", "1"],
        check=False,
        timeout=10,
    )
    return result.returncode == 0


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A SQLAlchemy PostgreSQL URL: `POSTGRES_URL` (or a PostgreSQL `DATABASE_URL`), or a
    private server (`initdb` into a temporary folder, `postgres` on a free loopback port,
    trust auth for the `postgres` user, no fsync), stopped and removed on exit."""
    external = _external_postgres_url()
    if external:
        yield external
        return
    folder = find_postgres_bin()
    if folder is None:
        message = f"PostgreSQL (initdb, postgres) not found: install it with `{PG_INSTALL}` or "
        message += "set POSTGRES_URL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    beside = folder / "pg_isready"
    pg_isready = str(beside) if beside.is_file() else shutil.which("pg_isready")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="postgres-") as tmp:
        home = Path(tmp)
        data = home / "data"
        initdb = [str(folder / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
        initdb += ["-E", "UTF8", "--no-sync"]
        result = subprocess.run(
            _unprivileged(initdb, home),
            cwd=home,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"initdb failed ({initdb}):\n{result.stdout}{result.stderr}")
        cmd = [str(folder / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1"]
        cmd += ["-k", str(home), "-c", "fsync=off", "-c", "full_page_writes=off"]
        cmd += ["-c", "synchronous_commit=off"]
        cmd = _unprivileged(cmd, home)
        with start_server("postgres", cmd, lambda: _pg_ready(pg_isready, port), cwd=home):
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
