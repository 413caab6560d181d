# %% [markdown]
# # Trendy wieloletnie
#
# **Na co odpowiada ten notatnik:** jak w kolejnych latach (do wybranego roku włącznie) zmieniała się
# liczba rodzin i dzieci, udział rodzin zobowiązanych przez sąd, piecza zastępcza i powroty dzieci,
# zakończenia według przyczyny i odsetek zakończeń z osiągnięciem celów (z 95% przedziałem ufności Wilsona — liczby
# są małe), obciążenie asystentów na tle limitu, czas trwania współpracy (Kaplan–Meier według kohorty
# rozpoczęcia, z trwającymi asystenturami jako obserwacjami uciętymi) i powroty rodzin do wsparcia
# w ciągu 12 miesięcy, losy rodzin według roku rozpoczęcia (kohorty wejścia), wizyty w domu, posiedzenia
# grup „Niebieskie Karty”, treningi, projekty, najczęstsze problemy rodzin i potrzeby na rok następny
# (rodziny, etaty przy limicie, koszt, trafność metody w latach wcześniejszych).
#
# **Spis treści:** 1. [Rodziny i dzieci](#Rodziny-i-dzieci) · 2. [Piecza zastępcza i powroty dzieci](#Piecza-zastępcza-i-powroty-dzieci) ·
# 3. [Zakończenia i osiągnięcie celów](#Zakończenia-i-osiągnięcie-celów) · 4. [Obciążenie asystentów](#Obciążenie-asystentów) ·
# 5. [Czas trwania współpracy](#Czas-trwania-współpracy) · 6. [Kohorty wejścia](#Kohorty-wejścia) ·
# 7. [Powroty do wsparcia](#Powroty-do-wsparcia) · 8. [Praca z rodzinami i projekty](#Praca-z-rodzinami-i-projekty) ·
# 9. [Problemy rodzin](#Problemy-rodzin) · 10. [Potrzeby na rok następny](#Potrzeby-na-rok-następny) ·
# 11. [Co znaleźliśmy](#Co-znaleźliśmy)

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
import polars as pl

from pipeline.indicators import measures, registry
from pipeline.outputs import charts
from pipeline.outputs.charts import show
from pipeline.outputs.notebooks import findings as notebook_findings
from pipeline.outputs.notebooks import tables as notebook_tables

years = nb.years
trend = registry.trend(con, years, unit, caseload_limit)

# %% [markdown]
# ## Rodziny i dzieci

# %%
if trend.height:
    show(charts.families_and_children(trend), "trend_rodziny_i_dzieci", figures_dir)
    show(charts.court_share(trend), "trend_sad", figures_dir)
year_column = notebook_tables.Column("year", "rok", "year")
table(trend, notebook_tables.indicator_columns(["families_supported", "children_in_supported_families", "families_court_obliged"],
                                               year_column), "Rodziny i dzieci według roku")

# %% [markdown]
# ## Piecza zastępcza i powroty dzieci

# %%
table(trend, notebook_tables.indicator_columns(["families_with_children_in_foster_care", "children_returned_home",
                                                "families_with_children_returned_home"], year_column),
      "Piecza zastępcza i powroty dzieci według roku")

# %% [markdown]
# ## Zakończenia i osiągnięcie celów
# 95% przedział ufności Wilsona: przy kilkunastu zakończeniach rocznie różnice między latami
# rzadko są istotne — wykres pokazuje, jak szeroka jest niepewność.

# %%
if trend.height:
    show(charts.closures_by_reason(trend), "trend_zakonczenia", figures_dir)
    show(charts.goal_rate(trend), "trend_osiagniecie_celow", figures_dir)

# %% [markdown]
# ## Obciążenie asystentów

