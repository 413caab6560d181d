"""Sentences of the annual information that depend on two numbers at once (grammar.py agrees one noun with one number).

Each returns a phrase the template places in a sentence; Polish agreement for 1, 2-4 and 5+ (and 12-14, 22-24 ...).
"""

from __future__ import annotations

from pipeline import grammar

_COLLECTIVE = {2: "dwoje", 3: "troje", 4: "czworo"}  # nominative: "powróciło troje dzieci"
_COLLECTIVE_GENITIVE = {2: "dwojga", 3: "trojga", 4: "czworga"}  # genitive: "powrót trojga dzieci"


def children_came_back(n: int) -> str:
    """'powróciło jedno dziecko', 'powróciło troje dzieci', 'powróciło 12 dzieci' (a collective numeral or a number
    with 'dzieci' takes the neuter singular verb)."""
    if n == 1:
        return "powróciło jedno dziecko"
    return f"powróciło {_COLLECTIVE.get(n, grammar.number(n))} dzieci"


def returns_home(families: int, children: int) -> str:
    """The returns of children from foster care, after "W roku sprawozdawczym": the seed's "w dwóch przypadkach
    nastąpił powrót dzieci do rodziny biologicznej", with the children counted the way a person writes it.

    1 family, 1 child: 'w jednym przypadku nastąpił powrót dziecka do rodziny biologicznej';
    1 family, 3 children: 'w jednym przypadku nastąpił powrót trojga dzieci do rodziny biologicznej';
    2 families, 3 children: 'w dwóch przypadkach nastąpił powrót dzieci do rodziny biologicznej; łącznie do rodzin
    biologicznych powróciło troje dzieci'."""
    cases = grammar.in_cases(families)
    if families == 1:
        if children <= 1:
            who = "dziecka" if children == 1 else "dzieci"
        else:
            who = f"{_COLLECTIVE_GENITIVE.get(children, grammar.number(children))} dzieci"
        return f"{cases} nastąpił powrót {who} do rodziny biologicznej"
    text = f"{cases} nastąpił powrót dzieci do rodziny biologicznej"
    return text + (f"; łącznie do rodzin biologicznych {children_came_back(children)}" if children else "")
