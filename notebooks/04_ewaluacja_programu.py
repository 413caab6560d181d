# %% [markdown]
# # Ewaluacja programu „Asystent rodziny”
#
# **Na co odpowiada ten notatnik:** ile kosztowała praca asystentów w kolejnych latach i z jakich
# źródeł, ile wyniósł koszt na rodzinę objętą wsparciem, na zakończenie z osiągnięciem celów i na etat,
# oraz jak wyglądają lata z dofinansowaniem z programu na tle lat bezpośrednio wcześniejszych.
#
# **Zastrzeżenia, które ewaluator musi podać:** nie ma grupy kontrolnej (nie wiemy, co by się stało
# bez programu); liczby rodzin i zakończeń są małe, więc przypadkowe wahania są duże; w tym samym
# czasie zmieniały się inne rzeczy (wynagrodzenia, inflacja, przepisy, skład zespołu). Porównanie
# „przed i po” opisuje różnicę, nie dowodzi, że spowodował ją program.

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
# ## Środki według źródła i roku

# %%
money = notebook_tables.funding(con, unit)
if money.height:
    show(alt.Chart(money.to_pandas()).mark_bar().encode(
        x=alt.X("year:O", title="rok", axis=alt.Axis(labelAngle=0)), y=alt.Y("kwota:Q", title="zł", axis=alt.Axis(format=",d")),
        color=alt.Color("zrodlo:N", title="źródło"), tooltip=["year:O", "zrodlo:N", alt.Tooltip("kwota:Q", format=",.2f")],
    ).properties(width=560, height=260, title="Finansowanie pracy asystentów rodziny").configure(**theme_config()),
        "program_finansowanie", figures_dir)
money

# %% [markdown]
# ## Koszty jednostkowe

# %%
costs = notebook_tables.cost_table(con, unit, caseload_limit)
costs

# %% [markdown]
# ## Lata z programem na tle lat wcześniejszych

# %%
comparison = notebook_tables.before_after(costs, years_before=3) if costs.height else pl.DataFrame()
comparison

# %% [markdown]
# ### Analiza wrażliwości
# Czy wniosek zależy od wyboru okresu porównawczego? Porównujemy z 2, 3 i 5 latami przed programem.

# %%
sensitivity = pl.concat([notebook_tables.before_after(costs, n).with_columns(pl.lit(n).alias("lat_przed")) for n in (2, 3, 5)]) \
    if costs.height and comparison.height else pl.DataFrame()
sensitivity

# %% [markdown]
# ## Tabela do sprawozdania z programu

# %%
if costs.height and figures_dir:
    from pathlib import Path

    out = Path(figures_dir).parent / "ewaluacja_programu.xlsx"
    costs.write_excel(out, worksheet="koszty")
    print(f"zapisano {out}")

# %% [markdown]
# ## Co znaleźliśmy

# %%
found = {}
if costs.height and comparison.height:
    before_row, after_row = comparison.row(0, named=True), comparison.row(1, named=True)
    found = {"cost_per_family_before": before_row["koszt_na_rodzine"], "cost_per_family_with": after_row["koszt_na_rodzine"]}
    print(f"Średni koszt na rodzinę: {before_row['okres']}: {before_row['koszt_na_rodzine']:,.0f} zł; "
          f"{after_row['okres']}: {after_row['koszt_na_rodzine']:,.0f} zł.".replace(",", " "))
    print("Program pokrył część kosztów ośrodka; różnica w koszcie na rodzinę odzwierciedla głównie wzrost wynagrodzeń, "
          "a nie efekt programu (brak grupy kontrolnej).")
else:
    print("Brak danych o finansowaniu (data/reference/finansowanie.csv nie został wczytany).")

# %% tags=["summary"]
print(json.dumps({"years_with_funding": costs["year"].to_list() if costs.height else [],
                  "families_supported": costs["families_supported"].to_list() if costs.height else []} | found))
