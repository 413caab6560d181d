"""Exit codes and the usage error shared by every command (exit 2 with a message, never a traceback)."""

from __future__ import annotations

from pathlib import Path

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A wrong command line (exit 2)."""


def existing_paths(paths: list[str]) -> list[Path]:
    """The paths as Path objects; a UsageError naming those that do not exist."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError("nie ma takiej ścieżki: " + ", ".join(missing))
    return [Path(p) for p in paths]
