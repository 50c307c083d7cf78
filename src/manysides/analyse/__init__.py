"""Analysis stages: pure functions ``(Briefing, Resources) -> Briefing``.

A stage reads the parts of the briefing that earlier stages set and returns a
new briefing with its own part filled in (``briefing.model_copy(update=...)``).
Stages are looked up by name, so a pipeline is a list of names and a user can
swap one (``--stages``) without touching the others. Each package is imported
only when its stage runs, which keeps ``import manysides`` light.

Each stage declares what it ``requires`` (briefing parts it cannot run without),
what it ``uses`` when present (it runs plainer without them) and what it ``sets``;
:func:`check_pipeline` refuses, before any work, a pipeline whose stage would find
a required part missing, and names the stages to add.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from manysides.errors import StageError
from manysides.model import Briefing
from manysides.resources import Resources

StageFn = Callable[[Briefing, Resources], Briefing]

# What ingest + clean + NLP give every briefing before the first stage runs.
SET_BY_INGEST: frozenset[str] = frozenset({"articles"})


@dataclass(frozen=True, slots=True)
class StageSpec:
    name: str
    target: str  # "module:function"
    requires: tuple[str, ...]  # briefing parts that must be set first
    uses: tuple[str, ...]  # briefing parts read when present
    sets: tuple[str, ...]
    doc: str


STAGES: dict[str, StageSpec] = {
    spec.name: spec
    for spec in (
        StageSpec("entities", "manysides.analyse.entities.resolve:entities_stage",
                  ("articles",), (), ("entities",),
                  "gazetteer-corrected mentions resolved into cross-document entities"),
        StageSpec("times", "manysides.analyse.timeline.stage:times_stage",
                  ("articles",), (), ("time_refs",),
                  "time expressions normalised against each article's publication date"),
        StageSpec("claims", "manysides.analyse.claims.extract:claims_stage",
                  ("articles",), ("entities", "time_refs"), ("quotes", "claims", "sides", "packs"),
                  "quotes, attribution, sides and check-worthy claims"),
        StageSpec("origins", "manysides.analyse.origins.detect:origins_stage",
                  ("articles",), (), ("origins", "passages"),
                  "wire copy, rewrites and relayed passages grouped into independent origins"),
        StageSpec("alignment", "manysides.analyse.alignment.group:alignment_stage",
                  ("claims", "origins"), ("entities",), ("claim_groups", "alignment"),
                  "same-fact groups labelled corroborated / single-source / contested"),
        StageSpec("framing", "manysides.analyse.framing.stage:framing_stage",
                  ("articles",), ("claim_groups", "quotes", "entities"), ("framing",),
                  "wording per outlet, distinctive terms, loaded language, voices"),
        StageSpec("timeline", "manysides.analyse.timeline.stage:timeline_stage",
                  ("time_refs",), ("claim_groups",), ("timeline",),
                  "dated claim groups on one timeline"),
        StageSpec("summary", "manysides.analyse.summary.build:summary_stage",
                  ("articles",), ("claim_groups", "framing"), ("summary",),
                  "neutral summary; every sentence cites and is verified against its spans"),
    )
}

DEFAULT_PIPELINE: tuple[str, ...] = tuple(STAGES)


def _setter_of(part: str) -> str | None:
    return next((spec.name for spec in STAGES.values() if part in spec.sets), None)


def _spec(name: str) -> StageSpec:
    try:
        return STAGES[name]
    except KeyError:
        raise StageError(f"no stage named {name!r}; available: {', '.join(STAGES)}", code="E001") from None


def pipeline_for(targets: Sequence[str], *, with_optional: bool = True) -> list[str]:
    """The stages that ``targets`` need (and, ``with_optional``, those they use), in pipeline order."""
    wanted: set[str] = set()

    def add(name: str) -> None:
        if name in wanted:
            return
        wanted.add(name)
        spec = _spec(name)
        for part in (*spec.requires, *(spec.uses if with_optional else ())):
            setter = _setter_of(part)
            if setter is not None:
                add(setter)

    for target in targets:
        add(target)
    return [name for name in DEFAULT_PIPELINE if name in wanted]


def check_pipeline(names: Sequence[str], *, already_set: frozenset[str] = SET_BY_INGEST) -> list[StageSpec]:
    """The specs of ``names`` in order, or a StageError naming the first unmet requirement."""
    available = set(already_set)
    specs = []
    for name in names:
        spec = _spec(name)
        missing = [part for part in spec.requires if part not in available]
        if missing:
            chain = pipeline_for([*names], with_optional=False)
            setter = _setter_of(missing[0])
            raise StageError(f"stage {name!r} needs {setter or missing[0]!r}; "
                             f"run --stages {','.join(chain)}")
        available.update(spec.sets)
        specs.append(spec)
    return specs


def load_stage(name: str) -> StageFn:
    spec = _spec(name)
    module_name, function_name = spec.target.split(":")
    return getattr(importlib.import_module(module_name), function_name)
