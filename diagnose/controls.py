"""Control characters in text from a fact file: found (names may hold none) and shown, never obeyed.

A terminal acts on control characters: ESC starts escape sequences (OSC 0
sets the window title, OSC 52 writes the clipboard), CR returns to the start
of the line, BEL rings; line separators split one line into two, and the
bidirectional overrides reorder what is shown. Names refuse them
(`has_control`); everything printed spells them as escapes (`visible`).
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Control characters (Unicode category Cc: C0, DEL and C1, where U+009B is CSI and U+009D OSC to some
terminals), the line and paragraph separators (Zl, Zp), and the bidirectional embeddings, overrides and
isolates."""
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character, a line break or a bidirectional override."""
    return CONTROL.search(text) is not None


def _escape(char: str) -> str:
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character spelled as an escape: ``\\x1b``, ``\\x07``, ``\\r``, ``\\u202e``.

    ``keep`` names the controls left as they are: a multi-line message keeps
    ``"\\n"``; free text about to be wrapped keeps ``"\\n\\t"`` (wrapping makes
    them spaces). A one-line field keeps none, so a newline in a name cannot
    split a line. Text without controls comes back unchanged (the same object).
    """
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda m: m[0] if m[0] in keep else _escape(m[0]), text)
