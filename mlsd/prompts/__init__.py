"""The guided `mlsd new`: asks in a terminal only what the options left open.

`ask_open` is the one entry point (called by the `new` view). The keyboard-driven flow uses
questionary and lives in `flow.py`/`widgets.py`, imported only when a full terminal is there,
so `mlsd --help` and `mlsd list` never load a prompt library. Everything else here is pure.
"""

from mlsd.prompts.ask import ask_open
from mlsd.prompts.request import Request

__all__ = ["Request", "ask_open"]
