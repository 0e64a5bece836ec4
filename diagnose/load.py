"""Load a fact file: parse, validate against the format, expand names, assign ids.

Every problem in a file is collected and reported together, each with the file,
line and key, what was expected and what arrived, and a "did you mean" where a
name is close to a known one.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from . import schema as S
from .errors import FactFileError, Problem
from .model import Entry, FactBase, Juncture, Period, Strategy, Unit
from .names import did_you_mean
from .controls import has_control, visible
from .yamlread import Document, Path_, _dotted, printable_problem, read_yaml

_CODE = re.compile(S.CODE_PATTERN)  # matched with fullmatch: `$` alone would accept "A\n"
_PERIOD = re.compile(S.PERIOD_PATTERN)
MAX_ENTRY_PERIODS = 200_000
"""Most (entry, period) pairs a file may give: an entry without `period` counts once per period."""
MAX_DYADS = 50_000
"""Most dyads a file's entries may name (about the pairs of 300 states: `by: all against: all`)."""
LIST_SECTIONS = (*S.SECTIONS, "strategies", "junctures")
"""The sections that hold entries (each counts toward `MAX_ENTRIES`)."""
MAX_ENTRIES = 100_000
"""Most entries a file may hold across `LIST_SECTIONS`, aliases counted each time they are used.

About 17 times the 200-state benchmark world (5,945 entries): any real region
fits. The diagnosis's time grows with its entries, and an alias costs a few
bytes, so without a limit a small file could hold enough entries to keep
`run` busy for hours.
"""


def load_facts(path: str | Path, rulebase: Any = None) -> FactBase:
    """Read and validate a fact file; raise `FactFileError` listing every problem.

    ``rulebase`` gives the practice kinds and mechanisms in force (the built-in
    rule base when omitted).
    """
    from .packs import builtin_rulebase

    rulebase = rulebase or builtin_rulebase()
    return load_document(str(path), read_yaml(path), rulebase)


def load_document(path: str, document: Document, rulebase: Any) -> FactBase:
    """Validate a fact file already read (a `Document`, e.g. with entries added); raise `FactFileError`.

    ``path`` names the file in messages; ``rulebase`` gives the kinds in force.
    """
    return _Loader(path, document, rulebase).load()


def _shape_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    text = str(value)
    return f"'{visible(text)}'" if len(text) <= 60 else f"'{visible(text[:57])}...' ({len(text):,} characters)"


