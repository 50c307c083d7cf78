"""A report is a list of sections; a section is a template plus a piece of the Briefing.

Each section names its templates (HTML and Markdown, under ``templates/sections``)
and an optional ``prepare`` function ``(Briefing) -> dict`` that turns its piece
of the briefing into what the template shows. A section whose piece is empty
is left out, so the same report serves a briefing at any stage.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from manysides.model import Briefing


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    title: str
    present: Callable[[Briefing], bool]
    prepare: str | None = None  # "module:function" returning the template context

    @property
    def html_template(self) -> str:
        return f"sections/{self.name}.html.j2"

    @property
    def md_template(self) -> str:
        return f"sections/{self.name}.md.j2"

    def context(self, briefing: Briefing) -> dict[str, Any]:
        if self.prepare is None:
            return {}
        module_name, function_name = self.prepare.split(":")
        return getattr(importlib.import_module(module_name), function_name)(briefing)


SECTIONS: list[Section] = [
    # The first screen: headline, agreed facts, disagreements, one-party claims.
    Section("briefing", "Briefing", lambda b: True, "manysides.report.views.briefing:view"),
    Section("overview", "Sources", lambda b: True, "manysides.report.views.overview:view"),
    Section("summary", "Summary", lambda b: b.summary is not None,
            "manysides.report.views.summary:view"),
    Section("claims", "Claims across sources", lambda b: bool(b.claim_groups),
            "manysides.report.views.claims:view"),
    Section("entities", "People, places and organisations", lambda b: bool(b.entities),
            "manysides.report.views.entities:view"),
    Section("framing", "Framing", lambda b: b.framing is not None,
            "manysides.report.views.framing:view"),
    Section("timeline", "Timeline", lambda b: bool(b.timeline),
            "manysides.report.views.timeline:view"),
    Section("articles", "Articles", lambda b: bool(b.articles),
            "manysides.report.views.articles:view"),
]
