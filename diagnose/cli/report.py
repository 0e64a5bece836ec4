"""`diagnose report`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import DiagnoseError
from ..judgements import DEFAULT_JUDGEMENTS
from ..output import check_targets, write_atomically
from ..render.formats import FORMATS, SUFFIXES
from .options import Settings, rule_options

STDOUT = "-"


def _format_of(fmt: str | None, output: str) -> str:
    """The format asked for, else the one the output's suffix names (Markdown on standard output)."""
    if fmt is not None:
        return fmt
    if output == STDOUT:
        return "markdown"
    suffix = Path(output).suffix.lower()
    by_suffix = {**{s: f for f, s in SUFFIXES.items()}, ".markdown": "markdown", ".htm": "html"}
    if suffix not in by_suffix:
        raise DiagnoseError(f"{output}: cannot tell the format from the file name; add --format "
                            f"({', '.join(FORMATS)})")
    return by_suffix[suffix]


@click.command()
@click.argument("file", type=click.Path())
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="markdown, html (one self-contained page) or pdf (A4). Default: from --output's suffix, "
                   "else markdown.")
@click.option("--output", "-o", default=STDOUT, show_default=True, metavar="PATH",
              help="The file to write ('-' for standard output; PDF needs a file). Markdown's figures are "
                   "written beside it as PATH-network.svg and PATH-timeline.svg (on standard output they are "
                   "left out, with a note).")
@click.option("--judgements", type=click.IntRange(min=1), default=DEFAULT_JUDGEMENTS, show_default=True,
              metavar="N", help="Key judgements to lead with, most important first; every other conclusion is "
                                "in the tables that follow.")
@click.option("--sensitivity", is_flag=True,
              help="Add a section on how much the judgements depend on the thresholds: the file diagnosed again "
                   "under each threshold setting (as `diagnose sensitivity` does), with a figure and a table. "
                   "Markdown writes its figure beside the brief as PATH-sensitivity.svg.")
@click.option("--grid", "grids", multiple=True, metavar="NAME=LO:HI[:STEP]",
              help="With --sensitivity: sweep a threshold over a range (repeatable: every combination). Default: "
                   "each threshold over its documented range in turn, the others as in force.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--template-dir", type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="Templates that replace the built-in ones of the same name (brief.html.j2, overlap.md.j2, "
                   "...); searched before the rule packs' and the built-in templates.")
@rule_options(thresholds=True)
def report(file: str, fmt: str | None, output: str, judgements: int, sensitivity: bool, grids: tuple[str, ...],
           force: bool, template_dir: str | None, settings: Settings) -> None:
    """Write a policy briefing on the region described in FILE.

    The brief leads with the key judgements, ranked (overlaps first, then
    the mechanisms of the region, its sub-regions and groups, then those of
    pairs of states, each by how much of the region it concerns), each
    with what it means for policy and what would change it: the facts
    without which it would not hold, found by running the rules again
    without each one. Then figures, each overlap explained for policy, why
    each mechanism is not active where it is not, mechanisms by unit and
    period, junctures and strategies, every fact used, and the method
    (rules, thresholds, the paper). With --sensitivity, also how much the
    judgements depend on the thresholds: the share of threshold settings
    under which each holds, fragile ones marked. A report that takes more
    than a second shows its progress on standard error (on a terminal only).

    \b
    Examples:
      diagnose report facts/southeast_asia.yaml --format html --output brief.html
      diagnose report facts/western_hemisphere.yaml -o briefs/western.pdf
      diagnose report facts/greece_turkey.yaml --format markdown -o brief.md
      diagnose report world.yaml -o world.html --judgements 12
      diagnose report facts/greece_turkey.yaml -o brief.html --sensitivity
      diagnose report facts/greece_turkey.yaml -o brief.pdf --sensitivity --grid sc_min_kinds=2:4
      diagnose report facts/euro_atlantic.yaml --format html | less
      diagnose report region.yaml -o brief.html --rules examples/packs/hegemony
      diagnose report region.yaml -o brief.html --template-dir my_templates --force
    """
    if grids and not sensitivity:
        raise DiagnoseError("--grid sweeps thresholds for --sensitivity: add --sensitivity")
    target = None if output == STDOUT else Path(output)
    if target is not None:
        check_targets([target], [Path(file)], force=force)
    # Imported here, not at the top: matplotlib takes most of a second to load, and every other command
    # (`diagnose run`, `validate`, ...) would pay for it at start-up.
    from ..analysis.sensitivity import parse_grids
    from ..batch import default_jobs
    from ..judgements import brief
    from ..render.figures import FIGURES, SENSITIVITY_FIGURE
    from ..render.progress import ProgressBar
    from ..render.report import figure_file_name

    fmt = _format_of(fmt, output)
    if target is None and fmt == "pdf":
        raise DiagnoseError("--format pdf writes a binary file: name it with --output, e.g. --output brief.pdf")
    ranges = parse_grids(grids, settings.rules.thresholds)  # before any work: a bad --grid is reported at once
    if target is not None and fmt == "markdown":
        names = (*FIGURES, SENSITIVITY_FIGURE) if sensitivity else FIGURES
        check_targets([target.with_name(figure_file_name(target.stem, name)) for name in names], [Path(file)],
                      force=force)
    with ProgressBar("Briefing") as bar:
        rendered = brief(file, settings.rules, settings.thresholds, fmt, judgements=judgements,
                         template_dir=template_dir, output_stem=None if target is None else target.stem,
                         progress=bar.update, sensitivity=sensitivity, grids=ranges or None,
                         jobs=default_jobs() if sensitivity else 1)
    if target is None:
        sys.stdout.buffer.write(rendered.content)
        sys.stdout.buffer.flush()
        return
    for name, data in rendered.attachments.items():
        write_atomically(target.with_name(name), data, force=force)
    write_atomically(target, rendered.content, force=force)
