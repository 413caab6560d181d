"""The national preset: about 2,477 units, 2012-2025, calibrated to published totals.

Calibrated years (`PUBLISHED`: ministry figures as FIELD_NOTES.md quotes them): 2012 2,105
assistants, 18,947 families, 693 court-obliged; 2015 3,816 assistants; 2016 3,905 assistants,
43.3k families; 2017 3,976 / 44.7k; 2018 45.4k families, 6.4k court-obliged; 2019 "over 3,900"
assistants, 44,324 families; 2020 "over 3,800" assistants, 41,906 families; 2023 3,748 assistants; 2024
3,862 assistants.  Made-up years (`MADE_UP`, nothing published: invented so that the series moves
as the published years do, a few per cent a year, instead of staying flat after the last published
figure): families 2021-2025, assistants 2021, 2022 and 2025, and the yearly wobble of the chance
that a new episode is court-ordered after 2019 (`COURT_WOBBLE`).  Years that are in neither
(2013-2015 families, 2013-2014 assistants) are interpolated.  Unit sizes are log-normal;
6 % of units employ no assistant.  Units are simulated and written by worker
processes, each unit with its own seed, so the output does not depend on the
number of workers.

Peer groups (gmina types and sizes; made up, for the comparisons to have something to show).  The
2,477 units are split like Poland's gminas (302 urban of which 66 cities with powiat rights, 662
urban-rural, 1,513 rural), here: 61 cities with powiat rights coded R 1 in powiat 61-65, 18
districts of Warsaw (1465GG8), 4 delegatury (R 9) of Łódź, Kraków, Poznań and Wrocław, 219 urban
gminas, 650 urban-rural gminas (R 3) and 12 coded by their town (R 4) or rural area (R 5), and 1,513
rural gminas; voivodeships in proportion to their number of gminas.  The first eight units are one
of each kind (and always employ an assistant), the rest follow in a shuffled order, so even 1/100 of
the preset shows every type.  What differs by type is invented, not measured: the size (families
per unit, relative to an urban-rural gmina: city 6, district/delegatura 4, urban 1.6, rural 0.55),
the share of closures with goals achieved (city 38 %, urban 43 %, urban-rural 46 %, rural 50 %),
the share of families closed each year (30 %, 32 %, 33 %, 35 %), the chance that an episode is
court-ordered (x1.25, x1.1, x1, x0.85 the national ramp) and families per assistant (x1.15, x1.05,
x1, x0.85 the national mean).
"""

from __future__ import annotations

import math
import multiprocessing as mp
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.synth.exports import ExportSpec, cut, metadata
from pipeline.synth.truth import UnitPlan, simulate_unit
from pipeline.synth.writer import Dialect, write_export

Progress = Callable[[int, int], None]
YEARS = list(range(2012, 2026))
N_UNITS = 2477
SHARE_WITH_ASSISTANT = 0.94
HORIZON = date(2026, 1, 15)
# year: (families, assistants, court-obliged families); None = not published
PUBLISHED: dict[int, tuple[int | None, int | None, int | None]] = {
    2012: (18947, 2105, 693), 2013: (None, None, None), 2014: (None, None, None), 2015: (None, 3816, None),
    2016: (43300, 3905, None), 2017: (44700, 3976, None), 2018: (45400, None, 6400), 2019: (44324, 3900, None),
    2020: (41906, 3800, None), 2021: (None, None, None), 2022: (None, None, None), 2023: (None, 3748, None),
    2024: (None, 3862, None), 2025: (None, None, None),
}
# year: (families, assistants) invented where nothing is published (None = published, or interpolated)
MADE_UP: dict[int, tuple[int | None, int | None]] = {
    2021: (40850, 3770), 2022: (41480, 3720), 2023: (40230, None), 2024: (40910, None), 2025: (41650, 3925),
}
# year: factor on the chance that a new episode is court-ordered (invented; 1 before 2020)
COURT_WOBBLE: dict[int, float] = {2020: 0.93, 2021: 1.06, 2022: 0.97, 2023: 1.05, 2024: 0.95, 2025: 1.03}


