"""The one error path of every command: an exception becomes a message and an exit code.

- an `MlsdError` prints its message and hint (and a JSON error object under `--json`) and
  exits with its own code (1 findings/conflicts, 2 usage or input errors);
- an `OSError` the command did not anticipate (a full disk, a read-only folder) names the
  file and the reason, exit 2: it is the environment, not a bug;
- anything else is a bug: `internal error: ...` with a hint to report it, exit 3
  (`MLSD_DEBUG=1` prints the traceback too).
A reader that closes the pipe early (`mlsd list | head`) ends the command quietly.
Never a traceback for the user.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

import typer

from mlsd.errors import InternalError, MlsdError, UsageError

T = TypeVar("T")
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer whose reader left


def as_mlsd_error(exc: BaseException) -> MlsdError:
    """The user-facing form of any exception a command let through."""
    if isinstance(exc, MlsdError):
        return exc
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return UsageError(
            f"cannot access{where}: {exc.strerror or exc}",
            hint="check the path, its permissions and the free space, then try again",
        )
    return InternalError(
        f"internal error: {type(exc).__name__}: {exc}",
        hint="this is a bug in mlsd: please report it with the command you ran "
        "(MLSD_DEBUG=1 shows the traceback)",
    )


def report(error: MlsdError, as_json: bool = False) -> None:
    from mlsd.output import print_error, print_json

    if as_json:
        print_json(error.to_dict())
    print_error(error.message, error.hint, error.details)


def guarded(call: Callable[[], T], as_json: bool = False) -> T:
    """`call()`, with any error turned into its message and a `typer.Exit` with its code."""
    try:
        return call()
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except BrokenPipeError:  # `mlsd list | head`: the reader left; stop quietly like `cat`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Exception as exc:
        if os.environ.get("MLSD_DEBUG") and not isinstance(exc, MlsdError):
            import traceback

            traceback.print_exc()
        error = as_mlsd_error(exc)
        report(error, as_json)
        raise typer.Exit(error.exit_code) from None


def run(call: Callable[[], int | None], as_json: bool = False) -> None:
    """Run a command body and exit with its code, or with its error's code."""
    raise typer.Exit(guarded(call, as_json) or 0)
