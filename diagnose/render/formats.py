"""The briefing formats and their file suffixes (kept apart so commands load no Jinja to name them)."""

FORMATS = ("markdown", "html", "pdf")
SUFFIXES = {"markdown": ".md", "html": ".html", "pdf": ".pdf"}
