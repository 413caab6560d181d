# %% [markdown]
# # Informacja roczna: liczby do sprawozdania
#
# **Na co odpowiada ten notatnik:** jakie liczby trafią do „Informacji o działaniach asystentów rodziny”
# za wybrany rok, jak zmieniły się względem poprzedniego roku i jak dokładnie każdą z nich zdefiniowano.
# Liczby pochodzą z rejestru wskaźników (`pipeline.indicators.registry`) — tego samego, z którego
# korzysta wiersz poleceń i generator dokumentu.
#
# **Spis treści:** 1. [Wskaźniki roku](#Wskaźniki-roku) · 2. [Zakończenia według przyczyny](#Zakończenia-według-przyczyny) ·
# 3. [Projekty roku](#Projekty-roku) · 4. [Problemy rodzin](#Problemy-rodzin) ·
# 5. [Wykresy do rozdziału](#Wykresy-do-rozdziału) · 6. [Definicje](#Definicje) · 7. [Co znaleźliśmy](#Co-znaleźliśmy)

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
from pipeline.indicators import registry
from pipeline.outputs import charts
from pipeline.outputs.charts import show
from pipeline.outputs.notebooks import findings as notebook_findings
from pipeline.outputs.notebooks import tables as notebook_tables

# %% [markdown]
# ## Wskaźniki roku
# Wybrany rok obok poprzedniego i zmiana (liczbowo i procentowo).

# %%
annual = notebook_tables.annual_table(con, year, unit, caseload_limit)
table(annual, notebook_tables.annual_columns(year), f"Wskaźniki za {year} r.", right=["previous_text", "current_text", "change"])

# %% [markdown]
# ## Zakończenia według przyczyny
# Rodzina, której asystentura zakończyła się z kilku przyczyn, liczy się przy każdej z nich.

# %%
values = registry.compute(con, year, unit, caseload_limit)
table(notebook_tables.closed_by_reason(values), notebook_tables.REASONS_COLUMNS,
      empty=f"W {year} r. nie zakończono współpracy z żadną rodziną.")

# %% [markdown]
# ## Projekty roku
# Projekty socjalne, zajęcia grupowe i wydarzenia zakończone w wybranym roku (te, które liczy wskaźnik
# „zrealizowane projekty”); projekt trwający na przełomie lat należy do roku, w którym się zakończył.

# %%
projects, project_columns = notebook_tables.projects(con, year, unit)
table(projects, project_columns, f"Projekty zakończone w {year} r.", empty=f"W {year} r. nie zakończył się żaden projekt.")

# %% [markdown]
# ## Problemy rodzin
# Rodzina, u której zdiagnozowano kilka problemów, liczy się przy każdym z nich, więc liczby nie sumują się
# do liczby rodzin objętych wsparciem.

# %%
table(notebook_tables.problems(values), notebook_tables.PROBLEM_COLUMNS, f"Rodziny objęte wsparciem w {year} r. według problemów",
      empty=f"W {year} r. nie zapisano problemów rodzin.")

# %% [markdown]
# ## Wykresy do rozdziału

# %%
trend = registry.trend(con, nb.years, unit, caseload_limit)
if trend.height:
    show(charts.families_and_children(trend), "informacja_rodziny_i_dzieci", figures_dir)
    show(charts.closures_by_reason(trend), "informacja_zakonczenia", figures_dir)

# %% [markdown]
# ## Definicje

# %%
table(annual, notebook_tables.DEFINITION_COLUMNS)

# %% [markdown]
# ## Co znaleźliśmy

# %%
previous = notebook_tables.previous_year(con, year, unit, caseload_limit)
findings(notebook_findings.annual(values, previous, year))

# %% tags=["summary"]
record_summary(values)
