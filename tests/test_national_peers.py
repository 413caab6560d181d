"""The national preset gives the peer groups something to show: every kind of TERYT code, unique codes."""

from __future__ import annotations

from collections import Counter

from pipeline.indicators.peers import parse_teryt
from pipeline.synth.national import KINDS, N_UNITS, unit_codes, unit_kinds, unit_plans


def test_every_gmina_type_in_the_first_units_and_unique_codes():
    kinds = unit_kinds(7)
    codes = unit_codes(kinds, 7)
    assert len(kinds) == N_UNITS and len(set(codes)) == N_UNITS
    groups = Counter(parse_teryt(c).gmina_type for c in codes)   # every code parses
    assert groups == {"rural": 1513, "urban_rural": 662, "urban": 219, "city_powiat": 83}
    first = [parse_teryt(c) for c in codes[: len(KINDS)]]
    assert {t.type_digit for t in first} == {"1", "2", "3", "4", "5", "8", "9"}
    assert {t.gmina_type for t in first} == {"rural", "urban_rural", "urban", "city_powiat"}


def test_a_one_in_a_hundred_preset_has_every_type_and_plausible_differences():
    plans = unit_plans(25, 7)
    assert {parse_teryt(p.teryt).gmina_type for p in plans} == {"rural", "urban_rural", "urban", "city_powiat"}
    by_type: dict[str, list] = {}
    for p in plans:
        by_type.setdefault(parse_teryt(p.teryt).gmina_type, []).append(p)
    mean_families = {t: sum(p.families[-1] for p in ps) / len(ps) for t, ps in by_type.items()}
    assert mean_families["city_powiat"] > mean_families["rural"]
    goals = {t: sum(sum(p.goals) for p in ps) / sum(sum(p.closures) for p in ps) for t, ps in by_type.items()}
    assert goals["rural"] > goals["city_powiat"]
