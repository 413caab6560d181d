# %% [markdown]
# # Porównanie jednostek
#
# **Na co odpowiada ten notatnik:** gdy magazyn obejmuje wiele ośrodków — gdzie wybrany ośrodek stoi wśród
# *podobnych* (grupa porównawcza z kodu TERYT: rodzaj gminy, województwo albo wielkość) pod względem odsetka
# zakończeń z osiągnięciem celów, udziału rodzin zobowiązanych przez sąd, rodzin z dziećmi w pieczy zastępczej,
# powrotów do asystentury, rodzin na etat asystenta i kosztu na rodzinę: wartość jednostki, kwartyle i mediana
# grupy, pozycja, a dla odsetków — czy wykracza poza granice kontrolne wykresu lejkowego dla swojego mianownika.
#
# **Spis treści:** 1. [Jednostki](#Jednostki) · 2. [Grupa porównawcza](#Grupa-porównawcza) ·
# 3. [Wykresy lejkowe](#Wykresy-lejkowe) · 4. [Co znaleźliśmy](#Co-znaleźliśmy)

# %% tags=["parameters"]
from pipeline.config import DEFAULT_CASELOAD_LIMIT, default_db

db = str(default_db())  # $ASYSTENCI_DB, else data/warehouse.duckdb in the project (whatever the working folder)
year = None  # None: the latest complete year in the warehouse
unit = None  # a TERYT code, or None: the unit with the most families supported in the year
caseload_limit = DEFAULT_CASELOAD_LIMIT
figures_dir = None  # a folder to save the charts in (PNG and SVG), or None
peers = "type"  # the peer group: "type" (gmina type), "voivodeship", "size" or "all"

# %%
from pipeline.outputs.notebooks.setup import findings, open_notebook, record_summary, table

nb = open_notebook(db, year, unit, caseload_limit, figures_dir)
con, year = nb.con, nb.year
nb.header()

# %%
from IPython.display import Markdown

from pipeline.indicators.comparison import compare_nearest, unit_values
from pipeline.outputs.charts import show
from pipeline.outputs.comparison.compare import DISPLAY_COLUMNS, NOTEBOOK_HINT, NOTES, display_frame, lead, title
from pipeline.outputs.comparison.funnel import FILE_NAMES, funnel_charts
from pipeline.outputs.notebooks import findings as notebook_findings
from pipeline.outputs.notebooks import tables as notebook_tables
from pipeline.warehouse.coverage import unit_names

# %% [markdown]
# ## Jednostki

# %%
values = unit_values(con, year, caseload_limit)
units = notebook_tables.units_table(con, year, caseload_limit)
table(units, notebook_tables.UNIT_COLUMNS, f"Jednostki w {year} r.", empty=f"W {year} r. nie ma danych żadnej jednostki.")

# %% [markdown]
# ## Grupa porównawcza
# Wartość jednostki obok kwartyli pozostałych jednostek grupy (tylko tych z wystarczającym mianownikiem);
# pozycja 1 = najwyższa wartość w grupie. Jednostka z mianownikiem poniżej progu nie jest porównywana.

# %%
chosen = unit or (values.sort(["families_supported", "jednostka"], descending=[True, False])["jednostka"][0]
                  if values.height else None)
names = unit_names(con, chosen) if chosen else []
comparison = (compare_nearest(values, chosen, year, peers, name=names[0] if names else None)
              if chosen in values["jednostka"].to_list() else None)  # alone in its group: the nearest non-empty one
said = []
if comparison is None:
    said.append(f"Jednostki {chosen} nie ma w magazynie w {year} r.: porównania nie ma." if chosen
                else f"W {year} r. w magazynie nie ma żadnej jednostki: porównania nie ma.")
else:
    if not unit and values.height > 1:
        said.append(f"Nie wybrano jednostki (parametr unit): pokazujemy {title(comparison)}, jednostkę z największą "
                    f"liczbą rodzin objętych wsparciem w {year} r.")
    said += lead(comparison, NOTEBOOK_HINT)
Markdown("\n\n".join(said))

# %%
if comparison is not None and not comparison.alone and comparison.families:
    right = ["wartosc", "licznik_mianownik", "q1", "mediana", "q3", "pozycja", "stopa_grupy"]
    shown = table(display_frame(comparison), DISPLAY_COLUMNS, f"Jednostka {title(comparison)} wśród podobnych — {year} r.",
                  right=right)
else:
    shown = Markdown("Tabeli porównania nie ma: nie ma z kim (albo czego) porównać — zob. zdanie wyżej.")
shown

# %% [markdown]
# ## Wykresy lejkowe
# Każdy punkt to jednostka grupy: jej odsetek względem mianownika. Linie to dokładne granice dwumianowe
# 95% i 99,8% wokół łącznej stopy grupy — im mniejszy mianownik, tym szerszy lejek, bo przy małych liczbach
# przypadek znaczy więcej. Wybrana jednostka to duży kwadrat.

# %%
charts = funnel_charts(comparison) if comparison is not None and not comparison.alone and comparison.families else {}
for key, chart in charts.items():
    show(chart, FILE_NAMES[key], figures_dir)
Markdown("\n".join(f"- {n}" for n in NOTES) if charts else "Wykresów lejkowych nie ma: nie ma z kim porównać.")

# %% [markdown]
# ## Co znaleźliśmy

# %%
findings(notebook_findings.units(comparison, year))

# %% tags=["summary"]
record_summary({"units": values.height, "chosen": chosen, "group": comparison.group if comparison else None,
                "members": comparison.members if comparison else [], "funnels": sorted(charts),
                "families": dict(zip(values["jednostka"].to_list(), values["families_supported"].to_list(), strict=True))})
