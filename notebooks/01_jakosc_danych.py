# %% [markdown]
# # Jakość danych: wczytania, odrzucenia i ustalenia
#
# **Na co odpowiada ten notatnik:** które eksporty wczytano, które odrzucono i dlaczego, oraz jakie
# ustalenia (fakty wymagające uwagi, które nie blokują wczytania) pojawiły się w kolejnych latach:
# przekroczony limit rodzin na asystenta, zaległe oceny sytuacji rodziny, brak monitoringu po zakończeniu.
#
# Wszystkie tabele pochodzą z modułu `pipeline.analysis`; notatnik niczego nie liczy sam.

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

# %% [markdown]
# ## Wczytania w czasie

# %%
loads = notebook_tables.loads(con)
loads.select("load_id", "file_name", "jednostka", "data_eksportu", "zakres", "outcome", "findings")

# %% [markdown]
# ## Odrzucone eksporty i powody (kody reguł)

# %%
reasons = notebook_tables.rejection_reasons(con)
reasons if reasons.height else "Żaden eksport nie został odrzucony."

# %% [markdown]
# ## Ustalenia według roku

# %%
findings = notebook_tables.findings_by_year(con)
show(alt.Chart(findings.to_pandas()).mark_bar().encode(
    x=alt.X("year:O", title="rok eksportu", axis=alt.Axis(labelAngle=0)), y=alt.Y("records:Q", title="rekordy"),
    color=alt.Color("message:N", title="ustalenie", legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)),
    tooltip=["year:O", "code:N", "message:N", "records:Q"],
).properties(width=560, height=240, title="Ustalenia z wczytanych eksportów").configure(**theme_config()),
    "jakosc_ustalenia", figures_dir)

# %% [markdown]
# ## Obciążenie asystentów w roku sprawozdawczym

# %%
by_assistant = notebook_tables.caseload_breaches_by_assistant(con, year, unit, caseload_limit)
by_assistant

# %% [markdown]
# ## Co znaleźliśmy

# %%
rejected = int((loads["outcome"] == "rejected").sum())
loaded = int((loads["outcome"] == "loaded").sum())
over = by_assistant.filter(pl.col("days_above_limit") > 0)
print(f"Wczytano {loaded} eksportów, odrzucono {rejected}.")
print(f"Ustaleń łącznie: {int(findings['records'].sum()) if findings.height else 0}.")
print(f"W {year} r. limit {caseload_limit} rodzin przekroczyło {over.height} asystentów "
      f"(największe obciążenie: {int(by_assistant['max_families'].max() or 0) if by_assistant.height else 0} rodzin).")

# %% tags=["summary"]
print(json.dumps({"loaded": loaded, "rejected": rejected,
                  "max_caseload": int(by_assistant["max_families"].max() or 0) if by_assistant.height else 0}))
