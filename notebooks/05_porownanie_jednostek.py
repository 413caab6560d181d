# %% [markdown]
# # Porównanie jednostek
#
# **Na co odpowiada ten notatnik:** gdy magazyn obejmuje wiele ośrodków — gdzie wybrany ośrodek
# plasuje się wśród pozostałych (mediana, kwartyle, pozycja) pod względem obciążenia asystentów,
# odsetka zakończeń z osiągnięciem celów, udziału rodzin zobowiązanych przez sąd i kosztu na rodzinę.

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

from pipeline.outputs import notebook_tables
from pipeline.outputs.charts import show, theme_config
from pipeline.warehouse.connection import connect

con = connect(db, read_only=True)
_ = pl.Config.set_tbl_rows(30)

# %%
units = notebook_tables.units_table(con, year, caseload_limit)
chosen = unit or (units["jednostka"][0] if units.height else None)
units

# %% [markdown]
# ## Pozycja wybranej jednostki

# %%
position = notebook_tables.standing(units, chosen) if units.height > 1 else pl.DataFrame()
position if position.height else "W magazynie jest tylko jedna jednostka — porównanie nie ma sensu."

# %%
if units.height > 1:
    show(alt.Chart(units.with_columns((pl.col("jednostka") == chosen).alias("wybrana")).to_pandas()).mark_circle(size=70).encode(
        x=alt.X("rodzin_na_asystenta:Q", title="średnio rodzin na asystenta"),
        y=alt.Y("udzial_celow:Q", title="zakończenia z osiągnięciem celów", axis=alt.Axis(format="%")),
        color=alt.Color("wybrana:N", title="wybrana jednostka"), tooltip=["jednostka:N", "rodziny:Q"],
    ).properties(width=520, height=300, title=f"Jednostki w {year} r.").configure(**theme_config()),
        "porownanie_jednostek", figures_dir)

# %% [markdown]
# ## Co znaleźliśmy

# %%
if position.height:
    row = position.filter(pl.col("miara") == "rodzin_na_asystenta").row(0, named=True)
    print(f"Jednostka {chosen}: {row['ta_jednostka']:.1f} rodzin na asystenta wobec mediany {row['mediana']:.1f} "
          f"(pozycja {row['pozycja']} z {row['z']}).")

# %% tags=["summary"]
print(json.dumps({"units": units.height, "chosen": chosen,
                  "families": dict(zip(units["jednostka"].to_list(), units["rodziny"].to_list(), strict=True))}))
