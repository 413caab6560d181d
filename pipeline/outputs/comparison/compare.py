"""The `compare` command's outputs: where a unit stands among its peers, as a terminal table, an .xlsx
workbook or a self-contained .html page with the funnel plots (their PNG, SVG and HTML files beside it)."""

from __future__ import annotations

import html
from pathlib import Path

import polars as pl

from pipeline.grammar import form
from pipeline.indicators.comparison import RATES, Comparison
from pipeline.outputs import formats
from pipeline.outputs.comparison.funnel import funnel_charts, save_funnels
from pipeline.outputs.spreadsheets import Column, Sheet, write_workbook

PEER_NAMES = {"type": "rodzaj gminy", "voivodeship": "województwo", "size": "wielkość: rodziny objęte wsparciem",
              "all": "wszystkie jednostki"}
NOTES = [
    "Grupa porównawcza z kodu TERYT jednostki (WWPPGGR): województwo, rodzaj gminy (miasta na prawach powiatu osobno) "
    "albo przedział wielkości. Gdy w wybranej grupie nie ma innych jednostek, porównujemy z najbliższą niepustą: "
    "rodzaj gminy, potem wielkość, województwo, wszystkie jednostki.",
    "Kwartyle: pozostałe jednostki grupy z wystarczającym mianownikiem; pozycja: 1 = najwyższa wartość w grupie, "
    "jednostki o równej wartości dzielą miejsca (np. „1–9 z 9 (ex aequo)”, gdy wszystkie mają tę samą).",
    "Średnio rodzin na etat: średnia z dni roku (rodziny / etaty zatrudnionych asystentów); mianownik to średnia "
    "liczba etatów w roku.",
    "Granice kontrolne: dokładne granice dwumianowe 95% i 99,8% wokół łącznej stopy grupy dla mianownika jednostki "
    "(Spiegelhalter 2005); tylko dla odsetków.",
]
CLI_HINT = "spróbuj innej grupy, --peers"
NOTEBOOK_HINT = "zmień parametr peers w pierwszej komórce notatnika"


def title(c: Comparison) -> str:
    """The unit as a reader knows it: its name and, in brackets, its TERYT code."""
    return f"{c.name} ({c.unit})" if c.name else c.unit


def fallback_line(c: Comparison) -> str | None:
    """One line saying which groups were empty and which one the unit is compared with instead (None: no fallback)."""
    if not c.left:
        return None
    groups = [f"w grupie „{group}” ({PEER_NAMES[kind]})" for kind, group in c.left]
    empty = groups[0][0].upper() + groups[0][1:] if len(groups) == 1 else "Ani " + ", ani ".join(groups)
    return (f"{empty} nie ma innych jednostek: porównujemy z najbliższą niepustą grupą, "
            f"„{c.group}” ({PEER_NAMES[c.kind]}).")


def headline(c: Comparison, hint: str = CLI_HINT) -> str:
    """One sentence: the unit, the year, the group, and whether there is anything to compare with (`hint`: how the
    reader picks another group, in the terms of where they read it)."""
    text = f"Jednostka {title(c)}, rok {c.year}; grupa porównawcza ({PEER_NAMES[c.kind]}): {c.group}"
    if c.families == 0:
        return (text + f" — jednostka ma wczytane eksporty, ale w {c.year} r. nie miała żadnej asystentury "
                "(żadnej rodziny objętej wsparciem): nie ma czego porównać.")
    if c.loaded_units <= 1:
        return text + " — w magazynie jest tylko ta jedna jednostka: nie ma z kim porównać."
    if c.alone:
        return text + f" — w grupie nie ma innych jednostek: nie ma z kim porównać ({hint})."
    n = len(c.members)
    return text + f", {n} {form(n, 'jednostka', 'jednostki', 'jednostek')} (z wybraną)."


def lead(c: Comparison, hint: str = CLI_HINT) -> list[str]:
    """The lines above the table: the fallback (when there was one), then the headline."""
    return [line for line in (fallback_line(c), headline(c, hint)) if line]


def _fmt(value: float | None, kind: str) -> str:
    if kind == "percent":
        return formats.percent(value)
    if kind == "money":
        return formats.money(value)
    return formats.decimal(value)


def numerator_kind(rate_kind: str) -> str:
    """The kind of a rate's shown numerator: money for a cost, else a count."""
    return "money" if rate_kind == "money" else "count"


