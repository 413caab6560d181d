"""Charts of the indicators (altair), one theme, saved offline as PNG, SVG and HTML.

Every chart reads the trend table of the registry (one row per year), so a
chart and the CLI can never disagree.  Labels are Polish, numbers use the
Polish format (3 572; 12,5), the palette is Okabe-Ito (colour-blind safe), and
files are rendered by vl-convert without any network access.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl

from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.grammar import NBSP
from pipeline.indicators.measures import wilson_interval
from pipeline.indicators.registry import CLOSURE_REASONS

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FORMAT_LOCALE = {"decimal": ",", "thousands": NBSP, "grouping": [3], "currency": ["", " zł"]}
TIME_LOCALE = "pl-PL"
FONT = "DejaVu Sans"
WIDTH, HEIGHT = 560, 260
WILSON_INTERVAL = "95% przedział ufności Wilsona"  # the one wording of the interval: charts, the report's captions, notebooks


def theme_config() -> dict:
    """The project's chart configuration (fonts, palette, sizes)."""
    return {
        "font": FONT,
        "range": {"category": PALETTE},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#e6e6e6"},
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "labelLimit": 0},
        "title": {"fontSize": 14, "anchor": "start"},
        "view": {"stroke": None},
    }


def _chart(data: pl.DataFrame) -> alt.Chart:
    return alt.Chart(data.to_pandas()).properties(width=WIDTH, height=HEIGHT).configure(**theme_config())


def _year_axis() -> alt.X:
    return alt.X("year:O", title="rok", axis=alt.Axis(labelAngle=0))


def families_and_children(trend: pl.DataFrame) -> alt.Chart:
    """Families supported and children in them, by year."""
    long = trend.select(
        "year", pl.col("families_supported").alias("rodziny objęte wsparciem"),
        pl.col("children_in_supported_families").alias("dzieci w tych rodzinach"),
    ).unpivot(index="year", variable_name="miara", value_name="liczba")
    return _chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=_year_axis(), y=alt.Y("liczba:Q", title="liczba"),
        color=alt.Color("miara:N", title=None, sort=["rodziny objęte wsparciem", "dzieci w tych rodzinach"]),
        tooltip=[alt.Tooltip("year:O", title="rok"), alt.Tooltip("miara:N"), alt.Tooltip("liczba:Q", format=",d")],
    ).properties(title="Rodziny objęte wsparciem asystenta i dzieci w tych rodzinach")


def closures_by_reason(trend: pl.DataFrame) -> alt.Chart:
    """Families closed by reason, stacked by year."""
    reason_cols = [c for c in trend.columns if c.startswith("closed: ")]
    long = trend.select("year", *reason_cols).unpivot(index="year", variable_name="przyczyna", value_name="rodziny").with_columns(
        pl.col("przyczyna").str.replace("closed: ", "")
    ).filter(pl.col("rodziny") > 0)
    order = [r for r in CLOSURE_REASONS if r in set(long["przyczyna"].to_list())]
    long = long.with_columns(pl.col("przyczyna").replace_strict({r: i for i, r in enumerate(CLOSURE_REASONS)},
                                                                 return_dtype=pl.Int32).alias("kolejnosc"))
    return _chart(long).mark_bar().encode(
        x=_year_axis(), y=alt.Y("rodziny:Q", title="rodziny", stack="zero"),
        color=alt.Color("przyczyna:N", title="przyczyna zakończenia", sort=order,
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)]), legend=alt.Legend(columns=2)),
        order=alt.Order("kolejnosc:Q"),
        tooltip=[alt.Tooltip("year:O", title="rok"), "przyczyna:N", alt.Tooltip("rodziny:Q", format=",d")],
    ).properties(title="Rodziny, z którymi zakończono współpracę, według przyczyny")


