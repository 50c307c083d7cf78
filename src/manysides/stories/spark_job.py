"""The per-article stages and story clustering as a PySpark job (``pip install 'manysides[spark]'``).

    manysides spark-job INPUTS... --output DIR [--master local[2]]
    spark-submit -m manysides.stories.spark_job INPUTS... --output DIR   (or the file path of this module)

Layout of the job:
1. the driver lists input files (folders walked, globs expanded) into a DataFrame of paths;
2. ``mapInPandas`` runs ingest -> clean -> NLP -> claim extraction on each partition; the spaCy
   model is loaded once per Python worker (``load_nlp`` is cached and Spark reuses workers);
3. articles are blocked by publication window (``window_days``) and ``applyInPandas`` clusters each
   block into stories with the same code as the local pipeline (``stories.group_articles``);
4. ``articles.parquet`` (one row per article: story, article JSON, claims JSON) and
   ``failures.parquet`` are written under the output folder.

Claims are extracted per article (a one-article briefing through the ``claims`` stage): that is
what makes the stage a map. ``local_run`` does the same on one machine, for comparison.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from manysides.errors import MissingExtraError

WINDOW_DAYS = 30.0
OVERLAP_DAYS = 7.0  # a story rarely runs a week before its first article in the next block
ARTICLE_SCHEMA = ("article_id string, day double, title string, article_json string, claims_json string, "
                  "failure_source string, failure_reason string")
STORY_SCHEMA = "article_id string, story_id string, story_title string"


@dataclass
class JobResult:
    articles: list[dict] = field(default_factory=list)  # article_id, story_id, story_title, claims
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def _settings_and_resources(settings_dict: dict):
    from manysides.resources import Settings

    settings = Settings(**settings_dict)
    return settings, _cached_resources(json.dumps(settings_dict, sort_keys=True, default=str), settings)


_RESOURCES: dict[str, object] = {}


def _cached_resources(key: str, settings):
    # one Resources (spaCy model, packs) per Python worker and settings: loaded once per executor
    if key not in _RESOURCES:
        from manysides.resources import Resources

        _RESOURCES[key] = Resources(settings)
    return _RESOURCES[key]


def process_inputs(paths: Sequence[str], settings_dict: dict) -> Iterator[dict]:
    """Ingest -> clean -> NLP -> claims for the articles of ``paths``; one dict per article or failure."""
    from manysides import api
    from manysides.stories.features import day_of

    settings, resources = _settings_and_resources(settings_dict)
    failures: list = []
    for article in api.prepare(list(paths), settings=settings, resources=resources, on_failure=failures.append):
        briefing = api.run_stages(api.new_briefing([article]), resources=resources, stages=["claims"])
        day = day_of(article.published)
        yield {
            "article_id": article.id, "day": None if math.isnan(day) else day, "title": article.title,
            "article_json": article.model_dump_json(),
            "claims_json": json.dumps([c.model_dump(mode="json") for c in briefing.claims], sort_keys=True),
            "failure_source": None, "failure_reason": None,
        }
        for failure in failures:
            yield _failure_row(failure)
        failures.clear()
    for failure in failures:
        yield _failure_row(failure)


def _failure_row(failure) -> dict:
    return {"article_id": None, "day": None, "title": None, "article_json": None, "claims_json": None,
            "failure_source": failure.source, "failure_reason": failure.reason}


def cluster_block(article_jsons: Sequence[str]) -> list[tuple[str, str, str | None]]:
    """(article id, story id, story title) for one time block, by the local pipeline's code."""
    from manysides.model import Article
    from manysides.stories import group_articles

    articles = [Article.model_validate_json(text) for text in article_jsons]
    return [(article_id, story.id, story.title)
            for story in group_articles(articles) for article_id in story.article_ids]


