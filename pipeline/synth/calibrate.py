"""Adjust a unit's true history so that one year's indicators equal given figures.

The simulation already fixes the yearly counts of families, closures, goals
and assistants; this step sets the attribute-level figures (court orders,
"Za życiem", children, foster care, returns home, advice and consultations)
exactly, measuring them with the real indicator SQL of the registry.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import polars as pl

from pipeline.contract import TABLES
from pipeline.indicators.registry import compute, explain
from pipeline.warehouse.schema import ddl

Tables = dict[str, pl.DataFrame]
RETURN_HOME = "powrót do rodziny biologicznej"


def measure(truth: Tables, year: int) -> tuple[dict, duckdb.DuckDBPyConnection]:
    """The registry's indicators of the truth (as if every record were loaded)."""
    con = duckdb.connect()
    for statement in ddl():
        con.execute(statement)
    for name, spec in TABLES.items():
        frame = truth[name].select("jednostka", *spec.column_names).with_columns(pl.lit(0, dtype=pl.Int32).alias("load_id"))
        con.register("staged_table", frame.to_arrow())
        con.execute(f"INSERT INTO core.{name} SELECT * FROM staged_table")
        con.unregister("staged_table")
    return compute(con, year), con


def _set_flag(df: pl.DataFrame, ids: list[str], column: str, value: bool, extra: dict | None = None) -> pl.DataFrame:
    hit = pl.col("id_asystentury").is_in(ids)
    exprs = [pl.when(hit).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)]
    for c, e in (extra or {}).items():
        exprs.append(pl.when(hit).then(e).otherwise(pl.col(c)).alias(c))
    return df.with_columns(exprs)


def _year_episodes(truth: Tables, year: int) -> pl.DataFrame:
    d0, d1 = date(year, 1, 1), date(year, 12, 31)
    return truth["asystentury"].filter(
        (pl.col("data_rozpoczecia") <= d1) & (pl.col("data_zakonczenia").is_null() | (pl.col("data_zakonczenia") >= d0))
    ).sort("id_asystentury")


def _court(truth: Tables, year: int, target: int, rng: np.random.Generator) -> None:
    episodes = _year_episodes(truth, year)
    ids = episodes["id_asystentury"].to_list()
    chosen = [ids[i] for i in sorted(rng.choice(len(ids), size=target, replace=False))]
    df = _set_flag(truth["asystentury"], ids, "zobowiazanie_sadu", False, {"data_postanowienia_sadu": pl.lit(None, dtype=pl.Date)})
    truth["asystentury"] = _set_flag(df, chosen, "zobowiazanie_sadu", True,
                                     {"data_postanowienia_sadu": pl.col("data_rozpoczecia").dt.offset_by("-21d")})


def _za_zyciem(truth: Tables, year: int, target: int, rng: np.random.Generator) -> None:
    ids = _year_episodes(truth, year)["id_asystentury"].to_list()
    chosen = [ids[i] for i in sorted(rng.choice(len(ids), size=target, replace=False))]
    df = _set_flag(truth["asystentury"], ids, "za_zyciem", False)
    truth["asystentury"] = _set_flag(df, chosen, "za_zyciem", True)


def _children(truth: Tables, year: int, target: int, rng: np.random.Generator) -> None:
    current = measure(truth, year)[0]["children_in_supported_families"]
    families = _year_episodes(truth, year)["id_rodziny"].unique().sort().to_list()
    kids = truth["dzieci"]
    if current < target:
        add = target - current
        picks = [families[i] for i in rng.choice(len(families), size=add)]
        births = [date(int(rng.integers(2008, 2020)), int(rng.integers(1, 13)), 1) for _ in picks]
        n0 = kids.height
        new = pl.DataFrame({
            "jednostka": kids["jednostka"][0], "id_dziecka": [f"D{n0 + i + 1:05d}" for i in range(add)], "id_rodziny": picks,
            "miesiac_urodzenia": births, "plec": ["K" if rng.random() < 0.5 else "M" for _ in picks],
            "niepelnosprawnosc": [False] * add,
        }, schema=kids.schema)
        truth["dzieci"] = pl.concat([kids, new])
    elif current > target:
        _, con = measure(truth, year)
        counted = explain(con, "children_in_supported_families", year)
        placed = set(truth["piecza"]["id_dziecka"].to_list())
        removable = [c for c in counted["id_dziecka"].to_list() if c not in placed]
        drop = [removable[i] for i in sorted(rng.choice(len(removable), size=current - target, replace=False))]
        truth["dzieci"] = kids.filter(~pl.col("id_dziecka").is_in(drop))


