"""Analysis stages: pure functions ``(Briefing, Resources) -> Briefing``.

A stage reads the parts of the briefing that earlier stages set and returns a
new briefing with its own part filled in (``briefing.model_copy(update=...)``).
Stages are looked up by name, so a pipeline is a list of names and a user can
swap one (``--stages``) without touching the others. Each module is imported
only when its stage runs, which keeps ``import manysides`` light.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from manysides.model import Briefing
from manysides.resources import Resources

StageFn = Callable[[Briefing, Resources], Briefing]


@dataclass(frozen=True, slots=True)
class StageSpec:
    name: str
    target: str  # "module:function"
    requires: tuple[str, ...]  # briefing fields that must be filled first
    sets: tuple[str, ...]
    doc: str


STAGES: dict[str, StageSpec] = {
    spec.name: spec
    for spec in (
        StageSpec("entities", "manysides.analyse.entities:entities_stage",
                  ("articles",), ("entities", "articles"),
                  "gazetteer-corrected mentions resolved into cross-document entities"),
        StageSpec("times", "manysides.analyse.timeline:times_stage",
                  ("articles",), ("time_refs",),
                  "time expressions normalised against each article's publication date"),
        StageSpec("claims", "manysides.analyse.claims:claims_stage",
                  ("articles", "entities", "time_refs"), ("quotes", "claims"),
                  "quotes, attribution and check-worthy claims"),
        StageSpec("origins", "manysides.analyse.origins:origins_stage",
                  ("articles",), ("origins",),
                  "wire copy and rewrites grouped into independent origins"),
        StageSpec("alignment", "manysides.analyse.alignment:alignment_stage",
                  ("claims", "origins"), ("claim_groups",),
                  "same-claim groups labelled corroborated / single-source / contested"),
        StageSpec("framing", "manysides.analyse.framing:framing_stage",
                  ("articles", "claim_groups", "quotes"), ("framing",),
                  "wording per outlet, distinctive terms, loaded language, voices"),
        StageSpec("timeline", "manysides.analyse.timeline:timeline_stage",
                  ("time_refs", "claim_groups"), ("timeline",),
                  "dated claim groups on one timeline"),
        StageSpec("summary", "manysides.analyse.summary:summary_stage",
                  ("claim_groups", "framing"), ("summary",),
                  "neutral summary; every sentence cites and is verified against its spans"),
    )
}

DEFAULT_PIPELINE: tuple[str, ...] = tuple(STAGES)


def load_stage(name: str) -> StageFn:
    try:
        spec = STAGES[name]
    except KeyError:
        raise ValueError(f"no stage named {name!r}; available: {', '.join(STAGES)}") from None
    module_name, function_name = spec.target.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def available_stages() -> list[str]:
    """Stages whose module is importable (a stage still being built is skipped)."""
    names = []
    for name, spec in STAGES.items():
        module_name = spec.target.split(":")[0]
        if importlib.util.find_spec(module_name) is not None:
            names.append(name)
    return names
