"""OM006 personal-path."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context, is_test_path

GENERIC_HOMES = {
    "app",
    "appuser",
    "user",
    "runner",
    "jovyan",
    "ubuntu",
    "ec2-user",
    "vscode",
    "node",
    "worker",
    "nonroot",
    "root",
    "ml",
    "mlsd",
    "service",
    "default",
    "sagemaker-user",
    "ray",
    "airflow",
    "circleci",
    "travis",
    "git",
    "admin",
    "docker",
    "coder",
    "gitpod",
    "codespace",
}
PERSONAL = re.compile(
    r"/Users/(?!Shared\b)(?P<mac>[A-Za-z0-9._-]+)/|/home/(?P<home>[A-Za-z0-9._-]+)/|"
    r"[A-Za-z]:\\{1,2}Users\\{1,2}(?P<win>[A-Za-z0-9._ -]+)|~/(?:Downloads|Desktop)\b"
)
_KINDS = ("python", "notebook", "yaml", "toml", "dockerfile", "text")
_USER_CMD = re.compile(r"(?:useradd|adduser)\b[^\n&;]*?\b([a-z_][a-z0-9_-]*)\s*(?:$|&&|;|\\)", re.M)


def _in_comment(prefix: str) -> bool:
    """A `#` outside quotes before the match on its line: the path is in a comment."""
    quote = ""
    for ch in prefix:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return True
    return False


_REST = re.compile(r"[^\s'\"`:;,)\]}]*")


def _checkout_roots(ctx: Context, paths: list[str]) -> set[str]:
    """Home folders where the author keeps this very repository: a personal path whose
    tail (`.../MLOps/feature_store/repo`) names a folder or file of the repository. Paths
    under such a root point at files everyone has once they clone; they are not only-me."""
    if not paths:
        return set()
    tree = {f.rel for f in ctx.files}
    tree |= {rel.rsplit("/", k)[0] for rel in tree for k in range(1, rel.count("/") + 1)}
    roots: set[str] = set()
    for path in paths:
        if "\\" in path:
            continue
        parts = path.rstrip("/").split("/")
        # parts: "", "home", user, folder... (or "", "Users", user, ...)
        for i in range(4, len(parts)):
            if "/".join(parts[i:]) in tree:
                roots.add("/".join(parts[:i]))
                break
    return roots


class PersonalPath(Rule):
    """
    ## What it does
    Fires on personal paths in code, notebooks and configuration: `/Users/<name>/`,
    `/home/<name>/`, `C:\\Users\\<name>`, `~/Downloads`, `~/Desktop`. Container and service
    paths (`/app`, `/opt/ml`, `/home/app`, users created in a Dockerfile) are not personal,
    and paths in comments do not run. A path into the author's checkout of this very
    repository (its tail names a folder of the repository) is info: everyone who clones
    has the files, the path only needs to become relative.

    ## Why is this bad?
    The code only runs on one person's machine; everyone else has to edit it first.

    ## Example
    ```python
    df = pd.read_csv("/Users/alice/Downloads/churn.csv")
    ```

    ## How to fix
    Read locations from configuration or arguments, and fetch data from shared storage
    (pattern `data-model-versioning`, planned).
    """

    code = "OM006"
    name = "personal-path"
    family = "only-me"
    severity = Severity.WARNING
    summary = "Personal paths (/Users/<name>, /home/<name>, C:\\Users) in code or config."

    def check(self, ctx: Context) -> Iterator[Finding]:
        found: list[tuple[str, int, str, str]] = []  # (file, line, match, whole path)
        allowed = set(GENERIC_HOMES)
        for df in ctx.dockerfiles.values():
            for stage in df.stages:
                for ins in stage.ops("RUN", "USER"):
                    if ins.op == "USER":
                        allowed.add(ins.args.split(":")[0].strip())
                    allowed.update(_USER_CMD.findall(ins.args))
        for kind in _KINDS:
            for f in ctx.by_kind[kind]:
                if is_test_path(f.rel) or f.rel.endswith(".json"):
                    continue  # JSON: reports and baselines quote findings
                if kind == "notebook":
                    mod = ctx.python(f.rel)
                    text = mod.text if mod else None
                else:
                    text = ctx.text(f.rel)
                if not text or not (
                    "/Users/" in text or "/home/" in text or "Users\\" in text or "~/D" in text
                ):
                    continue
                for m in PERSONAL.finditer(text):
                    user = m.group("mac") or m.group("home") or m.group("win") or ""
                    if user.lower() in allowed or user.startswith(("$", "{")):
                        continue
                    line_start = text.rfind("\n", 0, m.start()) + 1
                    if _in_comment(text[line_start : m.start()]):
                        continue  # commented-out code does not run
                    line = text.count("\n", 0, line_start) + 1
                    full = m.group(0) + _REST.match(text, m.end()).group(0)
                    found.append((f.rel, line, m.group(0), full))
        roots = _checkout_roots(ctx, [full for *_, full in found])
        for rel, line, token, full in found:
            if any(full.rstrip("/") == r or full.startswith(r + "/") for r in roots):
                yield self.finding(
                    rel,
                    line,
                    f"personal path '{token}' into this repository's own checkout "
                    "(make it relative to the project)",
                    severity=Severity.INFO,
                )
            else:
                yield self.finding(rel, line, f"personal path '{token}'")
