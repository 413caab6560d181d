"""Peer groups from the TERYT code (WWPPGGR) and size bands: every type digit, cities with powiat rights."""

from __future__ import annotations

import pytest

from pipeline.indicators.peers import TerytError, group_key, parse_teryt, peers_of, size_band


@pytest.mark.parametrize(("code", "group"), [
    ("1603011", "urban"),        # Kędzierzyn-Koźle: gmina miejska
    ("1603022", "rural"),        # R 2: gmina wiejska
    ("1603033", "urban_rural"),  # R 3: gmina miejsko-wiejska
    ("1603034", "urban_rural"),  # R 4: its town is part of the urban-rural gmina
    ("1603035", "urban_rural"),  # R 5: its rural area too
    ("1403018", "urban"),        # R 8 outside a city's powiat code: mapped to its gmina (urban)
    ("1403019", "urban"),        # R 9 likewise
])
def test_gmina_type_from_the_type_digit(code, group):
    assert parse_teryt(code).gmina_type == group


@pytest.mark.parametrize("code", ["1661011", "0264011", "1465018", "1465198", "1261029", "3064059", "1465011"])
def test_cities_with_powiat_rights_are_their_own_group(code):
    # powiat codes 61-65, whatever R: Opole, Wrocław, Warsaw's districts (8), Kraków's and Poznań's delegatury (9)
    t = parse_teryt(code)
    assert t.city_with_powiat_rights and t.gmina_type == "city_powiat"
    assert group_key(code, "type") == "miasta na prawach powiatu"


def test_powiat_60_and_66_are_not_cities_with_powiat_rights():
    assert parse_teryt("1660011").gmina_type == "urban"
    assert parse_teryt("1666012").gmina_type == "rural"


def test_parts_of_the_code():
    t = parse_teryt("1603011")
    assert (t.voivodeship, t.powiat, t.gmina, t.type_digit) == ("16", "03", "01", "1")
    assert group_key("1603011", "voivodeship") == "województwo opolskie"
    assert group_key("1603022", "type") == "gminy wiejskie"
    assert group_key("1603033", "type") == "gminy miejsko-wiejskie"
    assert group_key("1603011", "all") == "wszystkie jednostki"


@pytest.mark.parametrize("code", ["160301", "16030111", "16O3011", "0103011", "3403011", "1600011", "1603001",
                                  "1603016", "1603017", "1603010"])
def test_codes_that_are_not_a_gmina_teryt(code):
    with pytest.raises(TerytError):
        parse_teryt(code)


def test_size_bands_are_a_parameter_with_inclusive_lower_bounds():
    assert size_band(0) == "0–19 rodzin"
    assert size_band(19) == "0–19 rodzin"
    assert size_band(20) == "20–49 rodzin"
    assert size_band(99) == "50–99 rodzin"
    assert size_band(100) == "100 i więcej rodzin"
    assert size_band(30, (10, 40)) == "10–39 rodzin"   # no 0 given: a band from 0 is added
    assert size_band(5, (10, 40)) == "0–9 rodzin"
    assert size_band(40, (10, 40)) == "40 i więcej rodzin"
    with pytest.raises(ValueError):
        size_band(-1)


def test_peers_of_a_unit():
    families = {"1603011": 68, "1661011": 300, "1603022": 12, "0203022": 25, "2403033": 70, "1603034": 40, "x": 5}
    assert peers_of("1603022", families, "type") == ("gminy wiejskie", ["0203022", "1603022"])
    assert peers_of("1603011", families, "voivodeship") == (
        "województwo opolskie", ["1603011", "1603022", "1603034", "1661011"])
    assert peers_of("1603011", families, "size") == ("50–99 rodzin", ["1603011", "2403033"])
    label, members = peers_of("1603011", families, "all")
    assert label == "wszystkie jednostki" and len(members) == 7
    with pytest.raises(TerytError):
        peers_of("x", families, "type")
