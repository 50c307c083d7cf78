"""The public Python API. The CLI and the web UI are thin layers over these functions.

Nothing here prints: progress and per-input failures go through callbacks the
caller fills (the CLI with a rich progress bar and one line per failure).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from manysides.errors import IngestError
from manysides.ingest.base import RawArticle, content_id, failure_from
from manysides.model import Article, Briefing, InputFailure
from manysides.resources import Resources, Settings

ProgressFn = Callable[[str, int, "int | None"], None]  # (what, done, total)
FailureFn = Callable[[InputFailure], None]

# Cross-article boilerplate is found per window of this many articles: big enough
# to see a site's repeated lines, small enough that memory stays flat.
BOILERPLATE_WINDOW = 200


def _noop_progress(what: str, done: int, total: int | None) -> None:
    pass


def _noop_failure(failure: InputFailure) -> None:
    pass


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    failures: list[InputFailure] = field(default_factory=list)
    new_count: int = 0
    seen_count: int = 0
    duplicates: list[str] = field(default_factory=list)  # inputs that repeat an earlier article, read once


# ---------------------------------------------------------------------------
# ingest -> clean -> NLP
# ---------------------------------------------------------------------------


def read(inputs: Sequence[str], *, settings: Settings, on_failure: FailureFn = _noop_failure) -> Iterator[RawArticle]:
    """Stream raw articles from every input; failures go to ``on_failure``."""
    from manysides.ingest import read_inputs

    for item in read_inputs(inputs, settings=settings):
        if isinstance(item, InputFailure):
            on_failure(item)
        else:
            yield item


def _outlet_fallback(raw: RawArticle) -> str:
    if raw.outlet:
        return raw.outlet
    if raw.source not in ("-", "stdin") and "://" not in raw.source:
        # "folder/outlet.jsonl:12" (a JSONL line) or "outlet.json#3" (a list item) -> "outlet"
        return Path(re.sub(r"(:\d+|#\d+)$", "", raw.source)).stem
    return "unknown outlet"


def clean_raw(raw: RawArticle, *, repeated_lines: frozenset[str] = frozenset()) -> Article:
    """One raw article -> an Article with clean text and audited drops."""
    from manysides.clean import apply_drops, find_drops

    drops = find_drops(raw.text, title=raw.title, html=raw.html, repeated_lines=repeated_lines)
    clean_text = apply_drops(raw.text, drops)
    if not clean_text.strip():
        raise IngestError(raw.source, "no article text left after removing junk", code="E011")
    return Article(
        id=content_id(raw.text),
        source=raw.source,
        format=raw.format,
        url=raw.url,
        outlet=_outlet_fallback(raw),
        title=raw.title,
        published=raw.published,
        date_source=raw.date_source,
        language=raw.language,
        raw_text=raw.text,
        clean_text=clean_text,
        dropped=list(drops),
    )


def clean_stream(raws: Iterable[RawArticle], *, on_failure: FailureFn = _noop_failure) -> Iterator[Article]:
    """Clean raw articles window by window (cross-article boilerplate needs company)."""
    from manysides.clean import repeated_boilerplate

    iterator = iter(raws)
    while window := list(islice(iterator, BOILERPLATE_WINDOW)):
        repeated = repeated_boilerplate(raw.text for raw in window) if len(window) > 2 else frozenset()
        for raw in window:
            try:
                yield clean_raw(raw, repeated_lines=repeated)
            except Exception as exc:  # one odd article is reported and skipped, never the run
                on_failure(failure_from(exc, source=raw.source))


def prepare(
    inputs: Sequence[str],
    *,
    settings: Settings,
    resources: Resources | None = None,
    on_failure: FailureFn = _noop_failure,
    keep_docs: bool = False,
    on_duplicate: Callable[[Article], None] = lambda article: None,
) -> Iterator[Article]:
    """Stream fully prepared articles (read, cleaned, parsed), deduplicated by content.

    With ``keep_docs`` the spaCy parses stay in ``resources.parses`` for later stages.
    """
    resources = resources or Resources(settings)
    seen: set[str] = set()

    def unique(articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            if article.id not in seen:
                seen.add(article.id)
                yield article
            else:
                on_duplicate(article)

    from manysides.nlp import annotate

    cleaned = unique(clean_stream(read(inputs, settings=settings, on_failure=on_failure),
                                  on_failure=on_failure))
    yield from annotate(cleaned, nlp=resources.nlp, batch_size=settings.batch_size,
                        n_process=settings.n_process, keep_docs=resources.parses if keep_docs else None)


def ingest(
    inputs: Sequence[str],
    *,
    settings: Settings | None = None,
    store=None,
    resources: Resources | None = None,
    on_progress: ProgressFn = _noop_progress,
    on_failure: FailureFn = _noop_failure,
    keep_articles: bool = True,
    keep_docs: bool = False,
) -> IngestResult:
    """Read, clean and parse inputs; store each article as soon as it is ready."""
    settings = settings or Settings()
    result = IngestResult()

    def record_failure(failure: InputFailure) -> None:
        result.failures.append(failure)
        on_failure(failure)

    for done, article in enumerate(
        prepare(inputs, settings=settings, resources=resources, on_failure=record_failure,
                keep_docs=keep_docs, on_duplicate=lambda article: result.duplicates.append(article.source)),
        start=1,
    ):
        if store is not None:
            if store.add_article(article):
                result.new_count += 1
            else:
                result.seen_count += 1
        else:
            result.new_count += 1
        if keep_articles:
            result.articles.append(article)
        on_progress("ingest", done, None)
    return result


# ---------------------------------------------------------------------------
# analysis stages
# ---------------------------------------------------------------------------


def new_briefing(articles: Sequence[Article], *, failures: Sequence[InputFailure] = (), title: str | None = None) -> Briefing:
    ordered = sorted(articles, key=lambda a: (a.published or dt.date.min, a.outlet or "", a.id))
    digest = hashlib.sha256("".join(sorted(a.id for a in ordered)).encode()).hexdigest()[:16]
    return Briefing(
        id=digest,
        title=title or _story_title(ordered),
        created_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        articles=list(ordered),
        failures=list(failures),
    )


def _story_title(articles: Sequence[Article]) -> str | None:
    titles = [a.title for a in articles if a.title]
    return min(titles, key=len) if titles else None


def run_stages(
    briefing: Briefing,
    *,
    resources: Resources,
    stages: Sequence[str] | None = None,
    on_progress: ProgressFn = _noop_progress,
) -> Briefing:
    """Run named stages in order, timing each.

    The pipeline is checked before any stage runs: an unknown name or a stage whose
    required input no earlier stage sets raises :class:`~manysides.errors.StageError`.
    """
    from manysides.analyse import DEFAULT_PIPELINE, check_pipeline, load_stage

    specs = check_pipeline(list(stages) if stages is not None else DEFAULT_PIPELINE)
    timings = dict(briefing.stage_seconds)
    for done, spec in enumerate(specs, start=1):
        stage = load_stage(spec.name)
        started = time.perf_counter()
        briefing = stage(briefing, resources)
        timings[spec.name] = round(time.perf_counter() - started, 3)
        on_progress(f"stage {spec.name}", done, len(specs))
    return briefing.model_copy(update={"stage_seconds": timings})


@dataclass
class AnalyzeResult:
    briefing: Briefing
    failures: list[InputFailure]
    duplicates: list[str] = field(default_factory=list)


def analyze(
    inputs: Sequence[str],
    *,
    settings: Settings | None = None,
    stages: Sequence[str] | None = None,
    store=None,
    resources: Resources | None = None,
    on_progress: ProgressFn = _noop_progress,
    on_failure: FailureFn = _noop_failure,
    title: str | None = None,
) -> AnalyzeResult:
    """Inputs in, a briefing out: ingest + clean + NLP + every analysis stage."""
    settings = settings or Settings()
    resources = resources or Resources(settings)
    if stages is not None:
        from manysides.analyse import check_pipeline

        check_pipeline(stages)  # a bad pipeline fails before any input is read
    started = time.perf_counter()
    ingested = ingest(inputs, settings=settings, store=store, resources=resources,
                      on_progress=on_progress, on_failure=on_failure, keep_docs=True)
    briefing = new_briefing(ingested.articles, failures=ingested.failures, title=title)
    briefing = briefing.model_copy(
        update={"stage_seconds": {"ingest+clean+nlp": round(time.perf_counter() - started, 3)}}
    )
    if briefing.articles:
        briefing = run_stages(briefing, resources=resources, stages=stages, on_progress=on_progress)
    if store is not None:
        store.save_briefing(briefing)
    return AnalyzeResult(briefing=briefing, failures=ingested.failures, duplicates=ingested.duplicates)


def write_report(briefing: Briefing, path: str | Path) -> Path:
    """Write the briefing as HTML, JSON or Markdown, chosen by the file suffix."""
    from manysides.report import write

    return write(briefing, Path(path))