def denominator_kind(key: str) -> str:
    """The kind of a rate's shown denominator: FTE are a decimal, the rest counts."""
    return "decimal" if key == "families_per_fte" else "count"


def _quotient(r: dict) -> str:
    """`3 / 6`, `123 000,00 zł / 18`, `— / 3,5 etatu` (families per FTE: a mean of daily quotients, over FTE)."""
    num = formats.cell(r["licznik"], numerator_kind(r["rodzaj"])) if r["licznik"] is not None else formats.MISSING
    if r["key"] == "families_per_fte":
        den = formats.MISSING if r["mianownik"] is None else f"{formats.decimal(r['mianownik'])} etatu"
    else:
        den = formats.count(r["mianownik"])
    return f"{num} / {den}"


def place(best: int | None, worst: int | None, of: int | None) -> str:
    """`3 z 9`; tied places as `1–9 z 9 (ex aequo)`; — where the unit is not ranked."""
    if not best:
        return formats.MISSING
    if worst and worst > best:
        return f"{best}–{worst} z {of} (ex aequo)"
    return f"{best} z {of}"


def display_frame(c: Comparison) -> pl.DataFrame:
    """The comparison table with values in Polish formats (for people: terminal, page, notebook)."""
    rows = []
    for r in c.table.iter_rows(named=True):
        kind = r["rodzaj"]
        rows.append({
            "miara": r["miara"], "wartosc": _fmt(r["wartosc"], kind), "licznik_mianownik": _quotient(r),
            "q1": _fmt(r["q1"], kind), "mediana": _fmt(r["mediana"], kind), "q3": _fmt(r["q3"], kind),
            "pozycja": place(r["pozycja"], r["pozycja_do"], r["z"]),
            "stopa_grupy": formats.percent(r["stopa_grupy"]),
            "poza_95": formats.yes_no(r["poza_95"]), "poza_99_8": formats.yes_no(r["poza_99_8"]), "ocena": r["ocena"],
        })
    return pl.DataFrame(rows)


DISPLAY_COLUMNS = [
    Column("miara", "miara", "text", 44), Column("wartosc", "jednostka", "text", 14),
    Column("licznik_mianownik", "licznik / mianownik", "text", 16), Column("q1", "grupa: 1. kwartyl", "text", 14),
    Column("mediana", "grupa: mediana", "text", 14), Column("q3", "grupa: 3. kwartyl", "text", 14),
    Column("pozycja", "pozycja (1 = najwyższa)", "text", 14), Column("stopa_grupy", "łączna stopa grupy", "text", 14),
    Column("poza_95", "poza granicą 95%", "text", 10), Column("poza_99_8", "poza granicą 99,8%", "text", 10),
    Column("ocena", "ocena", "text", 60),
]


def number_frame(c: Comparison) -> pl.DataFrame:
    """The comparison table as numbers (for the workbook): each row's kinds beside its values."""
    return c.table.select(
        "miara", "wartosc", "licznik", "mianownik", "mianownik_co", "q1", "mediana", "q3", "pozycja", "pozycja_do", "z",
        "stopa_grupy", "poza_95", "poza_99_8", "ocena", "rodzaj",
        pl.col("rodzaj").map_elements(numerator_kind, return_dtype=pl.String).alias("rodzaj_licznika"),
        pl.col("key").map_elements(denominator_kind, return_dtype=pl.String).alias("rodzaj_mianownika"),
    )


NUMBER_COLUMNS = [
    Column("miara", "miara", "text", 34), Column("wartosc", "jednostka", width=12, kind_by="rodzaj"),
    Column("licznik", "licznik", width=14, kind_by="rodzaj_licznika"),
    Column("mianownik", "mianownik", width=11, kind_by="rodzaj_mianownika"),
    Column("mianownik_co", "mianownik to", "text", 24),
    Column("q1", "grupa: 1. kwartyl", width=12, kind_by="rodzaj"),
    Column("mediana", "grupa: mediana", width=12, kind_by="rodzaj"),
    Column("q3", "grupa: 3. kwartyl", width=12, kind_by="rodzaj"),
    Column("pozycja", "pozycja (1 = najwyższa)", "count", 11), Column("pozycja_do", "ex aequo do pozycji", "count", 11),
    Column("z", "z (jednostek porównywalnych)", "count", 16), Column("stopa_grupy", "łączna stopa grupy", "percent", 11),
    Column("poza_95", "poza granicą 95%", "bool", 9), Column("poza_99_8", "poza granicą 99,8%", "bool", 9),
    Column("ocena", "ocena", "text", 40),
]


