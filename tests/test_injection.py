"""Hostile text from a fact file is shown, never obeyed: in Markdown, HTML, CSV and at a terminal (issue 13).

Each output has its own context: a table cell and a code span in Markdown,
an attribute and a link in HTML, a cell a spreadsheet may run as a formula,
a terminal that acts on escape sequences. And text wrapping stays linear,
so a long name cannot make `diagnose run` take minutes.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from diagnose import diagnose, load_facts
from diagnose.batch import Outcome, summary_csv
from diagnose.cli import cli
from diagnose.errors import DiagnoseError, FactFileError, Problem
from diagnose.packs import rulebase
from diagnose.render.filters import escape_markdown, markdown_code
from diagnose.render.report import report_environment
from diagnose.controls import visible
from diagnose.render.terminal import wrap
from diagnose.render.text import render_text
from diagnose.render.trace import trace_to_stderr

# An id and a group name that close a table cell and open raw HTML; state names with backticks and pipes.
HOSTILE = r"""
schema: 1
region: "R|<b>x</b>"
summary: "A summary | with <img src=s onerror=alert(9)> and `ticks`."
states: {AAA: "Al`pha|one", BBB: "B``|<script>alert(3)</script>", CCC: Corra}
groups: {"G|<script>alert(1)</script>": [AAA, BBB, CCC]}
consultation_norms:
  - {id: "x|<img src=x onerror=alert(1)>", among: "G|<script>alert(1)</script>", multilateral: true}
unfortified_borders:
  - {id: "b|`<img src=y onerror=alert(2)>`", among: [AAA, BBB, CCC]}
practices:
  - {id: trade, kind: economic_integration, among: [AAA, BBB, CCC], source: "s|<img src=z>",
     note: "n`|`<script>x</script> &amp; &#60;b&#62;"}
"""

SMALL = """\
schema: 1
region: Small region
states: {AAA: Aland, BBB: Bolan, CCC: Corra}
practices:
  - {id: talks, kind: consultation, among: [AAA, BBB, CCC]}
  - {id: trade, kind: economic_integration, among: [AAA, BBB, CCC]}
  - {id: restraint, kind: self_restraint, among: [AAA, BBB, CCC]}