def join_blocks(memberships: Sequence[tuple[str, str]], titles: dict[str, str | None]) -> list[tuple[str, str, str | None]]:
    """Stories of overlapping blocks joined through the articles they share (union-find);
    ids and titles made as ``group_articles`` makes them, so one block or many agree."""
    import hashlib

    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.get(key, key) != key:
            parent[key] = parent.get(parent[key], parent[key])
            key = parent[key]
        return key

    first_story: dict[str, str] = {}
    for article_id, block_story in memberships:
        parent.setdefault(block_story, block_story)
        if article_id in first_story:
            a, b = find(first_story[article_id]), find(block_story)
            if a != b:
                parent[max(a, b)] = min(a, b)
        else:
            first_story[article_id] = block_story
    groups: dict[str, list[str]] = {}
    for article_id, block_story in first_story.items():
        groups.setdefault(find(block_story), []).append(article_id)
    rows = []
    for members in groups.values():
        story_id = hashlib.sha256("".join(sorted(members)).encode()).hexdigest()[:16]
        named = [titles[a] for a in members if titles.get(a)]
        title = min(named, key=len) if named else None
        rows.extend((article_id, story_id, title) for article_id in members)
    return rows


def input_files(inputs: Sequence[str]) -> list[str]:
    """Input files as the local reader would walk them; URLs and stdin are read on the driver's side only."""
    import glob
    import os

    from manysides.ingest.dispatch import is_article_file, walk_files

    files: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            files.extend(p for p in walk_files(item) if is_article_file(p))
        elif any(ch in item for ch in "*?[") and not os.path.exists(item):
            files.extend(sorted(glob.iglob(item, recursive=True)))
        else:
            files.append(item)
    return files


