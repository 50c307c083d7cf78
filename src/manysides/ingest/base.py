"""What every reader yields: a raw article before cleaning, or a failure line."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from manysides.errors import IngestError


@dataclass(frozen=True, slots=True)
class RawArticle:
    """Text as extracted from one input, with whatever metadata the input gave.

    ``html`` is kept (when the input was HTML) so the cleaner can use link
    density; it never reaches the briefing.
    """

    source: str
    format: str
    text: str
    html: str | None = None
    url: str | None = None
    outlet: str | None = None
    outlet_source: str | None = None  # given | url | guessed | file (see ingest.metadata)
    title: str | None = None
    published: dt.date | None = None
    date_source: str | None = None
    language: str | None = None


def content_id(text: str) -> str:
    """Content-hash id: the same extracted text always gets the same id.

    Whitespace is normalised first so a re-save with other line endings is the
    same article.
    """
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def failure_from(error: Exception, *, source: str):
    """One line for an error met while reading ``source``: the run goes on without it.

    An ``IngestError`` already says what is wrong; anything else (a parser
    tripping on malformed input) is named by its type and first message line.
    """
    from manysides.model import InputFailure

    if isinstance(error, IngestError):
        return InputFailure(source=error.source, reason=error.problem, code=error.code)
    message = str(error).splitlines()[0][:120] if str(error) else ""
    return InputFailure(source=source, reason=f"could not be read ({type(error).__name__}: {message})")


__all__ = ["RawArticle", "IngestError", "content_id", "failure_from"]
