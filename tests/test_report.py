"""`diagnose report`: briefs in Markdown, HTML and PDF; decisive facts; escaping; safe writing; a real browser.

Building a brief re-runs the engine once per supporting entry (the decisive
facts), and a PDF takes seconds: each example's brief is built once per
session and each format rendered from it once.
"""

from __future__ import annotations

import base64
import importlib
import io
import json
import os
import re
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT
from diagnose import Diagnosis, FactBase, diagnose, load_facts
from diagnose.cli import cli
from diagnose.decisive import LeaveOneOut, conclusion_verdict, decisive_facts
from diagnose.diagnosis import MechanismRow
from diagnose.errors import DiagnoseError
from diagnose.packs import RuleBase, rulebase
from diagnose.render import report as report_module
from diagnose.render.briefing import briefing_context
from diagnose.render.figures import OKABE_ITO, network_svg, timeline_svg
from diagnose.output import write_atomically
from diagnose.render.filters import escape_markdown
from diagnose.render.report import RenderedReport, render_report

EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))
HEGEMONY = ROOT / "examples" / "packs" / "hegemony"
HEGEMONY_FACTS = HEGEMONY / "facts" / "western_hemisphere_hegemony.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
VIEWPORT = (1200, 1600)

# Two of four states rival each other: at most half of the group, so the group stays a community around them
# (relational overlap), while the pair's own community of the early period decays (temporal overlap).
SMALL = """\
schema: 1
region: Small region
as_of: 2001
summary: Four states that trade and consult; two of them still race for arms.
states: {AAA: Aland, BBB: Bolan, CCC: Corra, DDD: Dorna}
periods:
  - {id: early, from: 1990, to: 1995}
  - {id: late, from: 1996}
groups: {Quartet: [AAA, BBB, CCC, DDD]}
consultation_norms:
  - {id: quartet_consultation, among: Quartet, multilateral: true}
unfortified_borders:
  - {id: quartet_borders, among: Quartet}
practices:
  - {id: quartet_trade, kind: economic_integration, among: Quartet, sector: economic}
  - {id: ab_arms_race, kind: arms_race, between: [AAA, BBB], sector: military}
  - {id: ab_watch, kind: capability_monitoring, between: [AAA, BBB], sector: military, period: late}
strategies:
  - {id: hedging, name: hedging, by: [AAA, BBB], combines: [balance_of_power, security_community], period: late}
"""

# An alliance that balances outward while its members form a tightly coupled community (version 2: facing,
# phase, coupling). Four community kinds, two of them tight: leaving out the policy coordination loosens it.
ALLIANCE = """\
schema: 1
region: North Atlantic
states: {USA: United States, GBR: United Kingdom, FRA: France, SUN: Soviet Union}
periods:
  - {id: cold_war, from: 1975, to: 1989}
  - {id: after, from: 1990}
groups: {NATO: [USA, GBR, FRA]}
alliances:
  - {id: alliance, members: NATO, basis: expediency, against: [SUN]}
deterrence:
  - {id: deterrence, by: NATO, against: SUN}
unfortified_borders:
  - {id: borders, among: NATO}
practices:
  - {id: integration, kind: military_integration, among: NATO}
  - {id: coordination, kind: policy_coordination, among: NATO}
  - {id: consultation, kind: consultation, among: NATO}
"""

# Two blocs that deter each other share community-building practices (nascent), which take hold once the
# standoff ends: a temporal overlap of a nascent community beside inward balancing.
BLOCS = """\
schema: 1
region: Two blocs
states: {AAA: Aland, BBB: Bolan, CCC: Corra, DDD: Dorna}
periods:
  - {id: standoff, from: 1975, to: 1989}
  - {id: thaw, from: 1990}
groups: {West: [AAA, BBB], East: [CCC, DDD]}
deterrence:
  - {id: west_deters, by: West, against: East, period: standoff}
  - {id: east_deters, by: East, against: West, period: standoff}
practices:
  - {id: bloc_race, kind: arms_race, by: West, against: East, period: standoff}
  - {id: cbms, kind: confidence_building, among: [AAA, BBB, CCC, DDD]}
  - {id: meetings, kind: consultation, among: [AAA, BBB, CCC, DDD]}
  - {id: restraint, kind: self_restraint, among: [AAA, BBB, CCC, DDD], period: thaw}
"""