def _interpolate(column: int) -> list[float]:
    """A yearly series: published, else made up, else interpolated between those."""
    known = {y: v[column] for y, v in PUBLISHED.items() if v[column] is not None}
    known |= {y: v[column] for y, v in MADE_UP.items() if column < len(v) and v[column] is not None and y not in known}
    xs = sorted(known)
    return [float(np.interp(y, xs, [known[x] for x in xs])) for y in YEARS]


def national_targets() -> dict[str, list[float]]:
    """Yearly national totals (published where known, interpolated between)."""
    families = _interpolate(0)
    # the chance that a new episode is court-ordered; a year's share lags it (episodes last 2-3 years),
    # so the ramp is steeper than the published shares (3.7 % in 2012, 14.1 % in 2018)
    court_share = [(0.034 + (0.168 - 0.034) * min(max((y - 2012) / 6, 0), 1.3)) * COURT_WOBBLE.get(y, 1.0) for y in YEARS]
    return {"families": families, "assistants": _interpolate(1), "court_share": court_share}


DEFAULT_DIALECT = Dialect()


@dataclass(frozen=True)
class NationalOptions:
    out: Path
    units: int = N_UNITS
    seed: int = 7
    workers: int = 2
    dialect: Dialect = DEFAULT_DIALECT


SIZE_SIGMA = 0.85


@dataclass(frozen=True)
class GminaKind:
    """A kind of unit by its TERYT code, how many of the 2,477 there are, and its made-up differences."""

    key: str
    digit: str  # R
    count: int
    size: float  # families per unit relative to an urban-rural gmina
    goals: float  # share of closures with goals achieved
    closures: float  # share of the year's families closed
    court: float  # factor on the national chance that an episode is court-ordered
    load: float  # factor on families per assistant


KINDS: tuple[GminaKind, ...] = (
    GminaKind("city", "1", 61, 6.0, 0.38, 0.30, 1.25, 1.15),
    GminaKind("warsaw_district", "8", 18, 4.0, 0.38, 0.30, 1.25, 1.15),
    GminaKind("urban", "1", 219, 1.6, 0.43, 0.32, 1.1, 1.05),
    GminaKind("urban_rural", "3", 650, 1.0, 0.46, 0.33, 1.0, 1.0),
    GminaKind("rural", "2", 1513, 0.55, 0.50, 0.35, 0.85, 0.85),
    GminaKind("urban_rural_town", "4", 8, 1.0, 0.46, 0.33, 1.0, 1.0),
    GminaKind("delegatura", "9", 4, 4.0, 0.38, 0.30, 1.25, 1.15),
    GminaKind("urban_rural_area", "5", 4, 1.0, 0.46, 0.33, 1.0, 1.0),
)
# voivodeship code: number of gminas (2,477 in all)
GMINAS_BY_VOIVODESHIP = {
    "02": 169, "04": 144, "06": 213, "08": 82, "10": 177, "12": 182, "14": 314, "16": 71, "18": 160, "20": 118,
    "22": 123, "24": 167, "26": 102, "28": 116, "30": 226, "32": 113,
}
DELEGATURY = ("1061029", "1261029", "3064029", "0264029")  # Łódź, Kraków, Poznań, Wrocław (their powiat is reserved)


def unit_kinds(seed: int) -> list[GminaKind]:
    """The kind of each of the 2,477 units: one of each kind first, then the rest shuffled."""
    rest = [k for k in KINDS for _ in range(k.count - 1)]
    order = np.random.default_rng([seed, 17]).permutation(len(rest))
    return list(KINDS) + [rest[int(j)] for j in order]


