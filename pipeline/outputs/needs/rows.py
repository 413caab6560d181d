"""The needs result as rows for people: the summary (figure, interval, assumption), months, backtest, FTE months."""

from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.outputs import formats
from pipeline.outputs.wording import fte_words


def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def summary_rows(r: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure: label, value, interval ends (or None), and the assumption that drives it."""
    year, prev, limit = r["year"], r["year"] - 1, r["caseload_limit"]
    emp = r["employed"]
    rows = [{"label": f"asystenci zatrudnieni 31.12.{prev}", "value": emp["assistants"], "low": None, "high": None,
             "kind": "count", "note": "każda forma zatrudnienia"},
            {"label": f"etaty zatrudnione 31.12.{prev}", "value": emp["fte"], "low": None, "high": None,
             "kind": "decimal", "note": "suma wymiaru etatu"}]
    if r["status"] != "ok":
        return rows
    p, fte, cost = r["projection"], r["fte"], r["cost"]
    new, fs, peak = p["new_families"], p["families_supported"], p["peak_active"]
    months = new["months_observed"]
    rate = ("trend log-liniowy (test ilorazu wiarygodności, p = " + formats.decimal(new["trend_p_value"], 3) + ")"
            if new["trend_used"] else
            f"średnio {formats.decimal(new['monthly_rate'], 2)} miesięcznie z {months} miesięcy ({prev - months // 12 + 1}–{prev}); "
            + ("za mało danych na test trendu" if new["trend_p_value"] is None
               else f"trend nieistotny (p = {formats.decimal(new['trend_p_value'], 3)} ≥ 0,05)"))
    rows += [
        {"label": f"rodziny w trakcie asystentury po 31.12.{prev}", "value": p["stock"], "low": None, "high": None,
         "kind": "count", "note": f"wszystkie są objęte wsparciem w {year}; asystentury zakończone po 31.12.{prev} liczone jako trwające"},
        {"label": f"nowe rodziny w {year} (oczekiwane)", "value": new["expected"], "low": None, "high": None,
         "kind": "decimal", "note": rate + "; bez sezonowości"},
        {"label": f"rodziny objęte wsparciem w {year}", "value": fs["expected"], "low": fs["low"], "high": fs["high"],
         "kind": "decimal", "note": "rodziny w trakcie + nowe; przedział 95% z symulacji (Poisson, bootstrap czasów trwania)"},
        {"label": "najwięcej rodzin jednocześnie (szczyt)", "value": peak["expected"], "low": peak["low"], "high": peak["high"],
         "kind": "decimal", "note": "średnia z symulacji największej dziennej liczby; czas trwania z krzywej Kaplana–Meiera "
                                    "z uwzględnieniem czasu, który asystentura już trwa"},
        {"label": f"etaty potrzebne (limit {limit} rodzin na asystenta)", "value": fte["needed"], "low": None,
         "high": fte["needed_at_high"], "kind": "count",
         "note": f"szczyt ÷ {limit}, w górę do pełnego etatu; w kolumnie górnej granicy: etaty przy górnej granicy szczytu"},
        {"label": "różnica: potrzebne − zatrudnione", "value": fte["gap"], "low": None, "high": None, "kind": "decimal",
         "note": "dodatnia: brakuje etatów; ujemna: zapas"},
    ]
    if cost["cost_per_fte"] is not None:
        rows += [
            {"label": f"koszt etatu w {prev}", "value": cost["cost_per_fte"], "low": None, "high": None, "kind": "money",
             "note": f"wydatki {prev} z pliku finansowania ({formats.money(cost['money'])}) ÷ średni etat {prev} "
                     f"({formats.decimal(cost['mean_fte'], 2)})"},
            {"label": f"koszt potrzebnych etatów w {year}", "value": cost["cost_needed"], "low": None, "high": None,
             "kind": "money", "note": f"{fte_words(fte['needed'])} × koszt etatu {prev} (założenie: koszty jak w {prev})"},
            {"label": "koszt brakujących etatów", "value": cost["cost_gap"], "low": None, "high": None, "kind": "money",
             "note": "brakujące etaty × koszt etatu"},
        ]
        if cost["programme_share"] is not None:
            rows += [{"label": "w tym program „Asystent rodziny” (założenie)", "value": cost["programme_part"], "low": None,
                      "high": None, "kind": "money",
                      "note": f"udział programu w wydatkach {prev}: {formats.percent(cost['programme_share'])} — założenie, "
                              f"że w {year} będzie taki sam"}]
    else:
        rows.append({"label": f"koszt w {year}", "value": None, "low": None, "high": None, "kind": "money",
                     "note": cost["reason"] + ("; wczytaj go poleceniem python -m pipeline funding PLIK (docs/funding.md)"
                                               if cost.get("money") is None else "")})
    cov = r.get("coverage_of_need")
    if cov:
        rows += [
            {"label": f"rodziny z bezradnością opiekuńczo-wychowawczą w {prev} (MRiPS-03)", "value": cov["need_families"],
             "low": None, "high": None, "kind": "count", "note": "podane w --need-families"},
            {"label": f"odsetek objętych wsparciem asystenta w {prev}", "value": cov["share"], "low": None, "high": None,
             "kind": "percent", "note": f"rodziny objęte wsparciem w {prev} ({formats.count(cov['supported'])}) ÷ podana liczba"},
            {"label": "luka asystencka (rodziny)", "value": cov["gap"], "low": None, "high": None, "kind": "count",
             "note": "podana liczba − rodziny objęte wsparciem (nie mniej niż 0)"},
        ]
    return rows


def month_rows(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The months of the year planned: expected active on the first day, its interval, FTE needed and employed."""
    if r["status"] != "ok":
        return []
    return [{"month": date.fromisoformat(m["month"]), "expected": m["expected_active"], "low": m["low"], "high": m["high"],
             "fte_needed": m["fte_needed"], "fte_employed": m["fte_employed"], "max_bonus": m["max_bonus_employed"]}
            for m in r["monthly_fte"]["projected"]]


def fte_rows(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The months of the year before: assistants and FTE from the records, the largest bonus."""
    return [{"month": date.fromisoformat(m["month"]), "assistants": m["assistants"], "fte": m["fte"],
             "max_bonus": m["max_bonus"]} for m in r["monthly_fte"]["previous"]]


def backtest_rows(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Each backtest year: projected and actual families supported and peak, and the errors."""
    rows = []
    for b in (r.get("backtest") or {}).get("years", []):
        rows.append(b | {"error_families": b["projected_families"] - b["actual_families"],
                         "error_peak": b["projected_peak"] - b["actual_peak"]})
    return rows


def backtest_note(r: dict[str, Any]) -> str:
    """The backtest's mean absolute errors in one sentence (or why there is none)."""
    bt = r.get("backtest") or {}
    if not bt.get("years"):
        return ("brak lat do sprawdzenia metody: potrzeba co najmniej 4 lat danych przed rokiem planowanym "
                "(3 lata historii przed rokiem sprawdzanym)")
    years = [b["year"] for b in bt["years"]]
    return (f"lata {_span(years)}, prognoza z danych do końca roku poprzedniego: średni błąd bezwzględny "
            f"{formats.decimal(bt['mae_families'])} rodziny objętej wsparciem ({formats.percent(bt['mape_families'])}) "
            f"i {formats.decimal(bt['mae_peak'])} rodziny w szczycie ({formats.percent(bt['mape_peak'])})")


def bonus_note(r: dict[str, Any]) -> str:
    """The programme's bonus rule used in the FTE months, and what the export cannot tell."""
    m = r["monthly_fte"]
    prev = m["previous_year"]
    rule = (f"premia: do {formats.money(m['bonus_per_month_full_fte'])} miesięcznie na asystenta przy pełnym etacie, "
            f"proporcjonalnie do etatu i części miesiąca w zatrudnieniu (edycja {prev})"
            if m["bonus_per_month_full_fte"] is not None else
            f"edycja {prev} programu nie określa miesięcznej kwoty premii: kolumna premii pusta")
    return f"{rule}; {m['note']}"
