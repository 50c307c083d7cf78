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

Inputs = Sequence["str | Path"]  # paths, URLs or "-" for stdin
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


def read(inputs: Inputs, *, settings: Settings, on_failure: FailureFn = _noop_failure) -> Iterator[RawArticle]:
    """Stream raw articles from every input; failures go to ``on_failure``."""
    from manysides.ingest import read_inputs
    from manysides.ingest.metadata import not_english_failure

    for item in read_inputs(inputs, settings=settings):
        if not isinstance(item, InputFailure):
            # Read, but not analysed: the English model on another language yields junk entities and no claims.
            item = not_english_failure(item) or item
        if isinstance(item, InputFailure):
            on_failure(item)
        else:
            yield item


# A file name that is an id ("000_4a0996cedeb8db0e.txt"), not a name a reader knows.
_ID_LIKE_STEM = re.compile(r"\d{3,}|[0-9a-f]{8,}", re.IGNORECASE)


def _outlet_fallback(raw: RawArticle, number: int = 0) -> tuple[str, str | None]:
    """The outlet and where it came from; with none given, the file's name when it reads as one.

    A stem like "harbour-voice" names the outlet (examples and groups files use
    them); an id-like stem becomes "article 3 (000_4a09….txt)", the article's
    place in the run and a short form of the file name.
    """
    if raw.outlet:
        return raw.outlet, raw.outlet_source
    if raw.source not in ("-", "stdin") and "://" not in raw.source:
        # "folder/outlet.jsonl:12" (a JSONL line) or "outlet.json#3" (a list item) -> "outlet"
        path = Path(re.sub(r"(:\d+|#\d+)$", "", raw.source))
        if not _ID_LIKE_STEM.search(path.stem):
            return path.stem, "file"
        short = path.name if len(path.stem) <= 10 else f"{path.stem[:8]}…{path.suffix}"
        return (f"article {number} ({short})" if number else short), "file"
    return (f"article {number}" if number else "unknown outlet"), None


