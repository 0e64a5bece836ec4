"""The one place where experta is imported.

experta 1.9.4 (its latest release) pins ``frozendict==1.2``, whose module
subclasses ``collections.Mapping``. That alias was removed in Python 3.10, so a
plain ``import experta`` fails on every Python this project supports. Before
importing experta we restore the alias to the class it always pointed to,
``collections.abc.Mapping``; nothing else changes. Every module of this project
(and every rule pack) imports experta names from here, never from ``experta``
directly, so the shim is guaranteed to run first.
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
    Fact,
    Field,
    KnowledgeEngine,
    L,
    Rule,
    W,
    watchers,
)

__all__ = ["AS", "MATCH", "NOT", "TEST", "Fact", "Field", "KnowledgeEngine", "L", "Rule", "W", "watchers"]
