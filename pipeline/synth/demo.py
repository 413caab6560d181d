"""The demo centre: MOPS Kędzierzyn-Koźle (TERYT 1603011), 2012-2025.

Its 2024 figures are exactly those of the seed annual information; the other
years follow a plausible trend.  Exports come in the mix a real centre sends
over the years: a legacy system's Windows-1250 zips with DD.MM.YYYY dates and
stripped diacritics, Excel workbooks, then UTF-8 folders and zips, a full
snapshot when the system changed, and a correction of an earlier year.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.synth.calibrate import calibrate
from pipeline.synth.exports import ExportSpec, cut, export_tables, known_on, metadata, referenced_closure
from pipeline.synth.truth import UnitPlan, simulate_unit
from pipeline.synth.writer import Dialect, polars_schema, write_export

TERYT = "1603011"
NAME = "MOPS Kędzierzyn-Koźle"
SEED = 20240
YEARS = list(range(2012, 2026))
CALIBRATION_YEAR = 2024
# The seed report's 2024 figures (INDICATORS.md, "The annual information 2024").
SEED_2024 = {
    "assistants": 4,
    "families_supported": 68,
    "children_in_supported_families": 143,
    "families_court_obliged": 22,
    "families_with_children_in_foster_care": 8,
    "families_with_children_returned_home": 2,
    "families_closed": 21,
    "families_closed_goals_achieved": 10,
    "advice_sessions": 3572,
    "consultations": 3440,
    "families_za_zyciem": 1,
}
SEED_EMPLOYMENT = ("umowa o pracę", "zadaniowy")  # forma_zatrudnienia, system_czasu_pracy of 2024's assistants

PLAN = UnitPlan(
    teryt=TERYT,
    name=NAME,
    years=YEARS,
    #          2012 13  14  15  16  17  18  19  20  21  22  23  24  25
    families=[22, 38, 47, 55, 61, 66, 70, 72, 64, 66, 69, 71, 68, 65],
    closures=[0, 7, 12, 15, 18, 19, 22, 24, 17, 19, 20, 22, 21, 19],
    goals=[0, 2, 5, 6, 8, 8, 10, 11, 7, 9, 9, 11, 10, 9],
    assistants=[2, 3, 4, 4, 4, 4, 5, 5, 4, 4, 4, 4, 4, 4],
    first_day=date(2012, 4, 1),
    court_share=[0.05, 0.07, 0.1, 0.12, 0.15, 0.18, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32, 0.33],
    per_act_years=(2012, 2013),
    stable_years=(2024,),
)
HORIZON = date(2026, 1, 15)

LEGACY = Dialect("zip", "windows-1250", "pl", True, ("Tak", "Nie"), True)
EXCEL = Dialect("xlsx")
MODERN_FOLDER = Dialect("folder", "utf-8-sig")
MODERN_ZIP = Dialect("zip", "utf-8")


def _dialect(year: int) -> Dialect:
    if year <= 2014:
        return LEGACY
    if year <= 2017:
        return EXCEL
    return MODERN_FOLDER if year in (2018, 2024) else MODERN_ZIP


# The centre's social projects and group activities (public titles): 2024 is the seed's „Mikołaj w Krainie
# Lodu” (74 children, before Christmas; the seed gives no number of families); the legacy system of 2012-2014
# had no project register.  (title, kind, from, to, children, families)
PROJECTS: tuple[tuple[str, str, str, str, int, int | None], ...] = (
    ("Wakacje z asystentem", "zajęcia grupowe", "2015-07-06", "2015-08-28", 16, 8),
    ("Mikołajki w rodzinie", "projekt socjalny", "2016-12-05", "2016-12-09", 38, 17),
    ("Szkoła dla rodziców", "zajęcia grupowe", "2017-03-01", "2017-06-14", 0, 11),
    ("Rodzinny piknik", "wydarzenie", "2017-06-03", "2017-06-03", 45, 20),
    ("Bezpieczne wakacje", "zajęcia grupowe", "2018-07-02", "2018-07-27", 21, 10),
    ("Świąteczne pierniki", "projekt socjalny", "2018-12-10", "2018-12-14", 41, 18),
    ("Kolorowy Dzień Dziecka", "wydarzenie", "2019-06-01", "2019-06-01", 52, 23),
    ("Zimowe spotkania rodzinne", "zajęcia grupowe", "2019-12-02", "2020-01-31", 18, 9),
    ("Rodzina w plenerze", "wydarzenie", "2021-09-18", "2021-09-18", 33, 15),
    ("Mikołaj w rodzinie", "projekt socjalny", "2022-12-05", "2022-12-16", 58, 25),
    ("Wakacje z asystentem", "zajęcia grupowe", "2023-07-03", "2023-08-25", 24, 11),
    ("Świąteczne warsztaty rodzinne", "projekt socjalny", "2023-12-11", "2023-12-20", 63, 27),
    ("Mikołaj w Krainie Lodu", "projekt socjalny", "2024-12-02", "2024-12-13", 74, None),
    ("Wakacje z asystentem", "zajęcia grupowe", "2025-07-07", "2025-08-29", 22, 10),
    ("Mikołaj na sportowo", "projekt socjalny", "2025-12-01", "2025-12-12", 70, None),
)


def demo_projects() -> pl.DataFrame:
    """The demo's projekty, as the truth holds them (with the unit column)."""
    rows = [{"jednostka": TERYT, "id_projektu": f"K{i:03d}", "nazwa": name, "rodzaj": kind,
             "data_od": date.fromisoformat(start), "data_do": date.fromisoformat(end),
             "liczba_dzieci": children, "liczba_rodzin": families}
            for i, (name, kind, start, end, children, families) in enumerate(PROJECTS, start=1)]
    return pl.DataFrame(rows, schema={"jednostka": pl.String} | polars_schema("projekty"), orient="row")


