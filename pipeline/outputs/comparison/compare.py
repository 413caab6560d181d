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

PEER_NAMES = {"type": "rodzaj gminy", "voivodeship": "województwo", "size": "wielkość (rodziny objęte wsparciem)",
              "all": "wszystkie jednostki"}
NOTES = [
    "Grupa porównawcza z kodu TERYT jednostki (WWPPGGR): województwo, rodzaj gminy (miasta na prawach powiatu osobno) "
    "albo przedział wielkości.",
    "Kwartyle: pozostałe jednostki grupy z wystarczającym mianownikiem; pozycja: 1 = najwyższa wartość w grupie.",
    "Granice kontrolne: dokładne granice dwumianowe 95% i 99,8% wokół łącznej stopy grupy dla mianownika jednostki "
    "(Spiegelhalter 2005); tylko dla odsetków.",
]


def headline(c: Comparison) -> str:
    """One sentence: the unit, the year, the group, and whether there is anything to compare with."""
    text = f"Jednostka {c.unit}, rok {c.year}; grupa porównawcza ({PEER_NAMES[c.kind]}): {c.group}"
    if c.families == 0:
        return (text + f" — jednostka ma wczytane eksporty, ale w {c.year} r. nie miała żadnej asystentury "
                "(żadnej rodziny objętej wsparciem): nie ma czego porównać.")
    if c.loaded_units <= 1:
        return text + " — w magazynie jest tylko ta jedna jednostka: nie ma z kim porównać."
    if c.alone:
        return text + " — w grupie nie ma innych jednostek: nie ma z kim porównać (spróbuj innej grupy, --peers)."
    n = len(c.members)
    return text + f", {n} {form(n, 'jednostka', 'jednostki', 'jednostek')} (z wybraną)."


def _fmt(value: float | None, kind: str) -> str:
    if kind == "percent":
        return formats.percent(value)
    if kind == "money":
        return formats.money(value)
    return formats.decimal(value)


def display_frame(c: Comparison) -> pl.DataFrame:
    """The comparison table with values in Polish formats (for people: terminal, workbook, page)."""
    rows = []
    for r in c.table.iter_rows(named=True):
        kind = r["rodzaj"]
        rows.append({
            "miara": r["miara"], "wartosc": _fmt(r["wartosc"], kind),
            "licznik_mianownik": (f"{formats.count(r['licznik'])} / {formats.count(r['mianownik'])}"
                                  if kind == "percent" else f"— / {formats.count(r['mianownik'])}"),
            "q1": _fmt(r["q1"], kind), "mediana": _fmt(r["mediana"], kind), "q3": _fmt(r["q3"], kind),
            "pozycja": f"{r['pozycja']} z {r['z']}" if r["pozycja"] else formats.MISSING,
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


def as_text(c: Comparison) -> str:
    """The comparison for a terminal."""
    lines = [headline(c), ""]
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
        vals = c.points[rate.key].select("jednostka", pl.col("denominator").alias(f"{rate.key}_n"),
                                         pl.col("value").alias(rate.key))
        frame = frame.join(vals, on="jednostka", how="left")
        kind = {"percent": "percent", "money": "money"}.get(rate.value_kind, "decimal")
        columns += [Column(rate.key, rate.label, kind, 18), Column(f"{rate.key}_n", "mianownik", "decimal", 10)]
    frame = frame.with_columns((pl.col("jednostka") == c.unit).alias("wybrana"))
    columns.append(Column("wybrana", "wybrana jednostka", "bool", 10))
    return frame, columns


def write_xlsx(c: Comparison, path: Path) -> Path:
    """The comparison and the group's members as a workbook."""
    members, columns = members_frame(c)
    return write_workbook(path, [
        Sheet("Porównanie", display_frame(c), DISPLAY_COLUMNS, [headline(c), *NOTES]),
        Sheet("Jednostki w grupie", members, columns, [headline(c)]),
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
<html lang="pl"><head><meta charset="utf-8"><title>Porównanie jednostki {html.escape(c.unit)} — {c.year}</title>
<style>body{{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;max-width:1200px}}
table{{border-collapse:collapse;font-size:13px}}th,td{{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}}
th{{background:#eee}}figure{{margin:1.5em 0}}</style></head><body>
<h1>Gdzie stoi jednostka {html.escape(c.unit)} — {c.year} r.</h1>
<p>{html.escape(headline(c))}</p>
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

