"""The evaluation of the programme "Asystent rodziny" as it is read: conclusions and the funding workbook.

The figures come from `pipeline.indicators.evaluation`; the conclusions are sentences chosen by
the figures, with the figures in them; where the data cannot support a statement (no funding,
no year before the programme, one year only, too few closures) a sentence says so instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipeline.grammar import form
from pipeline.indicators.evaluation import (
    DEFAULT_WINDOW,
    FLAT,
    MIN_CLOSURES,
    before_years,
    cost_table,
    periods,
    programme_years,
    relative_change,
    sensitivity,
)
from pipeline.indicators.measures import wilson_interval
from pipeline.outputs.formats import count, decimal, money, percent
from pipeline.outputs.spreadsheets import Column, Sheet, write_workbook
from pipeline.sql import query

COST_COLUMNS = (
    Column("year", "rok", "year"),
    Column("own", "środki własne", "money"),
    Column("programme", "program „Asystent rodziny”", "money"),
    Column("other", "inne źródła", "money"),
    Column("total", "razem", "money"),
    Column("programme_share", "udział programu", "percent"),
    Column("families_supported", "rodziny objęte wsparciem", "count"),
    Column("families_closed_goals_achieved", "zakończenia z osiągnięciem celów", "count"),
    Column("fte", "etaty asystentów (średnio w roku)", "decimal"),
    Column("cost_per_family", "koszt na rodzinę", "money"),
    Column("cost_per_goal", "koszt na zakończenie z osiągnięciem celów", "money"),
    Column("cost_per_fte", "koszt na etat", "money"),
)


PERIOD_COLUMNS = (
    Column("period", "okres"),
    Column("own", "środki własne (średnio rocznie)", "money"),
    Column("programme", "program (średnio rocznie)", "money"),
    Column("total", "razem (średnio rocznie)", "money"),
    Column("families_supported", "rodziny objęte wsparciem (średnio rocznie)", "decimal"),
    Column("families_closed", "zakończenia (razem)", "count"),
    Column("families_closed_goals_achieved", "w tym z osiągnięciem celów", "count"),
    Column("goal_rate", "udział zakończeń z osiągnięciem celów", "percent"),
    Column("cost_per_family", "koszt na rodzinę", "money"),
    Column("cost_per_goal", "koszt na zakończenie z osiągnięciem celów", "money"),
    Column("cost_per_fte", "koszt na etat", "money"),
)


SENSITIVITY_COLUMNS = (
    Column("window", "lat przed programem (wybrane)", "count"),
    Column("period", "okres przed programem"),
    Column("before", "koszt na rodzinę przed", "money"),
    Column("with", "koszt na rodzinę z programem", "money"),
    Column("change", "zmiana", "change"),  # signed, as in the sentences (+5,0%)
)


CAVEAT = ("Porównanie „przed i z programem” opisuje różnicę, nie dowodzi, że spowodował ją program: nie ma grupy "
          "kontrolnej, liczby rodzin i zakończeń są małe, a w tym samym czasie zmieniały się inne rzeczy "
          "(wynagrodzenia, ceny, przepisy, skład zespołu); danych o wynagrodzeniach w magazynie nie ma.")


EMPTY_CELL_NOTE = "Puste pole: wartości nie da się policzyć (np. w roku nie było zakończenia z osiągnięciem celów)."


@dataclass
class Evaluation:
    """The evaluation for one year: tables, conclusions and the figures the tests read."""

    year: int
    has_funding: bool
    costs: pl.DataFrame
    periods: pl.DataFrame
    sensitivity: pl.DataFrame
    conclusions: list[str] = field(default_factory=list)


def _signed(share: float) -> str:
    return ("+" if share > 0 else "−" if share < 0 else "") + percent(abs(share))


def _families(n: float, decimals: int = 0) -> str:
    text = count(n) if decimals == 0 else decimal(n, decimals)
    return f"{text} {'rodziny' if decimals else form(int(n), 'rodzina', 'rodziny', 'rodzin')}"


def year_sentences(costs: pl.DataFrame, year: int) -> list[str]:
    """The chosen year: the programme's share of the cost and the unit costs (or why one cannot be computed)."""
    row = costs.filter(pl.col("year") == year)
    if row.height == 0:
        return [f"Za {year} r. nie ma danych o finansowaniu, więc kosztów tego roku nie da się policzyć."]
    r = row.row(0, named=True)
    out = []
    if r["total"] == 0:
        return [f"W pliku finansowania za {year} r. wszystkie kwoty są zerowe: kosztów tego roku nie da się ocenić."]
    if r["programme"] > 0:
        out.append(f"W {year} r. program „Asystent rodziny” pokrył {percent(r['programme_share'])} kosztów pracy asystentów "
                   f"({money(r['programme'])} z {money(r['total'])}).")
    else:
        out.append(f"W {year} r. ośrodek nie otrzymał środków z programu; koszty pracy asystentów wyniosły {money(r['total'])}.")
    parts = []
    if r["cost_per_family"] is None:
        parts.append("na rodzinę — nie da się policzyć (żadna rodzina nie była objęta wsparciem)")
    else:
        parts.append(f"na rodzinę objętą wsparciem {money(r['cost_per_family'])} ({_families(r['families_supported'])})")
    if r["cost_per_fte"] is None:
        parts.append("na etat — nie da się policzyć (w danych nie ma etatów asystentów w tym roku)")
    else:
        parts.append(f"na etat asystenta {money(r['cost_per_fte'])} ({decimal(r['fte'], 2)} etatu średnio w roku)")
    out.append(f"Koszt w {year} r.: " + "; ".join(parts) + ".")
    goals = r["families_closed_goals_achieved"]
    if goals == 0:
        out.append(f"W {year} r. nie zakończono współpracy z żadną rodziną z osiągnięciem celów, więc kosztu na takie "
                   f"zakończenie nie da się policzyć (w tabeli puste pole).")
    else:
        out.append(f"Na jedno zakończenie z osiągnięciem celów przypadło {money(r['cost_per_goal'])} "
                   f"({count(goals)} {form(goals, 'zakończenie', 'zakończenia', 'zakończeń')}).")
    return out


