"""`diagnose report`: briefs in Markdown, HTML and PDF; ranked key judgements and their decisive facts; why
not; figures; escaping; safe writing; a real browser.

Building a brief re-runs the engine once per supporting entry of each key
judgement (the decisive facts), and a PDF takes seconds: each example's
brief is built once per session and each format rendered from it once.
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
from diagnose.decisive import LeaveOneOut, conclusion_key, conclusion_verdict, decisive_facts
from diagnose.diagnosis import MechanismRow
from diagnose.errors import DiagnoseError
from diagnose.judgements import DEFAULT_JUDGEMENTS, Judgements, analyse
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
    analysis: Judgements = field(init=False)
    context: dict = field(init=False)
    rendered: dict[str, RenderedReport] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rules = rulebase(self.packs)
        self.facts = load_facts(self.path, self.rules)
        self.diagnosis = diagnose(self.facts, self.rules)
        self.analysis = analyse(self.facts, self.diagnosis, self.rules)
        self.context = briefing_context(self.facts, self.diagnosis, self.rules, self.analysis,
                                        source=self.path.name)

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
    assert {"id": "omni_enmeshment", "what": "strategy ‘omni-enmeshment’", "effect": "it becomes automatic"} \
        in functional["decisive"]
    page = Page(brief.render("html").content.decode("utf-8"))
    assert "without omni_enmeshment (strategy ‘omni-enmeshment’), it becomes automatic" in page.plain


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
    assert {"id": "coordination", "what": "policy coordination", "effect": "it becomes loosely coupled"} \
        in judgement["decisive"]

    page = Page(brief.render("html").content.decode("utf-8"))
    for sentence in said:
        assert squeeze(sentence) in page.plain
    assert "active adversarial, facing outward" in page.plain  # a table cell: the status, its qualifiers beneath
    assert "active mature, tightly coupled" in page.plain
    assert "Active, adversarial, facing outward in cold war (1975–1989) and after (1990 onwards): NATO (group)." \
        in page.plain
    assert "without coordination (policy coordination), it becomes loosely coupled" in page.plain
    for term in ("Facing outward", "Facing inward", "Ascendant", "Mature", "Loosely coupled", "Tightly coupled",
                 "Nascent", "Decaying"):
        assert f" {term} " in page.plain  # the glossary of statuses and qualifiers
    network, timeline = (figure["svg"] for figure in brief.context["figures"])
    assert "facing outward" in network and "security community: active" in network
    assert "nascent" not in network and "decaying" not in network  # the legend names only what is drawn
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
    # On standard output no figure: pages of base64 help no reader; a note says how to get them.
    assert "base64" not in markdown.output and "](data:" not in markdown.output
    assert "*Figure 1 is left out on standard output. Write the brief to a file" in markdown.output


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


# --- issue 9: analysis apart from rendering; ranked judgements; why not; figures; outputs -----------------

RENDER = ROOT / "diagnose" / "render"
RUNS_RULES = {"api", "decisive", "engine", "matcher", "packs", "judgements", "load"}
"""Modules that run (or load) the rules: rendering reads an analysis, never makes one (types excepted)."""


def runtime_imports(path: Path) -> set[str]:
    """The diagnose modules a file imports when it runs (not those under `if TYPE_CHECKING:`), as `api`, ..."""
    import ast

    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])  # ["diagnose", "render"]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and getattr(block.test, "id", None) == "TYPE_CHECKING"
                   for statement in block.body for node in ast.walk(statement)}
    names = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = [*base, *(node.module or "").split(".")] if node.module else base
            names += [".".join(module)] if node.module else [".".join([*module, a.name]) for a in node.names]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return {name.split(".")[1] for name in names if name.startswith("diagnose.") and name.count(".") >= 1}


def test_rendering_never_runs_rules():
    modules = sorted(RENDER.glob("*.py"))
    assert len(modules) >= 8
    for module in modules:
        assert not runtime_imports(module) & RUNS_RULES, module.name
    # The check sees what it should: the analysis module does import the engine's re-runs.
    assert "decisive" in runtime_imports(ROOT / "diagnose" / "judgements.py")


def tier(judgement) -> int:
    if judgement.kind in ("overlap", "no_overlap"):
        return 0
    if judgement.kind == "nothing_evident":
        return 1
    return 2 if all(c.unit.startswith("dyad:") for c in judgement.conclusions) else 1


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_judgements_are_ranked_overlaps_then_larger_units_then_dyads(briefs, example):
    brief = briefs(example)
    ranked = brief.analysis.ranked
    keys = [(tier(j), -len(j.states)) for j in ranked]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    for (t1, s1), (t2, s2) in zip(keys, keys[1:]):
        assert t1 < t2 or s1 <= s2  # within a tier, the judgements that concern more states first
    assert brief.analysis.shown == min(DEFAULT_JUDGEMENTS, len(ranked))
    assert len(brief.context["key_judgements"]) == brief.analysis.shown
    assert brief.context["more_judgements"] == len(ranked) - brief.analysis.shown
    # Decisive facts are found only for the judgements shown.
    assert all(j.examined == 0 and not j.decisive for j in ranked[brief.analysis.shown:])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_decisive_facts_of_the_key_judgements_are_those_of_a_full_rerun(briefs, example):
    """The oracle: diagnose the whole file again without each supporting fact, nothing reused."""
    brief = briefs(example)
    facts, rules = brief.facts, brief.rules
    removable = {i.id for i in (*facts.entries, *facts.strategies, *facts.junctures)}
    reruns: dict[str, dict] = {}

    def without(fact_id: str) -> dict:
        if fact_id not in reruns:
            rest = replace(facts, entries=tuple(e for e in facts.entries if e.id != fact_id),
                           strategies=tuple(s for s in facts.strategies if s.id != fact_id),
                           junctures=tuple(j for j in facts.junctures if j.id != fact_id))
            result = diagnose(rest, rules, thresholds=brief.diagnosis.thresholds)
            reruns[fact_id] = {conclusion_key(c): c for c in (*result.mechanisms, *result.overlaps)}
        return reruns[fact_id]

    checked = 0
    for judgement in brief.analysis.key:
        for conclusion in judgement.conclusions[:judgement.examined]:
            expected = [i for i in conclusion.facts if i in removable and (
                (after := without(i).get(conclusion_key(conclusion))) is None
                or conclusion_verdict(after) != conclusion_verdict(conclusion))]
            found = [d.fact for d in judgement.decisive if any(c is conclusion for c, _ in d.outcomes)]
            assert sorted(found) == sorted(expected), (conclusion, found, expected)
            checked += 1
    assert checked >= 1


def test_judgements_option_limits_the_key_judgements_and_the_tables_keep_the_rest(cli_runner, tmp_path):
    target = tmp_path / "gt.html"
    result = invoke(cli_runner, "report", ROOT / "facts" / "greece_turkey.yaml", "-o", target, "--judgements", "1")
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    page = Page(html)
    assert len(re.findall(r'<li id="judgement-\d+"', html)) == 1
    assert "further judgements are in the tables below" in page.plain
    facts = load_facts(ROOT / "facts" / "greece_turkey.yaml")
    result = diagnose(facts)
    # Every overlap is a card or a row of the overlap table, each with its own anchor.
    anchors = set(re.findall(r'id="(overlap-\d+)"', html))
    assert len(anchors) == len(result.overlaps) == 2 and "overlap-table" in page.ids
    assert "Relational overlap: Greece–Turkey (dyad) and NATO (group), greek withdrawal" in page.plain
    bad = invoke(cli_runner, "report", ROOT / "facts" / "greece_turkey.yaml", "--judgements", "0")
    assert bad.exit_code == 2 and "Traceback" not in bad.output


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_key_judgements_speak_in_names_and_the_main_text_names_no_rule(briefs, example):
    brief = briefs(example)
    rules = {rule["name"] for rule in brief.context["method"]["rules_fired"]}
    html = brief.render("html").content.decode("utf-8")
    policies = [squeeze(Page(p).plain) for p in re.findall(r'<p class="policy">(.*?)</p>', html, re.S)]
    assert len(policies) == len(brief.context["key_judgements"])
    for text in [j["sentence"] for j in brief.context["key_judgements"]] + policies:
        # No period id (`cold_war`), kind (`arms_race`) or unit id (`dyad:GRC-TUR`): labels, words, names.
        assert text.endswith(".") and "_" not in text, text
        assert not re.search(r"\b(dyad|group|subregion):", text), text
    assert all(p.startswith("For policy: ") and len(p) > 40 for p in policies)
    page = Page(brief.render("html").content.decode("utf-8")).plain
    main_text = page[:page.index(" Method ")]
    for rule in rules:
        assert rule not in main_text, rule
    assert brief.context["method"]["judgement_rules"]  # the rules behind each judgement: in the appendix


def test_general_meanings_are_said_once_not_on_every_card(briefs):
    brief = briefs(ROOT / "facts" / "greece_turkey.yaml")
    assert len(brief.context["overlaps"]) == 2  # two relational overlaps, one per period
    page = Page(brief.render("html").content.decode("utf-8")).plain
    for paragraph in ("Two rivals balance against each other inside a wider community",
                      "The wider community restrains the rivalry without ending it.",
                      "Partly deliberate, partly habit"):
        assert page.count(paragraph) == 1, paragraph
    markdown = brief.render("markdown").content.decode("utf-8")
    assert markdown.count("Two rivals balance against each other inside a wider community") == 1


def test_why_not_for_the_region_groups_and_sub_regions(briefs):
    brief = briefs(ROOT / "facts" / "western_hemisphere.yaml")
    by_unit = {unit["unit"]: unit for unit in brief.context["why_not"]}
    assert set(by_unit) == {"region", "subregion:North America", "subregion:Southern Cone", "subregion:Andes",
                            "group:NAFTA", "group:MERCOSUR"}
    north = by_unit["subregion:North America"]["reasons"]
    community = next(r for r in north if r["mechanism"] == "security_community")
    assert community["periods"] == ["cold_war"] and community["status"] == "not evident"
    # From the row's own explanation, kinds in words; what it lacks, from the kinds of its repertoire.
    assert community["reason"] == "1 of the 3 security-community kinds needed: unfortified border."
    assert "consultation" in community["missing"] and "unfortified border" not in community["missing"]
    assert by_unit["group:NAFTA"]["overlap"].startswith("No overlap concerns NAFTA (group): balance of power "
                                                        "is evident in no period; security community is active "
                                                        "in post cold war (1990 onwards).")
    page = Page(brief.render("html").content.decode("utf-8"))
    assert "why-not" in page.ids
    assert ("Security community: not evident in cold war (1975–1989). 1 of the 3 security-community kinds "
            "needed: unfortified border. Not yet among its practices:") in page.plain
    markdown = brief.render("markdown").content.decode("utf-8")
    assert "## Why not" in markdown and "### Andes (sub-region)" in markdown
    why_not = page.plain[page.plain.index(" Why not "):page.plain.index(" Mechanisms ")]
    assert "cold_war" not in why_not and "subregion:" not in why_not


def test_network_legend_shows_what_is_drawn_and_units_of_the_same_states_once(briefs):
    fading = briefs(ROOT / "facts" / "decay_without_war.yaml")
    network = fading.context["figures"][0]["svg"]
    for drawn in ("security community: active", "security community: decaying", "security community: formal only"):
        assert drawn in network
    for absent in ("nascent", "broken down", "balance of power: active", "dotted: a pair"):
        assert absent not in network
    western = briefs(ROOT / "facts" / "western_hemisphere.yaml")
    network = western.context["figures"][0]["svg"]
    # NAFTA is North America's states, MERCOSUR the Southern Cone's: one arc each, with both names.
    assert network.count("= NAFTA") == network.count("North America") == 2  # one label per period
    assert network.count("MERCOSUR") == 2
    assert "thin:" not in network


def test_timeline_legend_shows_only_the_statuses_drawn(briefs):
    fading = briefs(ROOT / "facts" / "decay_without_war.yaml")
    timeline = fading.context["figures"][1]["svg"]
    assert "decaying" in timeline and "formal only" in timeline
    for absent in ("nascent", "broken down"):  # no row of this file has them
        assert absent not in timeline


def test_label_lines_start_on_their_arcs():
    from diagnose.render.figures import _arc_span, _gap, _label_angle

    count = 12
    for runs in ([(0, 2)], [(3, 5), (9, 10)], [(0, count - 1)], [(11, 1)], [(4, 4)]):
        used: list[float] = []
        for _ in range(4):  # later labels move along the arc, never off it
            angle = _label_angle(runs, count, used)
            used.append(angle)
            spans = [_arc_span(first, last, count) for first, last in runs]
            assert any(_gap(angle, start - span / 2) <= span / 2 + 1e-9 for start, span in spans), (runs, angle)


@pytest.fixture(scope="session")
def generated_30(tmp_path_factory) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import yaml

    path = tmp_path_factory.mktemp("world") / "world30.yaml"
    path.write_text(yaml.safe_dump(module.generate(30, 2, 1), sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def world_brief(generated_30) -> Brief:
    return Brief(generated_30)


def test_thirty_states_are_drawn_as_a_matrix_of_pairs(world_brief):
    from diagnose.render.figures import network_view

    facts = world_brief.facts
    assert network_view(facts) == "matrix"
    network, timeline = (figure["svg"] for figure in world_brief.context["figures"])
    paired = {code for unit in facts.units() if unit.kind == "dyad" for code in unit.states}
    for code in paired:
        assert f">{code}<" in network
    for unit in facts.subregions:
        assert f"{unit.name} (sub-region)" in network
    assert "above the diagonal" in network and "below the diagonal" in network
    # The timeline keeps to the region, its sub-regions and groups: its dyads are in the matrix.
    assert "dyad)" not in timeline and "figure 1 shows them" in world_brief.context["figures"][1]["caption"]


def test_pdf_tables_never_break_an_id_inside_a_word(briefs):
    pypdf = pytest.importorskip("pypdf")
    brief = briefs(ROOT / "facts" / "euro_atlantic.yaml")
    reader = pypdf.PdfReader(io.BytesIO(brief.render("pdf").content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    ids = [row["id"] for row in brief.context["evidence"]] + [t["name"] for t in brief.context["method"]["thresholds"]]
    assert any(len(i) > 20 for i in ids)
    for fact_id in ids:
        # A line may end only after `_`, `.` or `-` inside an id (where the brief allows a break).
        pattern = "".join(re.escape(c) + (r"\s*" if c in "_.-" else "") for c in fact_id)
        assert re.search(pattern, text), fact_id


def test_batch_index_reads_like_the_briefs(cli_runner, tmp_path):
    out = tmp_path / "out"
    result = invoke(cli_runner, "batch", ROOT / "facts" / "western_hemisphere.yaml",
                    ROOT / "facts" / "greece_turkey.yaml", "--output-dir", out, "--jobs", "1", "--report", "html",
                    "--judgements", "2")
    assert result.exit_code == 0, result.output
    index = Page((out / "index.html").read_text(encoding="utf-8"))
    assert "Post cold war (1990 onwards): balance of power active in Andes (sub-region)" in index.plain
    assert "Spatial overlap (automatic): North America (sub-region) and Andes (sub-region)" in index.plain
    assert "@" not in index.plain and "dyad:" not in index.plain and "post_cold_war" not in index.plain
    assert "kicker" in (out / "index.html").read_text(encoding="utf-8")  # the briefs' stylesheet
    brief = (out / "western_hemisphere.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<li id="judgement-\d+"', brief)) == 2
    refused = invoke(cli_runner, "batch", ROOT / "facts" / "western_hemisphere.yaml", "--output-dir", out,
                     "--judgements", "2", "--force")
    assert refused.exit_code == 2 and "add --report" in refused.output


def test_progress_bar_shows_only_on_a_terminal_after_a_second():
    from diagnose.render.progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet = io.StringIO()
    with ProgressBar("Briefing", quiet, delay=0) as bar:
        bar.update(1, 2)
    assert quiet.getvalue() == ""  # not a terminal: nothing at all
    terminal = Terminal()
    with ProgressBar("Briefing", terminal, delay=3600) as bar:
        bar.update(1, 2)
    assert terminal.getvalue() == ""  # quick work: nothing
    terminal = Terminal()
    with ProgressBar("Briefing", terminal, delay=0) as bar:
        bar.update(1, 2)
        assert "Briefing [" in terminal.getvalue() and "1/2" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")  # wiped when done: the line is free for the output


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_both_briefs_open_in_chromium_with_judgements_and_figures(briefs, world_brief, tmp_path):
    for brief in (briefs(ROOT / "facts" / "western_hemisphere.yaml"), world_brief):
        page = tmp_path / f"{brief.path.stem}.html"
        page.write_bytes(brief.render("html").content)
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir="
                              f"{tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, timeout=120, check=True).stdout
        section = dom[dom.index('<section id="judgements">'):]
        section = section[:section.index("</section>")]
        assert len(re.findall(r'<li id="judgement-\d+"', section)) == len(brief.context["key_judgements"]) >= 1
        for name in [f["name"] for f in brief.context["figures"]]:
            figure = dom[dom.index(f'<figure id="figure-{name}"'):]
            assert figure[:figure.index("</figure>")].count("<svg") == 1


# --- issue 10, point 4: how much the judgements depend on the thresholds (`report --sensitivity`) -----------

SENSITIVITY_HEADING = "How much the judgements depend on the thresholds"


def _robustness(facts, rules, thresholds, grids=None) -> dict:
    from diagnose.analysis.sensitivity import sensitivity

    result = sensitivity(facts, rules, thresholds=thresholds, grids=grids)
    return {(conclusion_key(r.conclusion), conclusion_verdict(r.conclusion)): r for r in result.conclusions}


def test_the_sensitivity_section_appears_only_with_the_flag(cli_runner, small, tmp_path):
    plain = invoke(cli_runner, "report", small, "--format", "html", "--output", "-")
    assert plain.exit_code == 0, plain.output
    assert SENSITIVITY_HEADING not in plain.output and 'id="sensitivity"' not in plain.output
    swept = invoke(cli_runner, "report", small, "--format", "html", "--output", "-", "--sensitivity")
    assert swept.exit_code == 0, swept.output
    page = Page(swept.output)
    assert SENSITIVITY_HEADING in page.plain and {"sensitivity", "figure-sensitivity"} <= page.ids
    assert page.tags.count("svg") == Page(plain.output).tags.count("svg") + 1
    assert "For policy: Fragile means" in page.plain
    # Without the flag the brief is the one it always was: the section and its sweep are all that differ.
    styled = re.sub(r"/\* How the judgements depend on the thresholds .*?\n(table\.sensitivity .*\n)+", "",
                    swept.output)
    cut = styled.index('<section id="sensitivity">')
    assert styled[:cut] + styled[styled.index("</section>", cut) + len("</section>\n"):] == plain.output

    wrong = invoke(cli_runner, "report", small, "--output", tmp_path / "b.html", "--grid", "sc_min_kinds=2:4")
    assert wrong.exit_code == 2 and "add --sensitivity" in wrong.output
    bad = invoke(cli_runner, "report", small, "--output", tmp_path / "b.html", "--sensitivity", "--grid", "nope=1:2")
    assert bad.exit_code == 2 and "unknown threshold 'nope'" in bad.output
    assert not (tmp_path / "b.html").exists()


@pytest.mark.parametrize("grid", [(), ("sc_min_kinds=2:4", "sc_block_share=0:1:0.5")], ids=["default", "grid"])
def test_sensitivity_shares_are_those_of_the_analysis(cli_runner, tmp_path, grid):
    from diagnose.analysis.sensitivity import parse_grids
    from diagnose.judgements import threshold_dependence

    path = ROOT / "facts" / "greece_turkey.yaml"
    rules = rulebase(())
    facts = load_facts(path, rules)
    diagnosis = diagnose(facts, rules)
    grids = parse_grids(grid, rules.thresholds) or None
    dependence = threshold_dependence(facts, diagnosis, rules, analyse(facts, diagnosis, rules), grids=grids)
    robustness = _robustness(facts, rules, diagnosis.thresholds, grids)
    shown = [c for bar in dependence.bars for c in bar.conclusions]
    for bar in dependence.bars:
        for conclusion in bar.conclusions:
            found = robustness[(conclusion_key(conclusion), conclusion_verdict(conclusion))]
            assert found.baseline
            assert (bar.share, bar.fragile, bar.breaks) == (found.threshold_share, found.fragile,
                                                           found.threshold_breaks)
    # Every key judgement is shown; every other conclusion is shown or counted as left out.
    analysis = analyse(facts, diagnosis, rules)
    assert {id(c) for j in analysis.key for c in j.conclusions} <= {id(c) for c in shown}
    baseline = len(diagnosis.mechanisms) + len(diagnosis.overlaps)
    assert len(shown) + dependence.dyads_left_out + dependence.beyond == baseline
    assert dependence.settings == len(_settings(rules, diagnosis, grids))

    # The brief shows those shares: each table row gives its bar's percentage and count of settings.
    result = invoke(cli_runner, "report", path, "--format", "html", "--output", "-", "--sensitivity",
                    *(f"--grid={g}" for g in grid))
    assert result.exit_code == 0, result.output
    section = result.output[result.output.index('<section id="sensitivity">'):]
    rows = re.findall(r'<td class="share">(\d+)% \((\d+) of (\d+)\)', section[:section.index("</section>")])
    assert [(int(p), int(n), int(t)) for p, n, t in rows] == [
        (round(bar.share * 100), round(bar.share * dependence.settings), dependence.settings)
        for bar in dependence.bars]
    assert any(bar.fragile for bar in dependence.bars) == ("<strong>fragile</strong>" in section)


def _settings(rules, diagnosis, grids):
    from diagnose.analysis.sensitivity import threshold_grid

    return threshold_grid(rules.thresholds, diagnosis.thresholds, grids)


def test_sensitivity_caps_the_conclusions_shown_and_says_how_many_are_left_out(briefs):
    from diagnose.judgements import threshold_dependence

    brief = briefs(ROOT / "facts" / "euro_atlantic.yaml")
    dependence = threshold_dependence(brief.facts, brief.diagnosis, brief.rules, brief.analysis, bars=len(
        [j for j in brief.analysis.key if j.conclusions]) + 1)
    others = [bar for bar in dependence.bars if bar.judgement is None]
    assert len(others) <= 1 and dependence.beyond > 0
    assert not any(u.startswith("dyad:") for bar in others for c in bar.conclusions
                   for u in getattr(c, "units", None) or (c.unit,))
    context = briefing_context(brief.facts, brief.diagnosis, brief.rules, brief.analysis, source="euro.yaml",
                               dependence=dependence)
    assert f"{dependence.beyond} further conclusions of the region" in context["sensitivity"]["left_out"]
    markdown = render_report(context, brief.facts, brief.rules, "markdown").content.decode("utf-8")
    assert f"Not shown: {context['sensitivity']['left_out']}" in markdown
    assert "`diagnose sensitivity euro.yaml` lists every conclusion" in markdown


def test_sensitivity_in_markdown_beside_the_file_and_never_base64_on_standard_output(cli_runner, small, tmp_path):
    streamed = invoke(cli_runner, "report", small, "--sensitivity")
    assert streamed.exit_code == 0, streamed.output
    assert f"## {SENSITIVITY_HEADING}" in streamed.output
    assert "base64" not in streamed.output and "](data:" not in streamed.output and "<svg" not in streamed.output
    assert "*Figure 3 is left out on standard output (the table below gives the same shares)." in streamed.output
    assert re.search(r"^\| 1 \| .+ \| \d+% \(\d+ of \d+\)", streamed.output, re.M)

    target = tmp_path / "small.md"
    written = invoke(cli_runner, "report", small, "--sensitivity", "--output", target)
    assert written.exit_code == 0, written.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".yaml") == [
        "small-network.svg", "small-sensitivity.svg", "small-timeline.svg", "small.md"]
    assert "![How often each judgement holds](small-sensitivity.svg)" in target.read_text(encoding="utf-8")
    assert (tmp_path / "small-sensitivity.svg").read_text(encoding="utf-8").startswith("<svg")
    for name in ("small.md", "small-network.svg", "small-timeline.svg"):
        (tmp_path / name).unlink()
    again = invoke(cli_runner, "report", small, "--sensitivity", "--output", target)
    assert again.exit_code == 2 and "small-sensitivity.svg: already exists" in again.output
    assert not target.exists()


def test_sensitivity_shows_text_from_the_fact_file_literally(cli_runner, tmp_path):
    from xml.etree import ElementTree

    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(HOSTILE.replace('region: "<script>alert(1)</script>"',
                                       'region: "<script>alert(1)</script> $x$\\u001b]0;t\\u0007"'), encoding="utf-8")
    html = invoke(cli_runner, "report", hostile, "--format", "html", "--output", "-", "--sensitivity")
    assert html.exit_code == 0, html.output
    page = Page(html.output)
    assert "script" not in page.tags and "img" not in page.tags
    section = html.output[html.output.index('<section id="sensitivity">'):]
    section = section[:section.index("</section>")]
    svg = section[section.index("<svg"):section.index("</svg>") + 6]
    assert "\x1b" not in svg and "\x07" not in svg  # no control character in the SVG: it would not be XML
    ElementTree.fromstring(svg)  # well-formed: the names are escaped as XML text
    figure = Page(svg)
    assert any("<script>alert(1)</script> $x$\\x1b]0;t\\x07 (region)" in t for t in figure.svg_texts)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "<script>" not in section
    markdown = invoke(cli_runner, "report", hostile, "--output", "-", "--sensitivity")
    assert markdown.exit_code == 0, markdown.output
    assert "\\<script\\>alert(1)\\</script\\>" in markdown.output[markdown.output.index(SENSITIVITY_HEADING):]
    assert "<script>" not in markdown.output


def test_a_period_named_by_its_years_is_labelled_by_them_once():
    # `diagnose import` names periods p1946_1955: "p1946 1955 (1946–1955)" said the years twice
    from diagnose.model import Period
    from diagnose.render.filters import period_label

    facts = type("Facts", (), {"periods": (Period("p1946_1955", 1946, 1955), Period("cold_war", 1947, 1989),
                                           Period("p1990", 1990, 1990))})()
    assert period_label(facts, "p1946_1955") == "1946–1955"
    assert period_label(facts, "cold_war") == "cold war (1947–1989)"
    assert period_label(facts, "p1990") == "1990"