def _labour_migration(truth: dict[str, pl.DataFrame], families: int = 2) -> pl.DataFrame:
    """The problems with labour migration added in `families` families supported in 2024, which the seed names
    among the families' problems (the simulation happened to give none that year); other tables untouched."""
    problems, episodes = truth["problemy"], truth["asystentury"]
    d0, d1 = date(CALIBRATION_YEAR, 1, 1), date(CALIBRATION_YEAR, 12, 31)
    ongoing = pl.col("data_zakonczenia").is_null() | (pl.col("data_zakonczenia") >= d0)
    active = episodes.filter((pl.col("data_rozpoczecia") <= d1) & ongoing)
    ids = active.sort("id_asystentury")["id_asystentury"].to_list()
    chosen = [ids[i] for i in sorted(np.random.default_rng(SEED + 2).choice(len(ids), size=families, replace=False))]
    n = problems.height
    added = pl.DataFrame({"jednostka": TERYT, "id_problemu": [f"B{n + i + 1:06d}" for i in range(families)],
                          "id_asystentury": chosen, "problem": "migracja zarobkowa"}, schema=problems.schema)
    return pl.concat([problems, added])


def demo_truth() -> dict[str, pl.DataFrame]:
    """The demo unit's true history, calibrated to the seed's 2024 figures, with its projects."""
    truth = simulate_unit(PLAN, SEED, HORIZON)
    figures = SEED_2024 | {"returns_per_family": [1, 1]}
    truth = _seed_employment(calibrate(truth, CALIBRATION_YEAR, figures, SEED + 1))
    return truth | {"problemy": _labour_migration(truth), "projekty": demo_projects()}


