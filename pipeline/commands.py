"""Commands beyond ingest/validate: indicators, run, report, synth, notebooks.

Registered here so that cli.py stays small; each command imports what it needs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the analysis commands to the parser."""