def unit_codes(kinds: list[GminaKind], seed: int) -> list[str]:
    """A unique TERYT-shaped code (WWPPGGR) per unit, by its kind; voivodeships in proportion to their gminas."""
    rng = np.random.default_rng([seed, 18])
    voivodeships = list(GMINAS_BY_VOIVODESHIP)
    weights = np.array(list(GMINAS_BY_VOIVODESHIP.values()), dtype=float)
    drawn = rng.choice(len(voivodeships), size=len(kinds), p=weights / weights.sum())
    used_city = {c[:4] for c in DELEGATURY} | {"1465"}
    gminas: dict[str, int] = {}
    n_district = n_delegatura = 0
    codes = []
    for kind, v in zip(kinds, drawn, strict=True):
        ww = voivodeships[int(v)]
        if kind.key == "warsaw_district":
            n_district += 1
            codes.append(f"1465{n_district + 1:02d}8")
        elif kind.key == "delegatura":
            codes.append(DELEGATURY[n_delegatura])
            n_delegatura += 1
        elif kind.key == "city":
            start = voivodeships.index(ww)
            free = next(f"{w}{pp}" for j in range(len(voivodeships)) for pp in range(61, 66)
                        if f"{(w := voivodeships[(start + j) % len(voivodeships)])}{pp}" not in used_city)
            used_city.add(free)
            codes.append(f"{free}011")
        else:
            k = gminas.get(ww, 0)
            gminas[ww] = k + 1
            codes.append(f"{ww}{1 + k // 20:02d}{1 + k % 20:02d}{kind.digit}")
    return codes


def _fit(shares: np.ndarray, target: float) -> float:
    """The factor c with sum(max(1, round(target * share * c))) closest to target (every unit keeps one assistant)."""
    lo, hi = 0.0, 2.0
    for _ in range(40):
        c = (lo + hi) / 2
        if np.maximum(1, np.round(target * shares * c)).sum() > target:
            hi = c
        else:
            lo = c
    return (lo + hi) / 2


def unit_plans(units: int, seed: int) -> list[UnitPlan]:
    """Yearly targets for the first `units` units; sizes are shares of the full 2,477, so a fraction keeps them."""
    rng = np.random.default_rng(seed)
    t = national_targets()
    active = rng.random(N_UNITS) < SHARE_WITH_ASSISTANT
    raw = rng.lognormal(0.0, SIZE_SIGMA, N_UNITS)
    kinds = unit_kinds(seed)
    codes = unit_codes(kinds, seed)
    active[: len(KINDS)] = True  # one unit of each kind always has an assistant
    size = np.array([k.size for k in kinds])
    load = np.array([k.load for k in kinds])
    share = raw * size / (math.exp(SIZE_SIGMA**2 / 2) * N_UNITS * SHARE_WITH_ASSISTANT * size.mean())
    staff = share / load  # more families per assistant: fewer assistants for the same families
    starts = rng.integers(0, 240, N_UNITS)
    # most centres hired assistants in 2012 (the statute's first year), the rest in the next two years
    first_year = rng.choice([2012, 2013, 2014], size=N_UNITS, p=[0.8, 0.12, 0.08])
    boost = [1 / 0.8, 1 / 0.92] + [1.0] * (len(YEARS) - 2)  # fewer units share the families in 2012-2013
    running = np.array([[active[i] and first_year[i] <= y for y in YEARS] for i in range(N_UNITS)])
    factors = [_fit(staff[running[:, j]] * boost[j], a) for j, a in enumerate(t["assistants"])]
    plans = []
    for i in range(units):
        if not active[i]:
            continue
        kind = kinds[i]
        k = YEARS.index(int(first_year[i]))
        fam = [max(1, round(f * share[i] * b)) for f, b in zip(t["families"][k:], boost[k:], strict=True)]
        ast = [max(1, round(a * staff[i] * b * c)) for a, b, c in zip(t["assistants"][k:], boost[k:], factors[k:], strict=True)]
        closures = [0] + [round(kind.closures * f) for f in fam[1:]]
        plans.append(UnitPlan(
            teryt=codes[i], name=f"Ośrodek {i + 1:04d}", years=YEARS[k:], families=fam, closures=closures,
            goals=[round(kind.goals * c) for c in closures], assistants=ast,
            first_day=date.fromordinal(date(YEARS[k], 1, 1).toordinal() + int(starts[i])),
            court_share=[min(0.9, kind.court * c) for c in t["court_share"][k:]],
        ))
    return plans