def _seed_employment(truth: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The seed's assistants of 2024 all work "na podstawie umowy o pracę w systemie zadaniowego czasu pracy"."""
    d0, d1 = date(CALIBRATION_YEAR, 1, 1), date(CALIBRATION_YEAR, 12, 31)
    staff = truth["asystenci"]
    active = (pl.col("data_zatrudnienia") <= d1) & (pl.col("data_zakonczenia_zatrudnienia").is_null()
                                                    | (pl.col("data_zakonczenia_zatrudnienia") >= d0))
    return truth | {"asystenci": staff.with_columns(
        pl.when(active).then(pl.lit(SEED_EMPLOYMENT[0])).otherwise(pl.col("forma_zatrudnienia")).alias("forma_zatrudnienia"),
        pl.when(active).then(pl.lit(SEED_EMPLOYMENT[1])).otherwise(pl.col("system_czasu_pracy")).alias("system_czasu_pracy"),
    )}


def _spec(year: int) -> ExportSpec:
    start = date(2012, 4, 1) if year == 2012 else date(year, 1, 1)
    return ExportSpec(f"{TERYT}_{year}", start, date(year, 12, 31), date(year + 1, 1, 15))


def write_demo(out: Path) -> list[Path]:
    """Write the demo exports into `out` (replacing what is there); return them in loading order."""
    truth = demo_truth()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.name.startswith(TERYT):
            _remove(old)
    paths: list[Path] = []

    def emit(spec: ExportSpec, tables: dict[str, pl.DataFrame], dialect: Dialect) -> None:
        suffix = {"folder": "", "zip": ".zip", "xlsx": ".xlsx"}[dialect.container]
        paths.append(write_export(out / f"{spec.stem}{suffix}", metadata(TERYT, NAME, spec), tables, dialect))

    for year in YEARS:
        spec = _spec(year)
        tables = cut(truth, spec)
        if _dialect(year) == LEGACY:
            del tables["projekty"]  # the legacy system had no project register (the table is optional)
        if year == 2022:
            tables = _with_mistakes(tables)
        emit(spec, tables, _dialect(year))
        if year == 2018:
            # the centre changed its case-management system: a full snapshot mid-2019
            full = ExportSpec(f"{TERYT}_2019-07-01_pelny", date(2012, 4, 1), date(2019, 6, 30), date(2019, 7, 1), "pełny")
            emit(full, cut(truth, full), MODERN_ZIP)
        if year == 2022:
            emit(*_correction(truth), MODERN_ZIP)
    return paths


def _with_mistakes(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The 2022 export as first sent: two closure reasons and one advice count typed wrongly."""
    t = dict(tables)
    closed = t["asystentury"].filter(pl.col("data_zakonczenia").is_not_null())["id_asystentury"].head(2).to_list()
    t["asystentury"] = t["asystentury"].with_columns(
        pl.when(pl.col("id_asystentury").is_in(closed)).then(pl.lit("inna")).otherwise(pl.col("przyczyna_zakonczenia"))
        .alias("przyczyna_zakonczenia")
    )
    first_advice = t["dzialania"].filter(pl.col("rodzaj") == "porada")["id_dzialania"][0]
    t["dzialania"] = t["dzialania"].with_columns(
        pl.when(pl.col("id_dzialania") == first_advice).then(pl.col("liczba").fill_null(1) + 40).otherwise(pl.col("liczba"))
        .alias("liczba")
    )
    return t


def _correction(truth: dict[str, pl.DataFrame]) -> tuple[ExportSpec, dict[str, pl.DataFrame]]:
    """A correction of 2022 sent in March 2023 with the true versions of the mistaken records."""
    spec = ExportSpec(f"{TERYT}_2022_korekta", date(2022, 1, 1), date(2022, 12, 31), date(2023, 3, 15))
    original = cut(truth, _spec(2022))
    wrong = _with_mistakes(original)
    state = known_on(truth, spec.data_eksportu)
    changed_eps = wrong["asystentury"].join(original["asystentury"], on=list(original["asystentury"].columns), how="anti")
    changed_acts = wrong["dzialania"].join(original["dzialania"], on=list(original["dzialania"].columns), how="anti", nulls_equal=True)
    chosen = {
        "asystentury": state["asystentury"].join(changed_eps.select("id_asystentury"), on="id_asystentury", how="semi"),
        "dzialania": state["dzialania"].join(changed_acts.select("id_dzialania"), on="id_dzialania", how="semi"),
    }
    return spec, export_tables(referenced_closure(state, chosen))


def _remove(path: Path) -> None:
    if path.is_dir():
        for f in path.iterdir():
            f.unlink()
        path.rmdir()
    else:
        path.unlink()


# Gross monthly pay of a full-time assistant (zł), a plausible path for a mid-sized town.
MONTHLY_PAY = {2012: 2900, 2013: 3000, 2014: 3050, 2015: 3100, 2016: 3200, 2017: 3400, 2018: 3650, 2019: 3900,
               2020: 4200, 2021: 4450, 2022: 4900, 2023: 5600, 2024: 6500, 2025: 6900}
EMPLOYER_COST = 1.2048  # social insurance, labour fund and the like on top of gross pay


def funding_rows() -> pl.DataFrame:
    """finansowanie.csv of the demo centre: own funds each year, an EU project in 2013-2014, and the
    government programme "Asystent rodziny": 2023 edition (80 % of Nov-Dec employment costs + up to
    2,000 zł bonus per assistant), 2024 and 2025 editions (30 % of the year's costs + 2,400 zł bonus)."""
    rows = []
    for year, assistants in zip(YEARS, PLAN.assistants, strict=True):
        months = 9 if year == 2012 else 12
        cost = round(assistants * MONTHLY_PAY[year] * months * EMPLOYER_COST + assistants * MONTHLY_PAY[year] * 0.085, 2)
        programme = 0.0
        if year == 2023:
            programme = round(0.8 * cost * 2 / 12 + 2000 * assistants, 2)
        elif year >= 2024:
            programme = round(0.3 * cost + 2400 * assistants, 2)
        other = round(0.25 * cost, 2) if year in (2013, 2014) else 0.0
        bonus = 2000 * assistants if year == 2023 else 2400 * assistants if year >= 2024 else 0
        rows.append((TERYT, year, "środki własne", round(cost + bonus - programme - other, 2), float(assistants)))
        if programme:
            rows.append((TERYT, year, "program Asystent rodziny", programme, float(assistants)))
        if other:
            rows.append((TERYT, year, "inne", other, float(assistants)))
    return pl.DataFrame(rows, schema=["jednostka", "rok", "zrodlo", "kwota", "liczba_asystentow"], orient="row")


def write_funding(path: Path) -> Path:
    """Write the demo's finansowanie.csv (UTF-8, `;`, decimal comma as analysts type it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = funding_rows().with_columns(
        pl.col("kwota").map_elements(lambda v: f"{v:.2f}".replace(".", ","), return_dtype=pl.String),
        pl.col("liczba_asystentow").map_elements(lambda v: f"{v:g}".replace(".", ","), return_dtype=pl.String),
    )
    path.write_text(frame.write_csv(separator=";"), encoding="utf-8")
    return path