# A community that fades in its second period without any war, while its states start to balance each other.
FADING = """\
schema: 1
region: Fading
states: {AAA: Aland, BBB: Bolan, CCC: Corra}
periods:
  - {id: accord, from: 1990, to: 1999}
  - {id: drift, from: 2000}
practices:
  - {id: talks, kind: consultation, among: [AAA, BBB, CCC]}
  - {id: trade, kind: economic_integration, among: [AAA, BBB, CCC], period: accord}
  - {id: restraint, kind: self_restraint, among: [AAA, BBB, CCC], period: accord}
  - {id: race, kind: arms_race, among: [AAA, BBB, CCC], mutual: true, period: drift}
  - {id: watch, kind: capability_monitoring, among: [AAA, BBB, CCC], mutual: true, period: drift}
"""

HOSTILE = """\
schema: 1
region: "<script>alert(1)</script>"
summary: "Keep {{ 7*7 }} and {% if true %}this{% endif %} as written, with <b>no</b> *markup* | at all."
states: {AAA: "Dollar $x$ *Land*", BBB: "<i>Bee</i>", CCC: Corra}
consultation_norms:
  - {id: "<img src=x onerror=alert(2)>", among: [AAA, BBB, CCC], multilateral: true, note: "{{ 6*6 }}"}
unfortified_borders:
  - {id: borders, among: [AAA, BBB, CCC]}
practices:
  - {id: trade, kind: economic_integration, among: [AAA, BBB, CCC], source: "<a href='javascript:x'>src</a>"}
"""


# --- building briefs once per session -----------------------------------------------------------------------

@dataclass
class Brief:
    """One fact file's brief: its context built once, each format rendered once."""

    path: Path
    packs: tuple[str, ...] = ()
    rules: RuleBase = field(init=False)
    facts: FactBase = field(init=False)
    diagnosis: Diagnosis = field(init=False)
    context: dict = field(init=False)
    rendered: dict[str, RenderedReport] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rules = rulebase(self.packs)
        self.facts = load_facts(self.path, self.rules)
        self.diagnosis = diagnose(self.facts, self.rules)
        self.context = briefing_context(self.facts, self.diagnosis, self.rules, source=self.path.name)

    def render(self, fmt: str) -> RenderedReport:
        if fmt not in self.rendered:
            self.rendered[fmt] = render_report(self.context, self.facts, self.rules, fmt, output_stem="brief")
        return self.rendered[fmt]


@pytest.fixture(scope="session")
def briefs():
    cache: dict[tuple, Brief] = {}

    def get(path: Path, packs: tuple[str, ...] = ()) -> Brief:
        key = (str(path), packs)
        if key not in cache:
            cache[key] = Brief(path, packs)
        return cache[key]

    return get


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def invoke(cli_runner, *args):
    return cli_runner.invoke(cli, [str(a) for a in args])