def as_text(c: Comparison) -> str:
    """The comparison for a terminal."""
    lines = [*lead(c), ""]
    frame = display_frame(c)
    widths = {col.key: max(len(col.label), *(len(v) for v in frame[col.key].to_list())) for col in DISPLAY_COLUMNS[:8]}
    lines.append("  ".join(col.label.ljust(widths[col.key]) for col in DISPLAY_COLUMNS[:8]))
    for r in frame.iter_rows(named=True):
        lines.append("  ".join(r[col.key].ljust(widths[col.key]) for col in DISPLAY_COLUMNS[:8]))
        lines.append("    " + r["ocena"])
    return "\n".join(lines)


def members_frame(c: Comparison) -> tuple[pl.DataFrame, list[Column]]:
    """Every member of the group with each rate's value (numbers, for analysis)."""
    frame = pl.DataFrame({"jednostka": c.members})
    columns = [Column("jednostka", "jednostka (TERYT)", "text", 12)]
    for rate in RATES:
        vals = c.points[rate.key].select("jednostka", pl.col("shown_denominator").alias(f"{rate.key}_n"),
                                         pl.col("value").alias(rate.key))
        frame = frame.join(vals, on="jednostka", how="left")
        kind = {"percent": "percent", "money": "money"}.get(rate.value_kind, "decimal")
        columns += [Column(rate.key, rate.label, kind, 18),
                    Column(f"{rate.key}_n", f"mianownik: {rate.denominator_label}", denominator_kind(rate.key), 14)]
    frame = frame.with_columns((pl.col("jednostka") == c.unit).alias("wybrana"))
    columns.append(Column("wybrana", "wybrana jednostka", "bool", 10))
    return frame, columns


def write_xlsx(c: Comparison, path: Path) -> Path:
    """The comparison and the group's members as a workbook."""
    members, columns = members_frame(c)
    return write_workbook(path, [
        Sheet("Porównanie", number_frame(c), NUMBER_COLUMNS, [*lead(c), *NOTES]),
        Sheet("Jednostki w grupie", members, columns, lead(c)),
    ])


def write_html(c: Comparison, path: Path) -> list[Path]:
    """A self-contained page (table and inline SVG funnels) and each funnel as PNG, SVG and HTML beside it."""
    import vl_convert as vlc

    from pipeline.outputs.charts import FORMAT_LOCALE, TIME_LOCALE

    path.parent.mkdir(parents=True, exist_ok=True)
    frame = display_frame(c)
    head = "".join(f"<th>{html.escape(col.label)}</th>" for col in DISPLAY_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[col.key]))}</td>" for col in DISPLAY_COLUMNS) + "</tr>"
                   for r in frame.iter_rows(named=True))
    charts = {} if c.alone else funnel_charts(c)
    figures = "".join(
        f"<figure>{vlc.vegalite_to_svg(chart.to_dict(), format_locale=FORMAT_LOCALE, time_format_locale=TIME_LOCALE)}</figure>"
        for chart in charts.values())
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in NOTES)
    page = f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><title>Porównanie: {html.escape(title(c))} — {c.year}</title>
<style>body{{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;max-width:1200px}}
table{{border-collapse:collapse;font-size:13px}}th,td{{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}}
th{{background:#eee}}figure{{margin:1.5em 0}}</style></head><body>
<h1>Gdzie stoi jednostka {html.escape(title(c))} — {c.year} r.</h1>
{"".join(f"<p>{html.escape(line)}</p>" for line in lead(c))}
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<ul>{notes}</ul>
<h2>Wykresy lejkowe</h2>
{figures or "<p>Brak wykresów: nie ma z kim porównać.</p>"}
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    written = [path]
    if not c.alone:
        for files in save_funnels(charts, path.parent / f"{path.stem}_wykresy").values():
            written += files
    return written


def write(c: Comparison, path: Path) -> list[Path]:
    """Write the comparison to .xlsx or .html (by the suffix)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return [write_xlsx(c, path)]
    if suffix in (".html", ".htm"):
        return write_html(c, path)
    raise ValueError("plik wyjściowy musi mieć rozszerzenie .xlsx albo .html")

