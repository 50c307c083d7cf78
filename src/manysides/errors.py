"""Errors a user can act on. The CLI turns each into one line; nothing here prints."""

from __future__ import annotations


class ManysidesError(Exception):
    """Base class: ``str(error)`` is the one line shown to the user."""


class IngestError(ManysidesError):
    """One input could not be read. Message form: ``"<input>: <problem>"``."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class MissingExtraError(ManysidesError):
    def __init__(self, feature: str, extra: str):
        super().__init__(f"{feature} needs an optional dependency: pip install 'manysides[{extra}]'")


class StoreError(ManysidesError):
    pass


class ReportError(ManysidesError):
    pass
