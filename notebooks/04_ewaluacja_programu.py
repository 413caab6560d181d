# %% [markdown]
# # Ewaluacja programu „Asystent rodziny”
#
# **Na co odpowiada ten notatnik:** ile kosztowała praca asystentów w kolejnych latach (do wybranego roku
# włącznie) i z jakich źródeł, jaką część kosztu pokrył program, ile wyniósł koszt na rodzinę objętą
# wsparciem, na zakończenie z osiągnięciem celów i na etat asystenta (etaty z `wymiar_etatu`, średnio
# w roku, a nie liczba osób), oraz jak wyglądają lata z dofinansowaniem z programu na tle lat
# bezpośrednio wcześniejszych. Kwoty pochodzą z pliku finansowania (`finansowanie.csv`), rodziny
# i zakończenia z rejestru wskaźników.
#
# **Zastrzeżenia, które ewaluator musi podać:** nie ma grupy kontrolnej (nie wiemy, co by się stało
# bez programu); liczby rodzin i zakończeń są małe, więc przypadkowe wahania są duże; w tym samym
# czasie zmieniały się inne rzeczy (wynagrodzenia, inflacja, przepisy, skład zespołu). Porównanie
# „przed i z programem” opisuje różnicę, nie dowodzi, że spowodował ją program.
#
# **Spis treści:** 1. [Środki według źródła i roku](#Środki-według-źródła-i-roku) · 2. [Koszty jednostkowe](#Koszty-jednostkowe) ·
# 3. [Lata z programem na tle lat wcześniejszych](#Lata-z-programem-na-tle-lat-wcześniejszych) ·
# 4. [Analiza wrażliwości](#Analiza-wrażliwości) · 5. [Tabela do sprawozdania z programu](#Tabela-do-sprawozdania-z-programu) ·
# 6. [Co znaleźliśmy](#Co-znaleźliśmy)

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
from pathlib import Path

import altair as alt

from pipeline.indicators import evaluation as evaluation_figures
from pipeline.outputs.charts import show
from pipeline.outputs.evaluation import report as evaluation

result = evaluation.evaluate(con, year, unit, caseload_limit)
costs = result.costs

# %% [markdown]
# ## Środki według źródła i roku

# %%
money = evaluation_figures.money_by_source(con, year, unit)
if money.height:
    show(alt.Chart(money.to_pandas()).mark_bar().encode(
        x=alt.X("year:O", title="rok", axis=alt.Axis(labelAngle=0)), y=alt.Y("amount:Q", title="zł", axis=alt.Axis(format=",d")),
        color=alt.Color("source:N", title="źródło"),
        tooltip=[alt.Tooltip("year:O", title="rok"), alt.Tooltip("source:N", title="źródło"),
                 alt.Tooltip("amount:Q", title="kwota (zł)", format=",.2f")],
    ).properties(width=560, height=260, title="Finansowanie pracy asystentów rodziny"), "program_finansowanie", figures_dir)
table(costs, evaluation.COST_COLUMNS[:6], f"Środki według źródła (do {year} r.)",
      empty="Brak danych o finansowaniu: plik finansowanie.csv nie został wczytany (python -m pipeline funding ŚCIEŻKA).")

# %% [markdown]
# ## Koszty jednostkowe
# Koszt = wszystkie środki roku. Puste pole (—) oznacza, że wartości nie da się policzyć,
# np. w roku nie było zakończenia z osiągnięciem celów.

# %%
table(costs, [evaluation.COST_COLUMNS[0], *evaluation.COST_COLUMNS[6:]], "Koszty jednostkowe według roku",
      empty="Brak danych o finansowaniu: kosztów jednostkowych nie da się policzyć.")

# %% [markdown]
# ## Lata z programem na tle lat wcześniejszych
# Średnie roczne kwot i liczby rodzin; koszty jednostkowe jako suma kosztów przez sumę rodzin
# (zakończeń, etatów) w okresie. Okres przed programem: do trzech lat bezpośrednio wcześniejszych.

# %%
table(result.periods, evaluation.PERIOD_COLUMNS, "Przed programem i z programem",
      empty="Porównania nie ma: w danych brak roku przed programem albo roku z programem (szczegóły w „Co znaleźliśmy”).")

# %% [markdown]
# ### Analiza wrażliwości
# Czy wniosek zależy od wyboru okresu porównawczego? Porównujemy z 2, 3 i 5 latami przed programem.

# %%
table(result.sensitivity, evaluation.SENSITIVITY_COLUMNS, "Koszt na rodzinę przy różnych okresach przed programem",
      empty="Analizy wrażliwości nie ma: brak porównania „przed i z programem”.")

# %% [markdown]
# ## Tabela do sprawozdania z programu
# Te same tabele w pliku Excel (polskie nagłówki, formaty liczb, puste pole zamiast dzielenia przez zero).

# %%
if not costs.height:
    note = "Bez danych o finansowaniu nie ma tabeli do sprawozdania."
elif figures_dir:
    workbook = evaluation.write_funding_workbook(Path(figures_dir).parent / f"ewaluacja_programu_{year}.xlsx", result)
    note = f"Zapisano plik {workbook.name} (obok tego raportu)."
else:
    note = "Plik Excel zapisuje polecenie python -m pipeline notebooks (obok raportów HTML) albo ustawiony parametr figures_dir."
findings([note])

# %% [markdown]
# ## Co znaleźliśmy

# %%
findings(result.conclusions)

# %% tags=["summary"]
record_summary({"year": year, "years_with_funding": costs["year"].to_list(),
                "families_supported": costs["families_supported"].to_list(), "conclusions": result.conclusions,
                "cost_per_family": costs["cost_per_family"].to_list(), "cost_per_goal": costs["cost_per_goal"].to_list()})
