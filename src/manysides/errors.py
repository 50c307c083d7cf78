"""Errors a user can act on, each with a code. The CLI turns each into one line; nothing here prints.

Every message reads ``"E0xx <what>: <problem>; <what to do>"``. The codes are stable: scripts and
the README refer to them. ``CODES`` is the one table of them (``manysides errors`` prints it).

Codes by family:
  E00x usage: a bad option value, an unknown or unsatisfied stage
  E01x inputs: one input could not be read (the run goes on without it)
  E02x domain packs and sides files
  E03x the store
  E04x reports
  E05x optional dependencies
  E06x optional remote backends (an LLM endpoint)
"""

from __future__ import annotations

import re

_CODED = re.compile(r"E\d{3} ")

CODES: dict[str, str] = {
    "E001": "unknown stage name",
    "E002": "a stage needs a part of the briefing that no earlier stage sets",
    "E003": "bad option value",
    "E004": "unknown report format",
    "E005": "an option's file cannot be read or is malformed (outlet map, groups)",
    "E010": "an input could not be read",
    "E011": "an input is empty, or nothing is left after removing junk",
    "E012": "an input is binary or compressed, not text",
    "E013": "an input's JSON is malformed",
    "E014": "an input is not in English",
    "E015": "an input does not exist or matches no file",
    "E016": "a URL could not be fetched",
    "E017": "an input is the same article as an earlier one",
    "E020": "unknown domain pack",
    "E021": "malformed domain pack file",
    "E022": "bad sides file",
    "E030": "the database cannot be opened or written",
    "E031": "no stored article with that id",
    "E040": "a report cannot be written",
    "E050": "an optional dependency is missing",
    "E060": "the LLM endpoint gave no usable answer (the run goes on without it)",
}


class ManysidesError(Exception):
    """Base class: ``str(error)`` is the one line shown to the user, code first."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None):
        # A message may carry its own code ("E021 packs/x/pack.toml: ..."): it wins over the class's.
        if _CODED.match(message):
            code, message = message[:4], message[5:]
        self.code = code or type(self).code
        self.message = message
        super().__init__(f"{self.code} {message}")


class UsageError(ManysidesError):
    """A user mistake found before any work is done: the CLI exits 2."""

    code = "E003"


class StageError(UsageError):
    """Stages asked for cannot run: an unknown name (E001) or a missing earlier stage (E002)."""

    code = "E002"


class IngestError(ManysidesError):
    """One input could not be read. Message form: ``"E01x <input>: <problem>"``."""

    code = "E010"

    def __init__(self, source: str, problem: str, *, code: str | None = None):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}", code=code)


class MissingExtraError(ManysidesError):
    code = "E050"

    def __init__(self, feature: str, extra: str):
        super().__init__(f"{feature} needs an optional dependency: pip install 'manysides[{extra}]'")


class StoreError(ManysidesError):
    code = "E030"


class ReportError(ManysidesError):
    code = "E040"


class PackError(UsageError):
    """A domain pack or a sides file the user named cannot be used: E020 unknown pack,
    E021 malformed pack file, E022 bad sides file. Message form: ``"E02x <file>: <problem>"``."""

    code = "E020"


class OutletGroupsError(UsageError):
    """The groups file is missing or malformed; the message names the file and the problem."""

    code = "E005"


class LLMError(ManysidesError):
    """The endpoint gave no usable answer; the message says why in a few words."""

    code = "E060"