def goal_rate(trend: pl.DataFrame) -> alt.Chart:
    """Share of closures with goals achieved, with a 95% Wilson interval (counts are small)."""
    rows = []
    for r in trend.iter_rows(named=True):
        n, k = r["families_closed"], r["families_closed_goals_achieved"]
        lo, hi = wilson_interval(k, n)
        rows.append({"year": r["year"], "udzial": k / n if n else None, "od": lo, "do": hi, "zakonczone": n})
    data = pl.DataFrame(rows).drop_nulls("udzial")
    base = alt.Chart(data.to_pandas()).encode(x=_year_axis())
    band = base.mark_errorbar(ticks=True, color=PALETTE[0]).encode(
        y=alt.Y("od:Q", title="udział zakończeń z osiągnięciem celów", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y2="do:Q")
    points = base.mark_point(filled=True, size=60, color=PALETTE[0]).encode(
        y="udzial:Q",
        tooltip=[alt.Tooltip("year:O", title="rok"), alt.Tooltip("udzial:Q", title="udział", format=".0%"),
                 alt.Tooltip("od:Q", title="95% od", format=".0%"), alt.Tooltip("do:Q", title="95% do", format=".0%"),
                 alt.Tooltip("zakonczone:Q", title="zakończone")])
    return alt.layer(band, points).properties(
        width=WIDTH, height=HEIGHT, title=f"Udział zakończeń z osiągnięciem celów ({WILSON_INTERVAL})"
    ).configure(**theme_config())


def caseload(trend: pl.DataFrame, limit: int = DEFAULT_CASELOAD_LIMIT) -> alt.Chart:
    """The largest caseload of one assistant at once, by year, against the legal limit."""
    data = trend.select("year", "max_caseload", "caseload_breach_days")
    base = alt.Chart(data.to_pandas()).encode(x=_year_axis())
    bars = base.mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("max_caseload:Q", title="rodziny u jednego asystenta"),
        tooltip=[alt.Tooltip("year:O", title="rok"), alt.Tooltip("max_caseload:Q", title="maks. rodzin"),
                 alt.Tooltip("caseload_breach_days:Q", title="dni ponad limit")])
    # the limit is one horizontal line: its chart has no x encoding
    rule = alt.Chart(pl.DataFrame({"limit": [limit]}).to_pandas()).mark_rule(
        color=PALETTE[5], strokeDash=[6, 4], strokeWidth=2).encode(y="limit:Q")
    return alt.layer(bars, rule).properties(
        width=WIDTH, height=HEIGHT, title=f"Największa liczba rodzin u jednego asystenta a limit ustawowy ({limit})"
    ).configure(**theme_config())


def court_share(trend: pl.DataFrame) -> alt.Chart:
    """Share of supported families obliged by the court."""
    data = trend.select("year", (pl.col("families_court_obliged") / pl.col("families_supported")).alias("udzial")).drop_nulls()
    return _chart(data).mark_line(point=True, strokeWidth=2.5, color=PALETTE[2]).encode(
        x=_year_axis(), y=alt.Y("udzial:Q", title="udział rodzin zobowiązanych przez sąd", axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("year:O", title="rok"), alt.Tooltip("udzial:Q", title="udział", format=".1%")],
    ).properties(title="Rodziny zobowiązane przez sąd do współpracy z asystentem")


def activities(trend: pl.DataFrame) -> alt.Chart:
    """Advice sessions and consultations by year."""
    long = trend.select(
        "year", pl.col("advice_sessions").alias("porady"), pl.col("consultations").alias("konsultacje"),
    ).unpivot(index="year", variable_name="rodzaj", value_name="liczba")
    return _chart(long).mark_bar().encode(
        x=_year_axis(), xOffset="rodzaj:N", y=alt.Y("liczba:Q", title="liczba", axis=alt.Axis(format=",d")),
        color=alt.Color("rodzaj:N", title=None),
        tooltip=[alt.Tooltip("year:O", title="rok"), "rodzaj:N", alt.Tooltip("liczba:Q", format=",d")],
    ).properties(title="Porady i konsultacje asystentów rodziny")


