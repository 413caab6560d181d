"""Generate the reference pages of docs/ from the code (indicators, rules, the contract), so they cannot drift."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import DOCS_DIR


def indicators_markdown() -> str:
    """docs/indicators.md: every indicator's key, label, definitions and SQL file."""
    from pipeline.indicators.registry import CLOSED_BY_REASON, CLOSED_BY_REASON_DEFINITION, INDICATORS

    lines = [
        "# Indicators", "",
        "Generated from `pipeline/indicators/registry.py` by `python -m pipeline docs` (a test fails while this page",
        "differs). Notation: the period `d0 .. d1` (the year Y is `Y-01-01 .. Y-12-31`); all ranges inclusive; only the",
        "current state counts; across units the unit is part of every id. Each figure's SQL reads the staging macros of",
        "`pipeline/indicators/sql/staging/macros.sql` (one unit's current state, the period logic).", "",
        "| key | label | definition (contract) | definicja | SQL |", "|---|---|---|---|---|",
    ]
    lines += [f"| `{i.key}` | {i.label} | {i.definition} | {i.definicja} | `pipeline/indicators/sql/figures/{i.key}.sql` |"
              for i in INDICATORS]
    lines += ["", f"`{CLOSED_BY_REASON}`: {CLOSED_BY_REASON_DEFINITION}.", ""]
    return "\n".join(lines)


def rules_markdown() -> str:
    """docs/rules.md: the rule catalogue (code, severity, table, columns, message)."""
    from pipeline.checks.rules import all_rules, problem_codes

    lines = [
        "# Rule catalogue", "",
        "Generated from `pipeline/checks/rules/` by `python -m pipeline docs`. Codes never move and are never reused:",
        "`pipeline/checks/rules/issued_codes.tsv` lists every code ever issued, and a test fails if one disappears or",
        "changes its meaning.", "",
        "## Reading, typing, personal data and the funding file", "",
        "Checked before the rules below (`STR-` the container and files, `TYP-` cell types, `PII-` personal data, `REF-`",
        "the analyst's funding file). Each is defined beside its check.", "",
        "| code | severity | meaning |", "|---|---|---|",
    ]
    lines += [f"| `{c.code}` | {c.severity} | {c.meaning} |" for c in problem_codes().values()]
    lines += ["", "## Rules of the Great Expectations suites", "",
              "| code | severity | table | columns | message |", "|---|---|---|---|---|"]
    lines += [f"| `{r.code}` | {r.severity} | {r.table} | {', '.join(r.columns)} | {r.message} |" for r in all_rules()]
    return "\n".join(lines) + "\n"


def _contract_en() -> str:
    from pipeline.outputs.contract_docs import contract_en

    return contract_en()


def _contract_pl() -> str:
    from pipeline.outputs.contract_docs import contract_pl

    return contract_pl()


PAGES = {"indicators.md": indicators_markdown, "rules.md": rules_markdown, "contract.md": _contract_en, "kontrakt.md": _contract_pl}


def write_docs(directory: Path = DOCS_DIR) -> list[Path]:
    paths = []
    for name, make in PAGES.items():
        path = directory / name
        path.write_text(make(), encoding="utf-8")
        paths.append(path)
    return paths
