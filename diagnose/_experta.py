"""Import experta through here: the shim it needs runs first.

experta 1.9.4 (its latest release) pins ``frozendict==1.2``, whose module
subclasses ``collections.Mapping``. That alias was removed in Python 3.10, so a
plain ``import experta`` fails on every Python this project supports. Before
importing experta we restore the alias to the class it always pointed to,
``collections.abc.Mapping``; nothing else changes. The modules of this project
(and rule packs) import experta's public names from here. The one exception is
``diagnose/matcher.py``, which needs experta's submodules (its RETE internals)
and imports this module first, for the shim; ``tests/test_matcher.py`` and
``bench/matcher_check.py`` do the same.
"""

import collections
import collections.abc

if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]

from experta import (  # noqa: E402
    AS,
    MATCH,
    NOT,
    TEST,
    DefFacts,
    Fact,
    Field,
    KnowledgeEngine,
    L,
    Rule,
    W,
    watchers,
)
from experta.agenda import Agenda  # noqa: E402  (the engine's parts, for subclassing them)
from experta.factlist import FactList  # noqa: E402
from experta.strategies import DepthStrategy  # noqa: E402

__all__ = ["AS", "MATCH", "NOT", "TEST", "Agenda", "DefFacts", "DepthStrategy", "Fact", "FactList", "Field",
           "KnowledgeEngine", "L", "Rule", "W", "watchers"]
