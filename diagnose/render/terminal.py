"""Wrapping text for a terminal in time linear in the text (control characters: `diagnose.controls`).

`wrap` is `textwrap.wrap` with the same lines, but a word longer than a line
is cut where it lies instead of copied once per line (a 2 MB name took 45 s).
"""

from __future__ import annotations

import textwrap


class _LinearWrapper(textwrap.TextWrapper):
    """`textwrap.TextWrapper`'s lines, in linear time.

    The standard library breaks a word longer than a line by replacing it,
    line after line, with the copy of what is left of it (and strips that
    copy to see whether it is whitespace): quadratic in the word's length.
    Here the word stays where it is and a position moves along it, and the
    lines it fills whole are cut in one pass.
    """

    def _munge_whitespace(self, text: str) -> str:  # as the standard library's, without its slow translate
        if self.expand_tabs:
            text = text.expandtabs(self.tabsize)
        if self.replace_whitespace:
            for char in "\t\n\x0b\x0c\r":
                text = text.replace(char, " ")
        return text

    def _wrap_chunks(self, chunks: list[str]) -> list[str]:
        if self.width <= 0:
            raise ValueError(f"invalid width {self.width!r} (must be > 0)")
        if self.max_lines is not None:
            raise ValueError("max_lines is not supported")
        lines: list[str] = []
        stripped: dict[int, int] = {}  # chunk index -> length without trailing whitespace (computed once)

        def rest_is_space(i: int, start: int) -> bool:  # chunks[i][start:].strip() == ""
            if i not in stripped:
                stripped[i] = len(chunks[i].rstrip())
            return stripped[i] <= start

        i, start, count = 0, 0, len(chunks)  # the next chunk, and how much of it earlier lines took
        while i < count:
            cur_line: list[str] = []
            cur_len = 0
            indent = self.subsequent_indent if lines else self.initial_indent
            width = self.width - len(indent)
            if self.drop_whitespace and lines and rest_is_space(i, start):
                i, start = i + 1, 0
            if (lines and i < count and len(chunks[i]) - start > width >= 1 and self.break_long_words
                    and not self.break_on_hyphens and self.drop_whitespace):
                # A word longer than a line, at the start of a line: each line it fills takes `width` of it, the
                # loop below would cut them one by one. Cut them all at once, while more than a line of it is
                # left and the rest is not whitespace (which the next line would drop).
                chunk = chunks[i]
                if not rest_is_space(i, start):
                    starts = range(start, min(stripped[i], len(chunk) - width), width)
                    lines.extend(indent + chunk[at:at + width] for at in starts
                                 if not chunk[at:at + width].isspace())
                    start += len(starts) * width
                    continue
            while i < count:
                size = len(chunks[i]) - start
                if cur_len + size > width:
                    break
                cur_line.append(chunks[i][start:] if start else chunks[i])
                cur_len += size
                i, start = i + 1, 0
            if i < count and len(chunks[i]) - start > width:  # a word too long for any line
                space_left = 1 if width < 1 else width - cur_len
                chunk = chunks[i]
                if self.break_long_words:
                    end = space_left
                    if self.break_on_hyphens and len(chunk) - start > space_left:
                        hyphen = chunk.rfind("-", start, start + space_left) - start
                        if hyphen > 0 and chunk[start:start + hyphen].strip("-"):
                            end = hyphen + 1
                    cur_line.append(chunk[start:start + end])
                    start += end
                elif not cur_line:
                    cur_line.append(chunk[start:])
                    i, start = i + 1, 0
                cur_len = sum(map(len, cur_line))
            if self.drop_whitespace and cur_line and cur_line[-1].strip() == "":
                cur_len -= len(cur_line[-1])
                del cur_line[-1]
            if cur_line:
                lines.append(indent + "".join(cur_line))
        return lines


def wrap(text: str, width: int = 70, *, initial_indent: str = "", subsequent_indent: str = "",
         break_on_hyphens: bool = True) -> list[str]:
    """`textwrap.wrap` with these options, the same lines, in time linear in ``text``."""
    return _LinearWrapper(width, initial_indent=initial_indent, subsequent_indent=subsequent_indent,
                          break_on_hyphens=break_on_hyphens).wrap(text)