def home_and_group_work(trend: pl.DataFrame) -> alt.Chart:
    """Home visits, "Niebieskie Karty" group meetings and skill trainings by year (the rest of section 3)."""
    names = {"home_visits": "wizyty w domu rodziny", "diagnostic_group_meetings": "posiedzenia grup diagnostyczno-pomocowych",
             "skill_trainings": "treningi umiejętności"}
    long = trend.select("year", *(pl.col(k).alias(v) for k, v in names.items())).unpivot(
        index="year", variable_name="rodzaj", value_name="liczba")
    return _chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=_year_axis(), y=alt.Y("liczba:Q", title="liczba", axis=alt.Axis(format=",d")),
        color=alt.Color("rodzaj:N", title=None, sort=list(names.values())),
        tooltip=[alt.Tooltip("year:O", title="rok"), "rodzaj:N", alt.Tooltip("liczba:Q", format=",d")],
    ).properties(title="Wizyty w domu, posiedzenia grup „Niebieskie Karty” i treningi umiejętności")


def leading_problems(long: pl.DataFrame) -> alt.Chart:
    """Families by problem by year, for the problems given (`long`: year, problem, families)."""
    return _chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=_year_axis(), y=alt.Y("families:Q", title="rodziny", axis=alt.Axis(format=",d")),
        color=alt.Color("problem:N", title=None, sort=long["problem"].unique(maintain_order=True).to_list()),
        tooltip=[alt.Tooltip("year:O", title="rok"), alt.Tooltip("problem:N", title="problem"),
                 alt.Tooltip("families:Q", title="rodziny", format=",d")],
    ).properties(title="Najczęstsze problemy rodzin objętych wsparciem")


TREND_CHARTS = {
    "rodziny_i_dzieci": families_and_children,
    "zakonczenia_wg_przyczyny": closures_by_reason,
    "osiagniecie_celow": goal_rate,
    "obciazenie_asystentow": caseload,
    "zobowiazania_sadu": court_share,
    "porady_i_konsultacje": activities,
}


def save(chart: alt.Chart, stem: Path, formats: tuple[str, ...] = ("png", "svg", "html"), titled: bool = True) -> list[Path]:
    """Render a chart offline with Polish number formats; return the files written.  `titled=False`: without its
    title, for a page that prints the chart's caption under it (a title repeated as its caption reads twice)."""
    import vl_convert as vlc

    spec = chart.to_dict()
    if not titled:
        spec.pop("title", None)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        if fmt == "png":
            path.write_bytes(vlc.vegalite_to_png(spec, scale=2, format_locale=FORMAT_LOCALE, time_format_locale=TIME_LOCALE))
        elif fmt == "svg":
            path.write_text(vlc.vegalite_to_svg(spec, format_locale=FORMAT_LOCALE, time_format_locale=TIME_LOCALE), encoding="utf-8")
        else:
            path.write_text(vlc.vegalite_to_html(spec, bundle=True, format_locale=FORMAT_LOCALE, time_format_locale=TIME_LOCALE),
                            encoding="utf-8")
        written.append(path)
    return written


def save_trend_charts(trend: pl.DataFrame, directory: Path, formats: tuple[str, ...] = ("png", "svg", "html")) -> dict[str, list[Path]]:
    """Every trend chart of the project, saved under `directory`."""
    return {name: save(make(trend), directory / name, formats) for name, make in TREND_CHARTS.items()}


def show(chart: alt.Chart, name: str | None = None, figures_dir: str | None = None) -> None:
    """Display a chart (Vega-Lite with Polish number format + PNG fallback); save PNG and SVG when named."""
    import vl_convert as vlc
    from IPython.display import display

    spec = chart.to_dict()
    spec.setdefault("usermeta", {})["embedOptions"] = {"formatLocale": FORMAT_LOCALE, "timeFormatLocale": TIME_LOCALE}
    png = vlc.vegalite_to_png(spec, scale=1.5, format_locale=FORMAT_LOCALE, time_format_locale=TIME_LOCALE)
    display({"application/vnd.vegalite.v5+json": spec, "image/png": png, "text/plain": f"<wykres {name or ''}>"}, raw=True)
    if name and figures_dir:
        save(chart, Path(figures_dir) / name, ("png", "svg"))
