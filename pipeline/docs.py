"""Generate the reference pages of docs/ from the code (indicators, rules), so they cannot drift."""

from __future__ import annotations

from pathlib import Path

from pipeline.warehouse.connection import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"


def indicators_markdown() -> str:
    """docs/indicators.md: every indicator's key, label, definitions and SQL file."""
    from pipeline.indicators.registry import CLOSED_BY_REASON, DEFINITIONS_PL, INDICATORS

    lines = [
        "# Indicators", "",
        "Generated from `pipeline/indicators/registry.py` by `python -m pipeline docs` (a test fails while this page",
        "differs). Notation: `d0 = Y-01-01`, `d1 = Y-12-31`; all ranges inclusive; only the current state counts;",
        "across units the unit is part of every id.", "",
        "| key | label | definition (contract) | definicja | SQL |", "|---|---|---|---|---|",
    ]
    lines += [f"| `{i.key}` | {i.label} | {i.definition} | {DEFINITIONS_PL[i.key]} | `pipeline/indicators/sql/{i.key}.sql` |"
              for i in INDICATORS]
    lines += ["", f"`{CLOSED_BY_REASON}` breaks `families_closed` down by closure reason; a family with two closures for two "
              "reasons counts under each; reasons with no family are left out.", ""]
    return "\n".join(lines)


def rules_markdown() -> str:
    """docs/rules.md: the rule catalogue (code, severity, table, columns, message)."""
    from pipeline.checks.rules import all_rules

    lines = [
        "# Rule catalogue", "",
        "Generated from `pipeline/checks/rules.py` by `python -m pipeline docs`. Reading problems (`STR-`, `TYP-`) and",
        "personal data (`PII-`) are checked before these rules; see `docs/contract.md`.", "",
        "| code | severity | table | columns | message |", "|---|---|---|---|---|",
    ]
    lines += [f"| `{r.code}` | {r.severity} | {r.table} | {', '.join(r.columns)} | {r.message} |" for r in all_rules()]
    return "\n".join(lines) + "\n"


PAGES = {"indicators.md": indicators_markdown, "rules.md": rules_markdown}


def write_docs(directory: Path = DOCS) -> list[Path]:
    paths = []
    for name, make in PAGES.items():
        path = directory / name
        path.write_text(make(), encoding="utf-8")
        paths.append(path)
    return paths