class Page(HTMLParser):
    """What the tests read from an HTML brief: its text, ids, elements and inline SVGs."""

    INLINE = {"a", "code", "strong", "em", "span", "b", "i"}

    def __init__(self, html: str):
        super().__init__()
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.svg_texts: list[str] = []
        self._in_svg = 0
        self._skip = 0
        self.feed(html.replace("<wbr>", ""))  # a line-break opportunity inside a fact id, not a word break

    def handle_starttag(self, tag, attrs):
        if tag not in self.INLINE:
            self.text.append(" ")  # a new block or cell: a word boundary
        self.tags.append(tag)
        self.ids.update(value for name, value in attrs if name == "id" and value)
        self._in_svg += tag == "svg"
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        if tag not in self.INLINE:
            self.text.append(" ")
        self._in_svg -= tag == "svg"
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if self._in_svg:
            self.svg_texts.append(data)
        elif not self._skip:
            self.text.append(data)

    @property
    def plain(self) -> str:
        return squeeze("".join(self.text))


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- every example, every format ----------------------------------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_html_brief_shows_judgements_evidence_and_figures(briefs, example):
    brief = briefs(example)
    page = Page(brief.render("html").content.decode("utf-8"))
    assert "script" not in page.tags and "link" not in page.tags  # self-contained, nothing runs
    assert brief.facts.region in page.plain
    for judgement in brief.context["key_judgements"]:
        assert squeeze(judgement["sentence"]) in page.plain
    evidence_ids = {fact_id for row in (*brief.diagnosis.mechanisms, *brief.diagnosis.overlaps)
                    for fact_id in row.facts}
    assert evidence_ids and evidence_ids == {row["id"] for row in brief.context["evidence"]}
    for fact_id in evidence_ids:
        assert fact_id in page.plain
    assert page.tags.count("svg") == len(brief.context["figures"]) >= 1
    assert {"judgements", "overlaps", "mechanisms", "evidence", "method", "figure-network"} <= page.ids
    assert bool(brief.facts.periods) == ("figure-timeline" in page.ids)
    assert "Adler, Emanuel and Patricia Greve (2009)" in page.plain
    for name, value in brief.diagnosis.thresholds.items():
        assert name in page.plain and str(value) in page.plain


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_markdown_brief_links_figures_written_beside_it(briefs, example):
    brief = briefs(example)
    rendered = brief.render("markdown")
    text = rendered.content.decode("utf-8")
    assert text.startswith(f"# Security governance brief: {escape_markdown(brief.facts.region)}\n")
    for judgement in brief.context["key_judgements"]:
        assert escape_markdown(judgement["sentence"]) in text
    for row in brief.context["evidence"]:
        assert f"| `{row['id']}` |" in text
    expected = {"brief-network.svg"} | ({"brief-timeline.svg"} if brief.facts.periods else set())
    assert set(rendered.attachments) == expected
    for name, svg in rendered.attachments.items():
        assert f"]({name})" in text
        assert svg.startswith(b"<svg") and b"Date" not in svg


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_pdf_brief_is_a4_numbered_with_the_judgements(briefs, example):
    pypdf = pytest.importorskip("pypdf")
    brief = briefs(example)
    content = brief.render("pdf").content
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert pages >= 3
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = squeeze(" ".join(page.extract_text() for page in reader.pages))
    assert brief.facts.region in text and "Key judgements" in text and "Evidence" in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text


def test_pdf_print_rules_keep_table_rows_whole(briefs):
    brief = briefs(EXAMPLES[0])
    html = report_module.render_html(brief.context, report_module.report_environment(
        brief.facts, brief.rules, "pdf"), "pdf")
    assert "size: A4" in html and "counter(pages)" in html
    assert re.search(r"tr, figure[^{]*\{ break-inside: avoid", html)


# --- figures ------------------------------------------------------------------------------------------------

