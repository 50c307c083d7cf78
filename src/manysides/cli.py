"""The command line: parses arguments, calls ``manysides.api``, prints. It never computes.

Exit codes: 0 everything worked, 1 some inputs (or a report) failed, 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperArgument
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from manysides import __version__
from manysides.errors import ManysidesError, UsageError
from manysides.resources import EMBEDDER_NAMES, Settings

DEFAULTS = Settings.defaults()  # each default is written once, in Settings

app = typer.Typer(
    name="manysides",
    help="Cross-source news briefings: what outlets agree on, contest, and how each frames it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich mode labels every flag "<bool>"
)
# typer labels an argument in help with its Python type ("<list[str]>"); its metavar says enough.
TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]

gazetteer_app = typer.Typer(help="Manage the place-name gazetteer.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(gazetteer_app, name="gazetteer")

# Markup off by default: tables and lines show article text, which is never markup.
out = Console(markup=False)
err = Console(stderr=True, highlight=False, markup=False)


class State:
    quiet = False
    verbose = False


def _version(value: bool) -> None:
    if value:
        out.print(f"manysides {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v",
                                          help="Stage timings; tracebacks for internal errors.")] = False,
) -> None:
    State.quiet, State.verbose = quiet, verbose


# ---------------------------------------------------------------------------
# shared plumbing
# ---------------------------------------------------------------------------

DbOption = Annotated[Optional[Path], typer.Option("--db", metavar="FILE",
                                                   help="DuckDB file (default: in the user data directory).")]
InputsArg = Annotated[list[str], typer.Argument(metavar="INPUTS",
                                                help="Files, folders, globs, URLs, or - for stdin.")]
DateOption = Annotated[Optional[str], typer.Option("--date", metavar="YYYY-MM-DD",
                                                   help="Publication date for inputs that carry none.")]
EmbedderOption = Annotated[str, typer.Option("--embedder", metavar="NAME",
                                             help=f"Sentence embeddings: {' | '.join(EMBEDDER_NAMES)}.")]
PackOption = Annotated[Optional[list[str]], typer.Option(
    "--pack", metavar="NAME", help="Domain pack to use (repeat for several); see `manysides packs`.")]
NoAutoPacksOption = Annotated[bool, typer.Option(
    "--no-auto-packs", help="Do not enable packs whose trigger terms the story matches.")]
SidesOption = Annotated[Optional[Path], typer.Option(
    "--sides", metavar="FILE", help="TOML file naming the story's parties and their members.")]


def _usage_error(message: str, *, code: str = "E003") -> typer.Exit:
    """One line (code first) and exit 2, before any work is done."""
    line = message if message[:1] == "E" and message[1:4].isdigit() else f"{code} {message}"
    err.print(f"[red]error:[/red] {escape(line)}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _settings(*, outlet_map: Path | None = None, date: str | None = None, groups: Path | None = None,
              n_process: int = DEFAULTS["n_process"], geonames_dir: Path | None = None,
              summary_sentences: int = DEFAULTS["summary_sentences"], llm_url: str | None = None,
              llm_model: str | None = None, embedder: str = DEFAULTS["embedder"],
              packs: list[str] | None = None, auto_packs: bool = True, sides: Path | None = None,
              llm_pairs: int = DEFAULTS["llm_pairs"]) -> Settings:
    """Settings from the command line; every bad value is a usage error (exit 2) before any work."""
    if embedder not in EMBEDDER_NAMES:
        raise _usage_error(f"--embedder {embedder!r}: use one of {', '.join(EMBEDDER_NAMES)}")
    fields: dict = dict(n_process=n_process, geonames_dir=geonames_dir, summary_sentences=summary_sentences,
                        llm_url=llm_url, llm_model=llm_model, embedder=embedder, auto_packs=auto_packs,
                        llm_pairs=llm_pairs)
    if date is not None:
        try:
            fields["default_date"] = dt.date.fromisoformat(date)
        except ValueError:
            raise _usage_error(f"--date {date!r}: use YYYY-MM-DD") from None
    try:
        if outlet_map is not None:
            from manysides.ingest import load_outlet_map

            fields["outlet_map"] = load_outlet_map(outlet_map)
        if groups is not None:
            from manysides.outlet_groups import load_outlet_groups

            fields["outlet_groups"] = load_outlet_groups(groups)
        if packs:
            from manysides.packs import load_pack

            for name in packs:
                load_pack(name)  # an unknown or malformed pack fails here, before any work
            fields["packs"] = tuple(packs)
        if sides is not None:
            from manysides.packs import load_sides_file

            fields["sides"] = load_sides_file(sides)
    except ManysidesError as exc:
        raise _usage_error(str(exc), code="E005") from None
    except OSError as exc:
        raise _usage_error(f"{exc.filename}: {exc.strerror}", code="E005") from None
    return Settings(**fields)


def _print_failure(failure) -> None:
    # Sources and reasons come from the inputs: "[/b]" in a file name is text, not markup.
    err.print(f"[yellow]skipped[/yellow] {failure.code} {escape(failure.source)}: {escape(failure.reason)}", markup=True,
              highlight=False, soft_wrap=True)


@contextmanager
def _progress():
    """A rich progress bar fed by the API's progress callback; silent with --quiet."""
    if State.quiet:
        yield lambda what, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as progress:
        tasks: dict[str, int] = {}

        def update(what: str, done: int, total: int | None) -> None:
            key = "stages" if what.startswith("stage ") else what
            if key not in tasks:
                tasks[key] = progress.add_task(what, total=total)
            progress.update(tasks[key], completed=done, total=total, description=what)

        yield update


