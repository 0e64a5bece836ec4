"""Briefings rendered from templates: Markdown, HTML, and PDF through WeasyPrint.

Templates are looked up by name, first in the user's ``--template-dir``, then
in each rule pack's ``reports/`` folder (later packs first), then among the
built-in templates of ``diagnose.reports``; so any template, or any partial,
can be replaced by a file of the same name.
"""

from __future__ import annotations

import logging
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, \
    StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError

from ..errors import DiagnoseError
from ..model import FactBase
from .filters import MarkdownText, breakable, escape_markdown, file_link, markdown_code, report_filters, \
    spaced_markdown, spaced_markup

if TYPE_CHECKING:
    from ..packs import RuleBase

TEMPLATES = {"markdown": "brief.md.j2", "html": "brief.html.j2", "pdf": "brief.pdf.j2"}


@dataclass(frozen=True)
class RenderedReport:
    """A rendered brief: its bytes, and the files it links to (Markdown's figures), by name beside it."""

    content: bytes
    attachments: dict[str, bytes] = field(default_factory=dict)


BUILTIN_PREFIX = "builtin/"
"""`builtin/overlap.html.j2` is always the built-in template, so a replacement can extend the one it replaces."""


def template_loader(rules: RuleBase, template_dir: str | Path | None = None) -> BaseLoader:
    """The user's folder, then the packs' `reports/` folders (the last loaded first), then the built-ins."""
    builtin = PackageLoader("diagnose.reports", ".")
    loaders: list[BaseLoader] = [FileSystemLoader(str(template_dir))] if template_dir else []
    loaders += [FileSystemLoader(pack.template_dir) for pack in reversed(rules.packs) if pack.template_dir]
    loaders += [builtin, PrefixLoader({BUILTIN_PREFIX.rstrip("/"): builtin})]
    return ChoiceLoader(loaders)


def report_environment(facts: FactBase, rules: RuleBase, fmt: str, template_dir: str | Path | None = None) \
        -> Environment:
    """A Jinja environment for ``fmt``: undefined names fail, and text from the fact file is always escaped.

    Every template of an HTML (or PDF) environment autoescapes, whatever its
    name (a pack's or the user's partial too), so text and attribute values
    are escaped alike; Markdown templates pass every value through
    `escape_markdown`, so a region called ``<script>`` or a summary with
    ``{{ 7*7 }}`` shows as written and never becomes markup.
    """
    markdown = fmt == "markdown"
    environment = Environment(loader=template_loader(rules, template_dir), undefined=StrictUndefined,
                              autoescape=not markdown,
                              finalize=escape_markdown if markdown else None,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters.update(report_filters(facts))
    environment.filters.update({"code": markdown_code, "spaced": spaced_markdown} if markdown else
                               {"breakable": breakable, "spaced": spaced_markup})
    return environment


def figure_file_name(output_stem: str, figure: str) -> str:
    """`brief-network.svg` beside `brief.md`."""
    return f"{output_stem}-{figure}.svg"


def render_markdown(context: dict[str, Any], environment: Environment, output_stem: str | None) -> RenderedReport:
    """The Markdown brief; its figures as SVG files beside it, or, when it has no file name (standard output),
    left out with a note: pages of base64 are of no use to a reader or a pager."""
    attachments: dict[str, bytes] = {}

    def linked(figure: dict[str, Any]) -> dict[str, Any]:
        source = None
        if output_stem is not None:
            name = figure_file_name(output_stem, figure["name"])
            attachments[name] = figure["svg"].encode("utf-8")
            source = MarkdownText(file_link(name))  # percent-encoded: a link as it is
        return {**figure, "src": source}

    figures = [linked(figure) for figure in context["figures"]]
    sensitivity = context.get("sensitivity")
    if sensitivity:  # `report --sensitivity`: its figure is linked (or left out) like the others
        sensitivity = {**sensitivity, "figure": linked(sensitivity["figure"])}
    text = environment.get_template(TEMPLATES["markdown"]).render({**context, "figures": figures,
                                                                     "sensitivity": sensitivity})
    return RenderedReport(text.encode("utf-8"), attachments)


def render_html(context: dict[str, Any], environment: Environment, fmt: str = "html") -> str:
    """The HTML brief (``fmt="pdf"`` gives the page the PDF is printed from)."""
    return environment.get_template(TEMPLATES[fmt]).render(context)


class _SvgPropertyNoise(logging.Filter):
    """Drop WeasyPrint's warnings about SVG presentation properties in inline SVG's style attributes.

    WeasyPrint checks those attributes against HTML's CSS, warns that `fill`
    or `stroke` is unknown, then draws the SVG with them all the same; a
    genuine mistake in a template's CSS is still reported.
    """

    NOISE = re.compile(r"^Ignored `(fill|stroke|text-anchor|clip-rule|stop)[\w-]*:.*unknown property")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.NOISE.match(record.getMessage())


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML brief: A4 pages, numbered (WeasyPrint)."""
    from weasyprint import HTML  # imported here: loading Pango and fonts is slow, and only PDF needs it

    logger, noise = logging.getLogger("weasyprint"), _SvgPropertyNoise()
    logger.addFilter(noise)
    try:
        return HTML(string=html).write_pdf()
    finally:
        logger.removeFilter(noise)


def _template_error(error: TemplateError) -> DiagnoseError:
    """A broken template (the user's, or a pack's) as one line naming the template and line where known."""
    if isinstance(error, TemplateSyntaxError):
        where = f"{error.filename or error.name}:{error.lineno}: "
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
        where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
    if isinstance(error, TemplateNotFound):
        return DiagnoseError(f"{where}template not found: {error.message}")
    return DiagnoseError(f"{where}template error: {error.message}")


def render_report(context: dict[str, Any], facts: FactBase, rules: RuleBase, fmt: str, *,
                  template_dir: str | Path | None = None, output_stem: str | None = None) -> RenderedReport:
    """Render a briefing context (see `briefing_context`) in ``fmt``: markdown, html or pdf.

    A template that fails (a syntax error, an undefined name) is a `DiagnoseError`.
    """
    environment = report_environment(facts, rules, fmt, template_dir)
    try:
        if fmt == "markdown":
            return render_markdown(context, environment, output_stem)
        html = render_html(context, environment, fmt)
    except TemplateError as error:
        raise _template_error(error) from None
    except RecursionError:
        raise DiagnoseError(f"template error: a template extends or includes itself; to build on the built-in "
                            f"template of the same name, extend '{BUILTIN_PREFIX}NAME'") from None
    return RenderedReport(render_pdf(html) if fmt == "pdf" else html.encode("utf-8"))
