"""Polish wording shared by the deliverables: the year's figure rows, problem rows, category and duration labels.

The annual information, the notebooks and the period statement show the same rows and labels;
they are written once here.
"""

from __future__ import annotations

from pipeline import grammar
from pipeline.grammar import form
from pipeline.indicators import registry

CATEGORY_LABELS = {"0": "bez dzieci niepełnoletnich", "1": "1 dziecko", "2": "2 dzieci", "3": "3 dzieci", "4+": "4 i więcej dzieci"}


def _years(n: int) -> str:
    return f"{n} {form(n, 'rok', 'lata', 'lat')}"


def _years_genitive(n: int) -> str:
    return "1 roku" if n == 1 else f"{n} lat"


def duration_label(bucket: str) -> str:
    """`<1` poniżej 1 roku, `1-2` od 1 roku do 2 lat (poniżej 2), `5+` 5 lat i dłużej."""
    if bucket.startswith("<"):
        n = int(bucket[1:])
        return "poniżej 1 roku" if n == 1 else f"poniżej {n} lat"
    if bucket.endswith("+"):
        return f"{_years(int(bucket[:-1]))} i dłużej"
    a, b = (int(x) for x in bucket.split("-"))
    return f"od {_years_genitive(a)} do {_years_genitive(b)} (poniżej {b})"


def indicator_rows(values: dict, previous: dict | None) -> list[dict]:
    """One row per indicator: key, label, last year, this year (both as raw values), change, definition."""
    return [{"key": i.key, "label": i.label, "current": values[i.key], "previous": previous[i.key] if previous else None,
             "decimals": i.decimals, "change": grammar.change(values[i.key], previous[i.key] if previous else None),
             "definition": i.definicja} for i in registry.INDICATORS]


def problem_rows(values: dict) -> list[dict]:
    """families_by_problem, most families first (ties in the contract's order), with the share of families supported."""
    supported = values["families_supported"]
    by_problem = values[registry.FAMILIES_BY_PROBLEM.key]
    ordered = sorted(by_problem.items(), key=lambda kv: -kv[1])  # stable: ties keep the contract's order
    return [{"problem": p, "families": n, "share": n / supported * 100 if supported else None} for p, n in ordered]


# ---------------------------------------------------------------- the needs for the year planned (issue 27)

def interval(low: float | None, high: float | None) -> str:
    """A 95% interval in words a councillor reads: 'od 58 do 79'."""
    return f"od {grammar.number(round(low or 0))} do {grammar.number(round(high or 0))}"


def fte_words(n: float) -> str:
    """'1 etat', '4 etaty', '5 etatów', '2,25 etatu' (a fraction takes the genitive singular)."""
    if float(n).is_integer():
        k = int(n)
        return f"{grammar.number(k)} {form(k, 'etat', 'etaty', 'etatów')}"
    return f"{grammar.number(n, 2).rstrip('0').rstrip(',')} etatu"


def fte_genitive(n: float) -> str:
    """After 'wymaga', 'brakuje': '1 etatu', '4 etatów', '2,25 etatu'."""
    if float(n).is_integer():
        k = int(n)
        return f"{grammar.number(k)} {'etatu' if k == 1 else 'etatów'}"
    return f"{grammar.number(n, 2).rstrip('0').rstrip(',')} etatu"


def _money(value: float) -> str:
    return f"{grammar.number(value, 2)}\u00a0zł"


def _share(value: float) -> str:
    return f"{grammar.number(value * 100, 1)}%"