class _Loader:
    def __init__(self, filename: str, document: Document, rulebase: Any):
        self.filename = filename
        self.doc = document
        self.kinds: Mapping[str, str] = rulebase.kinds
        self.mechanisms: tuple[str, ...] = rulebase.mechanisms
        self.section_kinds: Mapping[str, tuple] = rulebase.section_kinds
        self.mutual_mechanisms: frozenset[str] = rulebase.mutual_mechanisms
        self.always_mutual_kinds: frozenset[str] = rulebase.always_mutual_kinds
        self.problems: list[Problem] = []
        self.states: dict[str, str] = {}
        self.names: dict[str, frozenset[str]] = {}
        self.periods: list[Period] = []
        self.ids: dict[str, Path_] = {}
        self.declarations: dict[str, tuple[str, Path_]] = {"states": ("the declaration of the states", ("states",))}
        """Fact ids of declarations (as `Unit.declaration`), each with what it declares and where."""

    # -- reporting ---------------------------------------------------------
    def problem(self, path: Path_, message: str) -> None:
        """Report a problem at ``path``; values quoted in ``message`` are shown with control characters escaped."""
        self.problems.append(printable_problem(Problem(message, self.doc.line(path), _dotted(path) or None)))

    def one_line(self, path: Path_, value: Any, what: str) -> bool:
        """Whether ``value`` (a code, id, name or label) holds no control character or line break; else report it.

        Free text (source, note, summary, display names) may: the renderers escape it.
        """
        if isinstance(value, str) and has_control(value):
            self.problem(path, f"expected {what} without control characters or line breaks, got {_shape_of(value)}")
            return False
        return True

    def expect(self, path: Path_, value: Any, shape: str) -> None:
        self.problem(path, f"expected {S.SHAPES.get(shape, shape)}, got {_shape_of(value)}")

    def check_keys(self, path: Path_, mapping: dict, fields: Mapping[str, S.FieldSpec], what: str) -> None:
        for key in mapping:
            if path and (path[0], key) in S.REFUSED_KEYS:
                self.problem(path + (key,), S.REFUSED_KEYS[(path[0], key)])
            elif key not in fields:
                self.problem(path + (key,), f"unknown key in {what}{did_you_mean(key, fields)}")
        for key, spec in fields.items():
            if spec.required and key not in mapping:
                self.problem(path, f"missing required key '{key}' in {what}")

    # -- scalars -----------------------------------------------------------
    def text(self, path: Path_, value: Any, allow_number: bool = False) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        if allow_number and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value  # type: ignore[return-value]
        self.expect(path, value, "label" if allow_number else "text")
        return None

    def name(self, path: Path_, value: Any) -> str | None:
        """A strategy's or juncture's name: a text on one line."""
        text = self.text(path, value)
        return text if text is not None and self.one_line(path, text, "a name") else None

    def integer(self, path: Path_, value: Any, shape: str = "int") -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.expect(path, value, shape)
        return None

    def boolean(self, path: Path_, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        self.expect(path, value, "bool")
        return None

    def choice(self, path: Path_, value: Any, choices: tuple[str, ...], shape: str) -> str | None:
        if isinstance(value, str) and value in choices:
            return value
        if isinstance(value, str):
            self.problem(path, f"unknown value '{value}': expected {S.SHAPES[shape]}{did_you_mean(value, choices)}")
        else:
            self.expect(path, value, shape)
        return None

    # -- the file ----------------------------------------------------------
    def load(self) -> FactBase:
        data = self.doc.data
        if not isinstance(data, dict):
            raise FactFileError(self.filename, [printable_problem(Problem(
                f"expected a mapping at the top level (schema, region, states, ...), got {_shape_of(data)}",
                self.doc.line(())))])
        self.check_keys((), data, S.TOP, "the fact file")
        if "schema" in data and self.integer(("schema",), data["schema"]) not in (None, 1):
            self.problem(("schema",), f"unsupported schema {data['schema']}: this version reads schema 1")
        region = self.text(("region",), data["region"]) if "region" in data else None
        as_of = self.text(("as_of",), data["as_of"], allow_number=True) if data.get("as_of") is not None else None
        summary = self.text(("summary",), data["summary"]) if data.get("summary") is not None else None
        self.check_size(data)
        self.load_states(data.get("states"))
        self.load_periods(data.get("periods"))
        subregions = self.load_members("subregions", data.get("subregions"))
        groups = self.load_members("groups", data.get("groups"))
        entries: list[Entry] = []
        for section in S.SECTIONS:
            for index, item in self.items(section, data.get(section)):
                entry = self.load_entry(section, index, item)
                if entry is not None:
                    entries.append(entry)
        strategies = [s for i, item in self.items("strategies", data.get("strategies"))
                      if (s := self.load_strategy(i, item)) is not None]
        junctures = [j for i, item in self.items("junctures", data.get("junctures"))
                     if (j := self.load_juncture(i, item)) is not None]
        self.check_reach(entries)
        if self.problems:
            raise FactFileError(self.filename, self.problems)
        facts = FactBase(
            path=self.filename,
            region=region or "",
            states=MappingProxyType(dict(self.states)),
            periods=tuple(self.periods),
            subregions=tuple(subregions),
            groups=tuple(groups),
            entries=tuple(entries),
            strategies=tuple(strategies),
            junctures=tuple(junctures),
            vocabulary=MappingProxyType(dict(self.kinds)),
            mutual_mechanisms=self.mutual_mechanisms,
            always_mutual_kinds=self.always_mutual_kinds,
            as_of=as_of,
            summary=summary,
        )
        return dataclasses.replace(facts, warnings=tuple(
            w.format(self.filename) for w in sorted(_warnings(facts), key=lambda w: (w.line or 0, w.key or ""))))

    def check_size(self, data: dict) -> None:
        """Refuse a file of more than `MAX_ENTRIES` entries at once, before any is checked."""
        total, crossed = 0, None
        for section, value in data.items():
            if section in LIST_SECTIONS and isinstance(value, list):
                total += len(value)
                if total > MAX_ENTRIES and crossed is None:
                    crossed = section
        if crossed is not None:
            raise FactFileError(self.filename, [Problem(
                f"the file has {total:,} entries (aliases count each time they are used); the limit is "
                f"{MAX_ENTRIES:,} across all sections, to bound the time a diagnosis takes",
                self.doc.line((crossed,)), crossed)])

    def check_reach(self, entries: list[Entry]) -> None:
        """Refuse entries that reach too far: too many entry-periods, or too many dyads named.

        A diagnosis costs time per entry and period it holds in, and per dyad
        the entries name; both can grow with the square of a small file (an
        entry without `period` holds in every one of many periods; `by: all`
        `against: all` names every pair of states).
        """
        reach = sum(len(entry.periods) for entry in entries)
        if reach > MAX_ENTRY_PERIODS:
            self.problem((), f"the entries hold in {reach:,} entry-periods (an entry without `period` or `year` "
                         f"holds in every period); the limit is {MAX_ENTRY_PERIODS:,}, to bound the time a "
                         "diagnosis takes: give entries their periods, or split the file")
        named = _dyads_named(entries, MAX_DYADS)
        if named > MAX_DYADS:
            self.problem((), f"the entries name more than {MAX_DYADS:,} dyads (each pair across `by` and "
                         f"`against`, or across `sides`), the limit, to bound the time a diagnosis takes: "
                         "name the pairs that matter, or a group's collective practice with `among`")

    def load_states(self, states: Any) -> None:
        if states is None:
            if "states" in self.doc.data:
                self.expect(("states",), states, "names")
            return
        if not isinstance(states, dict) or not states:
            self.expect(("states",), states, "names")
            return
        for code, name in states.items():
            path = ("states", code)
            if not _CODE.fullmatch(code):
                self.problem(path, f"state code '{code}' must match {S.CODE_PATTERN}")
            self.text(path, name, allow_number=True)
            self.states[code] = str(name)

    def load_periods(self, periods: Any) -> None:
        if periods is None:
            return
        if not isinstance(periods, list):
            self.expect(("periods",), periods, "periods")
            return
        previous: Period | None = None
        for index, item in enumerate(periods):
            path: Path_ = ("periods", index)
            if not isinstance(item, dict):
                self.expect(path, item, "a mapping with id, from and to")
                continue
            self.check_keys(path, item, S.PERIOD, "a period")
            pid = item.get("id")
            if not isinstance(pid, str) or not _PERIOD.fullmatch(pid):
                if "id" in item:
                    self.problem(path + ("id",), f"period id {_shape_of(pid)} must match {S.PERIOD_PATTERN}")
                continue
            if any(p.id == pid for p in self.periods):
                self.problem(path + ("id",), f"duplicate period id '{pid}'")
                continue
            start = self.integer(path + ("from",), item["from"], "year") if item.get("from") is not None else None
            end = self.integer(path + ("to",), item["to"], "year") if item.get("to") is not None else None
            if start is not None and end is not None and start > end:
                self.problem(path + ("to",), f"period '{pid}' ends ({end}) before it starts ({start})")
            period = Period(pid, start, end)
            if previous is not None and self.out_of_order(previous, period):
                self.problem(path + ("from",), f"period '{pid}' must start after period '{previous.id}' ends: "
                             "periods are ordered oldest first and do not overlap")
            self.periods.append(period)
            previous = period

    @staticmethod
    def out_of_order(previous: Period, period: Period) -> bool:
        first = period.start if period.start is not None else period.end
        if first is None:
            return False
        if previous.end is not None:
            return first <= previous.end
        return previous.start is not None  # an open-ended period can only be the last

    def load_members(self, section: str, groups: Any) -> list[Unit]:
        units: list[Unit] = []
        if groups is None:
            return units
        if not isinstance(groups, dict):
            self.expect((section,), groups, "members")
            return units
        kind = "subregion" if section == "subregions" else "group"
        label = "sub-region" if section == "subregions" else "group"
        for name, members in groups.items():
            path: Path_ = (section, name)
            # Reported, yet kept as a name: entries that use it then raise no second problem.
            self.one_line(path, name, f"a {label} name")
            self.declarations.setdefault(f"{section}.{name}", (f"the declaration of {label} '{name}'", path))
            if name in self.states:
                self.problem(path, f"'{name}' is already a state code: names and codes must be distinct")
                continue
            if name in self.names:
                self.problem(path, f"'{name}' is already the name of a group or sub-region")
                continue
            states = self.state_list(path, members)
            if states is None:
                continue
            if len(states) < 2:
                self.problem(path, f"a {kind} needs at least two states, got {len(states)}")
                continue
            self.names[name] = frozenset(states)
            units.append(Unit(f"{kind}:{name}", kind, name, frozenset(states), f"{section}.{name}"))
        return units

    def state_list(self, path: Path_, value: Any) -> list[str] | None:
        """A list of known state codes (no group names), reported where not."""
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.expect(path, value, "a list of state codes")
            return None
        ok = True
        for index, code in enumerate(value):
            if code in self.names:
                self.problem(path + (index,), f"'{code}' is a group or sub-region: expected a state code here")
                ok = False
            elif code not in self.states:
                self.problem(path + (index,), f"unknown state '{code}'{did_you_mean(code, self.states)}")
                ok = False
        return list(dict.fromkeys(value)) if ok else None

    def actors(self, path: Path_, value: Any) -> frozenset[str] | None:
        """States named by a code, a group or sub-region name, or a list of them."""
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(v, str) for v in names):
            self.expect(path, value, "actors")
            return None
        states: set[str] = set()
        ok = True
        for index, name in enumerate(names):
            where = path if isinstance(value, str) else path + (index,)
            if name in self.states:
                states.add(name)
            elif name in self.names:
                states |= self.names[name]
            else:
                known = list(self.states) + list(self.names)
                self.problem(where, f"unknown state, group or sub-region '{name}'{did_you_mean(name, known)}")
                ok = False
        return frozenset(states) if ok else None

    def items(self, section: str, value: Any):
        if value is None:
            return
        if not isinstance(value, list):
            self.expect((section,), value, "entries")
            return
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.expect((section, index), item, "a mapping (one entry)")
                continue
            self.check_keys((section, index), item, S.ENTRY_SPECS[section], f"{section} entries")
            yield index, item

    def entry_id(self, section: str, index: int, item: dict) -> str:
        path: Path_ = (section, index)
        entry_id = f"{section}[{index}]"
        if "id" in item:
            given = self.text(path + ("id",), item["id"])
            if given is not None:
                entry_id = given
                self.one_line(path + ("id",), given, "an id")
                if given in self.declarations:
                    what, where = self.declarations[given]
                    line = self.doc.line(where)
                    self.problem(path + ("id",), f"id '{given}' is already the fact id of {what}"
                                 f"{f' (line {line})' if line else ''}: entry ids must differ from declaration ids")
        if entry_id in self.ids:
            self.problem(path + ("id",), f"duplicate id '{entry_id}' (also {_dotted(self.ids[entry_id])})")
        self.ids[entry_id] = path
        return entry_id

    def entry_periods(self, path: Path_, item: dict) -> tuple[str | None, ...] | None:
        every = tuple(p.id for p in self.periods) or (None,)
        if "period" in item and "year" in item:
            self.problem(path + ("year",), "give `period` or `year`, not both")
            return None
        if "period" in item:
            pid = item["period"]
            known = [p.id for p in self.periods]
            if not isinstance(pid, str):
                self.expect(path + ("period",), pid, "period_id")
                return None
            if pid not in known:
                hint = did_you_mean(pid, known) if known else " (the file declares no periods)"
                self.problem(path + ("period",), f"unknown period '{pid}'{hint}")
                return None
            return (pid,)
        if "year" in item:
            year = self.integer(path + ("year",), item["year"], "year")
            if year is None:
                return None
            if not self.periods:
                return every
            matching = [p.id for p in self.periods if p.contains(year)]
            if not matching:
                spans = ", ".join(f"{p.id} {p.start or '…'}-{p.end or '…'}" for p in self.periods)
                self.problem(path + ("year",), f"year {year} is outside every period ({spans})")
                return None
            return (matching[0],)
        return every

    def common(self, path: Path_, item: dict) -> dict | None:
        """Fields every entry may carry, checked; None when unusable."""
        fields: dict[str, Any] = {}
        for key in ("agency", "issue", "source", "note"):
            if item.get(key) is not None:
                fields[key] = self.text(path + (key,), item[key], allow_number=key != "source")
                fields[key] = None if fields[key] is None else str(fields[key])
                if key in S.DIMENSIONS and not self.one_line(path + (key,), fields[key], "a label"):
                    fields[key] = None
        if item.get("sector") is not None:
            fields["sector"] = self.choice(path + ("sector",), item["sector"], S.SECTORS, "sector")
        for key in ("deliberate", "rooted"):
            if key in item:
                flag = self.boolean(path + (key,), item[key])
                if flag is not None:
                    fields[key] = flag
        return fields

    def actors_of(self, section: str, path: Path_, item: dict) -> tuple[frozenset[str], str, tuple] | None:
        """The entry's states, the form that names them, and its two ends (directed and two-sided forms)."""
        forms = [k for k in S.ACTOR_KEYS if k in item and (k != "sides" or section == "wars")]
        if section != "alliances" and "against" in item and "by" not in item:
            forms.append("against")
        allowed = "`members`, `between` or `among`" if section == "alliances" else \
            "`between`, `among`, `sides`, or `by` with `against`" if section == "wars" else \
            "`between`, `among`, or `by` with `against`"
        if len(forms) != 1:
            got = "none" if not forms else " and ".join(f"`{f}`" for f in forms)
            self.problem(path, f"name the actors with exactly one of {allowed}; got {got}")
            return None
        form = forms[0]
        if form == "against":
            self.problem(path + ("against",), "`against` needs `by` (who deters or acts)")
            return None
        if form == "by":
            if "against" not in item:
                self.problem(path + ("by",), "`by` needs `against` (toward whom)")
                return None
            by = self.actors(path + ("by",), item["by"])
            against = self.actors(path + ("against",), item["against"])
            if by is None or against is None:
                return None
            if not any(a != b for a in by for b in against):
                self.problem(path + ("against",), "`by` and `against` name the same single state")
                return None
            return by | against, "directed", (by, against)
        if form == "sides":
            return self.sides(path + ("sides",), item["sides"])
        if form == "between":
            value = item["between"]
            if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) for v in value):
                if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                    self.problem(path + ("between",), f"expected {S.SHAPES['pair']}, got {len(value)}: "
                                 f"{', '.join(value)}")
                else:
                    self.expect(path + ("between",), value, "pair")
                return None
            states = self.state_list(path + ("between",), value)
            if states is None:
                return None
            if len(states) != 2:
                self.problem(path + ("between",), "a dyad needs two different states")
                return None
            return frozenset(states), "between", ()
        states = self.actors(path + (form,), item[form])
        if states is None:
            return None
        if len(states) < 2:
            self.problem(path + (form,), f"`{form}` needs at least two states, got {len(states)}")
            return None
        if section == "wars" and len(states) > 2:
            self.problem(path + (form,), f"a war `among` {len(states)} states does not say who fights whom: name "
                         "the two sides with `sides: [[...], [...]]` (allies who fight together are not at war "
                         "with each other)")
            return None
        return states, form, ()

    def sides(self, path: Path_, value: Any) -> tuple[frozenset[str], str, tuple] | None:
        if not isinstance(value, list) or len(value) != 2:
            self.expect(path, value, "sides")
            return None
        ends = [self.actors(path + (i,), side) for i, side in enumerate(value)]
        if ends[0] is None or ends[1] is None:
            return None
        both = ends[0] & ends[1]
        if both:
            self.problem(path, f"{', '.join(sorted(both))} on both sides: a state fights on one side only")
            return None
        return ends[0] | ends[1], "sides", (ends[0], ends[1])

    def load_entry(self, section: str, index: int, item: dict) -> Entry | None:
        path: Path_ = (section, index)
        entry_id = self.entry_id(section, index, item)
        periods = self.entry_periods(path, item)
        fields = self.common(path, item)
        actors = self.actors_of(section, path, item)
        kinds, extra = self.kinds_of(section, path, item)
        if periods is None or fields is None or actors is None or kinds is None:
            return None
        states, form, ends = actors
        mutual = self.mutual(path, item, form, kinds) if (section, "mutual") not in S.REFUSED_KEYS else False
        if mutual is None:
            return None
        return Entry(id=entry_id, section=section, kinds=kinds, actors=states, form=form, ends=ends, mutual=mutual,
                     periods=periods, line=self.doc.line(path) or 0, **fields, **extra)

    def mutual(self, path: Path_, item: dict, form: str, kinds: tuple[str, ...]) -> bool | None:
        """`mutual: true`, where it is allowed: entries `among` states, of a mechanism that may be mutual."""
        if "mutual" not in item:
            return False
        flag = self.boolean(path + ("mutual",), item["mutual"])
        if flag is None:
            return None
        mechanisms = sorted(self.mutual_mechanisms)
        if form != "among" or not any(self.kinds.get(k) in self.mutual_mechanisms for k in kinds):
            what = " or ".join(m.replace("_", "-") for m in mechanisms) or "no"
            self.problem(path + ("mutual",), f"`mutual` applies only to {what} entries with `among`")
            return None
        return flag

    def kinds_of(self, section: str, path: Path_, item: dict) -> tuple[tuple[str, ...] | None, dict]:
        """The entry's kinds: `kind` in practices; elsewhere what the rule packs map the section to."""
        extra: dict[str, Any] = {}
        if section == "practices":
            if "kind" not in item:
                return None, {}
            kind = item["kind"]
            if not isinstance(kind, str):
                self.expect(path + ("kind",), kind, "kind")
                return None, {}
            if kind not in self.kinds:
                self.problem(path + ("kind",), f"unknown kind '{kind}'{did_you_mean(kind, self.kinds)}")
                return None, {}
            return (kind,), {}
        if section == "alliances":
            if "basis" not in item:
                return None, {}
            extra["basis"] = self.choice(path + ("basis",), item["basis"], S.ALLIANCE_BASES, "basis")
            if "against" in item and item["against"] not in (None, []):
                extra["against"] = self.actors(path + ("against",), item["against"])
            if extra["basis"] is None or extra.get("against", frozenset()) is None:
                return None, {}
        if section == "wars":
            if "level" not in item:
                return None, {}
            extra["level"] = self.choice(path + ("level",), item["level"], S.WAR_LEVELS, "level")
            if extra["level"] is None:
                return None, {}
        if "multilateral" in item and self.boolean(path + ("multilateral",), item["multilateral"]) is None:
            return None, {}
        given = {**item, **extra}
        kinds = tuple(kind for condition, named in self.section_kinds.get(section, ())
                      if all(given.get(key, False) == value for key, value in condition.items()) for kind in named)
        return tuple(dict.fromkeys(kinds)), extra

    def load_strategy(self, index: int, item: dict) -> Strategy | None:
        path: Path_ = ("strategies", index)
        entry_id = self.entry_id("strategies", index, item)
        periods = self.entry_periods(path, item)
        name = self.name(path + ("name",), item["name"]) if "name" in item else None
        by = self.actors(path + ("by",), item["by"]) if "by" in item else None
        combines = item.get("combines")
        mechanisms: list[str] = []
        if "combines" in item:
            if not isinstance(combines, list) or not combines or not all(isinstance(m, str) for m in combines):
                self.expect(path + ("combines",), combines, "mechanisms")
                combines = None
            else:
                for i, mechanism in enumerate(combines):
                    if mechanism not in self.mechanisms:
                        self.problem(path + ("combines", i),
                                     f"unknown mechanism '{mechanism}'{did_you_mean(mechanism, self.mechanisms)}")
                    mechanisms.append(mechanism)
        notes = self.common(path, {k: v for k, v in item.items() if k in ("source", "note", *S.DIMENSIONS)})
        overlaps = self.overlap_types(path + ("overlaps",), item["overlaps"]) if "overlaps" in item else ()
        scope = [dim for dim in S.DIMENSIONS if notes is not None and notes.get(dim) is not None]
        if len(scope) > 1:
            self.problem(path + (scope[1],), f"a strategy names at most one of sector, agency, issue; got "
                         f"{' and '.join(scope)}")
            return None
        if None in (periods, name, by, combines, notes, overlaps):
            return None
        dimension = scope[0] if scope else None
        return Strategy(entry_id, name, by, tuple(mechanisms), periods, self.doc.line(path) or 0,  # type: ignore[arg-type]
                        overlaps, dimension, notes.get(dimension) if dimension else None,  # type: ignore[union-attr]
                        notes.get("source"), notes.get("note"))  # type: ignore[union-attr]

    def overlap_types(self, path: Path_, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.expect(path, value, "overlap_types")
            return None
        unknown = [(i, v) for i, v in enumerate(value) if v not in S.OVERLAP_TYPES]
        for i, v in unknown:
            self.problem(path + (i,), f"unknown overlap type '{v}': expected one of {', '.join(S.OVERLAP_TYPES)}"
                         f"{did_you_mean(v, S.OVERLAP_TYPES)}")
        return None if unknown else tuple(dict.fromkeys(value))

    def load_juncture(self, index: int, item: dict) -> Juncture | None:
        path: Path_ = ("junctures", index)
        entry_id = self.entry_id("junctures", index, item)
        periods = self.entry_periods(path, item)
        name = self.name(path + ("name",), item["name"]) if "name" in item else None
        notes = self.common(path, {k: v for k, v in item.items() if k in ("source", "note")})
        if None in (periods, name, notes):
            return None
        return Juncture(entry_id, name, periods, self.doc.line(path) or 0,  # type: ignore[arg-type]
                        notes.get("source"), notes.get("note"))


def _dyads_named(entries: list[Entry], limit: int) -> int:
    """How many dyads the entries name, counted only up to just past ``limit`` (never enumerating far beyond)."""
    seen: set = set()
    ends_done: set = set()
    for entry in entries:
        if not entry.ends:
            if len(entry.actors) == 2:
                seen.add(tuple(sorted(entry.actors)))
        elif entry.ends not in ends_done:
            ends_done.add(entry.ends)
            first, second = entry.ends
            if (len(first) * len(second) - len(first & second)) // 2 > limit:  # at least this many: refuse now
                return limit + 1
            seen.update(entry.pairs)
        if len(seen) > limit:
            break
    return len(seen)


def _warnings(facts: FactBase) -> list[Problem]:
    """Entries that are valid but probably not what was meant (shown by `validate` and `run`)."""
    out: list[Problem] = []
    alliances = [e for e in facts.entries if e.section == "alliances"]
    region = frozenset(facts.states)
    for entry in facts.entries:
        if entry.mutual and len(entry.actors) > 2:
            for ally in alliances:
                shared = sorted(entry.actors & ally.actors)
                if len(shared) >= 2 and set(entry.periods) & set(ally.periods):
                    out.append(Problem(
                        f"warning: `mutual: true` sets {shared[0]} and {shared[1]}, members of alliance '{ally.id}', against "
                        "each other; for their collective practice toward outsiders drop `mutual`, or name the "
                        "rivals with `by:` + `against:`", entry.line, f"{entry.id}.mutual"))
                    break
        elif entry.form == "among" and len(entry.actors) > 2 and entry.actors == region and \
                any(facts.vocabulary.get(k) in facts.mutual_mechanisms and k not in facts.always_mutual_kinds
                    for k in entry.kinds):
            out.append(Problem(
                "warning: a collective practice of every state of the region faces no one in the file: write `mutual: true` "
                "if they balance each other, or name the two ends with `by:` + `against:`", entry.line, entry.id))
    return out