def _write_unit(args: tuple[UnitPlan, int, str, Dialect]) -> tuple[str, int]:
    plan, seed, out, dialect = args
    truth = simulate_unit(plan, seed, HORIZON)
    rows = 0
    for year in plan.years:
        start = max(plan.first_day, date(year, 1, 1))
        spec = ExportSpec(f"{plan.teryt}_{year}", start, date(year, 12, 31), date(year + 1, 1, 15))
        tables = cut(truth, spec)
        rows += sum(t.height for t in tables.values())
        suffix = {"folder": "", "zip": ".zip", "xlsx": ".xlsx"}[dialect.container]
        write_export(Path(out) / plan.teryt / f"{spec.stem}{suffix}", metadata(plan.teryt, plan.name, spec), tables, dialect)
    return plan.teryt, rows


def write_national(options: NationalOptions, progress: Progress | None = None) -> int:
    """Generate the preset's exports under out/<teryt>/<teryt>_<year>; return the number of rows written."""
    plans = unit_plans(options.units, options.seed)
    jobs = [(p, options.seed * 100_003 + i, str(options.out), options.dialect) for i, p in enumerate(plans)]
    total = 0
    if options.workers <= 1:
        results = map(_write_unit, jobs)
    else:
        pool = mp.get_context("spawn").Pool(options.workers)
        results = pool.imap_unordered(_write_unit, jobs, chunksize=8)
    for done, (_, rows) in enumerate(results, start=1):
        total += rows
        if progress:
            progress(done, len(jobs))
    if options.workers > 1:
        pool.close()
        pool.join()
    return total


def _unit_truth(args: tuple[UnitPlan, int]) -> dict:
    plan, seed = args
    truth = simulate_unit(plan, seed, HORIZON)
    return {name: truth[name] for name in ("asystenci", "asystentury")}


def national_totals(units: int = N_UNITS, seed: int = 7, workers: int = 2, progress: Progress | None = None) -> pl.DataFrame:
    """Yearly totals of the preset's true history, computed with the indicator registry (no exports written)."""
    import duckdb

    from pipeline.contract import TABLES
    from pipeline.indicators import registry
    from pipeline.warehouse.schema import ddl

    plans = unit_plans(units, seed)
    jobs = [(p, seed * 100_003 + i) for i, p in enumerate(plans)]
    parts: dict[str, list] = {"asystenci": [], "asystentury": []}
    pool = mp.get_context("spawn").Pool(workers) if workers > 1 else None
    results = pool.imap_unordered(_unit_truth, jobs, chunksize=16) if pool else map(_unit_truth, jobs)
    for done, tables in enumerate(results, start=1):
        for name, frame in tables.items():
            parts[name].append(frame)
        if progress:
            progress(done, len(jobs))
    if pool:
        pool.close()
        pool.join()
    con = duckdb.connect()
    for statement in ddl():
        con.execute(statement)
    for name, frames in parts.items():
        frame = pl.concat(frames).select("jednostka", *TABLES[name].column_names).with_columns(pl.lit(0).alias("load_id"))
        con.register("staged_table", frame.to_arrow())
        con.execute(f"INSERT INTO core.{name} SELECT * FROM staged_table")
        con.unregister("staged_table")
    trend = registry.trend(con, YEARS)
    con.close()
    published = {y: v for y, v in PUBLISHED.items()}
    return trend.select("year", "families_supported", "assistants", "families_court_obliged").with_columns(
        pl.col("year").replace_strict({y: v[0] for y, v in published.items()}, return_dtype=pl.Int64).alias("families_published"),
        pl.col("year").replace_strict({y: v[1] for y, v in published.items()}, return_dtype=pl.Int64).alias("assistants_published"),
        pl.col("year").replace_strict({y: v[2] for y, v in published.items()}, return_dtype=pl.Int64).alias("court_published"),
    )
