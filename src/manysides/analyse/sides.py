"""Which side of the story an asserter speaks for: russia, ukraine, western, or None.

The side comes from the asserter, never from the outlet that relays it: a UK
paper quoting the Russian defence ministry relays a Russian claim. Three cues,
in order of trust:

1. backer compounds: "pro-Russian", "Russian-installed", "Kremlin-backed" name
   the side an official works for even when a place of the other side follows
   ("the Russian-installed head of Ukraine's Kharkiv region");
2. a table of known actors (``manysides/data/known_actors.tsv``, editable):
   people and bodies whose name carries no country word (Konashenkov, Peskov,
   Pushilin, Zelensky, ISW);
3. the first country word in the name: nationality adjectives, countries and
   capitals ("Russia's defence ministry", "Ukrainian officials", "British
   officials", "Kyiv").
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache
from pathlib import Path

from manysides.model import Entity


KNOWN_ACTORS_PATH = Path(__file__).resolve().parents[1] / "data" / "known_actors.tsv"


class Side(str, Enum):
    RUSSIA = "russia"
    UKRAINE = "ukraine"
    WESTERN = "western"


# Country words per side. Case-insensitive except the few that are also common
# English words ("US", "UK"), matched case-sensitively below.
_SIDE_WORDS: dict[Side, tuple[str, ...]] = {
    Side.RUSSIA: ("russia", "russian", "russians", "moscow", "kremlin", "russian federation"),
    Side.UKRAINE: ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev", "kyiv's", "kiev's"),
    Side.WESTERN: (
        "british", "britain", "american", "americans", "united states", "washington",
        "london", "nato", "western", "west", "pentagon", "european union", "german",
        "germany", "berlin", "french", "france", "paris", "polish", "poland", "canadian",
        "canada", "u.s.", "u.k.",
    ),
}
_CASE_SENSITIVE_WORDS: dict[Side, tuple[str, ...]] = {Side.WESTERN: ("US", "UK", "EU")}

_BACKER = re.compile(
    r"\bpro-(?P<pro>russian|kremlin|moscow|ukrainian|kyiv|western)\b"
    r"|\b(?P<backer>russian|russia|kremlin|moscow|ukrainian|kyiv|western|us|nato)"
    r"-(?:installed|backed|appointed|controlled|led|supported|imposed|allied)\b",
    re.IGNORECASE,
)


def _word_pattern(words: tuple[str, ...], *, flags: int) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:'s)?(?![\w-])", flags)


_SIDE_PATTERNS: list[tuple[Side, re.Pattern[str]]] = [
    (side, _word_pattern(words, flags=re.IGNORECASE)) for side, words in _SIDE_WORDS.items()
] + [(side, _word_pattern(words, flags=0)) for side, words in _CASE_SENSITIVE_WORDS.items()]


def _side_of_word(word: str) -> Side | None:
    word = word.lower()
    for side, pattern in _SIDE_PATTERNS[: len(_SIDE_WORDS)]:
        if pattern.fullmatch(word):
            return side
    return Side.WESTERN if word == "us" else None


@lru_cache(maxsize=8)
def load_known_actors(path: Path | None = None) -> tuple[tuple[re.Pattern[str], Side], ...]:
    """The known-actor table: ``(alias pattern, side)`` pairs, from ``path`` or the packaged file."""
    if path is None:
        path = KNOWN_ACTORS_PATH
    text = Path(path).read_text("utf-8")
    table = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        aliases, _, side = line.partition("\t")
        names = [alias.strip() for alias in aliases.split("|") if alias.strip()]
        if not names or not side.strip():
            continue
        table.append((_word_pattern(tuple(names), flags=re.IGNORECASE), Side(side.strip().lower())))
    return tuple(table)


def side_of(
    name: str | None,
    *,
    entity: Entity | None = None,
    known_actors: Path | None = None,
) -> str | None:
    """The side ``name`` speaks for (a ``Side`` value), or None when nothing says.

    ``entity`` (the resolved speaker) is trusted first when the entities stage
    gave it a side; its canonical name and spellings are tried too, so a
    pronoun resolved to "Konashenkov" finds his side.
    """
    if entity is not None and entity.side:
        return entity.side
    names = [name or ""]
    if entity is not None:
        names.append(entity.canonical_name)
        names.extend(form for forms in entity.surface_forms.values() for form in forms)
    for text in names:
        side = _side_of_text(text, known_actors=known_actors)
        if side is not None:
            return side.value
    return None


def _side_of_text(text: str, *, known_actors: Path | None = None) -> Side | None:
    if not text.strip():
        return None
    backer = _BACKER.search(text)
    if backer:
        side = _side_of_word(backer.group("pro") or backer.group("backer"))
        if side is not None:
            return side
    for pattern, side in load_known_actors(known_actors):
        if pattern.search(text):
            return side
    first: tuple[int, Side] | None = None
    for side, pattern in _SIDE_PATTERNS:
        match = pattern.search(text)
        if match and (first is None or match.start() < first[0]):
            first = (match.start(), side)
    return first[1] if first else None


__all__ = ["Side", "load_known_actors", "side_of"]
