"""The entry cohorts of one unit (the JSON of `indicators --cohorts`) as a Polish table for a terminal."""

from __future__ import annotations

from typing import Any

from pipeline.indicators.cohorts import OUTCOME_LABELS
from pipeline.outputs.formats import day, percent

NOT_OBSERVABLE = "nieobs."
SHORT = {"goals": "cele", "other": "inne", "returned": "powrót"}
TITLES = {"episodes": "Asystentury rozpoczęte w roku", "placements": "Umieszczenia w pieczy w roku (rodzina z asystenturą)"}


def _section(what: str, cohorts: dict[str, Any]) -> list[str]:
    legend = "; ".join(f"{SHORT[o]} = {label}" for o, label in OUTCOME_LABELS[what].items())
    lines = [f"{TITLES[what]} ({legend}; m. = miesięcy od rozpoczęcia)"]
    if not cohorts:
        return [*lines, "  brak członków kohort", ""]
    first = next(iter(cohorts.values()))
    outcomes = [k for k in first if k != "n"]
    horizons = list(first[outcomes[0]])
    header = ["rok", "n"] + [f"{SHORT[o]} {h} m." for o in outcomes for h in horizons]
    rows = [[year, str(v["n"])] + [NOT_OBSERVABLE if v[o][h] is None else percent(v[o][h]) for o in outcomes for h in horizons]
            for year, v in cohorts.items()]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines += ["  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in [header, *rows]]
    return [*lines, ""]


def cohorts_table(values: dict[str, Any]) -> str:
    """Both cohort tables with the censoring date and what 'nieobs.' means."""
    from datetime import date

    lines = [f"Kohorty wejścia jednostki {values['unit']}; trwające cenzurowane na {day(date.fromisoformat(values['censored_at']))} "
             "(ostatni eksport)", "Skumulowana częstość (Aalen–Johansen, zdarzenia konkurujące); "
             f"{NOT_OBSERVABLE} = kohorta zbyt świeża, by ją obserwować tak długo.", ""]
    lines += _section("episodes", values["episodes"]) + _section("placements", values["placements"])
    return "\n".join(lines).rstrip() + "\n"