@contextmanager
def _errors_as_lines():
    """Library errors become one line and exit 1; internal errors a short line unless --verbose."""
    try:
        yield
    except UsageError as exc:
        raise _usage_error(str(exc)) from None
    except ManysidesError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if State.verbose:
            raise
        err.print(f"[red]internal error:[/red] {type(exc).__name__}: {escape(str(exc))} "
                  "(run with --verbose for the traceback)",
                  markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(3) from None


def _open_store(db: Path | None, *, use_store: bool = True):
    if not use_store:
        return None
    from manysides.store import Store

    return Store(db)


def _stage_list(stages: str | None) -> list[str] | None:
    """``--stages a,b``: checked against the registry before any input is read."""
    if stages is None:
        return None
    from manysides.analyse import check_pipeline

    names = [s.strip() for s in stages.split(",") if s.strip()]
    try:
        check_pipeline(names)
    except UsageError as exc:
        raise _usage_error(str(exc)) from None
    return names


def _pipeline_for(*targets: str) -> list[str]:
    from manysides.analyse import pipeline_for

    return pipeline_for(targets)


def _report_undated(result) -> None:
    """One warning line for the run (every story of it): relative dates need a publication date."""
    articles = [a for briefing in (result.stories or [result.briefing]) for a in briefing.articles]
    undated = [a for a in articles if a.published is None]
    inferred = [a for a in articles if a.date_source == "inferred"]
    if State.quiet or not (undated or inferred):
        return
    parts = []
    if undated:
        parts.append(f"{len(undated)} of {len(articles)} articles have no publication date, so their "
                     "relative dates ('on Tuesday') stay unresolved; give one with --date YYYY-MM-DD")
    if inferred:
        parts.append(f"{len(inferred)} articles' dates were inferred from their text (marked 'inferred')")
    err.print("[yellow]warning:[/yellow] " + escape("; ".join(parts)), markup=True, highlight=False,
              soft_wrap=True)


def _report_duplicates(result) -> None:
    if result.duplicates and not State.quiet:
        names = ", ".join(result.duplicates[:3]) + (" …" if len(result.duplicates) > 3 else "")
        err.print(f"{len(result.duplicates)} inputs repeat an earlier article and were read once: {names}",
                  highlight=False, soft_wrap=True, markup=False)


def _print_timings(briefing) -> None:
    if State.verbose and not State.quiet:
        table = Table(title="time per stage", show_header=True)
        table.add_column("stage")
        table.add_column("seconds", justify="right")
        for name, seconds in briefing.stage_seconds.items():
            table.add_row(name, f"{seconds:.2f}")
        err.print(table)


def _analyze(inputs, *, settings, stages, db, use_store, title=None):
    from manysides import api

    store = _open_store(db, use_store=use_store)
    try:
        with _progress() as progress:
            result = api.analyze(inputs, settings=settings, stages=stages, store=store,
                                 on_progress=progress, on_failure=_print_failure, title=title)
    finally:
        if store is not None:
            store.close()
    _report_duplicates(result)
    _report_undated(result)
    return result


# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------


@app.command()
def analyze(
    inputs: InputsArg,
    output: Annotated[list[Path], typer.Option("--output", "-o", metavar="FILE", help="Report file(s): .html, .json or .md; repeat for several.")] = [Path("briefing.html")],  # noqa: B006
    db: DbOption = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not write to the database.")] = False,
    outlet_map: Annotated[Optional[Path], typer.Option("--outlet", metavar="FILE", help="File mapping domains to outlet names.")] = None,
    date: DateOption = None,
    groups: Annotated[Optional[Path], typer.Option("--groups", metavar="FILE", help="TOML file defining outlet groups.")] = None,
    stages: Annotated[Optional[str], typer.Option("--stages", metavar="A,B,...", help="Comma-separated analysis stages (default: all; see `manysides stages`).")] = None,
    title: Annotated[Optional[str], typer.Option("--title", metavar="TEXT", help="Story title for the report.")] = None,
    n_process: Annotated[int, typer.Option("--processes", "-j", metavar="N", min=1, help="spaCy processes for big inputs.")] = DEFAULTS["n_process"],
    summary_sentences: Annotated[int, typer.Option("--summary-sentences", metavar="N", min=1, help="Summary length.")] = DEFAULTS["summary_sentences"],
    llm_url: Annotated[Optional[str], typer.Option("--llm-url", metavar="URL", help="OpenAI-compatible endpoint to polish the summary and judge undecided claim pairs (optional).")] = None,
    llm_model: Annotated[Optional[str], typer.Option("--llm-model", metavar="NAME", help="Model name for --llm-url.")] = None,
    llm_pairs: Annotated[int, typer.Option("--llm-pairs", metavar="N", min=0, help="Most undecided claim pairs --llm-url judges (0: none).")] = DEFAULTS["llm_pairs"],
    geonames_dir: Annotated[Optional[Path], typer.Option("--geonames-dir", metavar="DIR", help="Folder with full GeoNames dump files.")] = None,
    embedder: EmbedderOption = DEFAULTS["embedder"],
    pack: PackOption = None,
    no_auto_packs: NoAutoPacksOption = False,
    sides: SidesOption = None,
) -> None:
    """Ingest, clean and analyse INPUTS, and write the cross-source briefing."""
    from manysides.report import format_for

    for path in output:
        try:
            format_for(path)
        except ManysidesError as exc:
            raise _usage_error(str(exc), code="E004") from None
    settings = _settings(outlet_map=outlet_map, date=date, groups=groups, n_process=n_process,
                         geonames_dir=geonames_dir, summary_sentences=summary_sentences,
                         llm_url=llm_url, llm_model=llm_model, embedder=embedder,
                         packs=pack, auto_packs=not no_auto_packs, sides=sides, llm_pairs=llm_pairs)
    stage_names = _stage_list(stages)
    with _errors_as_lines():
        result = _analyze(inputs, settings=settings, stages=stage_names, db=db, use_store=not no_store,
                          title=title)
        briefing = result.briefing
        if not briefing.articles:
            err.print("[red]error:[/red] E011 no article could be read from the inputs", markup=True)
            raise typer.Exit(1)
        from manysides import api

        if result.stories and not State.quiet:
            err.print(f"found {len(result.stories)} stories in the inputs: one briefing each, biggest first",
                      highlight=False)
        for path in output:
            for number, story in enumerate(result.stories or [briefing], start=1):
                story_path = path.with_name(f"{path.stem}-story{number}{path.suffix}") if result.stories else path
                api.write_report(story, story_path)
                if not State.quiet:
                    err.print(f"wrote {story_path}", highlight=False)
        _print_timings(briefing)
    raise typer.Exit(1 if result.failures else 0)


@app.command()
def ingest(
    inputs: InputsArg,
    db: DbOption = None,
    outlet_map: Annotated[Optional[Path], typer.Option("--outlet", metavar="FILE", help="File mapping domains to outlet names.")] = None,
    date: DateOption = None,
    n_process: Annotated[int, typer.Option("--processes", "-j", metavar="N", min=1, help="spaCy processes.")] = DEFAULTS["n_process"],
) -> None:
    """Read, clean and parse INPUTS into the database (no analysis)."""
    from manysides import api

    settings = _settings(outlet_map=outlet_map, date=date, n_process=n_process)
    with _errors_as_lines():
        store = _open_store(db)
        try:
            with _progress() as progress:
                result = api.ingest(inputs, settings=settings, store=store, on_progress=progress,
                                    on_failure=_print_failure, keep_articles=False)
        finally:
            store.close()
    _report_duplicates(result)
    if not State.quiet:
        err.print(f"{result.new_count} new, {result.seen_count} already stored, "
                  f"{len(result.failures)} failed · {store.path}", highlight=False)
    raise typer.Exit(1 if result.failures else 0)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
) -> None:
    """Show one stored article: metadata, and its text with the dropped junk marked."""
    from rich.text import Text

    with _errors_as_lines():
        store = _open_store(db)
        try:
            article = store.get_article(article_id)
        finally:
            store.close()
    out.print(f"[bold]{escape(article.title or '(untitled)')}[/bold]", markup=True, highlight=False)
    out.print(f"{article.outlet} · {article.published or 'date unknown'} · {article.language or '?'} · "
              f"{article.source} · id {article.id}", highlight=False, style="dim")
    from manysides.clean import segments

    text = Text()
    for piece, drop in segments(article.raw_text, article.dropped):
        if drop is None:
            text.append(piece)
        else:
            text.append(piece.rstrip("\n"), style="strike dim red")
            text.append(f"  [dropped: {drop.reason}]\n", style="yellow")
    out.print(text)


