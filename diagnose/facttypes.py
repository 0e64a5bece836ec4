"""The fact types rules match, in the order the strata use them.

Input facts are prepared in Python from the fact file (structure only: which
entries count for which unit, period and slice). Derived facts are asserted by
rules; each carries its provenance: ``rules`` (names of the rules that fired),
``ids`` (fact ids from the file) and ``because`` (sentences that explain it).

A *row* is one unit, one period and one slice of practices: all of them
(``dim`` None) or those of one sector, agency or issue (``dim`` names it,
``value`` gives it). Rows are keyed by ``row``, a string, so rules join on one
field.
"""

from __future__ import annotations

from ._experta import Fact, Field

IMMUTABLE_TYPES = frozenset({str, int, float, bool, type(None), tuple, frozenset})
"""Value types a fact holds as they are: nothing to freeze, and never one of experta's pattern elements."""


class DiagnoseFact(Fact):
    """Base of the fact types here: experta's facts, built faster.

    experta freezes every value through a generic dispatch and validates every
    field through the `schema` library on each declaration; our values are
    already immutable, so both are done directly (same checks, same errors).
    """

    plain_values = False
    """Whether every value is of `IMMUTABLE_TYPES` (known from construction: the engine need not look again)."""

    def __init__(self, *args, **kwargs):
        if args or any(type(value) not in IMMUTABLE_TYPES for value in kwargs.values()):
            super().__init__(*args, **kwargs)
        else:  # experta's constructor, less a call per field: nothing here needs freezing
            dict.update(self, kwargs)
            self._Fact__defaults = {}
            self.plain_values = True

    def __setitem__(self, key, value):
        if type(value) in IMMUTABLE_TYPES and self.get("__factid__") is None:
            dict.__setitem__(self, key, value)
        else:
            self.plain_values = False
            super().__setitem__(key, value)

    def validate(self):
        for name, field in self.__fields__.items():
            if name in self:
                expected = field.validator._schema
                if not (isinstance(expected, type) and isinstance(self[name], expected)):
                    field.validate(self[name])  # anything unusual: experta's own check and error
            elif field.mandatory:
                raise ValueError(f"Mandatory field {name!r} is not defined for fact {self!r}")


class Row(DiagnoseFact):
    """A unit, period and slice to diagnose (input)."""

    row = Field(str, mandatory=True)
    unit = Field(str, mandatory=True)
    unit_kind = Field(str, mandatory=True)  # region | subregion | group | dyad | entry
    label = Field(str, mandatory=True)  # how explanations name the unit
    period = Field(object, mandatory=True)  # a period id, or None without periods
    dim = Field(object, mandatory=True)  # None | sector | agency | issue
    value = Field(object, mandatory=True)
    states = Field(tuple, mandatory=True)  # the unit's state codes, sorted
    declared = Field(object, mandatory=True)  # the declaration's fact id, or None for dyads
    size = Field(int, mandatory=True)  # how many states the unit has
    reported = Field(bool, mandatory=True)  # False: diagnosed only for what it tells other units


class MechanismDecl(DiagnoseFact):
    """A mechanism that rows are diagnosed for, and the stage that decides it (input, from the rule packs)."""

    name = Field(str, mandatory=True)
    stage = Field(str, mandatory=True)  # relations | mechanisms


class Threshold(DiagnoseFact):
    """A threshold in force (input, from rules/thresholds.py or the user)."""

    name = Field(str, mandatory=True)
    value = Field(object, mandatory=True)


class Evidence(DiagnoseFact):
    """One file entry that concerns a row: what the file says, and where its states stand (input).

    The entry's own words: ``section``, ``kinds`` (with their ``mechanisms``,
    in the same order), ``form`` (between | among | members | directed |
    sides), ``size`` (its number of states), ``mutual``, ``level`` (wars),
    ``rooted``, ``deliberate``. Where the row's unit stands, as set relations
    only: ``covers`` (the entry's states include every state of the unit; a
    directed or two-sided entry covers the dyads across its ends),
    ``acting_covers`` (the acting end, `by` or either side, or the states of
    an undirected entry, include every state of the unit),
    ``target_outside`` (the other end holds none of the unit's states; true
    for undirected entries), ``own_unit`` (the unit the states of an
    undirected entry form, or None).
    """

    row = Field(str, mandatory=True)
    id = Field(str, mandatory=True)
    section = Field(str, mandatory=True)
    kinds = Field(tuple, mandatory=True)
    mechanisms = Field(tuple, mandatory=True)
    form = Field(str, mandatory=True)
    size = Field(int, mandatory=True)
    mutual = Field(bool, mandatory=True)
    level = Field(object, mandatory=True)
    rooted = Field(bool, mandatory=True)
    deliberate = Field(bool, mandatory=True)
    covers = Field(bool, mandatory=True)
    acting_covers = Field(bool, mandatory=True)
    target_outside = Field(bool, mandatory=True)
    own_unit = Field(object, mandatory=True)


class PeriodAfter(DiagnoseFact):
    """``later`` immediately follows ``earlier`` (input)."""

    earlier = Field(str, mandatory=True)
    later = Field(str, mandatory=True)


class Adjacent(DiagnoseFact):
    """``other`` is the period right before or after ``period`` (input)."""

    period = Field(str, mandatory=True)
    other = Field(str, mandatory=True)
    relation = Field(str, mandatory=True)  # "following" | "preceding"


class Contains(DiagnoseFact):
    """A dyad lies inside a larger unit (input)."""

    dyad = Field(str, mandatory=True)
    unit = Field(str, mandatory=True)