def test_figures_are_deterministic_colour_blind_safe_and_escaped(briefs):
    brief = briefs(ROOT / "facts" / "western_hemisphere.yaml")
    first = network_svg(brief.facts, brief.diagnosis, brief.rules.mechanisms)
    assert first == network_svg(brief.facts, brief.diagnosis, brief.rules.mechanisms)
    timeline = timeline_svg(brief.facts, brief.diagnosis, brief.rules.mechanisms)
    assert timeline == timeline_svg(brief.facts, brief.diagnosis, brief.rules.mechanisms)
    for svg in (first, timeline):
        assert "<dc:date>" not in svg
        colours = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}", svg)}
        assert {OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"]} <= colours
    # Ids are prefixed per figure, so both can sit in one page.
    assert not set(re.findall(r'id="([^"]+)"', first)) & set(re.findall(r'id="([^"]+)"', timeline))
    for name in ("North America", "Andes", "balance of power: active", "post cold war (1990 onwards)"):
        assert name in first


def test_no_timeline_without_periods(briefs):
    brief = briefs(ROOT / "facts" / "southeast_asia.yaml")
    assert brief.facts.periods == ()
    assert timeline_svg(brief.facts, brief.diagnosis, brief.rules.mechanisms) is None
    assert [f["name"] for f in brief.context["figures"]] == ["network"]


# --- decisive facts -----------------------------------------------------------------------------------------

def test_decisive_facts_are_those_without_which_a_conclusion_falls(small):
    facts = load_facts(small)
    result = diagnose(facts)
    relational = next(o for o in result.overlaps if o.type == "relational" and o.units[1] == "group:Quartet")
    # Two BoP kinds needed and two present: each is decisive. Four SC kinds for three needed: only the
    # consultation norm, which counts twice (consultation, multilateral decision-making), is. The strategy
    # makes it manual.
    assert decisive_facts(facts, relational) == ("ab_arms_race", "ab_watch", "hedging", "quartet_consultation")
    counterfactuals = LeaveOneOut(facts)
    assert counterfactuals.outcome(relational, "hedging").character != "manual"
    assert counterfactuals.outcome(relational, "ab_watch") is None
    community = next(r for r in result.mechanisms if r.unit == "group:Quartet" and r.period == "late"
                     and r.mechanism == "security_community" and r.sector is None)
    assert decisive_facts(facts, community) == ("quartet_consultation",)
    assert "quartet_borders" in counterfactuals.supporting(community)


def test_decisive_facts_follow_thresholds(small):
    facts = load_facts(small)
    result = diagnose(facts, thresholds={"sc_min_kinds": 4})
    community = next(r for r in result.mechanisms if r.unit == "group:Quartet" and r.period == "late"
                     and r.mechanism == "security_community" and r.sector is None)
    assert community.status == "active"
    assert set(decisive_facts(facts, community, thresholds={"sc_min_kinds": 4})) == {
        "quartet_borders", "quartet_consultation", "quartet_trade"}


def test_brief_says_what_would_change_each_judgement(briefs):
    brief = briefs(ROOT / "facts" / "southeast_asia.yaml")
    functional = brief.context["key_judgements"][0]
    assert functional["kind"] == "overlap" and "manual" in functional["sentence"]
    assert {"id": "omni_enmeshment", "effect": "it becomes automatic"} in functional["decisive"]
    page = Page(brief.render("html").content.decode("utf-8"))
    assert "without omni_enmeshment, it becomes automatic" in page.plain


# --- version 2: facing, phase, coupling, nascent and decaying ---------------------------------------------

def inline_brief(tmp_path: Path, name: str, text: str) -> Brief:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return Brief(path)


def sentences(brief: Brief) -> list[str]:
    return [j["sentence"] for j in brief.context["key_judgements"]]


def test_brief_says_which_way_a_balance_faces_and_how_a_community_is_coupled(tmp_path):
    brief = inline_brief(tmp_path, "alliance", ALLIANCE)
    said = sentences(brief)
    assert ("Balance of power is active in NATO (group) in the period cold war (1975–1989): adversarial, facing "
            "outward (the states balance outsiders together).") in said
    # No earlier period: the community's phase is open; in the next period it is mature.
    assert "Security community is active in NATO (group) in the period cold war (1975–1989): tightly coupled." in said
    mature = "Security community is active in NATO (group) in the period after (1990 onwards): mature, tightly coupled."
    assert mature in said
    # A changed coupling is a changed judgement: without the policy coordination, three kinds remain, one tight.
    judgement = next(j for j in brief.context["key_judgements"] if j["sentence"] == mature)
    assert {"id": "coordination", "effect": "it becomes loosely coupled"} in judgement["decisive"]

    page = Page(brief.render("html").content.decode("utf-8"))
    for sentence in said:
        assert squeeze(sentence) in page.plain
    assert "active adversarial, facing outward" in page.plain  # a table cell: the status, its qualifiers beneath
    assert "active mature, tightly coupled" in page.plain
    assert "Active, adversarial, facing outward in cold war (1975–1989) and after (1990 onwards): NATO (group)." \
        in page.plain
    assert "without coordination, it becomes loosely coupled" in page.plain
    for term in ("Facing outward", "Facing inward", "Ascendant", "Mature", "Loosely coupled", "Tightly coupled",
                 "Nascent", "Decaying"):
        assert f" {term} " in page.plain  # the glossary of statuses and qualifiers
    network, timeline = (figure["svg"] for figure in brief.context["figures"])
    assert "facing outward" in network and "thin: nascent, decaying, formal only, broken down" in network
    assert "active, adversarial, facing outward" in timeline and "active, mature, tightly coupled" in timeline

    markdown = brief.render("markdown").content.decode("utf-8")
    assert "| active, adversarial, facing outward | active, mature, tightly coupled |" in markdown
    assert "- **Facing outward**: the unit's states balance outsiders together" in markdown


def test_brief_reads_a_nascent_community_that_takes_hold(tmp_path):
    brief = inline_brief(tmp_path, "blocs", BLOCS)
    said = sentences(brief)
    assert ("Security community is nascent in Two blocs (region) in the period standoff (1975–1989): "
            "community-building practices, not yet a community.") in said
    assert ("Balance of power is active in West (group) in the period standoff (1975–1989): adversarial, facing "
            "outward (the states balance outsiders together).") in said
    temporal = [s for s in said if s.startswith("Temporal overlap")]
    # The region and its four cross-bloc dyads read the same: one judgement names the region, one the dyads.
    assert temporal[0].startswith("Temporal overlap in Two blocs (region) in the period standoff (1975–1989): "
                                  "community-building practices (security community nascent) grow beside balance "
                                  "of power among the same states, and the community takes hold in the next "
                                  "period, thaw (1990 onwards).")
    assert temporal[1].startswith("Temporal overlap in 4 dyads (Aland–Corra, Aland–Dorna, Bolan–Corra and "
                                  "Bolan–Dorna) in the period standoff (1975–1989)")
    assert "Each is automatic" in temporal[1]
    assert "Security community is active in" in said[-1] and said[-1].endswith("ascendant, loosely coupled.")

    page = Page(brief.render("html").content.decode("utf-8"))
    assert "A community in the making beside the old order" in page.plain  # what this temporal overlap is
    assert "The same holds in: Aland–Dorna (dyad); Bolan–Corra (dyad); Bolan–Dorna (dyad)." in page.plain
    assert " Nascent in standoff (1975–1989): " in page.plain
    markdown = brief.render("markdown").content.decode("utf-8")
    assert "A community in the making beside the old order" in markdown
    assert "| nascent |" in markdown


def test_brief_reads_a_community_that_decays_without_war(tmp_path):
    brief = inline_brief(tmp_path, "fading", FADING)
    said = sentences(brief)
    assert ("Security community is decaying in Fading (region) in the period drift (2000 onwards): a community of "
            "the previous period fading without war.") in said
    assert said[0].startswith("Temporal overlap in Fading (region) in the period drift (2000 onwards): the "
                              "community of the previous period fades without war (security community decaying) "
                              "while balance of power holds among the same states.")
    page = Page(brief.render("html").content.decode("utf-8"))
    assert "A community of the previous period fades without any war between its members" in page.plain
    assert "restore them before renewed balancing hardens into rivalry" in page.plain
    assert " Decaying in drift (2000 onwards): Fading (region)." in page.plain
    assert 'class="status status-decaying"' in brief.render("html").content.decode("utf-8")
    assert "decaying" in brief.context["figures"][1]["svg"]  # the timeline's legend
    markdown = brief.render("markdown").content.decode("utf-8")
    assert "| decaying |" in markdown and "**Decaying**:" in markdown


def test_a_changed_qualifier_is_a_changed_judgement():
    row = MechanismRow(mechanism="balance_of_power", unit="group:NATO", period=None, sector=None, agency=None,
                       issue=None, status="active", variant="adversarial", facing="outward", phase=None,
                       coupling=None, explanation="", rules=(), facts=())
    community = replace(row, mechanism="security_community", variant=None, facing=None, phase="mature",
                        coupling="tight")
    assert conclusion_verdict(replace(row, facing="inward")) != conclusion_verdict(row)
    assert conclusion_verdict(replace(community, phase="ascendant")) != conclusion_verdict(community)
    assert conclusion_verdict(replace(community, coupling="loose")) != conclusion_verdict(community)
    assert conclusion_verdict(replace(row, explanation="other words")) == conclusion_verdict(row)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_briefs_speak_of_the_project_documents_never_of_the_spec(briefs, example):
    brief = briefs(example)
    for fmt in ("html", "markdown"):
        text = brief.render(fmt).content.decode("utf-8")
        if fmt == "html":
            text = Page(text).plain
        assert not re.search(r"clear case|\bspec\b|\bspec['’]s\b|specification|contract", text, re.IGNORECASE)
        assert "docs/fact-files.md" in text and "README" in text


# --- escaping -----------------------------------------------------------------------------------------------

def test_text_from_the_fact_file_never_becomes_markup(cli_runner, tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(HOSTILE, encoding="utf-8")
    html = invoke(cli_runner, "report", hostile, "--format", "html", "--output", "-")
    assert html.exit_code == 0, html.output
    page = Page(html.output)
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags and "i" not in page.tags
    assert "<script>alert(1)</script>" in page.plain
    assert "Keep {{ 7*7 }} and {% if true %}this{% endif %} as written, with <b>no</b> *markup*" in page.plain
    assert "{{ 6*6 }}" in page.plain and "36" not in page.plain and "49" not in page.plain
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.output
    assert "AAA = Dollar $x$ *Land*" in " ".join(page.svg_texts)  # the figure's key: no mathematics

    markdown = invoke(cli_runner, "report", hostile, "--format", "markdown", "--output", "-")
    assert markdown.exit_code == 0, markdown.output
    assert "<script>" not in markdown.output and "<b>" not in markdown.output and "<i>" not in markdown.output
    assert "# Security governance brief: \\<script\\>alert(1)\\</script\\>" in markdown.output
    assert "Keep {{ 7\\*7 }} and {% if true %}this{% endif %} as written" in markdown.output
    assert "49" not in markdown.output and "36" not in markdown.output
    assert "`<img src=x onerror=alert(2)>`" in markdown.output  # ids are code spans, shown as written
    assert "data:image/svg+xml;base64," in markdown.output  # on standard output, figures travel inline


def test_pdf_shows_hostile_text_literally(cli_runner, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(HOSTILE, encoding="utf-8")
    result = invoke(cli_runner, "report", hostile, "--output", tmp_path / "hostile.pdf")
    assert result.exit_code == 0, result.output
    text = squeeze(" ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "hostile.pdf").pages))
    assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text and "49" not in text


# --- the command: files, refusals, templates ----------------------------------------------------------------

def test_report_writes_html_creating_folders_and_refuses_to_overwrite(cli_runner, small, tmp_path):
    target = tmp_path / "briefs" / "2026" / "small.html"
    result = invoke(cli_runner, "report", small, "--format", "html", "--output", target)
    assert result.exit_code == 0, result.output
    written = target.read_bytes()
    assert written.startswith(b"<!DOCTYPE html>") and b"Small region" in written
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # a new file's usual mode, not the temporary's

    again = invoke(cli_runner, "report", small, "--output", target)
    assert again.exit_code == 2
    assert again.output == f"{target}: already exists; use --force to overwrite it\n"
    assert "Traceback" not in again.output and target.read_bytes() == written

    target.write_bytes(b"old")
    forced = invoke(cli_runner, "report", small, "--output", target, "--force")
    assert forced.exit_code == 0 and target.read_bytes() == written
    assert sorted(p.name for p in target.parent.iterdir()) == ["small.html"]  # no temporary left


def test_report_refuses_to_write_over_its_input(cli_runner, small):
    before = small.read_bytes()
    for output in (small, small.parent / "." / small.name):
        result = invoke(cli_runner, "report", small, "--format", "html", "--output", output, "--force")
        assert result.exit_code == 2
        assert "refusing to write over the input file" in result.output
        assert small.read_bytes() == before
    link = small.parent / "hard-link.html"
    os.link(small, link)
    result = invoke(cli_runner, "report", small, "--output", link, "--force")
    assert result.exit_code == 2 and "refusing to write over the input file" in result.output


def test_report_refuses_pdf_on_standard_output_and_unknown_suffixes(cli_runner, small):
    result = invoke(cli_runner, "report", small, "--format", "pdf")
    assert result.exit_code == 2
    assert result.output.strip().endswith("--format pdf writes a binary file: name it with --output, "
                                          "e.g. --output brief.pdf")
    result = invoke(cli_runner, "report", small, "--output", small.with_suffix(".txt"))
    assert result.exit_code == 2 and "cannot tell the format from the file name; add --format" in result.output
    assert not small.with_suffix(".txt").exists()


def test_report_format_follows_the_output_suffix(cli_runner, small, tmp_path):
    assert invoke(cli_runner, "report", small, "-o", tmp_path / "b.htm").exit_code == 0
    assert (tmp_path / "b.htm").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    streamed = invoke(cli_runner, "report", small)
    assert streamed.exit_code == 0 and streamed.output.startswith("# Security governance brief: Small region")


def test_markdown_report_writes_its_figures_beside_it(cli_runner, small, tmp_path):
    target = tmp_path / "out" / "small.md"
    result = invoke(cli_runner, "report", small, "--format", "markdown", "--output", target)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in target.parent.iterdir())
    assert names == ["small-network.svg", "small-timeline.svg", "small.md"]
    text = target.read_text(encoding="utf-8")
    assert "![Who balances, who forms a community](small-network.svg)" in text
    assert "![Mechanisms over time](small-timeline.svg)" in text
    for name in names[:2]:
        assert (target.parent / name).read_text(encoding="utf-8").startswith("<svg")

    (target.parent / "small.md").unlink()
    again = invoke(cli_runner, "report", small, "--format", "markdown", "--output", target)
    assert again.exit_code == 2 and "small-network.svg: already exists" in again.output
    assert not target.exists()


def test_no_partial_file_when_rendering_fails(cli_runner, small, tmp_path, monkeypatch):
    renderer = importlib.import_module("diagnose.render.report")

    def crash(*args, **kwargs):
        raise RuntimeError("the renderer crashed")

    monkeypatch.setattr(renderer, "render_report", crash)
    for fmt, name in (("html", "brief.html"), ("markdown", "brief.md")):
        result = invoke(cli_runner, "report", small, "--format", fmt, "--output", tmp_path / "out" / name)
        assert isinstance(result.exception, RuntimeError)
        assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "brief.html"
    target.write_bytes(b"the old brief")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomically(target, b"the new brief", force=True)
    assert target.read_bytes() == b"the old brief"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]
    monkeypatch.undo()
    with pytest.raises(DiagnoseError, match="already exists; use --force"):
        write_atomically(target, b"the new brief", force=False)
    write_atomically(target, b"the new brief", force=True)
    assert target.read_bytes() == b"the new brief"


def test_template_dir_overrides_any_template_by_name(cli_runner, small, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "overlap.html.j2").write_text(
        '<p class="mine">My overlap: {{ overlap.type }} in {{ overlap.units | map("unit_name") | join(" / ") }}</p>\n',
        encoding="utf-8")
    (templates / "mechanism.html.j2").write_text(
        '{% extends "builtin/mechanism.html.j2" %}{% block definition %}My words on {{ mechanism.name }}.'
        '{% endblock %}\n', encoding="utf-8")
    result = invoke(cli_runner, "report", small, "--format", "html", "--template-dir", templates)
    assert result.exit_code == 0, result.output
    page = Page(result.output)
    assert "My overlap: relational in Aland–Bolan (dyad) / Quartet (group)" in page.plain
    assert "My words on security_community." in page.plain
    assert "Order kept by states that firmly expect" not in page.plain  # the built-in definition is replaced
    assert "What it means for policy" not in page.plain


def test_a_broken_template_is_one_clear_error(cli_runner, small, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "overlap.md.j2").write_text("{{ overlap.no_such_field }}\n", encoding="utf-8")
    result = invoke(cli_runner, "report", small, "--template-dir", templates)
    assert result.exit_code == 2
    assert "overlap.md.j2:1: template error:" in result.output and "no_such_field" in result.output
    assert "Traceback" not in result.output
    (templates / "overlap.md.j2").write_text('{% extends "overlap.md.j2" %}\n', encoding="utf-8")
    result = invoke(cli_runner, "report", small, "--template-dir", templates)
    assert result.exit_code == 2 and "extend 'builtin/NAME'" in result.output


def test_rule_options_reach_the_brief(cli_runner, small):
    result = invoke(cli_runner, "report", small, "--format", "html", "--threshold", "sc_min_kinds=5")
    assert result.exit_code == 0, result.output
    page = Page(result.output)
    assert "sc_min_kinds 5 3" in page.plain  # the value used, then the default
    assert "Relational overlap" not in page.plain


def test_pack_partial_shows_the_pack_mechanism_and_the_template_dir_comes_first(cli_runner, tmp_path):
    result = invoke(cli_runner, "report", HEGEMONY_FACTS, "--format", "html", "--rules", HEGEMONY)
    assert result.exit_code == 0, result.output
    page = Page(result.output)
    assert "mechanism-hegemony" in page.ids
    assert "Order through hierarchy: one dominant state provides security" in page.plain
    assert "(from the rule pack hegemony)" in page.plain
    assert "Central America and Caribbean (sub-region)" in page.plain

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "mechanism_hegemony.html.j2").write_text('<p>Mine, not the pack\'s.</p>\n', encoding="utf-8")
    mine = Page(invoke(cli_runner, "report", HEGEMONY_FACTS, "--format", "html", "--rules", HEGEMONY,
                       "--template-dir", templates).output)
    assert "Mine, not the pack's." in mine.plain and "Order through hierarchy" not in mine.plain

    markdown = invoke(cli_runner, "report", HEGEMONY_FACTS, "--rules", HEGEMONY)
    assert "### Hegemony" in markdown.output and "Order through hierarchy" in markdown.output


# --- a real browser -----------------------------------------------------------------------------------------

class DevTools:
    """Chromium's DevTools protocol over a pipe (--remote-debugging-pipe): no websocket library needed."""

    def __init__(self, user_data_dir: Path):
        self._to_chrome_read, self._to_chrome = os.pipe()
        self._from_chrome, self._from_chrome_write = os.pipe()

        def descriptors_3_and_4():  # the protocol's fixed descriptors: 3 is read by Chromium, 4 written
            read, write = os.dup(self._to_chrome_read), os.dup(self._from_chrome_write)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={user_data_dir}", "--remote-debugging-pipe",
             "about:blank"],
            preexec_fn=descriptors_3_and_4, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(self._to_chrome_read)
        os.close(self._from_chrome_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params,
                   **({"sessionId": session} if session else {})}
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        reply = self.wait(lambda m, i=self._next_id: m.get("id") == i)
        assert "error" not in reply, reply
        return reply.get("result", {})

    def wait(self, wanted, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if wanted(message):
                    return message
                self.events.append(message)
            ready, _, _ = select.select([self._from_chrome], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the DevTools pipe")
            self._buffer += chunk

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def open_in_chromium(url: str, user_data_dir: Path) -> tuple[bytes, list[dict]]:
    """Load ``url`` headless; the screenshot (PNG) and every console error, exception or error log entry."""
    browser = DevTools(user_data_dir)
    try:
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.send(f"{domain}.enable", session)
        browser.send("Emulation.setDeviceMetricsOverride", session, width=VIEWPORT[0], height=VIEWPORT[1],
                     deviceScaleFactor=1, mobile=False)
        browser.send("Page.navigate", session, url=url)
        browser.wait(lambda m: m.get("method") == "Page.loadEventFired")
        png = base64.b64decode(browser.send("Page.captureScreenshot", session, format="png")["data"])
        errors = [e for e in browser.events
                  if (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
                  or e.get("method") == "Runtime.exceptionThrown"
                  or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
        return png, errors
    finally:
        browser.close()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_html_brief_renders_in_chromium_without_console_errors(briefs, tmp_path):
    image = pytest.importorskip("PIL.Image")  # Pillow comes with matplotlib
    page = tmp_path / "brief.html"
    page.write_bytes(briefs(ROOT / "facts" / "western_hemisphere.yaml").render("html").content)
    png, errors = open_in_chromium(page.as_uri(), tmp_path / "profile")
    assert errors == []
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    screenshot = image.open(io.BytesIO(png)).convert("RGB")
    assert screenshot.size == VIEWPORT
    colours = screenshot.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # text, rules, the figure's colours: not a blank page
    assert max(count for count, _ in colours) < 0.97 * VIEWPORT[0] * VIEWPORT[1]