@app.command()
def entities(
    inputs: InputsArg,
    date: DateOption = None,
    geonames_dir: Annotated[Optional[Path], typer.Option("--geonames-dir", metavar="DIR", help="Folder with full GeoNames dump files.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Also write a report.")] = None,
) -> None:
    """Resolve the people, places and organisations in INPUTS and print them."""
    settings = _settings(date=date, geonames_dir=geonames_dir)
    with _errors_as_lines():
        result = _analyze(inputs, settings=settings, stages=_pipeline_for("entities"), db=None, use_store=False)
        briefing = result.briefing
        table = Table(title=f"{len(briefing.entities)} entities")
        for column in ("entity", "type", "spellings by outlet", "mentions", "place"):
            table.add_column(column)
        outlet_of = {a.id: a.outlet_name for a in briefing.articles}
        for entity in sorted(briefing.entities, key=lambda e: -len(e.mentions)):
            spellings: dict[str, set[str]] = {}
            for article_id, forms in entity.surface_forms.items():
                spellings.setdefault(outlet_of.get(article_id, article_id), set()).update(forms)
            place = entity.place
            table.add_row(
                entity.canonical_name, entity.type.value,
                "\n".join(f"{o}: {', '.join(sorted(f))}" for o, f in sorted(spellings.items())),
                str(len(entity.mentions)),
                f"{place.latitude:.2f}, {place.longitude:.2f} ({place.admin_level})" if place else "",
            )
        out.print(table)
        if output is not None:
            from manysides import api

            api.write_report(briefing, output)
    raise typer.Exit(1 if result.failures else 0)


