"""Funnel plots (altair, the project's theme): each unit's rate against its denominator, the chosen unit
highlighted, the group's pooled rate and the exact binomial 95 % and 99.8 % limits around it."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl

from pipeline.grammar import form
from pipeline.indicators.comparison import BY_KEY, Comparison
from pipeline.indicators.funnel import limit_curve
from pipeline.outputs.charts import HEIGHT, PALETTE, WIDTH, save, theme_config
from pipeline.outputs.formats import percent

DENOMINATOR_LABELS = {
    "families_closed": "rodziny, z którymi zakończono współpracę (mianownik)",
    "families_supported": "rodziny objęte wsparciem (mianownik)",
    "observable_closures": "zakończenia z obserwowanym rokiem po nich (mianownik)",
}
LIMIT_LABELS = {"95": "granice 95%", "99.8": "granice 99,8%"}
FILE_NAMES = {"goals_share": "lejek_osiagniecie_celow", "court_share": "lejek_zobowiazania_sadu",
              "foster_share": "lejek_piecza_zastepcza", "reentry_share": "lejek_powrot_do_asystentury"}


def count_units(n: int) -> str:
    """'1 jednostka', '3 jednostki', '23 jednostki', '25 jednostek'."""
    return f"{n} {form(n, 'jednostka', 'jednostki', 'jednostek')}"


def funnel_chart(comparison: Comparison, key: str) -> alt.LayerChart | None:
    """The funnel plot of one proportion for the comparison's peer group (None when no member has a denominator)."""
    rate = BY_KEY[key]
    row = comparison.table.filter(pl.col("key") == key).row(0, named=True)
    theta = row["stopa_grupy"]
    groups = ["pozostałe w grupie", f"wybrana ({comparison.unit})"]
    pts = comparison.points[key].filter(pl.col("denominator") > 0).with_columns(
        pl.when(pl.col("jednostka") == comparison.unit).then(pl.lit(groups[1])).otherwise(pl.lit(groups[0])).alias("jednostki"))
    if not rate.proportion or theta is None or pts.height == 0:
        return None
    n_max = int(max(pts["denominator"].max() * 1.1, 10))
    curve = pl.DataFrame(limit_curve(theta, n_max))
    lines = pl.concat([
        curve.select("n", pl.col(f"{side}_{level}").alias("granica"), pl.lit(LIMIT_LABELS[level]).alias("poziom"),
                     pl.lit(side).alias("strona"))
        for level in LIMIT_LABELS for side in ("lower", "upper")
    ])
    x = alt.X("denominator:Q", title=DENOMINATOR_LABELS[rate.denominator], scale=alt.Scale(domainMin=0))
    y_axis = alt.Axis(format="%")
    limit_layer = alt.Chart(lines.to_pandas()).mark_line(strokeWidth=1.5).encode(
        x=alt.X("n:Q", title=DENOMINATOR_LABELS[rate.denominator]),
        y=alt.Y("granica:Q", title=rate.label, axis=y_axis, scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("poziom:N", title=None, scale=alt.Scale(domain=list(LIMIT_LABELS.values()),
                                                                range=[PALETTE[0], PALETTE[4]])),
        strokeDash=alt.StrokeDash("poziom:N", title=None, scale=alt.Scale(domain=list(LIMIT_LABELS.values()),
                                                                          range=[[1, 0], [5, 3]])),
        detail="strona:N")
    target = alt.Chart(pl.DataFrame({"stopa": [theta]}).to_pandas()).mark_rule(color="#555555", strokeDash=[2, 2]).encode(
        y="stopa:Q", tooltip=[alt.Tooltip("stopa:Q", title="stopa grupy", format=".1%")])
    tooltip = [alt.Tooltip("jednostka:N", title="jednostka"), alt.Tooltip("numerator:Q", title="licznik", format=",d"),
               alt.Tooltip("denominator:Q", title="mianownik", format=",d"), alt.Tooltip("value:Q", title="wartość", format=".1%")]
    points = alt.Chart(pts.to_pandas()).mark_point(filled=True, opacity=0.85).encode(
        x=x, y=alt.Y("value:Q", axis=y_axis),
        shape=alt.Shape("jednostki:N", title=None, scale=alt.Scale(domain=groups, range=["circle", "square"])),
        fill=alt.Fill("jednostki:N", title=None, scale=alt.Scale(domain=groups, range=["#7f7f7f", PALETTE[5]])),
        size=alt.condition(alt.datum.jednostka == comparison.unit, alt.value(160), alt.value(45)),
        stroke=alt.condition(alt.datum.jednostka == comparison.unit, alt.value("#000000"), alt.value("#7f7f7f")),
        tooltip=tooltip)
    label = alt.Chart(pts.filter(pl.col("jednostka") == comparison.unit).to_pandas()).mark_text(
        align="left", dx=9, dy=-9, fontWeight="bold").encode(x=x, y=alt.Y("value:Q"), text="jednostka:N")
    title = alt.TitleParams(f"{rate.label[0].upper()}{rate.label[1:]} — {comparison.year} r.",
                            subtitle=f"{comparison.group}: {count_units(len(comparison.members))}; linia przerywana: łączna "
                                     f"stopa grupy {percent(theta)}")
    return alt.layer(limit_layer, target, points, label).properties(
        width=WIDTH, height=HEIGHT + 60, title=title).configure(**theme_config())


def funnel_charts(comparison: Comparison) -> dict[str, alt.LayerChart]:
    """Every funnel plot the comparison has (the proportions with a group rate)."""
    charts = {key: funnel_chart(comparison, key) for key in FILE_NAMES}
    return {k: c for k, c in charts.items() if c is not None}


def save_funnels(charts: dict[str, alt.LayerChart], directory: Path,
                 formats: tuple[str, ...] = ("png", "svg", "html")) -> dict[str, list[Path]]:
    """Save funnel plots (from `funnel_charts`) under `directory` (PNG, SVG, offline HTML)."""
    return {key: save(chart, directory / FILE_NAMES[key], formats) for key, chart in charts.items()}
