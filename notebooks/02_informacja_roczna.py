# %% [markdown]
# # Informacja roczna: liczby do sprawozdania
#
# **Na co odpowiada ten notatnik:** jakie liczby trafią do „Informacji o działaniach asystentów rodziny”
# za wybrany rok, jak zmieniły się względem poprzedniego roku i jak dokładnie każdą z nich zdefiniowano.
# Liczby pochodzą z rejestru wskaźników (`pipeline.indicators.registry`) — tego samego, z którego
# korzysta wiersz poleceń i generator dokumentu.

# %% tags=["parameters"]
db = "data/warehouse.duckdb"
year = 2024
unit = None
figures_dir = None
caseload_limit = 15

# %%
import json

import polars as pl

from pipeline.indicators import coverage, registry
from pipeline.outputs import charts, notebook_tables
from pipeline.outputs.charts import show
from pipeline.warehouse.connection import connect

con = connect(db, read_only=True)
_ = pl.Config.set_tbl_rows(30).set_fmt_str_lengths(120)

# %% [markdown]
# ## Wskaźniki roku i zmiana względem roku poprzedniego

# %%
table = notebook_tables.annual_table(con, year, unit, caseload_limit)
table.select("wskaźnik", str(year - 1), str(year), "zmiana")

# %% [markdown]
# ## Definicje

# %%
table.select("wskaźnik", "definicja")

# %% [markdown]
# ## Zakończenia według przyczyny

# %%
values = registry.compute(con, year, unit, caseload_limit)
pl.DataFrame({"przyczyna": list(values["families_closed_by_reason"]), "rodziny": list(values["families_closed_by_reason"].values())})

# %% [markdown]
# ## Wykresy do rozdziału

# %%
years = [y for y in coverage.data_years(con, unit) if y <= year]
trend = registry.trend(con, years, unit, caseload_limit)
show(charts.families_and_children(trend), "informacja_rodziny_i_dzieci", figures_dir)
show(charts.closures_by_reason(trend), "informacja_zakonczenia", figures_dir)

# %% [markdown]
# ## Co znaleźliśmy

# %%
prev = registry.compute(con, year - 1, unit, caseload_limit)
print(f"W {year} r. asystenci objęli wsparciem {values['families_supported']} rodzin "
      f"({'+' if values['families_supported'] >= prev['families_supported'] else ''}"
      f"{values['families_supported'] - prev['families_supported']} wobec {year - 1} r.); "
      f"zakończono współpracę z {values['families_closed']} rodzinami, w tym {values['families_closed_goals_achieved']} "
      f"z osiągnięciem celów.")

# %% tags=["summary"]
print(json.dumps({k: v for k, v in values.items()}, ensure_ascii=False))
