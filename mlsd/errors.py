"""One error tree for mlsd, mapped to exit codes in one place.

Exit codes: 0 success, 1 findings or unresolved conflicts, 2 usage or input errors,
3 internal errors. The CLI catches `MlsdError` and prints `message` and `hint`; it never
shows a traceback for these.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class MlsdError(Exception):
    """Base class: a message for the user, an optional hint on what to do next."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or []

    def to_dict(self) -> dict[str, object]:
        return {
            "error": type(self).__name__,
            "message": self.message,
            "hint": self.hint,
            "details": self.details,
        }


class UsageError(MlsdError):
    """Bad arguments or input the user can fix."""


class UnknownEntryError(UsageError):
    """An id that is not in the catalog (with did-you-mean suggestions)."""


class ResolutionError(UsageError):
    """The requested patterns cannot form a valid project."""


class MissingAnswersError(UsageError):
    """Non-interactive run with questions left open."""


class TargetError(UsageError):
    """The target folder cannot be written as asked (not empty, not a project, ...)."""


class ConflictError(MlsdError):
    """A merge left conflicts for the user to resolve."""

    exit_code = EXIT_FINDINGS


class InternalError(MlsdError):
    """A bug or an environment failure: not the user's fault."""

    exit_code = EXIT_INTERNAL