def _foster(truth: Tables, year: int, families_target: int, returns: list[int], rng: np.random.Generator) -> None:
    """Re-draw the placements of the year's families: `families_target` families, returns as listed (children per family)."""
    episodes = _year_episodes(truth, year)
    kids = truth["dzieci"].join(episodes.select("id_rodziny").unique(), on="id_rodziny", how="semi")
    placements = truth["piecza"].filter(
        ~(pl.col("id_dziecka").is_in(kids["id_dziecka"].to_list())
          & (pl.col("data_zakonczenia").is_null() | (pl.col("data_zakonczenia") >= date(year - 3, 1, 1))))
    )
    # families with a whole-year episode and children born before the year before
    whole = episodes.filter((pl.col("data_rozpoczecia") <= date(year - 1, 6, 30))
                            & (pl.col("data_zakonczenia").is_null() | (pl.col("data_zakonczenia") >= date(year, 11, 30))))
    eligible_kids = kids.filter(pl.col("miesiac_urodzenia") <= date(year - 2, 1, 1)).join(
        whole.select("id_rodziny"), on="id_rodziny", how="semi")
    by_family = eligible_kids.group_by("id_rodziny").agg(pl.col("id_dziecka").sort()).sort("id_rodziny")
    by_family = by_family.filter(pl.col("id_dziecka").list.len() >= 1)
    order = rng.permutation(by_family.height)
    rows = []
    n = truth["piecza"].height
    returning = sorted(returns, reverse=True)
    for k, idx in enumerate(order[:families_target]):
        family_kids = by_family["id_dziecka"][int(idx)].to_list()
        takes = returning[k] if k < len(returning) else 1
        takes = min(takes, len(family_kids))
        for cid in family_kids[:takes]:
            n += 1
            placed = date(year - 1, int(rng.integers(1, 13)), int(rng.integers(1, 28)))
            if k < len(returning):
                end, reason = date(year, 4 + 2 * k, 10 + k), RETURN_HOME
            else:
                end, reason = None, None
            rows.append({"jednostka": truth["piecza"]["jednostka"][0] if truth["piecza"].height else kids["jednostka"][0],
                         "id_umieszczenia": f"U{n:05d}", "id_dziecka": cid, "data_umieszczenia": placed,
                         "data_zakonczenia": end, "forma_pieczy": "rodzinna" if rng.random() < 0.7 else "instytucjonalna",
                         "przyczyna_zakonczenia": reason})
    truth["piecza"] = pl.concat([placements, pl.DataFrame(rows, schema=truth["piecza"].schema, orient="row")])


def _activity_sum(truth: Tables, year: int, kind: str, target: int) -> None:
    log = truth["dzialania"]
    in_year = (pl.col("rodzaj") == kind) & (pl.col("data").dt.year() == year)
    current = int(log.filter(in_year).select(pl.col("liczba").fill_null(1).sum()).item())
    diff = target - current
    rows = log.with_row_index("_i").filter(in_year)
    if diff == 0 or rows.height == 0:
        return
    idx = rows["_i"].to_numpy()
    counts = rows["liczba"].fill_null(1).to_numpy().copy()
    step = 1 if diff > 0 else -1
    k = 0
    while diff:
        j = k % len(idx)
        if step > 0 or counts[j] > 1:
            counts[j] += step
            diff -= step
        k += 1
        if k > 100 * len(idx) + abs(target):
            raise ValueError(f"cannot reach {target} {kind} in {year}")
    changed = pl.DataFrame({"_i": idx, "_new": counts}, schema={"_i": pl.UInt32, "_new": pl.Int64})
    truth["dzialania"] = (
        log.with_row_index("_i").join(changed, on="_i", how="left")
        .with_columns(pl.coalesce("_new", "liczba").alias("liczba")).drop("_i", "_new")
    )


def calibrate(truth: Tables, year: int, figures: dict, seed: int) -> Tables:
    """Set court, Za życiem, children, foster care, returns and activity sums of `year` to `figures`."""
    rng = np.random.default_rng(seed)
    truth = dict(truth)
    _court(truth, year, figures["families_court_obliged"], rng)
    _za_zyciem(truth, year, figures["families_za_zyciem"], rng)
    _foster(truth, year, figures["families_with_children_in_foster_care"], figures["returns_per_family"], rng)
    _children(truth, year, figures["children_in_supported_families"], rng)
    _activity_sum(truth, year, "porada", figures["advice_sessions"])
    _activity_sum(truth, year, "konsultacja", figures["consultations"])
    return truth
