"""The sentences of "Co znaleźliśmy" in the notebooks, each chosen by the figures and carrying them.

Where the data cannot support a statement (no previous year, one year only, a median not
reached, too few closures for a rate, one unit only) the sentence says so instead.
The programme evaluation has its own sentences (`evaluation.conclusions`).
"""

from __future__ import annotations

import polars as pl

from pipeline.grammar import count as counted
from pipeline.grammar import form, with_families
from pipeline.indicators.comparison import Comparison
from pipeline.outputs.formats import count, decimal, money, percent

MIN_CLOSURES_FOR_RATE = 10  # fewer closures in a year: its goal-achieved rate is not stated as a rate


def quality(loads: pl.DataFrame, findings: pl.DataFrame, by_assistant: pl.DataFrame, year: int, limit: int) -> list[str]:
    """Notebook 01: loads, rejections, findings, caseload above the limit."""
    loaded = int((loads["outcome"] == "loaded").sum())
    rejected = int((loads["outcome"] == "rejected").sum())
    out = [f"Wczytano {counted(loaded, 'eksport')}, "
           + (f"odrzucono {counted(rejected, 'eksport')} (powody w tabeli wyżej)." if rejected else "żadnego nie odrzucono.")]
    total = int(findings["records"].sum()) if findings.height else 0
    out.append(f"Ustalenia (fakty do sprawdzenia, które nie blokują wczytania): {count(total)} "
               f"{form(total, 'rekord', 'rekordy', 'rekordów')}." if total else "Wczytane eksporty nie mają ustaleń.")
    if by_assistant.height == 0:
        out.append(f"W {year} r. żaden asystent nie miał przydzielonej rodziny.")
        return out
    over = by_assistant.filter(pl.col("days_above_limit") > 0)
    top = int(by_assistant["max_families"].max())
    if over.height:
        days = int(over["days_above_limit"].sum())
        verb = form(over.height, "przekroczył", "przekroczyło", "przekroczyło")
        out.append(f"W {year} r. limit {limit} rodzin na asystenta {verb} {counted(over.height, 'asystent')} "
                   f"(łącznie {counted(days, 'dzień')} ponad limit; największe obciążenie: {counted(top, 'rodzina')} naraz).")
    else:
        out.append(f"W {year} r. żaden asystent nie przekroczył limitu {limit} rodzin (największe obciążenie: "
                   f"{counted(top, 'rodzina')} naraz).")
    return out


def annual(values: dict, previous: dict | None, year: int) -> list[str]:
    """Notebook 02: the year's main figures and the change on the previous year (when there is one)."""
    fam = values["families_supported"]
    children = counted(values["children_in_supported_families"], "dziecko")
    closed, goals = values["families_closed"], values["families_closed_goals_achieved"]
    out = [f"W {year} r. asystenci objęli wsparciem {counted(fam, 'rodzina')} ({children} w tych rodzinach); "
           + (f"zakończono współpracę {with_families(closed)}, w tym {with_families(goals)} z osiągnięciem celów."
              if closed else "nie zakończono współpracy z żadną rodziną.")]
    if previous is None or not previous["families_supported"]:
        out.append(f"Za {year - 1} r. nie ma danych, więc zmiany względem poprzedniego roku nie podajemy.")
    else:
        diff = fam - previous["families_supported"]
        if diff == 0:
            out.append(f"Liczba rodzin objętych wsparciem jest taka sama jak w {year - 1} r.")
        else:
            word = "więcej" if diff > 0 else "mniej"
            out.append(f"To o {counted(abs(diff), 'rodzina')} {word} niż w {year - 1} r. ({count(previous['families_supported'])}).")
    if closed < MIN_CLOSURES_FOR_RATE:
        out.append(f"Zakończeń jest {count(closed)}: za mało, by podawać udział zakończeń z osiągnięciem celów jako odsetek.")
    else:
        out.append(f"Cele osiągnięto w {percent(values['families_closed_goals_achieved'] / closed)} zakończeń.")
    return out


