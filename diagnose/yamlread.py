"""Read a YAML file as plain data, keeping the line of every key and value.

Only data is read: no tag builds an object (``!!python/object`` and friends are
refused, never constructed) and no tag changes a value's type (``!!int abc``,
``!!str 12``: every tag on a scalar is refused), plain scalars follow the YAML
1.2 core schema so that ``NO`` or ``ON`` stay strings, numbers are finite (JSON
has no infinity), and the file's kind (a regular file: never a FIFO or a
device), size, nesting depth and alias expansion are bounded before any Python
object is built. At most ``MAX_BYTES + 1`` bytes are ever read.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .controls import visible

from .errors import FactFileError, Problem

MAX_BYTES = 16 * 1024 * 1024
"""Largest fact file read (16 MiB, far above a world-sized file)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted (fact files need 4)."""
MAX_NODES = 2_000_000
"""Most values a file may expand to once aliases are followed."""

Path_ = tuple[str | int, ...]

_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_STANDARD = "tag:yaml.org,2002:"
_RETYPING = {"!", *(_STANDARD + t for t in ("str", "int", "float", "bool", "null"))}
"""Tags that only choose a scalar's type: refused with advice (other tags are refused as objects)."""
_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
def printable_problem(problem: Problem) -> Problem:
    """The problem with its message and key made `visible` (one line each)."""
    return Problem(visible(problem.message), problem.line, None if problem.key is None else visible(problem.key))


def refused(filename: str, problems: list[Problem]) -> FactFileError:
    """A `FactFileError` whose every problem is one printable line."""
    return FactFileError(filename, [printable_problem(p) for p in problems])


@dataclass(frozen=True)
class Document:
    """Plain data read from a file, with the 1-based line of each path."""

    data: Any
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int | None:
        """The line of ``path``, or of its closest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def read_yaml(path: str | Path, expected: str = "a mapping with schema, region and states") -> Document:
    """Read ``path``; raise :class:`FactFileError` with every reason it is refused.

    ``expected`` says what the file should hold, for the message on an empty one.
    """
    name = str(path)
    raw = _read_bytes(path, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FactFileError(
            name, [Problem(f"not UTF-8 text: byte 0x{raw[e.start]:02x} at offset {e.start} cannot be decoded")]
        ) from e
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise FactFileError(name, [Problem(f"the file is empty: expected {expected}")])
    try:
        tagged = _scan(text, name)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as e:
        char = e.character if isinstance(e.character, str) else chr(e.character)
        at = text.find(char)
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        raise FactFileError(name, [Problem(f"invalid YAML: unacceptable character #x{ord(char):04x}: {e.reason}",
                                           line)]) from e
    except yaml.YAMLError as e:
        raise refused(name, [_yaml_problem(e)]) from e
    if node is None:
        raise FactFileError(name, [Problem(f"the file is empty: expected {expected}")])
    size, depth = _expanded_size(node, {})
    if size > MAX_NODES:
        raise FactFileError(name, [Problem(
            f"aliases expand the file to more than {MAX_NODES:,} values, the limit (an alias bomb?)",
            node.start_mark.line + 1)])
    if depth > MAX_DEPTH:
        raise FactFileError(name, [Problem(f"aliases nest the file more than {MAX_DEPTH} levels deep",
                                           node.start_mark.line + 1)])
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []
    data = _to_data(node, (), lines, problems, tagged)
    if problems:
        raise refused(name, problems)
    return Document(data, lines)


def _read_bytes(path: str | Path, name: str) -> bytes:
    """The file's bytes: a regular file only (opened without blocking), never more than ``MAX_BYTES + 1`` read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise FactFileError(name, [Problem(f"cannot read the file: {e.strerror or e}")]) from e
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            kind = next((what for test, what in _FILE_KINDS if test(found.st_mode)), "a special file")
            raise FactFileError(name, [Problem(f"expected a regular file, got {kind}")])
        if found.st_size > MAX_BYTES:
            raise FactFileError(name, [Problem(f"file is {found.st_size:,} bytes; the limit is {MAX_BYTES:,}")])
        with os.fdopen(fd, "rb") as file:
            fd = -1  # closed with the file
            raw = file.read(MAX_BYTES + 1)  # the file may have grown since fstat
    except OSError as e:
        raise FactFileError(name, [Problem(f"cannot read the file: {e.strerror or e}")]) from e
    finally:
        if fd >= 0:
            os.close(fd)
    if len(raw) > MAX_BYTES:
        raise FactFileError(name, [Problem(f"file is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}")])
    return raw