def run(inputs: Sequence[str], *, output: str | None = None, master: str = "local[2]",
        settings=None, window_days: float = WINDOW_DAYS, overlap_days: float = OVERLAP_DAYS,
        partitions: int | None = None) -> JobResult:
    """Run the job on a Spark session (created here, stopped at the end)."""
    import os
    import sys
    import time

    try:
        import pandas as pd
        from pyspark.sql import SparkSession, functions as F
    except ImportError:
        raise MissingExtraError("the Spark job", "spark") from None
    from manysides.resources import Settings

    settings = settings or Settings(embedder="tfidf")
    settings_dict = _portable(settings)
    started = time.perf_counter()
    # executors' Python must be this one (with manysides and its models), not the system's
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(master).appName("manysides")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", str(partitions or 4))
             .config("spark.python.worker.reuse", "true")
             .getOrCreate())
    try:
        files = input_files(inputs)
        parallelism = partitions or spark.sparkContext.defaultParallelism
        paths = spark.createDataFrame([(p,) for p in files], "path string").repartition(max(1, min(parallelism, len(files))))

        def per_partition(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            for frame in frames:
                rows = list(process_inputs(frame["path"].tolist(), settings_dict))
                yield pd.DataFrame(rows, columns=[c.split()[0] for c in ARTICLE_SCHEMA.split(", ")])

        processed = paths.mapInPandas(per_partition, schema=ARTICLE_SCHEMA).cache()
        articles = processed.where(F.col("article_id").isNotNull()).dropDuplicates(["article_id"])
        # Blocks of window_days; an article in the first overlap_days of a block is also read by the
        # block before, so a story crossing the boundary is one story (joined by its shared articles).
        # An undated article could belong to any block: every block reads it (they are few in feeds
        # and archives; a local run compares them with every story too).
        block = F.floor(F.col("day") / window_days)
        near_start = (F.col("day") - block * window_days) < overlap_days
        dated_blocks = sorted({int(r.b) for r in articles.where(F.col("day").isNotNull())
                               .select(F.floor(F.col("day") / window_days).alias("b")).distinct().collect()})
        every_block = F.array(*[F.lit(b) for b in (dated_blocks or [-1])])
        blocked = articles.withColumn(
            "blocks", F.when(F.col("day").isNull(), every_block)
            .when(near_start, F.array(block, block - 1)).otherwise(F.array(block)))
        exploded = blocked.select(F.explode("blocks").alias("block"), "article_id", "article_json")

        def per_block(frame: pd.DataFrame) -> pd.DataFrame:
            rows = cluster_block(frame["article_json"].tolist())
            block_id = int(frame["block"].iloc[0])
            return pd.DataFrame([(a, f"{block_id}:{s}") for a, s, _ in rows], columns=["article_id", "block_story"])

        block_stories = exploded.groupBy("block").applyInPandas(per_block, schema="article_id string, block_story string")
        memberships = [(r.article_id, r.block_story) for r in block_stories.collect()]
        titles = {r.article_id: r.title for r in articles.select("article_id", "title").collect()}
        story_rows = join_blocks(memberships, titles)
        stories = spark.createDataFrame(story_rows, STORY_SCHEMA)
        joined = articles.join(stories, "article_id").select("article_id", "story_id", "story_title", "title",
                                                             "day", "claims_json", "article_json")
        failures = processed.where(F.col("failure_source").isNotNull()).select("failure_source", "failure_reason")
        if output is not None:
            joined.write.mode("overwrite").parquet(f"{output}/articles.parquet")
            failures.write.mode("overwrite").parquet(f"{output}/failures.parquet")
        result = JobResult()
        for row in joined.select("article_id", "story_id", "story_title", "title", "claims_json").collect():
            result.articles.append({"article_id": row.article_id, "story_id": row.story_id,
                                    "story_title": row.story_title, "title": row.title,
                                    "claims": json.loads(row.claims_json)})
        result.failures = [(r.failure_source, r.failure_reason) for r in failures.collect()]
        result.seconds = time.perf_counter() - started
        return result
    finally:
        spark.stop()


def local_run(inputs: Sequence[str], *, settings=None) -> JobResult:
    """The same stages on one machine, without Spark: the reference the Spark job must match."""
    from manysides.resources import Settings

    settings = settings or Settings(embedder="tfidf")
    settings_dict = _portable(settings)
    rows = list(process_inputs(input_files(inputs), settings_dict))
    done = [r for r in rows if r["article_id"]]
    unique = list({r["article_id"]: r for r in done}.values())
    stories = {a: (s, t) for a, s, t in cluster_block([r["article_json"] for r in unique])}
    result = JobResult()
    for r in unique:
        story_id, story_title = stories[r["article_id"]]
        result.articles.append({"article_id": r["article_id"], "story_id": story_id, "story_title": story_title,
                                "title": r["title"], "claims": json.loads(r["claims_json"])})
    result.failures = [(r["failure_source"], r["failure_reason"]) for r in rows if not r["article_id"]]
    return result


def _portable(settings) -> dict:
    import dataclasses

    return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
            if _plain(getattr(settings, f.name))}


def _plain(value) -> bool:
    """Settings that travel to executors as JSON-able values (paths and dates as text are left out)."""
    return value is None or isinstance(value, (str, int, float, bool, list, tuple, dict))


def main(argv: Sequence[str] | None = None) -> int:
    """spark-submit entry point; prints one line per story (the CLI command does the same through the API)."""
    import argparse

    cli = argparse.ArgumentParser(description="manysides per-article stages and story clustering on Spark")
    cli.add_argument("inputs", nargs="+")
    cli.add_argument("--output", required=True)
    cli.add_argument("--master", default="local[2]")
    cli.add_argument("--window-days", type=float, default=WINDOW_DAYS)
    args = cli.parse_args(argv)
    result = run(args.inputs, output=args.output, master=args.master, window_days=args.window_days)
    stories: dict[str, list[dict]] = {}
    for row in result.articles:
        stories.setdefault(row["story_id"], []).append(row)
    for story_id, rows in sorted(stories.items(), key=lambda kv: -len(kv[1])):
        print(f"{story_id}  {len(rows)} articles  {rows[0]['story_title'] or '(untitled)'}")
    print(f"{len(stories)} stories, {len(result.articles)} articles, {len(result.failures)} failures "
          f"in {result.seconds:.1f} s -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