def comparison_sentences(costs: pl.DataFrame, year: int, window: int = DEFAULT_WINDOW) -> list[str]:
    """Before vs with the programme, or the reason there is no such comparison."""
    with_programme = programme_years(costs)
    if not with_programme:
        return [f"Do {year} r. ośrodek nie otrzymał środków z programu: nie ma lat „z programem”, więc porównania "
                f"„przed i z programem” nie ma."]
    first = min(with_programme)
    if not before_years(costs, window):
        return [f"Dane o finansowaniu zaczynają się w pierwszym roku programu ({first}) albo wcześniej jest przerwa: "
                f"nie ma roku przed programem, więc porównania „przed i z programem” nie da się zrobić."]
    p = periods(costs, window)
    b, w = p.row(0, named=True), p.row(1, named=True)
    out = []
    change = relative_change(w["cost_per_family"], b["cost_per_family"])
    if change is None:
        out.append("Kosztu na rodzinę nie da się porównać (w jednym z okresów nie ma rodzin objętych wsparciem).")
    else:
        verb = "wzrósł" if change > 0 else "spadł" if change < 0 else "nie zmienił się"
        out.append(f"Koszt na rodzinę {verb}: {money(b['cost_per_family'])} {b['period']} wobec "
                   f"{money(w['cost_per_family'])} {w['period']} ({_signed(change)}).")
    own_change = relative_change(w["own"], b["own"])
    own = (f"średnio {money(b['own'])} rocznie przed programem i {money(w['own'])} z programem")
    grant = f"program dodawał średnio {money(w['programme'])} rocznie"
    if own_change is None:
        out.append(f"Przed programem ośrodek nie wydawał środków własnych na asystentów; {grant}.")
    elif abs(own_change) <= FLAT:
        out.append(f"Środki własne ośrodka były na podobnym poziomie ({own}, {_signed(own_change)}), a {grant}: "
                   f"zmiana wydatków na asystentów pochodzi głównie z dofinansowania z programu.")
    elif own_change < 0:
        out.append(f"Środki własne ośrodka spadły ({own}, {_signed(own_change)}), a {grant}: program częściowo "
                   f"zastąpił środki ośrodka, zamiast je w całości uzupełnić.")
    else:
        rise = w["own"] - b["own"]
        main = ("większą część wzrostu dały środki własne" if rise > w["programme"]
                else "większą część wzrostu dał program")
        out.append(f"Środki własne ośrodka wzrosły ({own}, {_signed(own_change)}), a {grant}: {main}.")
    out.append(families_sentence(w["families_supported"], b["families_supported"]))
    out.append(_goal_rate_sentence(b, w))
    return out


def families_sentence(with_programme: float, before: float) -> str:
    """Families a year on average, with vs before the programme, and by how many more or fewer (one decimal: a decimal
    fraction takes the genitive singular, "68,0 rodziny", "o 1,7 rodziny więcej")."""
    text = (f"Średnio rocznie wsparciem objęto {_families(with_programme, 1)} z programem wobec "
            f"{_families(before, 1)} przed programem")
    difference = round(with_programme, 1) - round(before, 1)
    if round(difference, 1) == 0:
        return text + ", czyli tyle samo."
    return text + f", czyli o {_families(abs(difference), 1)} {'więcej' if difference > 0 else 'mniej'}."


