"""Transliteration-aware name keys, typo matching and person-name parsing.

Names of Ukrainian and Russian people and places reach English text through
several romanisation systems (BGN/PCGN, the Ukrainian national system, ISO 9,
German and French conventions, news-desk habits) and through two source
languages. The same Cyrillic letter comes out as ``ya`` / ``ia`` / ``ja`` / ``ä``,
``kh`` / ``h`` / ``ch``, ``y`` / ``i`` / ``j``; a soft sign becomes an apostrophe or
nothing; Ukrainian ``і`` stands where Russian has ``е`` or ``и``.

Rather than listing known variants, :func:`name_key` maps a name onto a
*skeleton* in which every such choice collapses to one symbol, so two spellings
of one Cyrillic original share a key. Two levels:

* ``strict`` folds only choices *between romanisation systems* of one
  original (glides before vowels, i/y/j, kh/h, g/h, ts/tz, doubled letters,
  soft signs, diacritics, and Cyrillic input itself);
* ``loose`` also folds ``e``/``i`` (Ukrainian і vs Russian е/и, as in
  Balakliia/Balakleya, Kyiv/Kiev), which merges more true variants and a few
  more distinct names, so callers use it only with context to back it up.

Typos are matched with an edit distance on keys (:func:`typo_distance`), and
:func:`parse_person` splits titles, initials, given names and surname.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# One romanisation of each Cyrillic letter (Russian and Ukrainian). Which
# system is used does not matter: the skeleton below folds them all.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "yo",
    "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ў": "u",
}

# Latin letters with diacritics whose plain base letter would lose a sound
# (ISO 9 / Czech-style), decomposed before accents are stripped.
_DIACRITIC_DIGRAPHS = {
    "č": "ch", "ć": "ch", "š": "sh", "ś": "sh", "ž": "zh", "ź": "zh", "ŝ": "shch",
    "ł": "l", "ß": "ss", "ä": "ya", "ü": "yu", "ö": "yo", "ë": "yo", "ǐ": "i",
}

# Marks that stand for a soft or hard sign, or are typographic apostrophes.
_SIGN_MARKS = "'’‘ʹʺʼ`´\"″′"

# Ordered rewrite rules on lowercase ASCII; each folds one set of choices that
# different systems make for the *same* Cyrillic letter or cluster.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shtsch|schtsch|szcz|shch|sch", "S"),  # щ (and German ш "sch")
        (r"tsch|tch|cz|ch", "C"),                # ч
        (r"sh|sz", "S"),                         # ш
        (r"zh|zs|dzh", "Z"),                     # ж
        (r"kh", "h"),                            # х: kh / h / ch(German) -> h
        (r"g", "h"),                             # г: Russian g, Ukrainian h
        (r"ts|tz|c", "T"),                       # ц: ts / tz / c
        (r"x", "ks"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"q", "k"),
        (r"ou", "u"),                            # French u
        (r"[yij](?=[aeou])", ""),                # я/ю/є/ё: glide before a vowel
        (r"[yj]", "i"),                          # и/ы/й/ї: y / i / j
        (r"(.)\1+", r"\1"),                      # doubled letters, -iy/-yy/-ii endings
    )
)
_LOOSE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"e"), "i"),  # Ukrainian і against Russian е (Kyiv / Kiev)
    # Ukrainian і against Russian о in a closed final syllable (Kharkiv / Kharkov, Lviv / Lvov).
    (re.compile(r"o(?=[^aeiou]+$)"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def to_ascii(text: str) -> str:
    """Lowercase ASCII letters and spaces: Cyrillic romanised, accents and signs dropped."""
    out: list[str] = []
    for char in text.casefold():
        if char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        elif char in _DIACRITIC_DIGRAPHS:
            out.append(_DIACRITIC_DIGRAPHS[char])
        elif char in _SIGN_MARKS:
            continue
        else:
            out.append(char)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    letters = "".join(c if c.isascii() and c.isalpha() else (" " if not unicodedata.combining(c) else "")
                      for c in decomposed)
    return " ".join(letters.split())


@lru_cache(maxsize=200_000)
def name_key(name: str, *, loose: bool = False) -> str:
    """The transliteration skeleton of ``name``; equal keys = same Cyrillic original.

    >>> name_key("Kupyansk") == name_key("Kupiansk") == name_key("Купянск")
    True
    >>> name_key("Balakleya") == name_key("Balakliia"), name_key("Balakleya", loose=True) == name_key("Balakliia", loose=True)
    (False, True)
    """
    words = []
    for word in to_ascii(name).split():
        # to_ascii gives lower case, so upper case is free for cluster symbols.
        for pattern, replacement in _RULES:
            word = pattern.sub(replacement, word)
        if loose:
            for pattern, replacement in _LOOSE_RULES:
                word = pattern.sub(replacement, word)
        if word:
            words.append(word)  # upper case marks a folded cluster (S = ш/щ, C = ч …)
    return " ".join(words)


def typo_distance(first: str, second: str) -> int:
    """Edit distance between the strict keys of two names (0 = transliteration variants)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(name_key(first), name_key(second))