def trends(trend: pl.DataFrame, km_median: float | None, km_n: int) -> list[str]:
    """Notebook 03: the change over the years and the median length of cooperation."""
    if trend.height == 0:
        return ["W magazynie nie ma lat z danymi do wybranego roku."]
    first, last = trend.row(0, named=True), trend.row(-1, named=True)
    if trend.height == 1:
        out = [f"Dane obejmują tylko {first['year']} r. ({counted(first['families_supported'], 'rodzina')}): trendu nie ma."]
    else:
        a, b = first["families_supported"], last["families_supported"]
        top = trend.sort("families_supported", descending=True).row(0, named=True)
        how = "wzrosła" if b > a else "spadła" if b < a else "nie zmieniła się"
        out = [f"Liczba rodzin objętych wsparciem {how}: z {count(a)} w {first['year']} r. do {count(b)} w {last['year']} r. "
               f"(najwięcej: {count(top['families_supported'])} w {top['year']} r.)."]
        closed, goals = int(trend["families_closed"].sum()), int(trend["families_closed_goals_achieved"].sum())
        if closed >= MIN_CLOSURES_FOR_RATE:
            out.append(f"W latach {first['year']}–{last['year']} cele osiągnięto w {percent(goals / closed)} zakończeń "
                       f"({count(goals)} z {count(closed)}).")
    if km_n == 0:
        out.append("Nie ma asystentur, by policzyć czas trwania współpracy.")
    elif km_median is None:
        out.append(f"Mediany czasu trwania współpracy nie da się jeszcze podać: mniej niż połowa z {count(km_n)} "
                   f"asystentur się zakończyła.")
    else:
        out.append(f"Połowa asystentur kończy się w ciągu {count(km_median)} dni (mediana Kaplana–Meiera, {count(km_n)} asystentur, "
                   f"z trwającymi jako obserwacjami uciętymi), czyli około {decimal(km_median / 365.25)} roku.")
    return out


def _units(n: int) -> str:
    return f"{count(n)} {form(n, 'jednostka', 'jednostki', 'jednostek')}"


def _value(v: float | None, kind: str) -> str:
    return percent(v) if kind == "percent" else money(v) if kind == "money" else decimal(v)


def _place(r: dict) -> str:
    """`3 z 9`, or the places shared by equal values: `1–9 z 9 ex aequo`."""
    tied = r.get("pozycja_do") and r["pozycja_do"] > r["pozycja"]
    return f"{r['pozycja']}–{r['pozycja_do']} z {r['z']} ex aequo" if tied else f"{r['pozycja']} z {r['z']}"


def units(c: Comparison | None, year: int, peers_hint: str = "peers") -> list[str]:
    """Notebook 05: where the chosen unit stands among its peers, rate by rate (or why there is no comparison)."""
    if c is None:
        return [f"W magazynie nie ma w {year} r. żadnej jednostki: porównania nie ma."]
    if c.loaded_units <= 1:
        return [f"W magazynie jest tylko jedna jednostka ({c.unit}): nie ma z kim jej porównać. Porównanie pokazuje "
                "coś dopiero w magazynie z eksportami wielu ośrodków."]
    if c.families == 0:
        return [f"Jednostka {c.unit} ma wczytane eksporty, ale w {year} r. nie miała żadnej asystentury: nie ma czego porównać."]
    if c.alone:
        return [f"W grupie porównawczej „{c.group}” jednostka {c.unit} jest jedyna spośród "
                f"{count(c.loaded_units)} jednostek w magazynie: nie ma z kim jej porównać. Wybierz szerszą grupę "
                f"({peers_hint} = \"voivodeship\", \"size\" albo \"all\")."]
    n = len(c.members)
    out = [f"Jednostka {c.unit} na tle grupy „{c.group}” ({_units(n)} z nią) w {year} r.:"]
    within, small, missing = [], [], []
    for r in c.table.iter_rows(named=True):
        label, kind = r["miara"], r["rodzaj"]
        mine = _value(r["wartosc"], kind)
        if r["poza_99_8"] or r["poza_95"]:
            level = "99,8%" if r["poza_99_8"] else "95%"
            side = "powyżej" if r["wartosc"] > r["stopa_grupy"] else "poniżej"
            out.append(f"{label[0].upper()}{label[1:]}: {mine} ({count(r['licznik'])} z {count(r['mianownik'])}) — poza "
                       f"granicą kontrolną {level}, {side} łącznej stopy grupy {percent(r['stopa_grupy'])}.")
        elif r["poza_95"] is False:
            within.append(f"{label} ({mine})")
        elif r["pozycja"] and r["mediana"] is not None:
            where = ("powyżej" if r["wartosc"] > r["mediana"] else "poniżej" if r["wartosc"] < r["mediana"] else "na poziomie")
            out.append(f"{label[0].upper()}{label[1:]}: {mine}, {where} mediany grupy {_value(r['mediana'], kind)} "
                       f"(pozycja {_place(r)}, 1 = najwyższa).")
        elif r["ocena"].startswith("za mało"):
            small.append(f"{label} ({r['ocena'].split('(', 1)[-1].rstrip(')')})")
        else:
            missing.append(f"{label} ({r['ocena'].split(':')[0]})")
    if within:
        out.append("W granicach kontrolnych 95% wokół łącznej stopy grupy: " + "; ".join(within) + ".")
    if small:
        out.append(f"Za mało, by porównywać (mianownik poniżej progu), więc bez pozycji i granic: {'; '.join(small)}.")
    if missing:
        out.append("Bez porównania: " + "; ".join(missing) + ".")
    return out
