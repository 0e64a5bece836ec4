"""Names for people: the Jinja filters of the report templates, usable from Python too.

Each takes the `FactBase` first (bound by `report_filters`), so a template
writes ``{{ row.unit | unit_name }}`` and never needs the fact base itself.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Callable, Iterable

from markupsafe import Markup, escape

from ..model import FactBase
from .text import MECHANISM_NAMES, unit_label

STATUS_NAMES = {"active": "active", "formal_only": "formal only", "broken_down": "broken down",
                "not_evident": "not evident"}


def unit_name(facts: FactBase, unit: str) -> str:
    """`North America (sub-region)`, `Greece–Turkey (dyad)`, `Southeast Asia (region)`."""
    return unit_label(unit, facts)


def period_label(facts: FactBase, period: str | None) -> str:
    """`cold war (1975–1989)`, `post cold war (1990 onwards)`; empty for a file without periods."""
    if period is None:
        return ""
    found = next((p for p in facts.periods if p.id == period), None)
    name = period.replace("_", " ")
    if found is None or (found.start is None and found.end is None):
        return name
    if found.start is not None and found.end is not None:
        years = f"{found.start}–{found.end}" if found.start != found.end else str(found.start)
    elif found.start is not None:
        years = f"{found.start} onwards"
    else:
        years = f"until {found.end}"
    return f"{name} ({years})"


def state_list(facts: FactBase, codes: Iterable[str]) -> str:
    """`Greece, Turkey and Cyprus`: display names in the file's order of states."""
    order = {code: i for i, code in enumerate(facts.states)}
    names = [facts.states.get(code, code) for code in sorted(set(codes), key=lambda c: (order.get(c, len(order)), c))]
    return and_list(names)


def and_list(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def mechanism_name(mechanism: str) -> str:
    """`balance of power`; a pack's mechanism by its name, underscores read as spaces."""
    return MECHANISM_NAMES.get(mechanism, mechanism.replace("_", " "))


def upper_first(text: str) -> str:
    """`Balance of power`: the first letter raised, the rest left as written (unlike `str.capitalize`)."""
    return text[:1].upper() + text[1:]


def status_name(status: str) -> str:
    """`formal only`, `broken down`, ..."""
    return STATUS_NAMES.get(status, status.replace("_", " "))


def anchor(text: str) -> str:
    """A fragment id for any fact id: letters, digits, `_` and `-` kept, anything else spelled as its code point.

    Fact ids are free text (`practices[3]`, or an id with spaces); distinct ids keep distinct anchors.
    """
    return "".join(c if c.isascii() and (c.isalnum() or c in "_-") else f".{ord(c):x}." for c in text)


def report_filters(facts: FactBase) -> dict[str, Callable[..., str]]:
    """The filters a report environment registers, bound to the fact base it describes."""
    return {
        "unit_name": partial(unit_name, facts),
        "period_label": partial(period_label, facts),
        "state_list": partial(state_list, facts),
        "and_list": and_list,
        "mechanism_name": mechanism_name,
        "status_name": status_name,
        "upper_first": upper_first,
        "anchor": anchor,
    }


def breakable(text: str) -> Markup:
    """HTML text that may wrap after `_`, `.` or `-` (long fact ids in narrow table columns), escaped."""
    return Markup("").join(escape(part) + Markup("<wbr>") if part.endswith(("_", ".", "-")) else escape(part)
                           for part in re.split(r"(?<=[_.-])", text))


class MarkdownText(str):
    """Text that is already Markdown: `escape_markdown` leaves it as it is."""


# Characters that start Markdown or HTML markup wherever they stand; a backslash makes each literal.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~])")
# A list marker at the start of a line makes a list, wherever the value lands on a line of its own.
_LIST_MARKER = re.compile(r"^(?:(\d+)([.)])|([-+]))(?=\s|$)")


def escape_markdown(value: object) -> str:
    """A value as literal Markdown text, on one line (so it cannot break a table or start a heading).

    The Markdown environment applies it to every ``{{ ... }}``, as autoescape
    does for HTML: text from a fact file never becomes markup.
    """
    if isinstance(value, MarkdownText):
        return value
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(value)))
    return _LIST_MARKER.sub(lambda m: f"\\{m[3]}" if m[3] else f"{m[1]}\\{m[2]}", text)


def markdown_code(value: object) -> MarkdownText:
    """An inline code span, fenced with more backticks than the text holds (fact ids, file names)."""
    text = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownText(f"{fence}{pad}{text}{pad}{fence}")