def typo_tolerance(name: str) -> int:
    """Edits a name of this length may carry and still be taken for a typo.

    Short names collide by chance (one edit turns ``Lyman`` into ``Lyon``), so
    only names of 7+ key letters get one edit, and 11+ get two.
    """
    length = len(name_key(name).replace(" ", ""))
    return 0 if length < 7 else 1 if length < 11 else 2


# --------------------------------------------------------------------------
# Person names
# --------------------------------------------------------------------------

# Titles, ranks and roles that precede a name; kept out of the name itself.
TITLE_WORDS = frozenset(
    """
    mr mrs ms miss dr prof sir dame lord lady president vice prime minister premier chancellor
    secretary general gen lt lieutenant col colonel maj major capt captain sgt sergeant adm admiral
    cmdr commander brig brigadier marshal field spokesman spokeswoman spokesperson governor mayor
    senator sen rep representative ambassador deputy defence defense foreign interior chief head
    king queen prince princess pope patriarch father rev reverend gov judge justice former acting
    military army navy air force ministry
    """.split()
)
# Slavic adjectival forms of a region's name ("Kharkivska oblast", "Donetskaya"): the stem is
# the city the region is named after.
ADJECTIVAL_PLACE_SUFFIX = re.compile(r"(s['’]?k(a|aya|iy|yi|ij)|ska|skaya)$", re.IGNORECASE)
_PARTICLES = frozenset({"van", "von", "de", "der", "da", "di", "le", "la", "bin", "al", "ibn"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person mention split into parts; ``surname`` is empty when there is none."""

    titles: tuple[str, ...]
    given: tuple[str, ...]
    initials: tuple[str, ...]
    surname: str
    suffix: str = ""  # generational: "jr", "sr", "ii", "iii", "iv"

    @property
    def middle(self) -> tuple[str, ...]:
        """Initials of the names after the first ("George H. W. Bush", "George Herbert Walker Bush")."""
        if not self.given:
            return ()
        return tuple(to_ascii(g)[:1].lower() for g in self.given[1:]) + tuple(i.lower() for i in self.initials)

    @property
    def marked(self) -> bool:
        """Does the name carry what tells namesakes apart (a middle initial, Jr./Sr.)?"""
        return bool(self.middle or self.suffix)

    @property
    def surname_key(self) -> str:
        return name_key(self.surname)

    @property
    def first_initial(self) -> str | None:
        if self.given:
            return to_ascii(self.given[0])[:1] or None
        if self.initials:
            return self.initials[0].lower()
        return None

    @property
    def full(self) -> str:
        return " ".join([*self.given, self.surname]).strip()

    @property
    def is_full(self) -> bool:
        return bool(self.given) and bool(self.surname)


_INITIAL = re.compile(r"^([A-Z])\.?$")


def parse_person(text: str) -> PersonName:
    """Split ``"Lt. Gen. Igor Konashenkov"`` into titles, given names, initials, surname."""
    tokens = [t for t in re.split(r"\s+", text.strip()) if t]
    # Possessive and trailing punctuation are not part of the name.
    tokens = [re.sub(r"(’s|'s|[,;:])$", "", t) for t in tokens]
    tokens = [t for t in tokens if t]
    titles: list[str] = []
    # "<Country> President X", "<Agency> spokesman X": whatever stands before the last title word
    # of the leading run qualifies the title, not the name.
    leading = [i for i, t in enumerate(tokens[:-1][:5]) if t.rstrip(".").casefold() in TITLE_WORDS]
    if leading and all(t[:1].isupper() or t.rstrip(".").casefold() in TITLE_WORDS
                       for t in tokens[:leading[-1]]):
        titles.extend(tokens[:leading[-1]])
        del tokens[:leading[-1]]
    while tokens and tokens[0].rstrip(".").casefold() in TITLE_WORDS:
        titles.append(tokens.pop(0))
    suffix = ""
    while tokens and tokens[-1].rstrip(".").casefold() in _SUFFIXES:
        suffix = tokens.pop().rstrip(".").casefold()
    if not tokens:
        return PersonName(tuple(titles), (), (), "")
    surname_tokens = [tokens.pop()]
    while tokens and tokens[-1].casefold() in _PARTICLES:
        surname_tokens.insert(0, tokens.pop())
    given: list[str] = []
    initials: list[str] = []
    for token in tokens:
        match = _INITIAL.match(token)
        if match:
            initials.append(match.group(1))
        elif re.fullmatch(r"(?:[A-Z]\.){2,}", token):
            initials.extend(token.replace(".", ""))
        else:
            given.append(token)
    return PersonName(tuple(titles), tuple(given), tuple(initials), " ".join(surname_tokens), suffix)


@lru_cache(maxsize=1)
def _hypocorisms() -> dict[str, frozenset[str]]:
    """Given name (formal or short, loose key) -> the formal names it may stand for."""
    from importlib import resources

    text = resources.files("manysides").joinpath("data", "hypocorisms.tsv").read_text("utf-8")
    formal_of: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        formal, shorts = line.split("\t", 1)
        formal_key = name_key(formal, loose=True)
        for name in [formal, *shorts.split("|")]:
            formal_of.setdefault(name_key(name.strip(), loose=True), set()).add(formal_key)
    return {name: frozenset(formals) for name, formals in formal_of.items()}


def same_given_name(first: str, second: str) -> bool:
    """Oleg/Oleh (one transliteration key) or Chuck/Charles, Bill/William (a hypocorism)."""
    a, b = name_key(first, loose=True), name_key(second, loose=True)
    if a == b:
        return True
    table = _hypocorisms()
    return bool(table.get(a, frozenset({a})) & table.get(b, frozenset({b})))


def same_person(short: PersonName, full: PersonName) -> bool:
    """Can ``short`` (surname alone, initials, titles) refer to ``full``?

    Surnames must share a transliteration key; given names, where both have
    them, must share a loose key (Oleg/Oleh, Sergey/Serhiy) or be an initial
    of the other.
    """
    if not short.surname or not full.surname:
        return False
    if name_key(short.surname, loose=True) != name_key(full.surname, loose=True):
        return False
    if short.suffix and full.suffix and short.suffix != full.suffix:
        return False  # Jr. and Sr.: father and son
    if short.given and full.given:
        if short.middle and full.middle and short.middle != full.middle:
            return False  # George H. W. Bush and George W. Bush
        return same_given_name(short.given[0], full.given[0])
    if short.first_initial and full.first_initial:
        return short.first_initial == full.first_initial
    return True
