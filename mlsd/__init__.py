"""mlsd: render, extend and audit ML systems built from the ML system design patterns."""

__version__ = "0.1.0"