@app.command()
def claims(
    inputs: InputsArg,
    date: DateOption = None,
    embedder: EmbedderOption = DEFAULTS["embedder"],
    pack: PackOption = None,
    no_auto_packs: NoAutoPacksOption = False,
    sides: SidesOption = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Also write a report.")] = None,
) -> None:
    """Print the claim matrix of INPUTS: claim groups, their status and who asserts them."""
    settings = _settings(date=date, embedder=embedder, packs=pack, auto_packs=not no_auto_packs, sides=sides)
    with _errors_as_lines():
        result = _analyze(inputs, settings=settings, stages=_pipeline_for("alignment"), db=None, use_store=False)
        from manysides.report.views.claims import claims_table_rows

        rows = claims_table_rows(result.briefing)
        outlets = sorted({a.outlet_name for a in result.briefing.articles})
        table = Table(title=f"{len(rows)} claim groups", show_lines=True)
        for column in ("claim", "asserted by", "status", "independent origins", *outlets):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(
                row["claim"], row["asserters"], row["status"], str(row["independent_origins"]),
                *("✓" if row["cells"].get(o) else "" for o in outlets),
            )
        out.print(table)
        if output is not None:
            from manysides import api

            api.write_report(result.briefing, output)
    raise typer.Exit(1 if result.failures else 0)


