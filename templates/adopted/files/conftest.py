"""Makes `src/` importable when pytest runs from the repository's top folder too."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE / "src", HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