def _scan(text: str, name: str) -> dict[int, str]:
    """Check the nesting depth on the parser's events; return the explicit tags of scalars, by offset.

    A composed node no longer says whether its tag was written (`!!str 12`)
    or resolved (`12`); the events do.
    """
    depth = 0
    tagged: dict[int, str] = {}
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.ScalarEvent):
            if event.tag is not None:
                tagged[event.start_mark.index] = event.tag
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1
                raise FactFileError(name, [Problem(f"nested more than {MAX_DEPTH} levels deep", line)])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return tagged


def _yaml_problem(e: yaml.YAMLError) -> Problem:
    """One line from a YAML error: what the parser was doing (and from which line), then what it found."""
    problem, context = getattr(e, "problem", None), getattr(e, "context", None)
    problem_mark, context_mark = getattr(e, "problem_mark", None), getattr(e, "context_mark", None)
    line = (problem_mark or context_mark).line + 1 if (problem_mark or context_mark) else None
    if problem and context:
        started = context_mark.line + 1 if context_mark else line
        reason = f"{context} (line {started}): {problem}" if started != line else f"{context}: {problem}"
    else:
        reason = problem or context or str(e).splitlines()[0]
    return Problem(f"invalid YAML: {reason}", line)


def _expanded_size(node: yaml.Node, memo: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """Count values, and nesting depth, as if aliases were copied, visiting each node once."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = (MAX_NODES + 1, MAX_DEPTH + 1)  # a node reached again while being counted is a cycle
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        memo[key] = (1, 0)
        return memo[key]
    size, depth = 1, 0
    for child in children:
        child_size, child_depth = _expanded_size(child, memo)
        size, depth = size + child_size, max(depth, child_depth)
    memo[key] = (min(size, MAX_NODES + 1), min(depth + 1, MAX_DEPTH + 1))
    return memo[key]


def _to_data(node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list[Problem],
             tagged: dict[int, str]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        _refuse_tag(node, "tag:yaml.org,2002:map", path, problems)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _to_data(key_node, path + ("<key>",), {}, problems, tagged)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                problems.append(Problem("keys must be plain names", key_node.start_mark.line + 1, _where(path)))
                continue
            key = str(key)
            if key in result:
                problems.append(Problem(f"duplicate key '{key}'", key_node.start_mark.line + 1,
                                        _dotted(path + (key,))))
            lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _to_data(value_node, path + (key,), lines, problems, tagged)
        return result
    if isinstance(node, yaml.SequenceNode):
        _refuse_tag(node, "tag:yaml.org,2002:seq", path, problems)
        return [_to_data(v, path + (i,), lines, problems, tagged) for i, v in enumerate(node.value)]
    return _scalar(node, path, problems, tagged.get(node.start_mark.index))


def _where(path: Path_) -> str | None:
    """The key a problem at ``path`` names (computed only for problems: most nodes have none)."""
    return _dotted(path) or None


def _refuse_tag(node: yaml.Node, expected: str, path: Path_, problems: list[Problem]) -> None:
    if node.tag != expected:
        problems.append(Problem(f"tag {_short(node.tag)} is not allowed: a fact file holds plain data only",
                                node.start_mark.line + 1, _where(path)))


def _scalar(node: yaml.ScalarNode, path: Path_, problems: list[Problem], explicit: str | None) -> Any:
    value, tag, line = node.value, node.tag, node.start_mark.line + 1
    if explicit in _RETYPING:
        # `!!int abc` would become null, `!!str 12` a number, `! 12` too: a
        # tag never chooses a type here, the value as written does.
        problems.append(Problem(f"tag {_short(explicit)} is not allowed: a fact file holds plain data only; "
                                "write the value without it (in quotes to keep it text)", line, _where(path)))
        return None
    if tag != _STANDARD + "str" or explicit is not None:
        problems.append(Problem(f"tag {_short(explicit or tag)} is not allowed: a fact file holds plain data only",
                                line, _where(path)))
        return None
    # Untagged scalars arrive with the str tag; only plain (unquoted) ones are
    # resolved, so quoting is how a writer keeps `"12"` a string.
    if node.style:
        return value
    result = _plain(value)
    if isinstance(result, float) and not math.isfinite(result):
        problems.append(Problem(f"number {value} is out of range: expected a finite number", line, _where(path)))
        return None
    return result


def _plain(text: str) -> Any:
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        return _int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def _int(text: str) -> int | str:
    """An integer, or the text itself when it has too many digits to convert."""
    try:
        return int(text)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        return text


def _short(tag: str) -> str:
    return "!!" + tag[len(_STANDARD):] if tag.startswith(_STANDARD) else tag


def _dotted(path: Path_) -> str:
    """``practices[3].kind``: a path as messages name it (control characters shown as escapes)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return visible(out)
