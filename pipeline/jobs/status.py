"""The status word that begins the line of each export (or funding file) a load prints: CLI.md's contract.

Polish since 2026-12 (`wczytano`, `już wczytany`, `odrzucono`; `validate`: `poprawny`, `niepoprawny`); the load log
(its `outcome` column) keeps its English values, which scripts and the notebooks read.
"""

from __future__ import annotations

STATUS_WORDS = {"loaded": "wczytano", "already loaded": "już wczytany", "rejected": "odrzucono"}
VERDICT_WORDS = {True: "poprawny", False: "niepoprawny"}


def status(outcome: str) -> str:
    """The outcome's status word, padded so that the names after it line up: 'wczytano        '."""
    return f"{STATUS_WORDS[outcome]:<15} "


def verdict(accepted: bool) -> str:
    """`validate`'s word for one export, padded: 'poprawny    ', 'niepoprawny '."""
    return f"{VERDICT_WORDS[accepted]:<11} "