def _goal_rate_sentence(b: dict, w: dict) -> str:
    n1, n2 = b["families_closed"], w["families_closed"]
    if min(n1, n2) < MIN_CLOSURES:
        return (f"Zakończeń jest za mało ({count(n1)} przed programem, {count(n2)} z programem; potrzeba co najmniej "
                f"{MIN_CLOSURES} w każdym okresie), by porównywać udział zakończeń z osiągnięciem celów.")
    k1, k2 = b["families_closed_goals_achieved"], w["families_closed_goals_achieved"]
    (lo1, hi1), (lo2, hi2) = wilson_interval(k1, n1), wilson_interval(k2, n2)
    rates = f"{percent(k1 / n1)} przed programem ({k1} z {n1}) i {percent(k2 / n2)} z programem ({k2} z {n2})"
    if lo1 <= hi2 and lo2 <= hi1:
        return (f"Udział zakończeń z osiągnięciem celów: {rates}; 95% przedziały ufności Wilsona nakładają się, więc różnica "
                f"może być przypadkowa.")
    return (f"Udział zakończeń z osiągnięciem celów: {rates}; różnica jest większa niż przypadkowe wahania, ale bez grupy "
            f"kontrolnej nie można jej przypisać programowi.")


def sensitivity_sentence(sens: pl.DataFrame) -> str:
    """Whether the direction of the change in cost per family depends on the years compared."""
    if sens.height == 0:
        return "Analizy wrażliwości nie ma: brak porównania „przed i z programem”."
    if sens["period"].n_unique() == 1:
        return (f"Analiza wrażliwości niczego nie rozstrzyga: przed programem są dane tylko za {sens['period'][0]} r., "
                f"więc okresy 2, 3 i 5 lat obejmują te same lata.")
    changes = [c for c in sens["change"].to_list() if c is not None]
    if not changes:
        return "Analizy wrażliwości nie da się zrobić: kosztu na rodzinę nie da się porównać."
    span = f"od {_signed(min(changes))} do {_signed(max(changes))}"
    if all(c > 0 for c in changes) or all(c < 0 for c in changes):
        return f"Kierunek zmiany kosztu na rodzinę nie zależy od wyboru lat przed programem (2, 3 lub 5 lat: {span})."
    return f"Kierunek zmiany kosztu na rodzinę zależy od wyboru lat przed programem ({span}): ten wniosek jest niepewny."


def conclusions(costs: pl.DataFrame, year: int, has_funding: bool) -> list[str]:
    """Every sentence of "Co znaleźliśmy", chosen by the figures."""
    if costs.height == 0:
        if has_funding:
            return [f"W magazynie są dane o finansowaniu tylko za lata po {year} r.: ewaluacja za {year} r. nie ma danych.", CAVEAT]
        return ["Brak danych o finansowaniu: nie wczytano pliku finansowanie.csv (python -m pipeline funding ŚCIEŻKA), "
                "więc kosztów i programu nie da się ocenić.", CAVEAT]
    out = year_sentences(costs, year)
    if costs.height == 1:
        out.append(f"Dane o finansowaniu obejmują tylko {costs['year'][0]} r.: nie ma zmian w czasie do porównania.")
    out += comparison_sentences(costs, year)
    out.append(sensitivity_sentence(sensitivity(costs)))
    return [*out, CAVEAT]


def evaluate(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int) -> Evaluation:
    """The whole evaluation for `year` (years up to and including it)."""
    has_funding = query(con, "SELECT count(*) AS n FROM raw.funding WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit",
                        {"unit": unit})["n"][0] > 0
    costs = cost_table(con, year, unit, limit)
    return Evaluation(year, bool(has_funding), costs, periods(costs), sensitivity(costs), conclusions(costs, year, bool(has_funding)))


def write_funding_workbook(path: Path, evaluation: Evaluation) -> Path:
    """The table for the programme's funding report: costs by year, before vs with, notes (Polish headers)."""
    sheets = [Sheet("koszty według lat", evaluation.costs, COST_COLUMNS, [EMPTY_CELL_NOTE, CAVEAT])]
    if evaluation.periods.height:
        sheets.append(Sheet("przed i z programem", evaluation.periods, PERIOD_COLUMNS, [EMPTY_CELL_NOTE, CAVEAT]))
    return write_workbook(path, sheets)
