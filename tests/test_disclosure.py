"""Disclosure control: hand-worked tables, and a property: nothing hidden follows from what is shown."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.outputs.disclosure import Relation, derivable, one_way, protect, two_way


def test_one_way_table_hides_the_small_count_and_the_next_smallest():
    values = {"total": 20, "a": 3, "b": 9, "c": 8, "d": 0}
    p = protect(values, one_way("total", ["a", "b", "c", "d"]))
    assert [p.shown(k) for k in values] == [20, "<5", 9, "x", 0]   # 20 - 9 - 0 = a + c: two unknowns
    assert p.status["a"] == "primary" and p.status["c"] == "secondary"
    assert "od 1 do 4" in p.note() and "<5" in p.note()


def test_primary_suppression_alone_would_leak():
    values = {"total": 10, "a": 4, "b": 6}
    only_primary = ["a"]
    assert derivable(only_primary, one_way("total", ["a", "b"])) == ["a"]   # 10 - 6 = 4
    p = protect(values, one_way("total", ["a", "b"]))
    assert p.shown("a") == "<5" and p.shown("b") == "x" and p.shown("total") == 10


def test_two_way_table_with_margins_hides_a_rectangle_of_inner_cells():
    # rows r1 = 2 + 10 = 12, r2 = 7 + 6 = 13; columns c1 = 9, c2 = 16; grand 25
    v = {"11": 2, "12": 10, "21": 7, "22": 6, "r1": 12, "r2": 13, "c1": 9, "c2": 16, "all": 25}
    cells = {("r1", "c1"): "11", ("r1", "c2"): "12", ("r2", "c1"): "21", ("r2", "c2"): "22"}
    relations = two_way(cells, {"r1": "r1", "r2": "r2"}, {"c1": "c1", "c2": "c2"}, "all")
    p = protect(v, relations)
    hidden = sorted(k for k in v if p.hidden(k))
    assert hidden == ["11", "12", "21", "22"]        # margins shown; x11 + x12 = 12, x11 + x21 = 9, ...: one free unknown
    assert p.shown("11") == "<5" and p.shown("22") == "x" and derivable(hidden, relations) == []


def test_a_breakdown_whose_total_is_published_keeps_the_total():
    # families_supported 68 is a headline figure; the court breakdown 3 + 65; the court cell is also a figure of its own
    v = {"families_supported": 68, "court:yes": 3, "court:no": 65, "families_court_obliged": 3}
    relations = [*one_way("families_supported", ["court:yes", "court:no"]), Relation("families_court_obliged", ("court:yes",))]
    p = protect(v, relations, keep={"families_supported", "families_court_obliged"})
    assert p.shown("families_supported") == 68
    assert p.shown("court:yes") == "<5" and p.shown("families_court_obliged") == "<5" and p.shown("court:no") == "x"
    assert p.keep_hidden == []


def test_a_difference_column_is_a_relation_too():
    # 2023: 12, 2024: 3, change -9: 12 = 3 + (-9) would give 2024 back
    v = {"y2023": 12, "y2024": 3, "change": -9}
    p = protect(v, [Relation("y2023", ("y2024", "change"))])
    assert p.shown("y2024") == "<5" and p.shown("change") == "x" and p.shown("y2023") == 12


def test_rates_and_fte_are_hidden_with_what_they_come_from():
    v = {"closed": 12, "goals": 4, "rate": 4 / 12, "assistants": 3, "fte": 2.5}
    p = protect(v, [], dependents={"rate": ("goals", "closed"), "fte": ("assistants",)})
    assert p.shown("rate") == "x" and p.status["rate"] == "dependent" and p.shown("fte") == "x"
    assert p.shown("closed") == 12


def test_true_zeros_stay_and_the_threshold_is_a_parameter():
    v = {"t": 7, "a": 0, "b": 7, "c": 0}
    assert [protect(v, one_way("t", ["a", "b", "c"])).shown(k) for k in v] == [7, 0, 7, 0]
    p = protect(v, one_way("t", ["a", "b", "c"]), threshold=10)
    assert p.shown("b") == "<10" and p.shown("t") == "<10" and p.shown("a") == 0
    with pytest.raises(ValueError):
        protect(v, [], threshold=1)


def _determined(hidden: list[str], relations: list[Relation], values: dict) -> set[str]:
    """The hidden cells fixed by the relations once the shown values are put in: exact arithmetic (fractions), its own
    Gaussian elimination, independent of the module's rank test.  A cell is fixed iff every solution of the
    homogeneous system has 0 there."""
    cols = sorted(hidden)
    rows = []
    for r in relations:
        row = [Fraction(0)] * len(cols)
        for sign, cell in [(1, r.total)] + [(-1, p) for p in r.parts]:
            if cell in cols:
                row[cols.index(cell)] += sign
        rows.append(row)
    pivots, m, lead = [], [list(r) for r in rows], 0
    for j in range(len(cols)):
        pivot = next((i for i in range(lead, len(m)) if m[i][j] != 0), None)
        if pivot is None:
            continue
        m[lead], m[pivot] = m[pivot], m[lead]
        m[lead] = [x / m[lead][j] for x in m[lead]]
        for i in range(len(m)):
            if i != lead and m[i][j] != 0:
                m[i] = [a - m[i][j] * b for a, b in zip(m[i], m[lead], strict=True)]
        pivots.append(j)
        lead += 1
    free = [j for j in range(len(cols)) if j not in pivots]
    fixed = set()
    for j in range(len(cols)):
        if j in free:
            continue
        row = m[pivots.index(j)]
        if all(row[f] == 0 for f in free):
            fixed.add(cols[j])
    return fixed


@st.composite
def tables(draw):
    cell = st.integers(0, 14)
    if draw(st.booleans()):
        parts = draw(st.lists(cell, min_size=1, max_size=6))
        values = {f"p{i}": v for i, v in enumerate(parts)} | {"total": sum(parts)}
        return values, one_way("total", [f"p{i}" for i in range(len(parts))])
    n_rows, n_cols = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    grid = {(r, c): draw(cell) for r in range(n_rows) for c in range(n_cols)}
    values = {f"x{r}{c}": v for (r, c), v in grid.items()}
    values |= {f"r{r}": sum(grid[(r, c)] for c in range(n_cols)) for r in range(n_rows)}
    values |= {f"c{c}": sum(grid[(r, c)] for r in range(n_rows)) for c in range(n_cols)}
    values["all"] = sum(grid.values())
    relations = two_way({(f"r{r}", f"c{c}"): f"x{r}{c}" for r in range(n_rows) for c in range(n_cols)},
                        {f"r{r}": f"r{r}" for r in range(n_rows)}, {f"c{c}": f"c{c}" for c in range(n_cols)}, "all")
    return values, relations


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(2, 6))
def test_no_hidden_value_follows_from_what_is_shown(table, k):
    values, relations = table
    p = protect(values, relations, threshold=k)
    hidden = [c for c in values if p.hidden(c)]
    assert _determined(hidden, relations, values) == set()
    for c, v in values.items():
        if 0 < v < k:
            assert p.shown(c) == f"<{k}"
        elif not p.hidden(c):
            assert p.shown(c) == v
        else:
            assert p.status[c] == "secondary" and p.shown(c) == "x"


def test_determined_helper_can_fail():
    # the independent check itself finds the leak of primary suppression alone
    assert _determined(["a"], one_way("t", ["a", "b"]), {}) == {"a"}
    assert _determined(["a", "b"], one_way("t", ["a", "b"]), {}) == set()