def needs_paragraphs(result: dict) -> list[str]:
    """The needs for the year planned as the annual information's sentences (from `indicators.needs.needs`)."""
    year, prev, limit = result["year"], result["year"] - 1, result["caseload_limit"]
    if result["status"] != "ok":
        return [f"Potrzeb na rok {year} nie prognozujemy: {result['reason']}."]
    p, fte, emp = result["projection"], result["fte"], result["employed"]
    new, fs, peak = p["new_families"], p["families_supported"], p["peak_active"]
    rate = (f"z trendem z lat {prev - 2}–{prev}" if new["trend_used"]
            else f"średnio {grammar.number(new['monthly_rate'], 1)} miesięcznie, jak w latach {prev - 2}–{prev}")
    out = [
        f"Na koniec {prev} r. trwała współpraca {grammar.with_families(p['stock'])}; wszystkie one będą objęte "
        f"wsparciem także w {year} r. Nowych rodzin oczekujemy w {year} r. około {grammar.number(round(new['expected']))} "
        f"({rate}). Łącznie wsparciem asystenta w {year} r. "
        f"{form(round(fs['expected']), 'zostanie objęta', 'zostaną objęte', 'zostanie objętych')} około "
        f"{grammar.count(round(fs['expected']), 'rodzina')}, z prawdopodobieństwem 95% {interval(fs['low'], fs['high'])} "
        "(symulacja: napływ nowych rodzin i czas trwania współpracy według dotychczasowych asystentur).",
    ]
    gap = fte["needed"] - emp["fte"]
    n = emp["assistants"]
    staff = (f"na 31.12.{prev} r. {form(n, 'zatrudniony był', 'zatrudnionych było', 'zatrudnionych było')} "
             f"{grammar.number(n)} {form(n, 'asystent', 'asystentów', 'asystentów')} ({fte_words(emp['fte'])})")
    verdict = (f"brakuje {fte_genitive(gap)}" if gap > 0 else "obecne zatrudnienie wystarcza")
    high = ("" if fte["needed_at_high"] <= fte["needed"] else
            f" Przy górnej granicy przedziału potrzeba by {fte_genitive(fte['needed_at_high'])}.")
    out.append(
        f"Najwięcej rodzin jednocześnie będzie w {year} r. około {grammar.number(round(peak['expected']))} "
        f"({interval(peak['low'], peak['high'])}). Przy ustawowym limicie {limit} rodzin na asystenta wymaga to "
        f"{fte_genitive(fte['needed'])} asystenta rodziny; {staff}, więc {verdict}.{high}")
    c = result["cost"]
    if c["cost_per_fte"] is None:
        out.append(f"Kosztu nie podajemy: {c['reason']}.")
    else:
        text = (f"Koszt jednego etatu w {prev} r. wyniósł {_money(c['cost_per_fte'])} (wydatki z pliku finansowania "
                f"na średni etat roku), więc {fte_words(fte['needed'])} w {year} r. to około {_money(c['cost_needed'])} "
                "przy kosztach jak w roku poprzednim")
        if c["programme_share"]:
            text += (f"; program „Asystent rodziny” pokrył w {prev} r. {_share(c['programme_share'])} wydatków — przy "
                     f"takim samym udziale (założenie) byłoby to około {_money(c['programme_part'])}")
        out.append(text + ".")
    cov = result.get("coverage_of_need")
    if cov:
        share = "" if cov["share"] is None else f", tj. {_share(cov['share'])} z nich"
        out.append(f"W {prev} r. pomoc z powodu bezradności w sprawach opiekuńczo-wychowawczych otrzymało "
                   f"{grammar.count(cov['need_families'], 'rodzina')} (MRiPS-03); asystenci wspierali "
                   f"{grammar.count(cov['supported'], 'rodzina')}{share}"
                   + (f" — luka wynosi {grammar.count(cov['gap'], 'rodzina')}." if cov["gap"] else "."))
    bt = result.get("backtest") or {}
    if bt.get("years"):
        years = [r["year"] for r in bt["years"]]
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        pct = "" if bt["mape_families"] is None else f" ({_share(bt['mape_families'])})"
        out.append(f"Ta sama metoda zastosowana do lat {span} (prognoza z danych do końca roku poprzedniego) myliła się "
                   f"średnio o {grammar.number(bt['mae_families'], 1)} rodziny objętej wsparciem{pct} i o "
                   f"{grammar.number(bt['mae_peak'], 1)} rodziny w szczycie.")
    return out