@app.command()
def stages() -> None:
    """List the analysis stages in pipeline order, with what each needs, uses and sets."""
    from manysides.analyse import STAGES

    table = Table(title="analysis stages (run in this order)")
    for column in ("stage", "needs", "uses when present", "sets", "what it does"):
        table.add_column(column, overflow="fold")
    for spec in STAGES.values():
        table.add_row(spec.name, ", ".join(spec.requires), ", ".join(spec.uses) or "-", ", ".join(spec.sets),
                      spec.doc)
    out.print(table)


@app.command()
def packs() -> None:
    """List the domain packs: optional knowledge of one kind of story, used with --pack or when triggered."""
    from manysides.packs import available_packs, load_pack

    table = Table(title="domain packs")
    for column in ("pack", "what it knows", "enabled by"):
        table.add_column(column, overflow="fold")
    for name in available_packs():
        pack = load_pack(name)
        table.add_row(name, pack.description, f"--pack {name}, or {pack.trigger_threshold}+ of its trigger terms")
    out.print(table)


@app.command()
def errors() -> None:
    """List the error codes a run can print, with what each means."""
    from manysides.errors import CODES

    table = Table(title="error codes")
    table.add_column("code")
    table.add_column("meaning")
    for code, meaning in CODES.items():
        table.add_row(code, meaning)
    out.print(table)


@app.command("stories")
def stories_command(
    inputs: InputsArg,
    db: DbOption = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not write to the database.")] = False,
    date: DateOption = None,
) -> None:
    """Find the stories in INPUTS (a mixed folder, a feed, an archive): count, titles, articles each."""
    from manysides import api

    settings = _settings(date=date)
    with _errors_as_lines():
        store = _open_store(db, use_store=not no_store)
        try:
            with _progress() as progress:
                result = api.stories(inputs, settings=settings, store=store, on_progress=progress,
                                     on_failure=_print_failure)
        finally:
            if store is not None:
                store.close()
    out.print(f"{len(result.stories)} stories in {len(result.articles)} articles", highlight=False)
    by_id = {a.id: a for a in result.articles}
    table = Table(show_header=True)
    for column in ("#", "articles", "title", "outlets"):
        table.add_column(column, overflow="fold")
    for number, story in enumerate(result.stories, start=1):
        outlets = sorted({by_id[i].outlet_name for i in story.article_ids})
        table.add_row(str(number), str(len(story.article_ids)), story.title or "(untitled)", ", ".join(outlets))
    out.print(table)
    raise typer.Exit(1 if result.failures else 0)


