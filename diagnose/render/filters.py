"""Names for people: the Jinja filters of the report templates, usable from Python too.

Each takes the `FactBase` first (bound by `report_filters`), so a template
writes ``{{ row.unit | unit_name }}`` and never needs the fact base itself.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Callable, Iterable, Mapping
from urllib.parse import quote

from markupsafe import Markup, escape

from ..model import FactBase
from .text import mechanism_name as _mechanism_words, unit_label

STATUS_NAMES = {"active": "active", "nascent": "nascent", "decaying": "decaying", "formal_only": "formal only",
                "broken_down": "broken down", "not_evident": "not evident"}
FACING_NAMES = {"inward": "facing inward", "outward": "facing outward", "both": "facing inward and outward"}
COUPLING_NAMES = {"loose": "loosely coupled", "tight": "tightly coupled"}
QUALIFIERS = ("variant", "facing", "phase", "coupling")
"""The fields that qualify a mechanism row's status, in the order a brief names them."""


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
    if _names_its_years(period, found.start, found.end):  # `p1946_1955`, as `diagnose import` writes: the years say it
        return years
    return f"{name} ({years})"


def _names_its_years(period: str, start: int | None, end: int | None) -> bool:
    """Whether a period id is only its years (`p1946_1955`, `1990-1999`), so that saying both repeats them."""
    found = re.fullmatch(r"p?(\d{4})(?:[_-](\d{4}))?", period)
    return found is not None and [int(y) for y in found.groups() if y] in ([start, end], [start]) \
        and None not in (start, end)


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
    return _mechanism_words(mechanism)


def upper_first(text: str) -> str:
    """`Balance of power`: the first letter raised, the rest left as written (unlike `str.capitalize`)."""
    return text[:1].upper() + text[1:]


def status_name(status: str) -> str:
    """`formal only`, `broken down`, ..."""
    return STATUS_NAMES.get(status, status.replace("_", " "))


def _field(row: object, name: str) -> str | None:
    """A field of a mechanism row, a dict of one (the briefing's cells) or None where it has none."""
    return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)


def qualifier_names(row: object) -> list[str]:
    """What qualifies a row's status, in words: `adversarial`, `facing outward`; `mature`, `tightly coupled`.

    ``row`` is a `MechanismRow` or a dict with its fields (``status``,
    ``variant``, ``facing``, ``phase``, ``coupling``; missing ones count as
    null). The phase of a nascent row is its status, so it is not repeated.
    """
    words = []
    for name in QUALIFIERS:
        value = _field(row, name)
        if not value or (name == "phase" and value == _field(row, "status")):
            continue
        if name == "facing":
            value = FACING_NAMES.get(value, f"facing {value.replace('_', ' ')}")
        elif name == "coupling":
            value = COUPLING_NAMES.get(value, f"{value.replace('_', ' ')} coupling")
        words.append(value.replace("_", " "))
    return words


def status_label(row: object) -> str:
    """A row's status with what qualifies it: `active, adversarial, facing outward`; `nascent`; `decaying`."""
    return ", ".join([status_name(_field(row, "status") or ""), *qualifier_names(row)])


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
        "status_label": status_label,
        "qualifier_names": qualifier_names,
        "upper_first": upper_first,
        "anchor": anchor,
    }


def breakable(text: str) -> Markup:
    """HTML text that may wrap after `_`, `.` or `-` (long fact ids in narrow table columns), escaped."""
    return Markup("").join(escape(part) + Markup("<wbr>") if part.endswith(("_", ".", "-")) else escape(part)
                           for part in re.split(r"(?<=[_.-])", text))


def spaced_markup(text: str) -> Markup:
    """A macro's HTML output (already escaped) on one line: the template's line breaks become spaces."""
    return Markup(" ".join(str(text).split()))


def spaced_markdown(text: str) -> MarkdownText:
    """A macro's Markdown output (each value in it already escaped) on one line, left as it is after that."""
    return MarkdownText(" ".join(str(text).split()))


def file_link(name: str) -> str:
    """A link to the file ``name`` beside the page: the name percent-encoded, every character but letters,
    digits and ``_.-~``.

    So it is only ever a relative link to a file in the same folder: with
    ``:`` and ``/`` encoded no scheme and no host can be read from it (a
    file named ``javascript:alert(1);void(0).yaml`` links as
    ``javascript%3Aalert%281%29%3Bvoid%280%29.html``, never as a
    `javascript:` URL), and no character of it can end the attribute.
    """
    return quote(name, safe="")


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


def markdown_code(value: object, cell: bool = False) -> MarkdownText:
    """An inline code span, fenced with more backticks than the text holds (fact ids, file names).

    Inside a code span every character is literal (``<img ...>`` shows as
    written), so nothing else needs escaping, with one exception: a table row
    is cut into cells at each ``|`` before any span in it is read, so in a
    table cell (``cell=True``, ``{{ fact.id | code(cell=True) }}``) a ``|``
    is written ``\\|``, which GFM tables read as ``|`` even inside code. Outside
    a table the backslash would show, so a code span in prose keeps ``|``.
    """
    text = " ".join(str(value).split())
    if cell:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownText(f"{fence}{pad}{text}{pad}{fence}")