class Tally(DiagnoseFact):
    """Distinct kinds counted for a row under a name: a mechanism, or a pack's own count (derived)."""

    key = Field(tuple, mandatory=True)  # (row, mechanism)
    row = Field(str, mandatory=True)
    mechanism = Field(str, mandatory=True)
    kinds = Field(tuple, mandatory=True)
    rooted_kinds = Field(tuple, mandatory=True)
    unrooted_kinds = Field(tuple, mandatory=True)
    rooted_pairs = Field(tuple, mandatory=True)  # (kind, id) of every rooted entry counted
    ids = Field(tuple, mandatory=True)
    deliberate = Field(tuple, mandatory=True)  # ids of deliberate entries
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Rivalries(DiagnoseFact):
    """States of a row's unit involved in rival dyads (derived)."""

    key = Field(tuple, mandatory=True)  # (row,)
    row = Field(str, mandatory=True)
    states = Field(tuple, mandatory=True)
    dyads = Field(tuple, mandatory=True)
    ids = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Violence(DiagnoseFact):
    """War or armed conflict between two states of a unit in a period (derived)."""

    key = Field(tuple, mandatory=True)  # (unit, period)
    unit = Field(str, mandatory=True)
    period = Field(object, mandatory=True)
    ids = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Balancing(DiagnoseFact):
    """One reason why a row balances power, and which way it faces (derived)."""

    key = Field(tuple, mandatory=True)  # (row, facing)
    row = Field(str, mandatory=True)
    facing = Field(str, mandatory=True)  # inward | outward
    ids = Field(tuple, mandatory=True)
    deliberate = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Blocked(DiagnoseFact):
    """A row's states prepare for violence against each other, or fight: no community there (derived)."""

    key = Field(tuple, mandatory=True)  # (row,)
    row = Field(str, mandatory=True)
    unit = Field(str, mandatory=True)
    period = Field(object, mandatory=True)
    dim = Field(object, mandatory=True)
    value = Field(object, mandatory=True)
    ids = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Status(DiagnoseFact):
    """A mechanism's status in a row (derived): the diagnosis's mechanism rows."""

    key = Field(tuple, mandatory=True)  # (row, mechanism)
    row = Field(str, mandatory=True)
    unit = Field(str, mandatory=True)
    unit_kind = Field(str, mandatory=True)
    label = Field(str, mandatory=True)
    period = Field(object, mandatory=True)
    dim = Field(object, mandatory=True)
    value = Field(object, mandatory=True)
    mechanism = Field(str, mandatory=True)
    status = Field(str, mandatory=True)  # active | nascent | decaying | formal_only | broken_down | not_evident
    variant = Field(object, mandatory=True)  # adversarial | associational | None
    facing = Field(object, mandatory=True)  # inward | outward | both | None
    phase = Field(object, mandatory=True)  # nascent | ascendant | mature | None
    coupling = Field(object, mandatory=True)  # loose | tight | None
    states = Field(tuple, mandatory=True)
    ids = Field(tuple, mandatory=True)
    deliberate = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Shortfall(DiagnoseFact):
    """What a row lacks for a mechanism: the explanation of a `not_evident` status (derived)."""

    key = Field(tuple, mandatory=True)  # (row, mechanism)
    row = Field(str, mandatory=True)
    mechanism = Field(str, mandatory=True)
    ids = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class StrategyAt(DiagnoseFact):
    """A strategy as the file gives it, in one period (input)."""

    strategy = Field(str, mandatory=True)
    name = Field(str, mandatory=True)
    period = Field(object, mandatory=True)
    combines = Field(tuple, mandatory=True)
    overlaps = Field(tuple, mandatory=True)  # overlap types it shapes; () = every type
    dim = Field(object, mandatory=True)  # sector | agency | issue | None
    value = Field(object, mandatory=True)


class Includes(DiagnoseFact):
    """A strategy's `by` includes every state of a unit (input)."""

    strategy = Field(str, mandatory=True)
    unit = Field(str, mandatory=True)


class JunctureAt(DiagnoseFact):
    """A critical juncture in a period (input)."""

    period = Field(object, mandatory=True)
    id = Field(str, mandatory=True)
    name = Field(str, mandatory=True)


class Overlap(DiagnoseFact):
    """Two mechanisms shaping the same actors at once (derived)."""

    key = Field(tuple, mandatory=True)
    type = Field(str, mandatory=True)  # temporal | functional | spatial | relational
    units = Field(tuple, mandatory=True)
    period = Field(object, mandatory=True)
    mechanisms = Field(tuple, mandatory=True)
    dimension = Field(object, mandatory=True)
    on = Field(tuple, mandatory=True)  # ((mechanism, value), ...) for functional rows
    cover_a = Field(str, mandatory=True)  # a covering strategy's `by` must include the
    cover_b = Field(str, mandatory=True)  # states of both units (the same unit twice if one)
    ids = Field(tuple, mandatory=True)
    deliberate = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Covered(DiagnoseFact):
    """A strategy covers an overlap (derived)."""

    key = Field(tuple, mandatory=True)  # (overlap key, strategy id)
    overlap = Field(tuple, mandatory=True)
    strategy = Field(str, mandatory=True)
    combines_both = Field(bool, mandatory=True)
    ids = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Character(DiagnoseFact):
    """Whether an overlap is automatic, manual or mixed (derived)."""

    key = Field(tuple, mandatory=True)  # the overlap key
    character = Field(str, mandatory=True)
    ids = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)


class Note(DiagnoseFact):
    """A remark attached to the rows of a unit and period, or to one overlap (derived)."""

    key = Field(tuple, mandatory=True)  # ("unit", unit, period) or ("overlap", overlap key)
    ids = Field(tuple, mandatory=True)
    rules = Field(tuple, mandatory=True)
    because = Field(tuple, mandatory=True)
