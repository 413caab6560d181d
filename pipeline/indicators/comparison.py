"""Where a unit stands among its peers: per comparable rate its value, the peers' quartiles, its rank and
whether it lies outside the funnel limits for its denominator.

Rates of year Y per unit (numerator / denominator):

- goals share: families closed with goals achieved / families closed;
- court share: families obliged by the court / families supported;
- foster share: families with children in foster care / families supported;
- re-entry: observable closures of Y followed within 12 months by a new episode / observable closures;
- families per FTE: the mean over the days of Y of families / FTE employed (a ratio, no funnel limits; shown
  with the mean FTE of Y as its denominator, never the families);
- cost per family: the funding loaded for Y / families supported (a ratio; only where funding is loaded).

The peers are the units of the unit's group (`peers.py`).  Quartiles (linear interpolation) are of the
other comparable peers; the rank is among the comparable members, the unit included, as a range of
places: 1 = the highest value, and units with equal values share their places ("1–9 z 9 ex aequo" when
all nine are equal; `pozycja` is the best of them, as in competition ranking, `pozycja_do` the worst).
A member is comparable when its denominator is at least `min_denominator` (families supported for the
ratios); a smaller one is "too small to compare", never ranked.  The funnel's target is the group's
pooled rate (all numerators / all denominators).

`compare_nearest` falls back from a group in which the unit is alone to the nearest non-empty grouping
(in the order of FALLBACK: gmina type, size, voivodeship, all units) and records the group it left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import duckdb
import numpy as np
import polars as pl

from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.indicators import registry
from pipeline.indicators.funnel import limits
from pipeline.indicators.peers import DEFAULT_SIZE_BANDS, PeerKind, peers_of
from pipeline.sql import query

DEFAULT_MIN_DENOMINATOR = 5


@dataclass(frozen=True)
class Rate:
    """A rate that can be compared between units."""

    key: str
    label: str  # Polish
    numerator: str  # column of the unit table
    denominator: str
    proportion: bool  # a share of its denominator (funnel limits), or a ratio (quartiles and rank only)
    value_kind: str  # percent | decimal | money
    shown_numerator: str | None = None  # what a person sees as the figure's numerator (None: not a quotient of it)
    shown_denominator: str | None = None  # and as its denominator (default: the numerator / denominator columns)
    denominator_label: str = ""  # Polish: what the shown denominator counts

    @property
    def numerator_shown(self) -> str | None:
        return self.numerator if self.shown_numerator is None and self.proportion else self.shown_numerator

    @property
    def denominator_shown(self) -> str:
        return self.shown_denominator or self.denominator


RATES: tuple[Rate, ...] = (
    Rate("goals_share", "udział zakończeń z osiągnięciem celów", "families_closed_goals_achieved", "families_closed",
         True, "percent", denominator_label="rodziny, z którymi zakończono pracę"),
    Rate("court_share", "udział rodzin zobowiązanych przez sąd", "families_court_obliged", "families_supported",
         True, "percent", denominator_label="rodziny objęte wsparciem"),
    Rate("foster_share", "udział rodzin z dziećmi w pieczy zastępczej", "families_with_children_in_foster_care",
         "families_supported", True, "percent", denominator_label="rodziny objęte wsparciem"),
    Rate("reentry_share", "powrót do asystentury w ciągu 12 miesięcy od zakończenia", "reentries", "observable_closures",
         True, "percent", denominator_label="zakończenia, po których minęło 12 miesięcy"),
    Rate("families_per_fte", "średnio rodzin na etat asystenta", "families_per_fte", "families_supported", False, "decimal",
         shown_denominator="mean_fte", denominator_label="etaty asystentów (średnio w roku)"),
    Rate("cost_per_family", "koszt na rodzinę objętą wsparciem", "cost", "families_supported", False, "money",
         shown_numerator="cost", denominator_label="rodziny objęte wsparciem"),
)
BY_KEY = {r.key: r for r in RATES}
UNIT_COLUMNS = ("jednostka", "families_supported", "families_closed", "families_closed_goals_achieved",
                "families_court_obliged", "families_with_children_in_foster_care", "reentries", "observable_closures",
                "families_per_fte", "cost", "mean_fte")
FLOAT_COLUMNS = ("families_per_fte", "cost", "mean_fte")
# the nearest groupings, from the most alike: where the unit is alone in one, the next is tried
FALLBACK: tuple[PeerKind, ...] = ("type", "size", "voivodeship", "all")


def unit_values(con: duckdb.DuckDBPyConnection, year: int, limit: int = DEFAULT_CASELOAD_LIMIT) -> pl.DataFrame:
    """One row per unit with the numerators and denominators of every rate for a year (all units at once)."""
    figures = registry.compute_units(con, year, limit)  # the units whose exports cover a day of the year
    reentry = registry.run_sql(con, registry.measure_sql("reentry"), year, None)
    back = {u: (int(n), int(k)) for u, n, k in
            reentry.group_by("jednostka").agg(pl.len(), pl.col("reentered").sum()).iter_rows()}
    load = registry.run_sql(con, registry.measure_sql("caseload_by_unit"), year, None)
    per_fte = dict(load.select("jednostka", "families_per_fte").iter_rows()) if load.height else {}
    fte = dict(load.select("jednostka", "mean_fte").iter_rows()) if load.height else {}
    money = query(con, "SELECT jednostka, sum(kwota) AS kwota FROM raw.funding WHERE rok = $y GROUP BY 1", {"y": year})
    cost = dict(money.iter_rows()) if money.height else {}
    rows = []
    for u, v in sorted(figures.items()):
        closures, reentries = back.get(u, (0, 0))
        rows.append({
            "jednostka": u, **{k: v[k] for k in UNIT_COLUMNS[1:6]},
            "reentries": reentries, "observable_closures": closures,
            "families_per_fte": per_fte.get(u),
            "cost": float(cost[u]) if cost.get(u) is not None else None,
            "mean_fte": float(fte[u]) if fte.get(u) is not None else None,
        })
    schema = {c: (pl.String if c == "jednostka" else pl.Float64 if c in FLOAT_COLUMNS else pl.Int64)
              for c in UNIT_COLUMNS}
    return pl.DataFrame(rows, schema=schema, orient="row")


def rate_values(units: pl.DataFrame, rate: Rate) -> pl.DataFrame:
    """jednostka, numerator, denominator and the rate's value (None when it has no denominator or no numerator)."""
    num, den = pl.col(rate.numerator).cast(pl.Float64), pl.col(rate.denominator).cast(pl.Float64)
    value = num / den if rate.proportion or rate.key == "cost_per_family" else num
    return units.select(
        "jednostka", num.alias("numerator"), den.alias("denominator"),
        pl.when((den > 0) & num.is_not_null()).then(value).otherwise(None).alias("value"),
    )


