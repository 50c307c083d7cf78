"""Domain packs: what one kind of story knows that the engine must not.

The engine knows English (``manysides.lang.en``) and news in general. A pack is
a folder of data files (no code) under ``manysides/packs/<name>/``:

``pack.toml``      name, description, ``[trigger] terms`` and ``threshold``/``share``:
                   the pack switches itself on when at least ``share`` of the
                   story's articles each contain ``threshold`` distinct terms;
``sides.toml``     ``[sides.<party>] members = [...]``: countries (as the gazetteer
                   names them), organisations and people that speak for a party;
``cue_pairs.tsv``  pairs of opposite readings of one act (``pair kind label regex``,
                   two rows a pair): explanation and state conflicts;
``count_nouns.txt`` nouns worth comparing as counts beyond those the parse finds;
``loaded.txt``     loaded-language terms, in the framing lexicon format;
``event_nouns.txt`` nouns an outlet may use for what an actor did.

Every file is optional except ``pack.toml``. Nothing here prints; a bad pack
name or a malformed file raises :class:`~manysides.errors.PackError` with its code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from types import MappingProxyType

from manysides.errors import PackError
from manysides.user_files import read_toml

PACKAGE = "manysides.packs"
CUE_KINDS = ("explanation", "state")

E_UNKNOWN_PACK = "E020"
E_MALFORMED_PACK = "E021"
E_BAD_SIDES_FILE = "E022"


@dataclass(frozen=True, slots=True)
class Cue:
    label: str  # how the report names this reading: "forced retreat"
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class CuePair:
    """Two opposite readings of one act; a claim matching one and another claim the other conflict."""

    name: str
    kind: str  # one of CUE_KINDS
    first: Cue
    second: Cue
    pack: str


@dataclass(frozen=True, slots=True, eq=False)
class Pack:
    name: str
    description: str
    trigger_terms: tuple[str, ...]
    threshold: int  # distinct trigger terms an article needs to count as matching
    share: float  # share of the story's articles that must match
    sides: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cue_pairs: tuple[CuePair, ...] = ()
    count_nouns: frozenset[str] = frozenset()
    event_nouns: frozenset[str] = frozenset()
    loaded_lines: tuple[str, ...] = ()  # lexicon lines: term[TAB score[TAB POS]]

    def matches(self, texts: Sequence[str]) -> bool:
        """Whether the story's articles use this pack's trigger terms enough."""
        texts = [t for t in texts if t.strip()]
        if not texts or not self.trigger_terms:
            return False
        pattern = _terms_pattern(self.trigger_terms)
        matching = sum(
            len({m.group(0).lower() for m in pattern.finditer(text)}) >= self.threshold for text in texts
        )
        return matching / len(texts) >= self.share


@lru_cache(maxsize=32)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _root(root: Path | None):
    return root if root is not None else importlib_resources.files(PACKAGE)


def available_packs(root: Path | None = None) -> tuple[str, ...]:
    """Names of the packs shipped with manysides (folders holding a ``pack.toml``);
    ``root`` reads another folder of packs instead."""
    root = _root(root)
    return tuple(sorted(
        entry.name for entry in root.iterdir()
        if entry.is_dir() and entry.joinpath("pack.toml").is_file()
    ))


def _read(name: str, file: str, root: Path | None = None) -> str | None:
    path = _root(root).joinpath(name).joinpath(file)
    return path.read_text("utf-8") if path.is_file() else None


def _data_lines(text: str | None) -> list[str]:
    if not text:
        return []
    return [line.rstrip("\n") for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _malformed(name: str, file: str, problem: str) -> PackError:
    return PackError(f"{E_MALFORMED_PACK} packs/{name}/{file}: {problem}")


def _toml(name: str, file: str, root: Path | None = None) -> dict:
    text = _read(name, file, root)
    if text is None:
        return {}
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _malformed(name, file, f"not valid TOML ({exc})") from None


def _sides_table(data: dict, where: str, code: str) -> dict[str, tuple[str, ...]]:
    sides = data.get("sides", {})
    if not isinstance(sides, dict):
        raise PackError(f"{code} {where}: [sides] must be a table of parties")
    table: dict[str, tuple[str, ...]] = {}
    for party, body in sides.items():
        members = body.get("members") if isinstance(body, dict) else None
        if not isinstance(members, list) or not all(isinstance(m, str) and m.strip() for m in members):
            raise PackError(f"{code} {where}: [sides.{party}] needs members = [\"name\", ...]")
        table[party] = tuple(m.strip() for m in members)
    return table


def _cue_pairs(name: str, root: Path | None = None) -> tuple[CuePair, ...]:
    rows: dict[str, list[tuple[str, str, str]]] = {}
    for number, line in enumerate(_data_lines(_read(name, "cue_pairs.tsv", root)), start=1):
        parts = line.split("\t")
        if len(parts) != 4 or parts[1] not in CUE_KINDS:
            raise _malformed(name, "cue_pairs.tsv",
                             f"row {number} needs 4 tab-separated fields: pair, kind ({'|'.join(CUE_KINDS)}), "
                             "label, regex")
        rows.setdefault(parts[0], []).append((parts[1], parts[2], parts[3]))
    pairs = []
    for pair, members in rows.items():
        if len(members) != 2 or members[0][0] != members[1][0]:
            raise _malformed(name, "cue_pairs.tsv", f"pair {pair!r} needs exactly two rows of one kind")
        cues = []
        for _, label, regex in members:
            try:
                cues.append(Cue(label, re.compile(rf"\b(?:{regex})\b", re.IGNORECASE)))
            except re.error as exc:
                raise _malformed(name, "cue_pairs.tsv", f"pair {pair!r}: bad regex ({exc})") from None
        pairs.append(CuePair(pair, members[0][0], cues[0], cues[1], name))
    return tuple(pairs)


@lru_cache(maxsize=16)
def load_pack(name: str, root: Path | None = None) -> Pack:
    """The pack called ``name``; PackError E020 when there is none, E021 when a file is malformed.

    ``root``: a folder of packs other than the shipped one (tests, a user's own packs)."""
    if not re.fullmatch(r"[a-z0-9_]+", name or "") or name not in available_packs(root):
        known = ", ".join(available_packs(root)) or "none"
        raise PackError(f"{E_UNKNOWN_PACK} unknown pack {name!r}; use --pack with one of: {known}")
    meta = _toml(name, "pack.toml", root)
    trigger = meta.get("trigger", {})
    terms = trigger.get("terms", [])
    if meta.get("name") != name or not isinstance(terms, list):
        raise _malformed(name, "pack.toml", "needs name (the folder's name) and [trigger] terms = [...]")
    try:
        threshold = int(trigger.get("threshold", 2))
        share = float(trigger.get("share", 0.5))
    except (TypeError, ValueError):
        raise _malformed(name, "pack.toml", "[trigger] threshold must be a whole number, share a number")
    return Pack(
        name=name,
        description=str(meta.get("description", "")),
        trigger_terms=tuple(str(t).lower() for t in terms),
        threshold=threshold,
        share=share,
        sides=MappingProxyType(_sides_table(_toml(name, "sides.toml", root), f"packs/{name}/sides.toml",
                                           E_MALFORMED_PACK)),
        cue_pairs=_cue_pairs(name, root),
        count_nouns=frozenset(w.strip().lower() for w in _data_lines(_read(name, "count_nouns.txt", root))),
        event_nouns=frozenset(w.strip().lower() for w in _data_lines(_read(name, "event_nouns.txt", root))),
        loaded_lines=tuple(_data_lines(_read(name, "loaded.txt", root))),
    )


def packs_for_story(texts: Sequence[str], requested: Iterable[str] = (), auto: bool = True) -> tuple[Pack, ...]:
    """The packs a story uses: those asked for by name, then (``auto``) those whose triggers it matches."""
    chosen = [load_pack(name) for name in dict.fromkeys(requested)]
    if auto:
        names = {p.name for p in chosen}
        chosen.extend(p for p in map(load_pack, available_packs()) if p.name not in names and p.matches(texts))
    return tuple(chosen)


def story_packs(briefing, settings) -> tuple[Pack, ...]:
    """The packs of one analysis: ``briefing.packs`` once a stage has chosen them, else chosen now
    from the settings and the articles' text."""
    if briefing.packs:
        return tuple(load_pack(name) for name in briefing.packs)
    return packs_for_story([a.clean_text for a in briefing.articles], settings.packs, settings.auto_packs)


def cue_pairs(packs: Iterable[Pack]) -> tuple[CuePair, ...]:
    """Every cue pair of the enabled packs (none without a pack: no explanation conflicts)."""
    return tuple(pair for pack in packs for pair in pack.cue_pairs)


def cue_hits(text: str, pairs: Iterable[CuePair]) -> frozenset[tuple[str, int]]:
    """Which readings ``text`` gives: (pair name, 0 for the first cue / 1 for the second)."""
    return frozenset(
        (pair.name, side) for pair in pairs for side, cue in enumerate((pair.first, pair.second))
        if cue.pattern.search(text)
    )


def opposed(a: frozenset[tuple[str, int]], b: frozenset[tuple[str, int]], pairs: Iterable[CuePair]
            ) -> CuePair | None:
    """The first pair one side of which only ``a`` reads and the other only ``b`` (cue_hits results)."""
    for pair in pairs:
        a_reads = {side for name, side in a if name == pair.name}
        b_reads = {side for name, side in b if name == pair.name}
        if len(a_reads) == 1 and len(b_reads) == 1 and a_reads != b_reads:
            return pair
    return None


def count_nouns(packs: Iterable[Pack]) -> frozenset[str]:
    return frozenset().union(*(pack.count_nouns for pack in packs))


def event_nouns(packs: Iterable[Pack]) -> frozenset[str]:
    return frozenset().union(*(pack.event_nouns for pack in packs))


def party_members(packs: Iterable[Pack], user_sides: Mapping[str, Sequence[str]] | None = None
                  ) -> dict[str, tuple[str, ...]]:
    """Party -> members: the user's sides file wins over packs; packs merge in order."""
    if user_sides:
        return {party: tuple(members) for party, members in user_sides.items()}
    table: dict[str, tuple[str, ...]] = {}
    for pack in packs:
        for party, members in pack.sides.items():
            table[party] = table.get(party, ()) + tuple(members)
    return table


def load_sides_file(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Parties from a user's TOML file (``[sides.NAME] members = ["...", ...]``); E022 on any problem."""
    path = Path(path)
    data = read_toml(path, lambda problem: PackError(f"{E_BAD_SIDES_FILE} {problem}"), what="sides file")
    table = _sides_table(data, str(path), E_BAD_SIDES_FILE)
    if not table:
        raise PackError(f"{E_BAD_SIDES_FILE} {path}: no [sides.NAME] table with members")
    return table


__all__ = [
    "Cue", "CuePair", "Pack", "available_packs", "count_nouns", "cue_hits", "cue_pairs", "event_nouns", "load_pack",
    "opposed",
    "load_sides_file", "packs_for_story", "party_members", "story_packs",
]
