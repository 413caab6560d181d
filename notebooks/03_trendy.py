# %% [markdown]
# # Trendy wieloletnie
#
# **Na co odpowiada ten notatnik:** jak w kolejnych latach zmieniała się liczba rodzin i dzieci,
# udział rodzin zobowiązanych przez sąd, piecza zastępcza i powroty dzieci, zakończenia według
# przyczyny i odsetek zakończeń z osiągnięciem celów (z przedziałem ufności — liczby są małe),
# obciążenie asystentów na tle limitu, czas trwania współpracy (Kaplan–Meier według kohorty
# rozpoczęcia, z trwającymi asystenturami jako obserwacjami uciętymi) i powroty rodzin do wsparcia
# w ciągu 12 miesięcy.

# %% tags=["parameters"]
db = "data/warehouse.duckdb"
year = 2024
unit = None
figures_dir = None
caseload_limit = 15

# %%
import json

import altair as alt
import polars as pl

from pipeline.indicators import coverage, measures, registry
from pipeline.outputs import charts, notebook_tables
from pipeline.outputs.charts import show, theme_config
from pipeline.warehouse.connection import connect

con = connect(db, read_only=True)
years = [y for y in coverage.data_years(con, unit) if y <= year]
trend = registry.trend(con, years, unit, caseload_limit)
_ = pl.Config.set_tbl_rows(30)

# %%
show(charts.families_and_children(trend), "trend_rodziny_i_dzieci", figures_dir)
show(charts.court_share(trend), "trend_sad", figures_dir)

# %% [markdown]
# ## Piecza zastępcza i powroty dzieci

# %%
foster = trend.select("year", "families_with_children_in_foster_care", "children_returned_home",
                      "families_with_children_returned_home")
foster

# %% [markdown]
# ## Zakończenia i osiągnięcie celów
# Przedział ufności Wilsona (95%): przy kilkunastu zakończeniach rocznie różnice między latami
# rzadko są istotne — wykres pokazuje, jak szeroka jest niepewność.

# %%
show(charts.closures_by_reason(trend), "trend_zakonczenia", figures_dir)
show(charts.goal_rate(trend), "trend_osiagniecie_celow", figures_dir)

# %% [markdown]
# ## Obciążenie asystentów

# %%
load = pl.DataFrame([{"year": y} | measures.caseload(con, y, unit) for y in years])
load_chart = alt.Chart(load.to_pandas()).mark_line(point=True).encode(
    x=alt.X("year:O", title="rok", axis=alt.Axis(labelAngle=0)),
    y=alt.Y("families_per_assistant:Q", title="średnio rodzin na asystenta (dziennie)"),
    tooltip=["year:O", alt.Tooltip("families_per_assistant:Q", format=".1f"), alt.Tooltip("families_per_fte:Q", format=".1f")],
)
limit_rule = alt.Chart(pl.DataFrame({"limit": [caseload_limit]}).to_pandas()).mark_rule(
    strokeDash=[6, 4], color="#D55E00").encode(y="limit:Q")
show(alt.layer(load_chart, limit_rule).properties(width=560, height=240, title="Średnie dzienne obciążenie asystenta a limit")
     .configure(**theme_config()), "trend_obciazenie", figures_dir)
show(charts.caseload(trend, caseload_limit), "trend_maks_obciazenie", figures_dir)

# %% [markdown]
# ## Czas trwania współpracy (Kaplan–Meier)

# %%
first = years[0] if years else year
cohorts = [(a, min(a + 2, year)) for a in range(first, year + 1, 3)]
durations = notebook_tables.cohort_durations(con, unit, cohorts)
durations

# %%
d = measures.episode_durations(con, unit)
curves = []
for a, b in cohorts:
    part = d.filter(pl.col("start_year").is_between(a, b))
    if part.height:
        curves.append(measures.kaplan_meier_curve(part).with_columns(pl.lit(f"{a}-{b}").alias("kohorta")))
if curves:
    show(alt.Chart(pl.concat(curves).to_pandas()).mark_line(interpolate="step-after").encode(
        x=alt.X("days:Q", title="dni od rozpoczęcia"), y=alt.Y("still_ongoing:Q", title="odsetek trwających", axis=alt.Axis(format="%")),
        color=alt.Color("kohorta:N", title="rok rozpoczęcia"),
        tooltip=["kohorta:N", "days:Q", alt.Tooltip("still_ongoing:Q", format=".0%")],
    ).properties(width=560, height=260, title="Czas trwania asystentury (Kaplan–Meier)").configure(**theme_config()),
        "trend_kaplan_meier", figures_dir)

# %% [markdown]
# ## Powroty do wsparcia w ciągu 12 miesięcy

# %%
reentry = notebook_tables.reentry_by_year(con, years, unit)
reentry

# %% [markdown]
# ## Co znaleźliśmy

# %%
km_all = measures.kaplan_meier(d)
first_row, last_row = trend.row(0, named=True), trend.row(-1, named=True)
print(f"Liczba rodzin objętych wsparciem zmieniła się z {first_row['families_supported']} ({first_row['year']}) "
      f"do {last_row['families_supported']} ({last_row['year']}).")
print(f"Mediana czasu trwania współpracy (Kaplan–Meier, wszystkie asystentury): {km_all['median']} dni.")

# %% tags=["summary"]
print(json.dumps({"years": years, "families_supported": trend["families_supported"].to_list(),
                  "families_closed_goals_achieved": trend["families_closed_goals_achieved"].to_list(),
                  "km_median_days": km_all["median"]}))