@app.command()
def watch(
    feeds: Annotated[Path, typer.Argument(metavar="FEEDS.txt", help="One RSS/Atom feed URL a line ('#' comments).")],
    every: Annotated[str, typer.Option("--every", metavar="INTERVAL", help="Time between polls: 30s, 10m, 1h.")] = "10m",
    cycles: Annotated[Optional[int], typer.Option("--cycles", metavar="N", min=1, help="Stop after N polls (default: until Ctrl-C).")] = None,
    db: DbOption = None,
    stages: Annotated[Optional[str], typer.Option("--stages", metavar="A,B,...", help="Analysis stages of each refreshed briefing (default: all).")] = None,
) -> None:
    """Poll feeds politely, store new items once, keep stories and their briefings current in the database."""
    from manysides import api
    from manysides.stories.watch import parse_every

    with _errors_as_lines():
        every_s = parse_every(every)
        stage_names = _stage_list(stages)
        store = _open_store(db)
        try:
            for report in api.watch(feeds, store=store, settings=_settings(), every_s=every_s, cycles=cycles,
                                    stages=stage_names):
                for failure in report.failures:
                    _print_failure(failure)
                if not State.quiet:
                    err.print(f"{dt.datetime.now():%H:%M:%S} {report.feeds} feeds ({report.unchanged_feeds} unchanged), "
                              f"{report.new_articles} new articles, {report.known_articles} known, "
                              f"{len(report.changed_stories)} stories changed, {report.briefings} briefings refreshed",
                              highlight=False)
        finally:
            store.close()


@app.command("spark-job")
def spark_job(
    inputs: InputsArg,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="Folder for articles.parquet and failures.parquet.")],
    master: Annotated[str, typer.Option("--master", metavar="URL", help="Spark master, e.g. local[2] or spark://host:7077.")] = "local[2]",
    window_days: Annotated[float, typer.Option("--window-days", metavar="N", help="Time block for story clustering.")] = 30.0,
) -> None:
    """Run the per-article stages and story clustering on Spark (needs manysides[spark] and Java)."""
    from manysides import api

    with _errors_as_lines():
        result = api.spark_job(inputs, output=output, master=master, window_days=window_days)
    stories: dict[str, list[dict]] = {}
    for row in result.articles:
        stories.setdefault(row["story_id"], []).append(row)
    for failure_source, reason in result.failures:
        err.print(f"skipped {failure_source}: {reason}", highlight=False, soft_wrap=True)
    out.print(f"{len(stories)} stories in {len(result.articles)} articles ({result.seconds:.1f} s) -> {output}",
              highlight=False)
    for story_id, rows in sorted(stories.items(), key=lambda kv: -len(kv[1])):
        out.print(f"{story_id}  {len(rows)} articles  {rows[0]['story_title'] or '(untitled)'}", highlight=False)
    raise typer.Exit(1 if result.failures else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the briefing file (the one published in schema/)."""
    import json

    from manysides.model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


@gazetteer_app.command("download")
def gazetteer_download(
    dest: Annotated[Path, typer.Argument(help="Folder for the GeoNames dump files.")],
) -> None:
    """Download the full GeoNames dumps (needs internet); use them with --geonames-dir."""
    with _errors_as_lines():
        from manysides.analyse.shared.gazetteer import download

        download(dest)
    out.print(f"GeoNames files in {dest}; pass --geonames-dir {dest}")


GLOBAL_FLAGS = frozenset({"--quiet", "-q", "--verbose", "-v"})


def _global_flags_first(argv: list[str]) -> list[str]:
    """--quiet/--verbose work in any position: typer reads them only before the subcommand."""
    if "--" in argv:
        cut = argv.index("--")
        head, tail = argv[:cut], argv[cut:]
    else:
        head, tail = argv, []
    flags = [a for a in head if a in GLOBAL_FLAGS]
    return flags + [a for a in head if a not in GLOBAL_FLAGS] + tail


def main() -> None:
    try:
        app(args=_global_flags_first(sys.argv[1:]))
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
