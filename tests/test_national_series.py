"""The national preset's yearly targets: the published years exactly, and a series that moves after 2020."""

from __future__ import annotations

from itertools import pairwise

from pipeline.synth.national import MADE_UP, PUBLISHED, YEARS, national_targets


def test_published_years_are_the_targets():
    t = national_targets()
    by_year = {y: (f, a) for y, f, a in zip(YEARS, t["families"], t["assistants"], strict=True)}
    assert by_year[2020][0] == 41906
    assert by_year[2023][1] == 3748 and by_year[2024][1] == 3862
    for y, (families, assistants, _) in PUBLISHED.items():
        if families is not None:
            assert by_year[y][0] == families
        if assistants is not None:
            assert by_year[y][1] == assistants


def test_made_up_years_never_override_a_published_figure():
    for y, values in MADE_UP.items():
        for column, value in enumerate(values):
            assert value is None or PUBLISHED[y][column] is None, (y, column)


def test_the_series_after_2020_moves_year_to_year():
    t = national_targets()
    after = [YEARS.index(y) for y in range(2020, 2026)]
    for key in ("families", "assistants", "court_share"):
        values = [t[key][i] for i in after]
        assert all(a != b for a, b in pairwise(values)), key
        assert max(values) / min(values) < 1.15, key  # a few per cent a year, not a jump