def rank_of(value: float, values: Sequence[float]) -> int:
    """1 + the number of values above `value` (1 = the highest; ties share the best rank)."""
    return 1 + sum(1 for v in values if v > value)


def rank_range(value: float, values: Sequence[float]) -> tuple[int, int]:
    """The places `value` shares among `values` (itself included): (best, worst); equal when it has no tie."""
    return rank_of(value, values), sum(1 for v in values if v >= value)


def quartiles(values: Sequence[float]) -> tuple[float, float, float] | None:
    """Q1, median, Q3 with linear interpolation (numpy's default); None for no value."""
    if not values:
        return None
    q1, med, q3 = np.quantile(np.asarray(values, dtype=float), [0.25, 0.5, 0.75])
    return float(q1), float(med), float(q3)


@dataclass(frozen=True)
class Comparison:
    """The comparison of one unit with its peer group for a year."""

    unit: str
    year: int
    kind: PeerKind
    group: str  # Polish label of the peer group
    members: list[str]  # the group, the unit included
    table: pl.DataFrame  # one row per rate (see compare())
    points: dict[str, pl.DataFrame]  # per rate: every member's numerator, denominator, value (for the funnel)
    loaded_units: int = 0  # units in the warehouse for the year
    name: str | None = None  # the unit's name (from its latest export)
    left: tuple[tuple[PeerKind, str], ...] = ()  # the groupings tried before, in which the unit was alone

    @property
    def families(self) -> int:
        """The unit's families supported in the year (0: it has no episode in the year)."""
        found = self.points["court_share"].filter(pl.col("jednostka") == self.unit)["denominator"]
        return int(found[0] or 0) if len(found) else 0

    @property
    def alone(self) -> bool:
        """No other unit in the group: nothing to compare with."""
        return len(self.members) <= 1


def compare_nearest(units: pl.DataFrame, unit: str, year: int, kind: PeerKind = "type",
                    bands: Sequence[int] = DEFAULT_SIZE_BANDS, min_denominator: int = DEFAULT_MIN_DENOMINATOR,
                    name: str | None = None) -> Comparison:
    """compare() in the group `kind`; where the unit is alone there (and other units supported families in the
    year), in the nearest non-empty grouping of FALLBACK after it, with the groupings left recorded."""
    first = compare(units, unit, year, kind, bands, min_denominator, name)
    if not first.alone or first.families == 0 or units.height <= 1:
        return first
    left = [(kind, first.group)]
    for nearer in (k for k in FALLBACK if k != kind):
        found = compare(units, unit, year, nearer, bands, min_denominator, name)
        if not found.alone:
            return replace(found, left=tuple(left))
        left.append((nearer, found.group))
    return first


