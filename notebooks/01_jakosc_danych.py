# %% [markdown]
# # Jakość danych: wczytania, odrzucenia i ustalenia
#
# **Na co odpowiada ten notatnik:** które eksporty wczytano, które odrzucono i dlaczego, oraz jakie
# ustalenia (fakty wymagające uwagi, które nie blokują wczytania) pojawiły się w kolejnych latach:
# przekroczony limit rodzin na asystenta, zaległe oceny sytuacji rodziny, brak monitoringu po zakończeniu.
#
# **Spis treści:** 1. [Wczytania](#Wczytania) · 2. [Odrzucone eksporty](#Odrzucone-eksporty) ·
# 3. [Ustalenia według roku](#Ustalenia-według-roku) · 4. [Obciążenie asystentów](#Obciążenie-asystentów) ·
# 5. [Co znaleźliśmy](#Co-znaleźliśmy)
#
# Wszystkie tabele pochodzą z pakietu `pipeline` (`pipeline/outputs/notebook_tables.py`); notatnik niczego nie liczy sam.

# %% tags=["parameters"]
from pipeline.config import DEFAULT_CASELOAD_LIMIT, default_db

db = str(default_db())  # $ASYSTENCI_DB, else data/warehouse.duckdb in the project (whatever the working folder)
year = None  # None: the latest complete year in the warehouse
unit = None  # a TERYT code, or None: all units together
caseload_limit = DEFAULT_CASELOAD_LIMIT
figures_dir = None  # a folder to save the charts in (PNG and SVG), or None

# %%
from pipeline.outputs.notebooks.setup import findings, open_notebook, record_summary, table

nb = open_notebook(db, year, unit, caseload_limit, figures_dir)
con, year = nb.con, nb.year
nb.header()

# %%
import altair as alt

from pipeline.outputs.charts import show
from pipeline.outputs.notebooks import findings as notebook_findings
from pipeline.outputs.notebooks import tables as notebook_tables

# %% [markdown]
# ## Wczytania

# %%
loads = notebook_tables.loads(con)
table(loads, notebook_tables.LOAD_COLUMNS, "Wczytania eksportów (od najstarszego)")

# %% [markdown]
# ## Odrzucone eksporty
# Powody odrzucenia to kody reguł (opis w `docs/rules.md`); raport nie pokazuje wartości z eksportów.

# %%
reasons = notebook_tables.rejection_reasons(con)
table(reasons, notebook_tables.REASON_COLUMNS, empty="Żaden eksport nie został odrzucony.")

# %% [markdown]
# ## Ustalenia według roku

# %%
by_year = notebook_tables.findings_by_year(con)
if by_year.height:
    show(alt.Chart(by_year.to_pandas()).mark_bar().encode(
        x=alt.X("year:O", title="rok eksportu", axis=alt.Axis(labelAngle=0)), y=alt.Y("records:Q", title="rekordy"),
        color=alt.Color("message:N", title="ustalenie", legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)),
        tooltip=[alt.Tooltip("year:O", title="rok"), alt.Tooltip("code:N", title="kod"),
                 alt.Tooltip("message:N", title="ustalenie"), alt.Tooltip("records:Q", title="rekordy")],
    ).properties(width=560, height=240, title="Ustalenia z wczytanych eksportów"), "jakosc_ustalenia", figures_dir)
table(by_year, notebook_tables.FINDING_COLUMNS, empty="Wczytane eksporty nie mają ustaleń.")

# %% [markdown]
# ## Obciążenie asystentów
# Największa liczba rodzin u jednego asystenta naraz w wybranym roku i dni ponad limit ustawowy.

# %%
by_assistant = notebook_tables.caseload_breaches_by_assistant(con, year, unit, caseload_limit)
table(by_assistant, notebook_tables.BREACH_COLUMNS, f"Asystenci w {year} r. (limit: {caseload_limit} rodzin)",
      empty=f"W {year} r. żaden asystent nie miał przydzielonej rodziny.")

# %% [markdown]
# ## Co znaleźliśmy

# %%
findings(notebook_findings.quality(loads, by_year, by_assistant, year, caseload_limit))

# %% tags=["summary"]
record_summary({"loaded": int((loads["outcome"] == "loaded").sum()), "rejected": int((loads["outcome"] == "rejected").sum()),
                "max_caseload": int(by_assistant["max_families"].max() or 0) if by_assistant.height else 0,
                "year": year, "caseload_limit": caseload_limit})
