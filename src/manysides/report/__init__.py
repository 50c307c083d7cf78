"""Report writers: one self-contained HTML page, JSON, and Markdown.

The HTML and Markdown reports are a base template plus the sections listed in
``sections.SECTIONS``; JSON is the Briefing itself, so it carries everything.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from manysides.errors import ReportError
from manysides.model import Briefing

FORMATS = {".html": "html", ".htm": "html", ".json": "json", ".md": "markdown", ".markdown": "markdown"}


@lru_cache(maxsize=2)
def _environment(markdown: bool):
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("manysides.report", "templates"),
        # Article text is untrusted: HTML output escapes everything unless a view
        # hands over Markup it built with manysides.report.markup.
        autoescape=False if markdown else select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown has no autoescape: every printed value is neutralised unless
        # the template already passed it through |md.
        finalize=_markdown_finalize if markdown else None,
    )
    env.filters["md"] = markdown_escape
    env.filters["md_url"] = markdown_url
    env.filters["pct"] = lambda x: f"{100 * x:.0f}%"
    return env


class MarkdownSafe(str):
    """Text already escaped for Markdown."""


def markdown_escape(text: object) -> MarkdownSafe:
    """Neutralise Markdown/HTML syntax in untrusted text for the .md report."""
    if isinstance(text, MarkdownSafe):
        return text
    out = str(text)
    for char in "\\`*_[]<>|#":
        out = out.replace(char, "\\" + char)
    return MarkdownSafe(" ".join(out.split()))


def markdown_url(url: object) -> MarkdownSafe:
    """An http(s) URL for a ``<…>`` autolink: backslash escapes don't work there, so the
    characters that would end the link (space, ``<``, ``>``) are percent-encoded instead."""
    from urllib.parse import quote

    return MarkdownSafe(quote(str(url), safe=":/?#[]@!$&'()*+,;=%~-._"))


def _markdown_finalize(value: object) -> object:
    if value is None or isinstance(value, (MarkdownSafe, int, float)):
        return value
    return markdown_escape(value)


def _rendered_sections(briefing: Briefing, *, markdown: bool):
    from jinja2 import TemplateNotFound

    from manysides.report.sections import SECTIONS

    env = _environment(markdown)
    rendered = []
    for section in SECTIONS:
        if not section.present(briefing):
            continue
        template_name = section.md_template if markdown else section.html_template
        try:
            template = env.get_template(template_name)
        except TemplateNotFound:  # a section may come in one format only
            continue
        view = section.context(briefing)
        rendered.append((section, template.render(briefing=briefing, section=section, view=view)))
    return rendered


def render_html(briefing: Briefing) -> str:
    import secrets

    from markupsafe import Markup

    from manysides import __version__

    env = _environment(False)
    nonce = secrets.token_urlsafe(16)
    sections = []
    for section, body in _rendered_sections(briefing, markdown=False):
        # Script tags can only come from our own templates (article text is
        # escaped), so each gets the page's CSP nonce; nothing else may run.
        sections.append((section, Markup(body.replace("<script>", f'<script nonce="{nonce}">'))))
    return env.get_template("base.html.j2").render(
        briefing=briefing, sections=sections, nonce=nonce, version=__version__,
        headline=_headline(briefing),
    )


def _headline(briefing: Briefing) -> str:
    from manysides.report.views.briefing import headline

    return headline(briefing)


def render_markdown(briefing: Briefing) -> str:
    env = _environment(True)
    sections = [(s, MarkdownSafe(body)) for s, body in _rendered_sections(briefing, markdown=True)]
    return env.get_template("base.md.j2").render(briefing=briefing, sections=sections,
                                                 headline=_headline(briefing))


def render_json(briefing: Briefing) -> str:
    return briefing.to_json(indent=2)


def render(briefing: Briefing, fmt: str) -> str:
    renderers = {"html": render_html, "json": render_json, "markdown": render_markdown}
    try:
        return renderers[fmt](briefing)
    except KeyError:
        raise ReportError(f"unknown report format {fmt!r}; use html, json or markdown", code="E004") from None


def format_for(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ReportError(f"{path}: unknown report type; name it .html, .json or .md", code="E004") from None


def write(briefing: Briefing, path: Path) -> Path:
    text = render(briefing, format_for(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{path}: cannot write report ({exc.strerror})") from exc
    return path
