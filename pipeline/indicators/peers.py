"""Peer groups of a unit from its 7-digit TERYT code (WWPPGGR) and its size.

- `WW` the voivodeship (02, 04, ..., 32).
- `PP` the powiat; 61-65 are cities with powiat rights (miasta na prawach powiatu).
- `GG` the gmina within the powiat.
- `R` the type: 1 urban gmina, 2 rural gmina, 3 urban-rural gmina, 4 the town and 5 the rural area
  of an urban-rural gmina, 8 a district of the capital city of Warsaw, 9 a delegatura (district) of
  Kraków, Łódź, Poznań or Wrocław.  Parts (4, 5) belong to their urban-rural gmina; districts (8, 9)
  to their city, which is a city with powiat rights.

The gmina-type group: a city with powiat rights (powiat 61-65, whatever R) is its own group; then
R 1 is urban, 2 rural, 3/4/5 urban-rural, 8/9 (outside a city's powiat code: not valid TERYT, but
mapped to their gmina) urban.  The size group is a band of families supported in the year, with
the bands' lower bounds as a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

PeerKind = Literal["type", "voivodeship", "size", "all"]
PEER_KINDS: tuple[PeerKind, ...] = ("type", "voivodeship", "size", "all")

VOIVODESHIPS: dict[str, str] = {
    "02": "dolnośląskie", "04": "kujawsko-pomorskie", "06": "lubelskie", "08": "lubuskie", "10": "łódzkie",
    "12": "małopolskie", "14": "mazowieckie", "16": "opolskie", "18": "podkarpackie", "20": "podlaskie",
    "22": "pomorskie", "24": "śląskie", "26": "świętokrzyskie", "28": "warmińsko-mazurskie", "30": "wielkopolskie",
    "32": "zachodniopomorskie",
}
CITY_POWIATS = range(61, 66)  # powiat codes of cities with powiat rights
# the TERYT type digit R: what it means
TYPE_DIGITS: dict[str, str] = {
    "1": "gmina miejska", "2": "gmina wiejska", "3": "gmina miejsko-wiejska",
    "4": "miasto w gminie miejsko-wiejskiej", "5": "obszar wiejski gminy miejsko-wiejskiej",
    "8": "dzielnica m.st. Warszawy", "9": "delegatura miasta (Kraków, Łódź, Poznań, Wrocław)",
}
# the gmina-type groups and their Polish names
GMINA_TYPES: dict[str, str] = {
    "city_powiat": "miasta na prawach powiatu", "urban": "gminy miejskie",
    "urban_rural": "gminy miejsko-wiejskie", "rural": "gminy wiejskie",
}
TYPE_GROUPS = {"1": "urban", "2": "rural", "3": "urban_rural", "4": "urban_rural", "5": "urban_rural",
               "8": "urban", "9": "urban"}
DEFAULT_SIZE_BANDS: tuple[int, ...] = (0, 20, 50, 100)  # lower bounds of families supported in the year


class TerytError(ValueError):
    """A unit code that is not a gmina's 7-digit TERYT code."""


@dataclass(frozen=True)
class Teryt:
    """A parsed unit code."""

    code: str
    voivodeship: str  # WW
    powiat: str  # PP
    gmina: str  # GG
    type_digit: str  # R

    @property
    def city_with_powiat_rights(self) -> bool:
        return int(self.powiat) in CITY_POWIATS

    @property
    def gmina_type(self) -> str:
        """The gmina-type group key (see GMINA_TYPES)."""
        return "city_powiat" if self.city_with_powiat_rights else TYPE_GROUPS[self.type_digit]

    @property
    def voivodeship_name(self) -> str:
        return VOIVODESHIPS[self.voivodeship]


def parse_teryt(code: str) -> Teryt:
    """Split a 7-digit TERYT code; a TerytError when it is not one (the message names the part, not the code)."""
    if len(code) != 7 or not code.isdigit():
        raise TerytError("kod jednostki nie ma 7 cyfr (WWPPGGR)")
    ww, pp, gg, r = code[:2], code[2:4], code[4:6], code[6]
    if ww not in VOIVODESHIPS:
        raise TerytError("nieznany kod województwa (WW)")
    if pp == "00" or gg == "00":
        raise TerytError("kod powiatu (PP) i gminy (GG) nie może być 00")
    if r not in TYPE_DIGITS:
        raise TerytError("nieznany rodzaj gminy (R): dozwolone 1, 2, 3, 4, 5, 8, 9")
    return Teryt(code, ww, pp, gg, r)


def size_band(families: int, bands: Sequence[int] = DEFAULT_SIZE_BANDS) -> str:
    """The size band (Polish label) of a unit that supported `families` families; bands are ascending lower bounds."""
    if families < 0:
        raise ValueError("liczba rodzin nie może być ujemna")
    bounds = sorted(bands)
    if not bounds or bounds[0] > 0:
        bounds = [0, *bounds]
    for lo, hi in zip(bounds, [*bounds[1:], None], strict=True):
        if hi is None:
            return f"{lo} i więcej rodzin"
        if families < hi:
            return f"{lo}–{hi - 1} rodzin"
    raise AssertionError("unreachable: the last band has no upper bound")


def group_key(code: str, kind: PeerKind, families: int = 0, bands: Sequence[int] = DEFAULT_SIZE_BANDS) -> str:
    """The peer group of a unit as a Polish label, by gmina type, voivodeship, size band, or all units."""
    if kind == "all":
        return "wszystkie jednostki"
    if kind == "size":
        return size_band(families, bands)
    t = parse_teryt(code)
    if kind == "voivodeship":
        return f"województwo {t.voivodeship_name}"
    return GMINA_TYPES[t.gmina_type]


def peers_of(unit: str, families: Mapping[str, int], kind: PeerKind,
             bands: Sequence[int] = DEFAULT_SIZE_BANDS) -> tuple[str, list[str]]:
    """The unit's peer group label and its members (the unit included), from each unit's families supported.

    The unit's own code must parse (a TerytError otherwise); another unit whose code does not is in no group."""
    mine = group_key(unit, kind, families.get(unit, 0), bands)

    def same(u: str, n: int) -> bool:
        try:
            return group_key(u, kind, n, bands) == mine
        except TerytError:
            return False

    return mine, sorted(u for u, n in families.items() if u == unit or same(u, n))
