"""The entry cohorts of one unit (the JSON of `indicators --cohorts`) as a Polish table for a terminal."""

from __future__ import annotations

from typing import Any

from pipeline.indicators.cohorts import OUTCOME_LABELS
from pipeline.outputs.formats import count, day, percent

NOT_OBSERVABLE = "nieobs."
SHORT = {"goals": "cele", "other": "inne", "returned": "powrót"}
TITLES = {"episodes": "Asystentury rozpoczęte w roku", "placements": "Umieszczenia w pieczy w roku (rodzina z asystenturą)"}
SINCE = {"episodes": "od rozpoczęcia", "placements": "od umieszczenia"}
AT_RISK = "w ryzyku"  # the column of the number still at risk at the horizon


def _section(what: str, cohorts: dict[str, Any], at_risk: dict[str, dict[str, int | None]] | None) -> list[str]:
    legend = "; ".join(f"{SHORT[o]} = {label}" for o, label in OUTCOME_LABELS[what].items())
    lines = [f"{TITLES[what]} ({legend}; m. = miesięcy {SINCE[what]})"]
    if not cohorts:
        return [*lines, "  brak członków kohort", ""]
    first = next(iter(cohorts.values()))
    outcomes = [k for k in first if k != "n"]
    horizons = list(first[outcomes[0]])
    header = ["rok", "n"] + [f"{SHORT[o]} {h} m." for o in outcomes for h in horizons]
    if at_risk is not None:
        header += [f"{AT_RISK} {h} m." for h in horizons]
    rows = []
    for year, v in cohorts.items():
        row = [year, str(v["n"])] + [NOT_OBSERVABLE if v[o][h] is None else percent(v[o][h]) for o in outcomes for h in horizons]
        if at_risk is not None:
            risk = at_risk.get(year, {})
            row += [NOT_OBSERVABLE if risk.get(h) is None else count(risk[h]) for h in horizons]
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines += ["  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in [header, *rows]]
    return [*lines, ""]


def cohorts_table(values: dict[str, Any]) -> str:
    """Both cohort tables with the censoring date, what 'nieobs.' means and (when the values carry it, as
    `entry_cohorts` gives them) the number still at risk at each horizon."""
    from datetime import date

    at_risk = getattr(values, "at_risk", None)
    lines = [f"Kohorty wejścia jednostki {values['unit']}; trwające cenzurowane na {day(date.fromisoformat(values['censored_at']))} "
             "(ostatni eksport)", "Skumulowana częstość (Aalen–Johansen, zdarzenia konkurujące); "
             f"{NOT_OBSERVABLE} = kohorta zbyt świeża, by ją obserwować tak długo."]
    if at_risk is not None:
        lines.append(f"{AT_RISK} h m. = ilu członków kohorty po h miesiącach nadal jest obserwowanych "
                     "bez żadnego ze zdarzeń.")
    lines.append("")
    for what in ("episodes", "placements"):
        lines += _section(what, values[what], at_risk.get(what) if at_risk is not None else None)
    return "\n".join(lines).rstrip() + "\n"
