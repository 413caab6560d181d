# %% [markdown]
# # Porównanie jednostek
#
# **Na co odpowiada ten notatnik:** gdy magazyn obejmuje wiele ośrodków — gdzie wybrany ośrodek
# plasuje się wśród pozostałych (mediana, kwartyle, pozycja) pod względem obciążenia asystentów,
# odsetka zakończeń z osiągnięciem celów, udziału rodzin zobowiązanych przez sąd i kosztu na rodzinę.
#
# **Spis treści:** 1. [Jednostki](#Jednostki) · 2. [Pozycja wybranej jednostki](#Pozycja-wybranej-jednostki) ·
# 3. [Co znaleźliśmy](#Co-znaleźliśmy)

# %% tags=["parameters"]
from pipeline.config import DEFAULT_CASELOAD_LIMIT, default_db

db = str(default_db())  # $ASYSTENCI_DB, else data/warehouse.duckdb in the project (whatever the working folder)
year = None  # None: the latest complete year in the warehouse
unit = None  # a TERYT code, or None: all units together
caseload_limit = DEFAULT_CASELOAD_LIMIT
figures_dir = None  # a folder to save the charts in (PNG and SVG), or None

# %%
from pipeline.outputs.notebook_setup import findings, open_notebook, record_summary, table

nb = open_notebook(db, year, unit, caseload_limit, figures_dir)
con, year = nb.con, nb.year
nb.header()

# %%
import altair as alt
import polars as pl

from pipeline.outputs import notebook_findings, notebook_tables
from pipeline.outputs.charts import show

# %% [markdown]
# ## Jednostki

# %%
units = notebook_tables.units_table(con, year, caseload_limit)
chosen = unit or (units["jednostka"][0] if units.height else None)
table(units, notebook_tables.UNIT_COLUMNS, f"Jednostki w {year} r.", empty=f"W {year} r. nie ma danych żadnej jednostki.")

# %% [markdown]
# ## Pozycja wybranej jednostki

# %%
position = notebook_tables.standing(units, chosen) if units.height > 1 else pl.DataFrame()
table(position, notebook_tables.STANDING_COLUMNS, f"Jednostka {chosen} na tle pozostałych",
      empty="W magazynie jest tylko jedna jednostka — porównania nie ma.",
      right=["ta_jednostka_text", "q1_text", "mediana_text", "q3_text"])

# %%
if units.height > 1:
    show(alt.Chart(units.with_columns((pl.col("jednostka") == chosen).replace_strict({True: "tak", False: "nie"}).alias("wybrana"))
                   .to_pandas()).mark_circle(size=70).encode(
        x=alt.X("rodzin_na_asystenta:Q", title="średnio rodzin na asystenta"),
        y=alt.Y("udzial_celow:Q", title="zakończenia z osiągnięciem celów", axis=alt.Axis(format="%")),
        color=alt.Color("wybrana:N", title="wybrana jednostka"),
        tooltip=[alt.Tooltip("jednostka:N", title="jednostka"), alt.Tooltip("rodziny:Q", title="rodziny")],
    ).properties(width=520, height=300, title=f"Jednostki w {year} r."), "porownanie_jednostek", figures_dir)

# %% [markdown]
# ## Co znaleźliśmy

# %%
findings(notebook_findings.units(units, position, chosen, year))

# %% tags=["summary"]
record_summary({"units": units.height, "chosen": chosen,
                "families": dict(zip(units["jednostka"].to_list(), units["rodziny"].to_list(), strict=True)) if units.height else {}})