def clean_raw(raw: RawArticle, *, repeated_lines: frozenset[str] = frozenset(), number: int = 0) -> Article:
    """One raw article -> an Article with clean text and audited drops."""
    from manysides.clean import apply_drops, find_drops

    drops = find_drops(raw.text, title=raw.title, html=raw.html, repeated_lines=repeated_lines)
    clean_text = apply_drops(raw.text, drops)
    if not clean_text.strip():
        raise IngestError(raw.source, "no article text left after removing junk", code="E011")
    outlet, outlet_source = _outlet_fallback(raw, number)
    return Article(
        id=content_id(raw.text),
        source=raw.source,
        format=raw.format,
        url=raw.url,
        outlet=outlet,
        outlet_source=outlet_source,
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
    number = 0
    while window := list(islice(iterator, BOILERPLATE_WINDOW)):
        repeated = repeated_boilerplate(raw.text for raw in window) if len(window) > 2 else frozenset()
        for raw in window:
            number += 1  # the article's place in the run names it when nothing else does
            try:
                yield clean_raw(raw, repeated_lines=repeated, number=number)
            except Exception as exc:  # one odd article is reported and skipped, never the run
                on_failure(failure_from(exc, source=raw.source))


def prepare(
    inputs: Inputs,
    *,
    settings: Settings,
    resources: Resources | None = None,
    on_failure: FailureFn = _noop_failure,
    keep_docs: bool = False,
    on_duplicate: Callable[[Article], None] = lambda article: None,
    known: Callable[[str], bool] | None = None,
    on_known: Callable[[str], None] = lambda article_id: None,
) -> Iterator[Article]:
    """Stream fully prepared articles (read, cleaned, parsed), deduplicated by content.

    With ``keep_docs`` the spaCy parses stay in ``resources.parses`` for later stages.
    An article whose content-hash id ``known`` recognises (a stored one) goes to ``on_known``
    before any cleaning or parsing: re-ingesting known articles costs a read and a hash.
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

    raws = read(inputs, settings=settings, on_failure=on_failure)
    if known is not None:
        raws = _unknown_only(raws, known, on_known)
    cleaned = unique(clean_stream(raws, on_failure=on_failure))
    yield from annotate(cleaned, nlp=resources.nlp, batch_size=settings.batch_size,
                        n_process=settings.n_process, keep_docs=resources.parses if keep_docs else None)


def _unknown_only(raws: Iterable[RawArticle], known: Callable[[str], bool],
                  on_known: Callable[[str], None]) -> Iterator[RawArticle]:
    passed: set[str] = set()
    skipped: set[str] = set()
    for raw in raws:
        article_id = content_id(raw.text)
        if article_id in passed:
            yield raw  # a new article met twice: ``unique`` reports the duplicate
        elif article_id in skipped:
            continue  # a stored article met twice in one run
        elif known(article_id):
            skipped.add(article_id)
            on_known(article_id)
        else:
            passed.add(article_id)
            yield raw


def ingest(
    inputs: Inputs,
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

    def stored_already(article_id: str) -> None:
        result.seen_count += 1
        if keep_articles:
            result.articles.append(store.get_article(article_id))

    for done, article in enumerate(
        prepare(inputs, settings=settings, resources=resources, on_failure=record_failure,
                keep_docs=keep_docs, on_duplicate=lambda article: result.duplicates.append(article.source),
                known=store.has_article if store is not None else None, on_known=stored_already),
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
    # one briefing per story when the input held several (biggest first; ``briefing`` is the first)
    stories: list[Briefing] = field(default_factory=list)


def analyze(
    inputs: Inputs,
    *,
    settings: Settings | None = None,
    stages: Sequence[str] | None = None,
    store=None,
    resources: Resources | None = None,
    on_progress: ProgressFn = _noop_progress,
    on_failure: FailureFn = _noop_failure,
    title: str | None = None,
) -> AnalyzeResult:
    """Inputs in, a briefing out: ingest + clean + NLP + every analysis stage.

    An input about several events gets one briefing per story (``AnalyzeResult.stories``);
    a ``title`` says the input is one story and keeps it whole.
    """
    settings = settings or Settings()
    resources = resources or Resources(settings)
    if stages is not None:
        from manysides.analyse import check_pipeline

        check_pipeline(stages)  # a bad pipeline fails before any input is read
    started = time.perf_counter()
    ingested = ingest(inputs, settings=settings, store=store, resources=resources,
                      on_progress=on_progress, on_failure=on_failure, keep_docs=True)
    groups = [ingested.articles]
    if title is None and len(ingested.articles) > 1:
        by_id = {article.id: article for article in ingested.articles}
        groups = [[by_id[i] for i in story.article_ids] for story in find_stories(ingested.articles)]
    ingest_seconds = round(time.perf_counter() - started, 3)
    briefings = []
    for members in groups:
        briefing = new_briefing(members, failures=ingested.failures, title=title)
        briefing = briefing.model_copy(update={"stage_seconds": {"ingest+clean+nlp": ingest_seconds}})
        if briefing.articles:
            briefing = run_stages(briefing, resources=resources, stages=stages, on_progress=on_progress)
        if store is not None:
            store.save_briefing(briefing)
        briefings.append(briefing)
    return AnalyzeResult(briefing=briefings[0], failures=ingested.failures, duplicates=ingested.duplicates,
                         stories=briefings if len(briefings) > 1 else [])


def write_report(briefing: Briefing, path: str | Path) -> Path:
    """Write the briefing as HTML, JSON or Markdown, chosen by the file suffix."""
    from manysides.report import write

    return write(briefing, Path(path))


# ---------------------------------------------------------------------------
# stories: mixed inputs, continuous ingest, Spark
# ---------------------------------------------------------------------------


def find_stories(articles: Sequence[Article]) -> list:
    """Group articles into stories (``manysides.stories.StoryGroup``), biggest first."""
    from manysides.stories import group_articles

    return group_articles(articles)


@dataclass
class StoriesResult:
    stories: list  # StoryGroup, biggest first
    articles: list[Article]
    failures: list[InputFailure]


def stories(
    inputs: Inputs,
    *,
    settings: Settings | None = None,
    store=None,
    resources: Resources | None = None,
    on_progress: ProgressFn = _noop_progress,
    on_failure: FailureFn = _noop_failure,
) -> StoriesResult:
    """Ingest inputs and find the stories in them (no analysis stages)."""
    ingested = ingest(inputs, settings=settings or Settings(), store=store, resources=resources,
                      on_progress=on_progress, on_failure=on_failure)
    return StoriesResult(find_stories(ingested.articles), ingested.articles, ingested.failures)


def watch(
    feed_list: str | Path,
    *,
    store,
    settings: Settings | None = None,
    every_s: float = 600.0,
    cycles: int | None = None,
    stages: Sequence[str] | None = None,
    host_interval_s: float = 1.0,
):
    """Poll the feeds listed in ``feed_list``; yields one ``CycleReport`` per cycle (``manysides.stories.watch``)."""
    from manysides.stories.watch import WatchOptions, read_feed_list
    from manysides.stories.watch import watch as run_watch

    if stages is not None:
        from manysides.analyse import check_pipeline

        check_pipeline(stages)
    options = WatchOptions(every_s=every_s, cycles=cycles, stages=stages, host_interval_s=host_interval_s)
    yield from run_watch(read_feed_list(feed_list), store=store, settings=settings or Settings(), options=options)


def spark_job(inputs: Inputs, *, output: str | Path, master: str = "local[2]",
              settings: Settings | None = None, window_days: float = 30.0):
    """Per-article stages and story clustering on Spark (``manysides.stories.spark_job``)."""
    from manysides.stories import spark_job as job

    return job.run([str(given) for given in inputs], output=str(output), master=master, settings=settings, window_days=window_days)
