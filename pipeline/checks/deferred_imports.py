"""Import Great Expectations without the modules it imports only for expectations our suites never use.

GX imports at its top level, for every expectation it ships, `altair` (the KL-divergence expectation's
charts), `scipy.stats` (distribution tests) and `jsonschema` (JSON-schema matching; its format checkers
build an IRI grammar on import, about 3 s alone).  None of them is called by the committed suites, yet
together they are 5 of the 8 s an `ingest` call pays before its first check (measured in
`benchmarks/README.md`).  While GX is being imported, each of them is a stand-in module
(`ImportedOnUse`) that imports the real one the first time anything is asked of it; once GX is
imported, the stand-ins leave `sys.modules`, so every later `import altair` (the figures) is an
ordinary import.  GX keeps its reference to the stand-in, which passes every attribute on to the real
module: an expectation that did use one of them would still work, only paying the import then.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

NOT_NEEDED_BY_THE_SUITES = ("altair", "scipy.stats", "jsonschema")


class ImportedOnUse(types.ModuleType):
    """A module's stand-in: the first attribute asked of it imports the real module and is taken from it."""

    def __init__(self, name: str, spec: importlib.machinery.ModuleSpec) -> None:
        super().__init__(name)
        self.__spec__ = spec  # the import system reads it (no real import for that)

    def __getattr__(self, attribute: str) -> object:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attribute)


@contextmanager
def deferred(names: tuple[str, ...] = NOT_NEEDED_BY_THE_SUITES) -> Iterator[list[str]]:
    """While inside, the given modules not imported yet are stand-ins; on the way out, the stand-ins that were never
    used are taken out of `sys.modules` (and off their parent package) again.  Yields the names deferred."""
    placed: dict[str, ImportedOnUse] = {}
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)  # imports a dotted name's parent (`scipy`: a few ms)
        if spec is None:
            continue
        placed[name] = stand_in = ImportedOnUse(name, spec)
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, stand_in)
    try:
        yield list(placed)
    finally:
        for name, stand_in in placed.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
            parent, _, child = name.rpartition(".")
            package = sys.modules.get(parent) if parent else None
            if package is not None and vars(package).get(child) is stand_in:  # not getattr: `scipy` would import it
                delattr(package, child)