def compare(units: pl.DataFrame, unit: str, year: int, kind: PeerKind = "type",
            bands: Sequence[int] = DEFAULT_SIZE_BANDS, min_denominator: int = DEFAULT_MIN_DENOMINATOR,
            name: str | None = None) -> Comparison:
    """The unit among its peers for every rate (`units` from unit_values)."""
    families = dict(units.select("jednostka", "families_supported").iter_rows())
    group, members = peers_of(unit, families, kind, bands)
    in_group = units.filter(pl.col("jednostka").is_in(members))
    rows, points = [], {}
    for rate in RATES:
        vals = rate_values(in_group, rate).with_columns(
            in_group[rate.denominator_shown].cast(pl.Float64).alias("shown_denominator"))
        points[rate.key] = vals
        mine = vals.filter(pl.col("jednostka") == unit).row(0, named=True)
        comparable = vals.filter((pl.col("denominator") >= min_denominator) & pl.col("value").is_not_null())
        others = comparable.filter(pl.col("jednostka") != unit)["value"].to_list()
        q = quartiles(others)
        pooled = vals.filter(pl.col("denominator") > 0)
        group_rate = (float(pooled["numerator"].sum() / pooled["denominator"].sum())
                      if rate.proportion and pooled.height and pooled["denominator"].sum() > 0 else None)
        value, den = mine["value"], mine["denominator"]
        status, rank, out95, out998 = _verdict(rate, value, den, others, comparable["value"].to_list(), group_rate,
                                               len(members), min_denominator)
        shown = in_group.filter(pl.col("jednostka") == unit).row(0, named=True)
        top = rank_range(value, comparable["value"].to_list())[1] if rank else None
        rows.append({
            "key": rate.key, "miara": rate.label, "rodzaj": rate.value_kind,
            "licznik": shown[rate.numerator_shown] if rate.numerator_shown else None,
            "mianownik": shown[rate.denominator_shown], "mianownik_co": rate.denominator_label,
            "wartosc": value, "q1": q and q[0], "mediana": q and q[1], "q3": q and q[2],
            "porownywalnych": len(others), "pozycja": rank, "pozycja_do": top, "z": len(comparable) if rank else None,
            "stopa_grupy": group_rate, "poza_95": out95, "poza_99_8": out998, "ocena": status,
        })
    schema = {"licznik": pl.Float64, "mianownik": pl.Float64}
    table = pl.DataFrame(rows, strict=False, infer_schema_length=None).with_columns(
        pl.col(c).cast(t) for c, t in schema.items())
    return Comparison(unit, year, kind, group, members, table, points, units.height, name)


def _verdict(rate: Rate, value: float | None, den: float | None, others: list[float], comparable: list[float],
             group_rate: float | None, n_members: int, min_denominator: int
             ) -> tuple[str, int | None, bool | None, bool | None]:
    """(status in Polish, rank, outside 95 %, outside 99.8 %) of the unit for one rate."""
    if n_members <= 1:
        return "brak innych jednostek w grupie: nie ma z kim porównać", None, None, None
    if value is None:
        missing = "brak danych o finansowaniu" if rate.key == "cost_per_family" else "brak mianownika"
        return f"{missing}: nie porównano", None, None, None
    if den is None or den < min_denominator:
        what = "mianownik" if rate.proportion else "rodzin objętych wsparciem"
        return f"za mało, by porównywać ({what} {int(den or 0)} < {min_denominator})", None, None, None
    rank = rank_of(value, comparable)
    if not others:
        return "brak porównywalnych jednostek w grupie", None, None, None
    if not rate.proportion or group_rate is None:
        return "w porównaniu z kwartylami grupy (bez granic kontrolnych: to nie jest odsetek)", rank, None, None
    out95 = limits(int(den), group_rate, "95").outside(value)
    out998 = limits(int(den), group_rate, "99.8").outside(value)
    if out998:
        side = "powyżej" if value > group_rate else "poniżej"
        status = f"poza granicą 99,8% ({side} stopy grupy)"
    elif out95:
        side = "powyżej" if value > group_rate else "poniżej"
        status = f"poza granicą 95% ({side} stopy grupy)"
    else:
        status = "w granicach kontrolnych"
    return status, rank, out95, out998
