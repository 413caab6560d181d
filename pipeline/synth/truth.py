"""Generate the true history of units (what really happened), deterministically.

A unit is driven by yearly targets (families supported, closures, goals
achieved, assistants); episodes, assignments, children, placements,
assessments and the work log follow from them with realistic dynamics.
The per-unit loop handles only episodes and assignments (tens a year per
unit); everything with many rows is generated vectorised with numpy/polars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from pipeline.contract import TABLES
from pipeline.synth.writer import polars_schema

GOALS = "osiągnięcie celów"
# Closure reasons other than goals, with their relative weights.
OTHER_REASONS = {
    "brak współpracy rodziny": 0.38, "brak efektów": 0.14, "zmiana metody pracy": 0.08,
    "zmiana miejsca zamieszkania": 0.18, "umieszczenie dzieci w pieczy zastępczej": 0.1, "inna": 0.12,
}
# Monthly rates of work-log acts per family, from the seed (3 572 advice sessions and 3 440
# consultations for 68 families in 2024): about 100 advice and consultation acts a family-year.
ACTIVITY_RATES = {
    "porada": 5.6, "konsultacja": 5.4, "wizyta w domu rodziny": 1.0, "trening umiejętności": 0.4,
    "posiedzenie grupy diagnostyczno-pomocowej": 0.1, "inne": 0.2,
}
PROBLEMS = TABLES["problemy"].column("problem").values
FAMILY_TYPES = ("pełna", "niepełna", "zrekonstruowana", "inna")


@dataclass
class UnitPlan:
    """Yearly targets of one unit; every list is indexed like `years`."""

    teryt: str
    name: str
    years: list[int]
    families: list[int]
    closures: list[int]
    goals: list[int]
    assistants: list[int]
    first_day: date
    court_share: list[float] = field(default_factory=list)
    per_act_years: tuple[int, ...] = ()  # years whose work log has one row per act (liczba empty)
    stable_years: tuple[int, ...] = ()  # years without assistant turnover (kept exact for calibration)


def _day(d: date) -> int:
    return d.toordinal()


def _date(n: int) -> date:
    return date.fromordinal(int(n))


@dataclass
class _Episode:
    id: str
    family: str
    start: int
    end: int | None = None
    reason: str | None = None
    segments: list[list] = field(default_factory=list)  # [slot, from, to|None]


class _Unit:
    """Episode and assignment simulation of one unit."""

    def __init__(self, plan: UnitPlan, rng: np.random.Generator, horizon: date):
        self.plan, self.rng, self.horizon = plan, rng, _day(horizon)
        self.episodes: list[_Episode] = []
        self.live: list[_Episode] = []  # episodes not ended before the current year
        self.families: list[str] = []
        self.closed_families: dict[str, int] = {}  # family -> end day of its last episode
        self.slots: list[list[list]] = []  # slot -> [[assistant id, from, to|None]]
        self.n_assistants = 0

    # -- assistants -----------------------------------------------------------------
    def _hire(self, slot: int, day: int) -> None:
        self.n_assistants += 1
        self.slots[slot].append([f"A{self.n_assistants:03d}", day, None])

    def _staff(self, year_index: int, y: int) -> None:
        want = self.plan.assistants[year_index]
        first = max(_day(date(y, 1, 1)), _day(self.plan.first_day))
        open_slots = [s for s, holders in enumerate(self.slots) if holders[-1][2] is None]
        while len(open_slots) > want:  # close a slot at the end of the previous year
            s = open_slots.pop()
            self.slots[s][-1][2] = first - 1
            self._reassign_slot(s, first)
        for s in open_slots:  # turnover: someone leaves at the year end, a new assistant starts
            if y != self.plan.years[0] and y not in self.plan.stable_years and self.rng.random() < 0.07:
                self.slots[s][-1][2] = first - 1
                self._hire(s, first)
        while len(open_slots) < want:
            self.slots.append([])
            self._hire(len(self.slots) - 1, first)
            open_slots.append(len(self.slots) - 1)

    def _open_slots(self) -> list[int]:
        return [s for s, holders in enumerate(self.slots) if holders[-1][2] is None]

    def _load(self, day: int) -> dict[int, int]:
        load = dict.fromkeys(self._open_slots(), 0)
        for e in self.live:
            if e.start <= day and (e.end is None or e.end >= day):
                slot = e.segments[-1][0]
                if slot in load and (e.segments[-1][2] is None or e.segments[-1][2] >= day):
                    load[slot] += 1
        return load

    def _reassign_slot(self, slot: int, day: int) -> None:
        for e in self.live:
            if e.segments and e.segments[-1][0] == slot and e.segments[-1][2] is None and (e.end is None or e.end >= day):
                e.segments[-1][2] = day - 1
                load = self._load(day)
                load.pop(slot, None)
                target = min(load, key=lambda s: (load[s], s))
                e.segments.append([target, day, None])

    # -- episodes ---------------------------------------------------------------------
    def _new_family(self, year_start: int) -> str:
        # a family comes back only in a later year than its last closure (one episode a year at most)
        eligible = [f for f, end in self.closed_families.items() if end < year_start - 120]
        if eligible and self.rng.random() < 0.1:
            f = eligible[int(self.rng.integers(len(eligible)))]
            del self.closed_families[f]
            return f
        f = f"R{len(self.families) + 1:05d}"
        self.families.append(f)
        return f

    def simulate(self) -> None:
        for i, y in enumerate(self.plan.years):
            y0, y1 = _day(date(y, 1, 1)), min(_day(date(y, 12, 31)), self.horizon)
            self.live = [e for e in self.live if e.end is None or e.end >= y0]
            self._staff(i, y)
            first = max(y0, _day(self.plan.first_day))
            active = [e for e in self.episodes if e.end is None]
            n_new = max(self.plan.families[i] - len(active), 0)
            starts = np.sort(self.rng.integers(first, max(first + 1, y1 - 20), n_new)) if n_new else []
            new = []
            for s in starts:
                e = _Episode(f"E{len(self.episodes) + 1:05d}", self._new_family(y0), int(s))
                load = self._load(int(s))
                e.segments.append([min(load, key=lambda k: (load[k], k)), int(s), None])
                self.episodes.append(e)
                self.live.append(e)
                new.append(e)
            self._close(active + new, i, y0, y1)
            self._reassign_randomly(y0, y1)

    def _close(self, candidates: list[_Episode], i: int, y0: int, y1: int) -> None:
        n = min(self.plan.closures[i], len(candidates))
        if not n:
            return
        age = np.array([max(y1 - e.start, 1) for e in candidates], dtype=float)
        weights = age**2.2
        weights[age < 90] = 1e-9
        chosen = self.rng.choice(len(candidates), size=n, replace=False, p=weights / weights.sum())
        goals = set(self.rng.choice(n, size=min(self.plan.goals[i], n), replace=False).tolist())
        other = list(OTHER_REASONS)
        p = np.array(list(OTHER_REASONS.values()))
        for k, idx in enumerate(chosen):
            e = candidates[int(idx)]
            lo = max(e.start + 60, y0)
            e.end = int(self.rng.integers(lo, y1 + 1)) if lo <= y1 else y1
            e.reason = GOALS if k in goals else other[int(self.rng.choice(len(other), p=p / p.sum()))]
            e.segments[-1][2] = None  # runs to the episode end
            self.closed_families[e.family] = e.end

    def _reassign_randomly(self, y0: int, y1: int) -> None:
        for e in self.live:
            if e.start < y0 and (e.end is None or e.end > y0 + 60) and self.rng.random() < 0.05:
                day = int(self.rng.integers(y0 + 30, min(y1, e.end or y1) + 1)) if y0 + 30 <= min(y1, e.end or y1) else None
                if day is None or e.segments[-1][1] >= day:
                    continue
                load = self._load(day)
                load.pop(e.segments[-1][0], None)
                if not load:
                    continue
                e.segments[-1][2] = day - 1
                e.segments.append([min(load, key=lambda s: (load[s], s)), day, None])



def _assistant_at(slots: list[list[list]], slot: int, day_from: int, day_to: int | None) -> list[tuple[str, int, int | None]]:
    """Split a slot assignment over the assistants who held the slot."""
    out = []
    for aid, h_from, h_to in slots[slot]:
        lo = max(day_from, h_from)
        hi = day_to if h_to is None else (h_to if day_to is None else min(day_to, h_to))
        if hi is None or lo <= hi:
            out.append((aid, lo, hi))
    return out


def simulate_unit(plan: UnitPlan, seed: int, horizon: date) -> dict[str, pl.DataFrame]:
    """The true records of one unit (ids local to the unit), before any export is cut."""
    rng = np.random.default_rng(seed)
    unit = _Unit(plan, rng, horizon)
    unit.simulate()
    court_p = plan.court_share or [0.3] * len(plan.years)
    ep_rows, asg_rows = [], []
    n_asg = 0
    for e in unit.episodes:
        yi = min(max(_date(e.start).year - plan.years[0], 0), len(plan.years) - 1)
        court = bool(rng.random() < court_p[yi])
        monitoring = None
        if e.end is not None and rng.random() < 0.88:
            m = e.end + 91
            monitoring = m if m <= unit.horizon else None
        ep_rows.append({
            "jednostka": plan.teryt, "id_asystentury": e.id, "id_rodziny": e.family, "data_rozpoczecia": _date(e.start),
            "data_zakonczenia": _date(e.end) if e.end else None, "przyczyna_zakonczenia": e.reason,
            "zobowiazanie_sadu": court, "data_postanowienia_sadu": _date(e.start - int(rng.integers(5, 90))) if court else None,
            "za_zyciem": bool(_date(e.start).year >= 2017 and rng.random() < 0.02),
            "data_zakonczenia_monitoringu": _date(monitoring) if monitoring else None,
        })
        for slot, s_from, s_to in e.segments:
            to = s_to if s_to is not None else e.end
            for aid, lo, hi in _assistant_at(unit.slots, slot, s_from, to):
                n_asg += 1
                until_episode_end = hi is None or hi == e.end  # an empty data_do means "until the episode ends"
                asg_rows.append({"jednostka": plan.teryt, "id_przydzialu": f"P{n_asg:05d}", "id_asystentury": e.id,
                                 "id_asystenta": aid, "data_od": _date(lo), "data_do": None if until_episode_end else _date(hi)})
    assistants = []
    for holders in unit.slots:
        for aid, a_from, a_to in holders:
            fte = 1.0 if rng.random() < 0.85 else 0.5
            assistants.append({
                "jednostka": plan.teryt, "id_asystenta": aid, "data_zatrudnienia": _date(a_from),
                "data_zakonczenia_zatrudnienia": _date(a_to) if a_to is not None else None,
                "forma_zatrudnienia": "umowa o pracę" if rng.random() < 0.9 else "umowa cywilnoprawna",
                "system_czasu_pracy": "zadaniowy" if rng.random() < 0.85 else "podstawowy", "wymiar_etatu": fte,
            })
    truth = {
        "asystenci": _frame("asystenci", assistants),
        "asystentury": _frame("asystentury", ep_rows),
        "przydzialy": _frame("przydzialy", asg_rows),
    }
    families = sorted({r["id_rodziny"] for r in ep_rows})
    truth |= _families_and_children(plan, families, truth["asystentury"], rng, unit.horizon)
    truth["oceny"] = _assessments(plan, truth["asystentury"], rng, unit.horizon)
    truth["problemy"] = _problems(plan, truth["asystentury"], rng)
    truth["dzialania"] = _work_log(plan, truth, rng, unit.horizon)
    truth["projekty"] = _frame("projekty", [])  # a unit's projects are not simulated (the demo lists its own)
    return truth


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    schema = {"jednostka": pl.String} | polars_schema(table)
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _families_and_children(plan: UnitPlan, families: list[str], episodes: pl.DataFrame, rng: np.random.Generator,
                           horizon: int) -> dict[str, pl.DataFrame]:
    n = len(families)
    first_start = episodes.group_by("id_rodziny").agg(pl.col("data_rozpoczecia").min()).sort("id_rodziny")
    first = dict(first_start.iter_rows())
    kids = 1 + rng.poisson(1.15, n)
    fam_rows = [{"jednostka": plan.teryt, "id_rodziny": f, "typ_rodziny": FAMILY_TYPES[int(rng.choice(4, p=[0.45, 0.4, 0.12, 0.03]))],
                 "liczba_osob": int(kids[i] + 1 + (rng.random() < 0.55)), "wielodzietna": bool(kids[i] >= 3)}
                for i, f in enumerate(families)]
    child_rows, placement_rows = [], []
    horizon_month = _date(horizon).replace(day=1)
    for i, f in enumerate(families):
        start = first[f]
        for k in range(int(kids[i])):
            born_day = start.toordinal() - int(rng.integers(-300, 17 * 365))
            born = min(_date(born_day).replace(day=1), horizon_month)
            cid = f"D{len(child_rows) + 1:05d}"
            child_rows.append({"jednostka": plan.teryt, "id_dziecka": cid, "id_rodziny": f, "miesiac_urodzenia": born,
                               "plec": "K" if rng.random() < 0.49 else "M", "niepelnosprawnosc": bool(rng.random() < 0.06)})
            if k == 0 and rng.random() < 0.11:
                placement_rows += _placement(plan, cid, born, start, episodes.filter(pl.col("id_rodziny") == f), rng, horizon,
                                             len(placement_rows))
    return {
        "rodziny": _frame("rodziny", fam_rows),
        "dzieci": _frame("dzieci", child_rows),
        "piecza": _frame("piecza", placement_rows),
    }


def _placement(plan: UnitPlan, cid: str, born: date, start: date, episodes: pl.DataFrame, rng: np.random.Generator,
               horizon: int, n: int) -> list[dict]:
    placed = max(start.toordinal() - int(rng.integers(0, 500)), born.toordinal() + 30)
    ep = episodes.sort("data_rozpoczecia").row(0, named=True)
    ep_end = ep["data_zakonczenia"].toordinal() if ep["data_zakonczenia"] else horizon
    roll = rng.random()
    end = reason = None
    if roll < 0.4 and ep_end > max(placed, ep["data_rozpoczecia"].toordinal()) + 60:
        end = int(rng.integers(max(placed, ep["data_rozpoczecia"].toordinal()) + 60, ep_end + 1))
        reason = "powrót do rodziny biologicznej"
    elif roll < 0.6:
        end = placed + int(rng.integers(90, 900))
        reason = ("zmiana formy pieczy", "przysposobienie", "inna")[int(rng.integers(3))]
    if end is not None and end > horizon:
        end = reason = None
    if placed > horizon:
        return []
    return [{"jednostka": plan.teryt, "id_umieszczenia": f"U{n + 1:05d}", "id_dziecka": cid, "data_umieszczenia": _date(placed),
             "data_zakonczenia": _date(end) if end else None, "forma_pieczy": "rodzinna" if rng.random() < 0.7 else "instytucjonalna",
             "przyczyna_zakonczenia": reason}]


def _episode_spans(episodes: pl.DataFrame, horizon: int) -> pl.DataFrame:
    return episodes.select(
        "id_asystentury", "data_rozpoczecia",
        pl.coalesce("data_zakonczenia", pl.lit(_date(horizon))).alias("until"),
    )


def _assessments(plan: UnitPlan, episodes: pl.DataFrame, rng: np.random.Generator, horizon: int) -> pl.DataFrame:
    spans = _episode_spans(episodes, horizon)
    quarters = spans.with_columns(
        pl.date_ranges(pl.col("data_rozpoczecia").dt.offset_by("3mo"), pl.col("until"), "3mo").alias("data_oceny")
    ).explode("data_oceny").drop_nulls("data_oceny")
    keep = rng.random(quarters.height) < 0.97
    out = quarters.filter(pl.Series(keep)).with_row_index("n", offset=1).select(
        pl.lit(plan.teryt).alias("jednostka"), pl.format("O{}", pl.col("n").cast(pl.String).str.zfill(6)).alias("id_oceny"),
        "id_asystentury", "data_oceny",
    )
    return out


def _problems(plan: UnitPlan, episodes: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    n = episodes.height
    counts = 1 + rng.poisson(0.8, n)
    ep = np.repeat(episodes["id_asystentury"].to_numpy(), counts)
    p = np.array([0.2, 0.12, 0.05, 0.08, 0.3, 0.06, 0.11, 0.02, 0.03, 0.03])
    kinds = np.array(PROBLEMS)[rng.choice(len(PROBLEMS), size=len(ep), p=p / p.sum())]
    df = pl.DataFrame({"id_asystentury": ep, "problem": kinds}).unique(maintain_order=True)
    return df.with_row_index("n", offset=1).select(
        pl.lit(plan.teryt).alias("jednostka"), pl.format("B{}", pl.col("n").cast(pl.String).str.zfill(6)).alias("id_problemu"),
        "id_asystentury", "problem",
    )


def _work_log(plan: UnitPlan, truth: dict[str, pl.DataFrame], rng: np.random.Generator, horizon: int) -> pl.DataFrame:
    """Monthly counts per episode, kind and assistant (or one row per act in `per_act_years`)."""
    spans = _episode_spans(truth["asystentury"], horizon)
    months = spans.with_columns(
        pl.date_ranges(pl.col("data_rozpoczecia").dt.month_start(), pl.col("until"), "1mo").alias("month")
    ).explode("month")
    # the day of the month the count is dated: the month's last active day
    months = months.with_columns(
        pl.min_horizontal(pl.col("month").dt.month_end(), pl.col("until")).alias("data"),
        ((pl.min_horizontal(pl.col("month").dt.month_end(), pl.col("until"))
          - pl.max_horizontal(pl.col("month"), pl.col("data_rozpoczecia"))).dt.total_days() + 1).alias("days"),
    )
    kinds = list(ACTIVITY_RATES)
    rates = np.array([ACTIVITY_RATES[k] for k in kinds])
    frac = months["days"].to_numpy() / 30.4
    counts = rng.poisson(np.outer(frac, rates)).ravel()
    month_index = np.repeat(np.arange(months.height), len(kinds))
    kind_index = np.tile(np.arange(len(kinds)), months.height)
    keep = counts > 0
    rows = months.select("id_asystentury", "data")[month_index[keep]].with_columns(
        pl.Series("rodzaj", np.array(kinds)[kind_index[keep]], dtype=pl.String),
        pl.Series("counts", counts[keep], dtype=pl.Int64),
    )
    per_act = rows.filter(pl.col("data").dt.year().is_in(list(plan.per_act_years)))
    if per_act.height:
        per_act = per_act.with_columns(pl.int_ranges(0, pl.col("counts")).alias("k")).explode("k").with_columns(
            pl.lit(None, dtype=pl.Int64).alias("counts"))
        rows = pl.concat([rows.filter(~pl.col("data").dt.year().is_in(list(plan.per_act_years))), per_act.drop("k")])
    assignments = truth["przydzialy"].join(truth["asystentury"].select("id_asystentury", "data_zakonczenia"), on="id_asystentury")
    assignments = assignments.with_columns(pl.coalesce("data_do", "data_zakonczenia", pl.lit(_date(horizon))).alias("until"))
    # assignments of one episode do not overlap, so each act finds exactly one assistant
    joined = rows.join(assignments.select("id_asystentury", "id_asystenta", "data_od", "until"), on="id_asystentury").filter(
        (pl.col("data") >= pl.col("data_od")) & (pl.col("data") <= pl.col("until"))
    )
    joined = joined.sort("data", "id_asystentury", "rodzaj").with_row_index("n", offset=1)
    return joined.select(
        pl.lit(plan.teryt).alias("jednostka"), pl.format("Z{}", pl.col("n").cast(pl.String).str.zfill(7)).alias("id_dzialania"),
        "id_asystentury", "id_asystenta", "data", "rodzaj", pl.col("counts").alias("liczba"),
    )

