"""Generate the reference pages of docs/ from the code (indicators, rules, the contract), so they cannot drift."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import DOCS_DIR


def indicators_markdown() -> str:
    """docs/indicators.md: every indicator's key, label, definitions and SQL file."""
    from pipeline.indicators.registry import BREAKDOWNS, CLOSED_BY_REASON, CLOSED_BY_REASON_DEFINITION, INDICATORS

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
    lines += [f"| `{b.key}` | {b.label} | {b.definition} | {b.definicja} | `pipeline/indicators/sql/figures/{b.key}.sql` |"
              for b in BREAKDOWNS]
    lines += ["", f"`{CLOSED_BY_REASON}`: {CLOSED_BY_REASON_DEFINITION}.", ""]
    return "\n".join(lines + period_markdown() + comparison_markdown())


def period_markdown() -> list[str]:
    """The stock at the period's end and the breakdowns (pipeline/indicators/breakdowns.py), with their exact days."""
    from pipeline.indicators.breakdowns import BREAKDOWNS, EPISODES_CLOSED, STOCK, duration_buckets

    lines = [
        "## Stock at the period's end and breakdowns", "",
        "Computed by `pipeline/indicators/breakdowns.py` from the SQL files of `pipeline/indicators/sql/breakdowns/`, for",
        "any period `d0 .. d1` (`indicators --period`, `statement`). In the JSON of `indicators --format json` they are",
        "`\"stock\"` and `\"breakdowns\"` beside `\"indicators\"`. \"Full years\" of `a .. b` (inclusive) is the largest `n`",
        "with `a + n years <= b + 1 day`.", "",
        "| key | label | definition | definicja |", "|---|---|---|---|",
    ]
    lines += [f"| `{f.key}` | {f.label} | {f.definition} | {f.definicja} |" for f in (*STOCK, EPISODES_CLOSED)]
    lines += ["", "| key | label | definition | definicja | adds up to |", "|---|---|---|---|---|"]
    lines += [f"| `{f.key}` | {f.label} | {f.definition} | {f.definicja} | `{f.total}` |" for f in BREAKDOWNS]
    lines += ["", f"Duration buckets by default: {', '.join(f'`{b}`' for b in duration_buckets())} full years. Children buckets: "
              "`0` (stated apart), `1`, `2`, `3`, `4+`. The FTE dictionaries (`assistants_fte_by_employment`, "
              "`assistants_fte_by_employment_at_end`) sit beside the counts with the same keys.", ""]
    return lines


def comparison_markdown() -> list[str]:
    """The indicators page's sections on peer groups, comparable rates, funnel limits and entry cohorts."""
    from pipeline.indicators import cohorts, comparison, funnel, peers

    def doc(module: object) -> str:
        return (module.__doc__ or "").strip()

    lines = ["## Peer groups (`pipeline/indicators/peers.py`)", "", doc(peers), "",
             "| R | meaning | gmina-type group (in powiat 61-65 always: miasta na prawach powiatu) |", "|---|---|---|"]
    lines += [f"| `{r}` | {meaning} | {peers.GMINA_TYPES[peers.TYPE_GROUPS[r]]} |"
              for r, meaning in peers.TYPE_DIGITS.items()]
    lines += ["", "Voivodeships (`WW`): " + ", ".join(f"`{k}` {v}" for k, v in peers.VOIVODESHIPS.items()) + ".", "",
              "Default size bands (families supported in the year, lower bounds): "
              + ", ".join(str(b) for b in peers.DEFAULT_SIZE_BANDS) + " (`compare --size-bands`).", "",
              "## Comparable rates (`pipeline/indicators/comparison.py`, `python -m pipeline compare`)", "",
              doc(comparison), "", "| key | label | numerator | denominator | funnel limits |", "|---|---|---|---|---|"]
    lines += [f"| `{r.key}` | {r.label} | `{r.numerator}` | `{r.denominator}` | {'yes' if r.proportion else 'no (a ratio)'} |"
              for r in comparison.RATES]
    lines += ["", f"Too small to compare: a denominator below {comparison.DEFAULT_MIN_DENOMINATOR} (`--min-denominator`).", "",
              "## Funnel limits (`pipeline/indicators/funnel.py`)", "", doc(funnel), "",
              "## Entry cohorts (`pipeline/indicators/cohorts.py`, `indicators --cohorts`)", "", doc(cohorts), "",
              "Members: `pipeline/indicators/sql/measures/cohort_episodes.sql` and `cohort_placements.sql`.", ""]
    return lines


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
    from pipeline.outputs.contract.pages import contract_en

    return contract_en()


def _contract_pl() -> str:
    from pipeline.outputs.contract.pages import contract_pl

    return contract_pl()


PAGES = {"indicators.md": indicators_markdown, "rules.md": rules_markdown, "contract.md": _contract_en, "kontrakt.md": _contract_pl}


def write_docs(directory: Path = DOCS_DIR) -> list[Path]:
    paths = []
    for name, make in PAGES.items():
        path = directory / name
        path.write_text(make(), encoding="utf-8")
        paths.append(path)
    return paths