"""

# What a terminal obeys: OSC 0 sets the window title, OSC 52 writes the clipboard, CSI clears the screen
# (ESC [ or the C1 control U+009B), CR returns to the start of the line, BEL rings; and NUL, DEL.
TERMINAL = "\x1b]0;pwned\x07 \x1b]52;c;ZWNobyBwd25lZA==\x07 \x1b[2J\x9b2J \rover\x00\x7f"
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def invoke(cli_runner, *args):
    return cli_runner.invoke(cli, [str(a) for a in args])


# --- Markdown: table cells and code spans -------------------------------------------------------------------

def split_row(line: str) -> list[str]:
    """The cells of a GFM table row: split at each `|` not escaped by a backslash, `\\|` read as `|`."""
    cells, current, i = [], "", 0
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    while i < len(body):
        if body[i] == "\\" and body[i + 1:i + 2] == "|":
            current += "|"
            i += 2
        elif body[i] == "|":
            cells.append(current)
            current, i = "", i + 1
        else:
            current, i = current + body[i], i + 1
    return [*cells, current]


def live_markup(inline: str) -> list[str]:
    """Characters of ``inline`` Markdown that would start raw HTML or an entity: `<` or `&` that is neither
    backslash-escaped nor inside a code span (CommonMark's rules for both)."""
    found, i = [], 0
    while i < len(inline):
        char = inline[i]
        if char == "\\" and i + 1 < len(inline) and not inline[i + 1].isalnum() and not inline[i + 1].isspace():
            i += 2
        elif char == "`":
            run = len(inline[i:]) - len(inline[i:].lstrip("`"))
            closing = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(inline, i + run)
            i = closing.end() if closing else i + run
        else:
            if char in "<&":
                found.append(inline[i:i + 20])
            i += 1
    return found


@pytest.fixture
def hostile(tmp_path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


@pytest.fixture
def hostile_markdown(cli_runner, hostile, tmp_path) -> str:
    target = tmp_path / "out" / "brief.md"
    result = invoke(cli_runner, "report", hostile, "--format", "markdown", "--output", target)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def test_code_spans_escape_a_pipe_only_in_a_table_cell():
    assert markdown_code("x|<img src=x>") == "`x|<img src=x>`"  # prose: shown as written
    assert markdown_code("x|<img src=x>", cell=True) == "`x\\|<img src=x>`"  # GFM reads \| as | in a cell
    assert markdown_code("a`b|c", cell=True) == "``a`b\\|c``"
    assert markdown_code("`x`", cell=True) == "`` `x` ``"
    assert escape_markdown("G|<script>&") == "G\\|\\<script\\>\\&"


def test_markdown_tables_keep_their_columns_and_no_html_gets_through(hostile_markdown):
    text = hostile_markdown
    tables = 0
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("|") and number + 1 < len(lines) and re.fullmatch(r"\|(?:-+\|)+", lines[number + 1]):
            tables += 1
            columns = len(split_row(line))
            for row in lines[number + 2:]:
                if not row.startswith("|"):
                    break
                cells = split_row(row)
                assert len(cells) == columns, row
                for cell in cells:
                    assert not live_markup(cell), (cell, row)
    assert tables >= 4  # mechanisms, evidence, thresholds, rules
    for paragraph in re.split(r"\n\s*\n", text):
        if not paragraph.startswith("|"):
            assert not live_markup(paragraph), paragraph
    # Ids as written: code spans in prose keep `|`, in a table cell it is `\|`.
    assert "without `x|<img src=x onerror=alert(1)>` (consultation and multilateral decision making), it" in text
    assert "| `x\\|<img src=x onerror=alert(1)>` |" in text
    assert "| `groups.G\\|<script>alert(1)</script>` |" in text
    assert "| `` b\\|`<img src=y onerror=alert(2)>` `` |" in text
    assert "Al\\`pha\\|one" in text and "B\\`\\`\\|\\<script\\>alert(3)\\</script\\>" in text


class Elements(HTMLParser):
    """Every element of an HTML page with its attributes, and its text."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]


def test_markdown_brief_in_a_commonmark_renderer(hostile_markdown):
    """Where markdown-it-py is installed: render with GFM tables and raw HTML allowed, as many sites do."""
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(hostile_markdown)
    page = Elements(html)
    assert not page.tags("script") and not page.tags("b")
    assert [img["src"] for img in page.tags("img")] == ["brief-network.svg"]  # the figure, nothing else
    plain = "".join(page.text)
    assert "x|<img src=x onerror=alert(1)>" in plain and "groups.G|<script>alert(1)</script>" in plain
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        widths = {len(re.findall(r"<t[hd]>", row)) for row in re.findall(r"<tr>.*?</tr>", table, re.S)}
        assert len(widths) == 1, table


# --- HTML: autoescape, attributes, links --------------------------------------------------------------------

def test_every_html_template_autoescapes(hostile):
    rules = rulebase()
    facts = load_facts(hostile, rules)
    for fmt in ("html", "pdf"):
        environment = report_environment(facts, rules, fmt)
        for name in ("brief.html.j2", "brief.pdf.j2", "words.j2", "partial_of_a_pack.j2", "style.css.j2"):
            assert environment.autoescape is True or environment.autoescape(name), (fmt, name)
        template = environment.from_string('<td title="{{ value }}">{{ value }}</td>')
        assert template.render(value='"><script>x</script>') == (
            '<td title="&#34;&gt;&lt;script&gt;x&lt;/script&gt;">&#34;&gt;&lt;script&gt;x&lt;/script&gt;</td>')


def test_html_brief_attributes_hold_the_text_as_written(cli_runner, hostile):
    result = invoke(cli_runner, "report", hostile, "--format", "html", "--output", "-")
    assert result.exit_code == 0, result.output
    page = Elements(result.output)
    assert not page.tags("script") and not page.tags("b")
    assert not [img for img in page.tags("img")]  # figures are inline SVG
    for tag, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith("#"), attrs  # a brief links only within itself
    titles = [attrs["title"] for attrs in page.tags("td") if "title" in attrs]
    assert any("G|<script>alert(1)</script>" in title for title in titles), titles


def test_batch_index_links_only_files_beside_it(cli_runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("javascript:alert(1);void(0).yaml", "plain.yaml", 'quote" onmouseover="alert(1).yaml'):
        (folder / name).write_text(SMALL, encoding="utf-8")
    out = tmp_path / "out"
    paths = sorted(str(p) for p in folder.iterdir())
    result = invoke(cli_runner, "batch", *paths, "--output-dir", out, "--jobs", "1", "--report", "html")
    assert result.exit_code == 0, result.output
    page = Elements((out / "index.html").read_text(encoding="utf-8"))
    hrefs = [attrs["href"] for attrs in page.tags("a")]
    assert len(hrefs) == 6
    for href in hrefs:
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc and "/" not in href and ":" not in href, href
        assert (out / unquote(href)).is_file(), href  # a link to the file beside the index, and only that
    assert "javascript%3Aalert%281%29%3Bvoid%280%29.html" in hrefs
    for tag, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)


def test_markdown_figure_links_are_files_beside_the_brief(hostile):
    from diagnose.judgements import brief

    rendered = brief(hostile, rulebase(), {}, "markdown", output_stem="javascript:alert(1);void(0)")
    text = rendered.content.decode("utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]*)\)", text)
    assert links == ["javascript%3Aalert%281%29%3Bvoid%280%29-network.svg"]
    assert unquote(links[0]) in rendered.attachments


# --- CSV: formulas ------------------------------------------------------------------------------------------

def summary_row(**fields):
    conclusion = {"conclusion": "mechanism", "unit": "region", "period": None, "mechanism": "balance_of_power",
                  "status": "active", "facts": ["a", "b"]}
    row = {"file": "f.yaml", "region": "R", "period": None, "active_mechanisms": [], "overlaps": [],
           "conclusions": [conclusion]}
    return {**row, **fields}


def test_summary_csv_cells_are_never_formulas():
    hostile = ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
    outcomes = [Outcome(value, summary=(summary_row(region=value),)) for value in hostile]
    outcomes.append(Outcome("ok.yaml", summary=(summary_row(region="Plain = fine"),)))
    rows = list(csv.DictReader(io.StringIO(summary_csv(outcomes), newline="")))
    assert [row["region"] for row in rows] == [f"'{value}" for value in hostile] + ["Plain = fine"]
    assert [row["file"] for row in rows[:-1]] == [f"'{value}" for value in hostile]
    assert {k: v for k, v in rows[-1].items() if v} == {
        "file": "ok.yaml", "region": "Plain = fine", "conclusion": "mechanism", "unit": "region",
        "mechanism": "balance_of_power", "status": "active", "facts": "a b"}


def test_batch_summary_csv_shows_a_formula_region_as_text(cli_runner, tmp_path):
    path = tmp_path / "formula.yaml"
    path.write_text(SMALL.replace("region: Small region", """region: '=HYPERLINK("http://x","y")'"""),
                    encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(cli_runner, "batch", path, "--output-dir", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8", newline="")))
    assert rows and {row["region"] for row in rows} == {"'=HYPERLINK(\"http://x\",\"y\")"}


# --- terminal: text output, errors, trace -------------------------------------------------------------------

def test_visible_spells_every_control_character():
    assert visible("plain – text") == "plain – text"
    assert visible("\x1b]0;t\x07") == "\\x1b]0;t\\x07"
    assert visible("a\nb\tc\rd\x9b\x7f\x00\u202e") == "a\\nb\\tc\\rd\\x9b\\x7f\\x00\\u202e"
    assert visible("a\nb\tc\r", keep="\n\t") == "a\nb\tc\\r"


def test_text_output_shows_control_characters_as_escapes(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    facts = load_facts(path)
    result = diagnose(facts)
    name = f"Aland{TERMINAL}\nline"
    facts = dataclasses.replace(facts, region=f"R{TERMINAL}", summary=f"Summary {TERMINAL}\nnext line",
                                states={**facts.states, "AAA": name})
    result = dataclasses.replace(
        result, region=f"R{TERMINAL}",
        mechanisms=tuple(dataclasses.replace(row, explanation=f"{row.explanation} {name}",
                                             facts=(*row.facts, f"id{TERMINAL}")) for row in result.mechanisms))
    text = render_text(result, facts)
    assert set(CONTROLS.findall(text)) <= {"\n"}, sorted(set(CONTROLS.findall(text)))
    assert "\\x1b]0;pwned\\x07" in text and "\\x1b]52;c;ZWNobyBwd25lZA==\\x07" in text
    assert "\\x9b2J" in text and "\\rover\\x00\\x7f" in text
    assert "R\\x1b]0;pwned" in text.splitlines()[0]
    assert "Summary \\x1b]0;pwned\\x07" in text and "next line" in text


def test_error_messages_show_control_characters_as_escapes():
    problem = Problem(f"unknown state '{TERMINAL}'", 3, f"states.X{TERMINAL}")
    line = problem.format(f"file{TERMINAL}.yaml")
    assert not CONTROLS.search(line), line
    assert line.startswith("file\\x1b]0;pwned\\x07") and ":3: states.X\\x1b]0;pwned\\x07" in line
    error = FactFileError("f.yaml", [problem, Problem("a name\nsplit in two", 4)])
    assert len(str(error).splitlines()) == 2  # one line per problem, whatever the file holds
    assert "a name\\nsplit in two" in str(error) and not CONTROLS.search(str(error).replace("\n", ""))
    many = DiagnoseError(f"first line\nsecond {TERMINAL}")
    assert str(many) == many.format_message() == "first line\nsecond " + visible(TERMINAL)


def test_cli_errors_never_reach_the_terminal_raw(cli_runner, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text('schema: 1\nregion: R\nstates: {AAA: A, BBB: B}\n"\\e]0;pwned\\a\\e]52;c;eA==\\a": 1\n',
                    encoding="utf-8")
    result = invoke(cli_runner, "validate", path)
    assert result.exit_code == 2, result.output
    assert not CONTROLS.search(result.output.replace("\n", "")), repr(result.output)
    assert "\\x1b]0;pwned\\x07" in result.output


def test_trace_shows_control_characters_as_escapes(capsys):
    trace_to_stderr(f"rule{TERMINAL}", [{"unit": f"dyad:AAA-BBB{TERMINAL}", "period": "p\x07", "id": f"i{TERMINAL}"}])
    err = capsys.readouterr().err
    assert err.endswith("\n") and not CONTROLS.search(err[:-1]), repr(err)
    assert "\\x1b]0;pwned\\x07" in err


# --- wrapping: the lines of textwrap, in linear time --------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["a", "bb", "-", "--", " ", "  ", "\t", "\n", "\xa0", "\xa0" * 9, "é",
                                      "x" * 13, "y" * 40, "z-z" * 9, "\u2003", "."]), max_size=40).map("".join),
       width=st.integers(min_value=7, max_value=30), indent=st.sampled_from(["", "  ", "      "]),
       hyphens=st.booleans())
def test_wrap_gives_the_lines_of_textwrap(text, width, indent, hyphens):
    options = {"initial_indent": indent[:2], "subsequent_indent": indent, "break_on_hyphens": hyphens}
    assert wrap(text, width, **options) == textwrap.wrap(text, width, **options)


def run_python(*args: str) -> subprocess.CompletedProcess:
    """Python in a fresh interpreter, with a timeout: a quadratic regression fails instead of hanging."""
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_text_output_of_a_2_mb_state_name_completes(tmp_path):
    """`diagnose run` on a file whose two states of a pair have 2 MB names (took about 25 s here, 45 s in the
    issue: textwrap copied what was left of each long word once per line)."""
    source = (ROOT / "facts" / "iraq_coalition.yaml").read_text(encoding="utf-8")
    path = tmp_path / "long_names.yaml"
    path.write_text(source.replace("  USA: United States\n", "  USA: " + "U" * 2_000_000 + "\n")
                    .replace("  IRQ: Iraq\n", "  IRQ: " + "I" * 2_000_000 + "\n"), encoding="utf-8")
    done = run_python("-m", "diagnose", "run", str(path))
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert max(map(len, lines)) <= 80
    assert sum(line.count("U") for line in lines) >= 2_000_000 * 2  # the name, whole, in the pair and its rows


def test_wrapping_a_word_is_linear_in_its_length():
    """A 32 MB name wrapped at 80 columns: quadratic wrapping needs minutes, linear wrapping a second."""
    script = textwrap.dedent("""
        import dataclasses, sys
        from diagnose import diagnose, load_facts
        from diagnose.render.text import render_text
        facts = load_facts("facts/decay_without_war.yaml")
        result = diagnose(facts)
        name = "N" * 32_000_000
        text = render_text(dataclasses.replace(result, region=name), dataclasses.replace(facts, region=name))
        lines = text.splitlines()
        assert max(map(len, lines)) <= 80
        print(text.count("N"))
    """)
    done = run_python("-c", script)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) >= 32_000_000


def test_a_directory_named_with_control_characters_is_refused_in_one_escaped_line(cli_runner, tmp_path):
    """The commands read their files themselves (no click path check), so even this message is escaped."""
    folder = tmp_path / "d\x1b]0;title\x07"
    folder.mkdir()
    result = cli_runner.invoke(cli, ["run", str(folder)], prog_name="diagnose")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\x1b]0;title\\x07" in result.stderr
    assert "expected a regular file, got a directory" in result.stderr
