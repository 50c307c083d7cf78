"""Readers that turn user inputs into ``RawArticle``s: text, Markdown, HTML, JSON/JSONL,
RSS/Atom feeds, WARC archives and URLs. Entry point: ``read_inputs``."""

from manysides.ingest.base import RawArticle, content_id
from manysides.ingest.dispatch import read_inputs
from manysides.ingest.metadata import load_outlet_map

__all__ = ["RawArticle", "content_id", "load_outlet_map", "read_inputs"]