# %%
load = notebook_tables.caseload_by_year(con, years, unit)
if load.height:
    load_chart = alt.Chart(load.to_pandas()).mark_line(point=True).encode(
        x=alt.X("year:O", title="rok", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("families_per_assistant:Q", title="średnio rodzin na asystenta (dziennie)"),
        tooltip=[alt.Tooltip("year:O", title="rok"), alt.Tooltip("families_per_assistant:Q", title="na asystenta", format=".1f"),
                 alt.Tooltip("families_per_fte:Q", title="na etat", format=".1f")],
    )
    limit_rule = alt.Chart(pl.DataFrame({"limit": [caseload_limit]}).to_pandas()).mark_rule(
        strokeDash=[6, 4], color=charts.PALETTE[5]).encode(y="limit:Q")
    show(alt.layer(load_chart, limit_rule).properties(width=560, height=240, title="Średnie dzienne obciążenie asystenta a limit"),
         "trend_obciazenie", figures_dir)
    show(charts.caseload(trend, caseload_limit), "trend_maks_obciazenie", figures_dir)
table(load, notebook_tables.CASELOAD_COLUMNS, "Obciążenie asystentów według roku")

# %% [markdown]
# ## Czas trwania współpracy
# Kaplan–Meier według kohorty rozpoczęcia (trzyletnie kohorty do wybranego roku).

# %%
first = years[0] if years else year
cohorts = [(a, min(a + 2, year)) for a in range(first, year + 1, 3)]
table(notebook_tables.cohort_durations(con, unit, cohorts), notebook_tables.COHORT_COLUMNS,
      "Czas trwania asystentury według kohorty (— : mniej niż tyle asystentur się zakończyło)")

# %%
durations = measures.episode_durations(con, unit).filter(pl.col("start_year") <= year)
curves = []
for a, b in cohorts:
    part = durations.filter(pl.col("start_year").is_between(a, b))
    if part.height:
        curves.append(measures.kaplan_meier_curve(part).with_columns(pl.lit(f"{a}–{b}").alias("kohorta")))
if curves:
    show(alt.Chart(pl.concat(curves).to_pandas()).mark_line(interpolate="step-after").encode(
        x=alt.X("days:Q", title="dni od rozpoczęcia"), y=alt.Y("still_ongoing:Q", title="odsetek trwających", axis=alt.Axis(format="%")),
        color=alt.Color("kohorta:N", title="rok rozpoczęcia"),
        tooltip=[alt.Tooltip("kohorta:N", title="kohorta"), alt.Tooltip("days:Q", title="dni"),
                 alt.Tooltip("still_ongoing:Q", title="trwające", format=".0%")],
    ).properties(width=560, height=260, title="Czas trwania asystentury (Kaplan–Meier)"), "trend_kaplan_meier", figures_dir)

# %% [markdown]
# ## Kohorty wejścia
# Z rodzin, które rozpoczęły współpracę w danym roku: jaka część zakończyła ją z osiągnięciem celów, a jaka
# z innej przyczyny w ciągu 12, 24 i 36 miesięcy (skumulowana częstość Aalena–Johansena, oba zakończenia jako
# zdarzenia konkurujące, trwające asystentury ucięte na dacie ostatniego eksportu jednostki); dla dzieci
# umieszczonych w pieczy w czasie asystentury — jaka część wróciła do rodziny w ciągu 12 i 24 miesięcy od
# umieszczenia. „W ryzyku” to liczba członków kohorty, którzy po tylu miesiącach nadal są obserwowani bez
# żadnego z tych zdarzeń; „nieobserwowalne” — kohorta jest zbyt świeża, by ją tak długo obserwować (to nie zero).
# Kohorty liczy się dla jednej jednostki (każda ma własną datę ostatniego eksportu).

# %%
from IPython.display import Markdown, display

from pipeline.indicators.cohorts import unit_cohorts
from pipeline.outputs.formats import day

cohort_units = [unit] if unit else notebook_tables.loaded_units(con)
shown_units = cohort_units[:notebook_tables.COHORT_UNITS]
if not unit:
    left = len(cohort_units) - len(shown_units)
    display(Markdown(
        "W magazynie nie ma wczytanej jednostki, więc kohort nie ma." if not cohort_units else
        f"Nie wybrano jednostki (parametr unit), a w magazynie jest tylko jedna: {cohort_units[0]}." if len(cohort_units) == 1 else
        f"Nie wybrano jednostki (parametr unit): kohorty pokazujemy dla każdej z {len(shown_units)} jednostek"
        + (f" (pierwszych według kodu; pozostałych {left} — z parametrem unit albo `python -m pipeline indicators "
           "--cohorts --unit KOD`)." if left else ".")))
cohort_tables = {}
for u in shown_units:
    episodes, censored = unit_cohorts(con, u, "episodes")
    placements, _ = unit_cohorts(con, u, "placements")
    if censored is None:
        display(Markdown(f"Jednostka {u} nie ma wczytanego eksportu: kohort nie ma."))
        continue
    display(Markdown(f"**Jednostka {u}** — trwające ucięte na {day(censored)} (ostatni eksport)."))
    frame, columns = notebook_tables.cohort_table(episodes, "episodes", year)
    display(table(frame, columns, f"Asystentury według roku rozpoczęcia — jednostka {u} (m. = miesięcy od rozpoczęcia)",
                  right=[c.key for c in columns[1:]],
                  empty="Jednostka nie ma asystentur rozpoczętych do wybranego roku."))
    cohort_tables[u] = frame
    frame, columns = notebook_tables.cohort_table(placements, "placements", year)
    display(table(frame, columns, f"Dzieci umieszczone w pieczy w czasie asystentury — jednostka {u} (m. = miesięcy od umieszczenia)",
                  right=[c.key for c in columns[1:]],
                  empty="Nie ma dzieci umieszczonych w pieczy zastępczej w czasie asystentury rodziny."))

# %% [markdown]
# ## Powroty do wsparcia
# Rodziny, z którymi zakończono współpracę, a które w ciągu 12 miesięcy znów ją rozpoczęły
# (tylko zakończenia, po których minęło już 12 miesięcy obserwacji).

# %%
table(notebook_tables.reentry_by_year(con, years, unit), notebook_tables.REENTRY_COLUMNS, "Powroty do wsparcia w ciągu 12 miesięcy")

# %% [markdown]
# ## Praca z rodzinami i projekty
# Z rejestru działań (pusta liczba = 1) i z tabeli projektów: projekt trwający na przełomie lat liczy się
# w roku, w którym się zakończył.

# %%
if trend.height:
    show(charts.home_and_group_work(trend), "trend_wizyty_grupy_treningi", figures_dir)
table(trend, notebook_tables.indicator_columns(notebook_tables.SECTION3_KEYS, year_column),
      "Wizyty w domu, posiedzenia grup diagnostyczno-pomocowych, treningi i projekty według roku")

# %% [markdown]
# ## Problemy rodzin
# Najczęstsze problemy rodzin objętych wsparciem w wybranym roku i ich liczba w kolejnych latach (rodzina
# liczy się przy każdym swoim problemie; „inny” pominięty).

# %%
problems = notebook_tables.problems_by_year(trend)
if problems.height:
    show(charts.leading_problems(problems), "trend_problemy", figures_dir)
frame, columns = notebook_tables.problems_table(problems)
table(frame, columns, "Rodziny według najczęstszych problemów", empty=f"W {year} r. nie zapisano problemów rodzin.")

# %% [markdown]
# ## Potrzeby na rok następny
# Prognoza z danych do 31 grudnia wybranego roku (`python -m pipeline needs`): rodziny w trakcie asystentury
# przechodzą na rok następny i kończą ją według krzywej Kaplana–Meiera z uwzględnieniem czasu, który już trwa;
# nowe rodziny napływają w tempie z ostatnich trzech lat (z trendem tylko wtedy, gdy test go potwierdza);
# przedziały 95% z symulacji 1000 lat ze stałym ziarnem. Etaty potrzebne = szczyt rodzin jednocześnie ÷ limit.
# Trafność: ta sama metoda zastosowana do lat wcześniejszych obok tego, co się wydarzyło.

# %%
from pipeline.outputs.wording import needs_paragraphs

plan = notebook_tables.needs_result(con, year, unit, caseload_limit)
if plan is None:
    display(Markdown(f"Potrzeb na rok {year + 1} nie prognozujemy: wczytane eksporty nie obejmują całego roku {year}."))
else:
    display(Markdown("\n\n".join(needs_paragraphs(plan))))
    plan_months, plan_backtest = notebook_tables.needs_frames(plan)
    if plan_months.height:
        band = alt.Chart(plan_months.to_pandas()).encode(x=alt.X("month:T", title="pierwszy dzień miesiąca"))
        show(alt.layer(
            band.mark_area(opacity=0.25, color=charts.PALETTE[0]).encode(y=alt.Y("low:Q", title="rodziny aktywne"), y2="high:Q"),
            band.mark_line(point=True, color=charts.PALETTE[0]).encode(
                y="expected:Q", tooltip=[alt.Tooltip("month:T", title="dzień", format="%d.%m.%Y"),
                                         alt.Tooltip("expected:Q", title="oczekiwane", format=".1f"),
                                         alt.Tooltip("low:Q", title="od"), alt.Tooltip("high:Q", title="do")]),
        ).properties(width=560, height=240, title=f"Rodziny aktywne w {year + 1} (oczekiwane, przedział 95%)"),
            "potrzeby_miesiace", figures_dir)
    display(table(plan_months, notebook_tables.NEEDS_MONTH_COLUMNS,
                  f"Rodziny aktywne pierwszego dnia miesiąca w {year + 1} i etaty potrzebne",
                  empty=f"Prognozy nie ma: {plan['reason']}."))
    display(table(plan_backtest, notebook_tables.NEEDS_BACKTEST_COLUMNS,
                  "Trafność metody: prognoza z danych do końca roku poprzedniego obok tego, co było",
                  empty="Za mało lat, by sprawdzić metodę na latach wcześniejszych (potrzeba 3 lat historii przed rokiem)."))

# %% [markdown]
# ## Co znaleźliśmy

# %%
km_all = measures.kaplan_meier(durations)
findings(notebook_findings.trends(trend, km_all["median"], km_all["n"]))

# %% tags=["summary"]
record_summary({"years": years, "families_supported": trend["families_supported"].to_list() if trend.height else [],
                "families_closed_goals_achieved": trend["families_closed_goals_achieved"].to_list() if trend.height else [],
                "km_median_days": km_all["median"], "cohort_units": list(cohort_tables),
                "cohorts_not_observable": {u: int((f["goals_12"] == notebook_tables.NOT_OBSERVABLE).sum())
                                           for u, f in cohort_tables.items() if f.height},
                "leading_problems": problems["problem"].unique(maintain_order=True).to_list()})
