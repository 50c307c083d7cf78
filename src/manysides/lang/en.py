"""English: the word lists and small word helpers every stage shares.

Tables here are about English, never about one story or one kind of news
(those live in domain packs, ``manysides/packs/``). Each table is written once;
a stage that needs a variant builds it from these (``STOPWORDS | NEGATION_WORDS``)
rather than writing its own copy.
"""

from __future__ import annotations

import re

# -- calendar -----------------------------------------------------------------

MONTH_NAMES: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
# Abbreviation -> full name ("sept" as well as "sep").
MONTH_ABBREVIATIONS: dict[str, str] = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december",
}
# Full names and abbreviations -> month number (1-12).
MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{abbr: MONTH_NAMES.index(full) + 1 for abbr, full in MONTH_ABBREVIATIONS.items()},
}
# A regex alternation of every month word, longest first ("sept" before "sep").
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
# Words before a date that make it a comparison or a bound ("highest since March 2019", "open
# until Friday"), not the time of the event the sentence tells.
TIME_BOUND_WORDS: frozenset[str] = frozenset({"since", "until", "till", "before"})
# Days named relative to the day of writing: they are the day the article is about.
RELATIVE_DAY_WORDS: tuple[str, ...] = (
    "yesterday", "today", "tonight", "last night", "the night", "earlier today",
    "this morning", "this afternoon", "this evening",
    "yesterday morning", "yesterday afternoon", "yesterday evening",
)

# -- numbers --------------------------------------------------------------------

UNIT_NUMBERS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS_NUMBERS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
# Cardinal number words below a hundred ("twenty-one" is two of them).
NUMBER_WORDS: dict[str, int] = {**UNIT_NUMBERS, **TENS_NUMBERS}
SCALE_WORDS: dict[str, int] = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100,
}

# -- function words --------------------------------------------------------------

# Articles, pronouns, prepositions, conjunctions, auxiliaries. Deliberately absent:
# negations (NEGATION_WORDS), modals (MODAL_VERBS) and quantifiers that change a
# claim's strength (all, every, most, some, few, many, more, less): dropping
# them would let "troops did not withdraw" match "troops withdrew".
STOPWORDS: frozenset[str] = frozenset(
    """
    a an the this that these those there here
    i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    myself ourselves yourself himself herself itself themselves
    who whom whose which what where when why how whether
    and or but so yet if then than as because while although though since until unless
    of in on at by for from with to into onto upon about above below over under between among
    through during before after against along around across behind beyond toward towards within
    via per up down out off away back
    be is am are was were been being
    have has had having do does did doing done
    also just even still too very such own same other another each both either
    's s t
    """.split()
)
MODAL_VERBS: frozenset[str] = frozenset(
    {"may", "might", "will", "would", "could", "should", "must", "can", "shall"}
)
PERSONAL_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her", "they", "them"})
# Third-person pronouns that tell a person's gender; coreference sends them to a person of it.
FEMALE_PRONOUNS: frozenset[str] = frozenset({"she", "her", "hers", "herself"})
MALE_PRONOUNS: frozenset[str] = frozenset({"he", "him", "his", "himself"})
GENDERED_PRONOUNS: frozenset[str] = FEMALE_PRONOUNS | MALE_PRONOUNS
# Titles written before a name that tell the person's gender ("Mrs. Roe", "Mr. Doe").
FEMALE_TITLES: frozenset[str] = frozenset({"mrs", "ms", "miss", "madam", "madame", "lady", "dame"})
MALE_TITLES: frozenset[str] = frozenset({"mr", "sir", "lord"})
# Plural nouns for one group of people, by the group's first word: in one story "the police",
# "officers" and "cops" are one group (singular lemmas; coreference reads plurals only).
GROUP_NOUN_SYNONYMS: dict[str, str] = {
    word: group[0] for group in (
        ("police", "officer", "cop", "policeman", "trooper"),
        ("robber", "thief", "crook", "burglar", "raider"),
        ("pirate", "brigand", "bandit"),
        ("protester", "protestor", "demonstrator", "rioter", "marcher"),
        ("worker", "employee", "co-worker", "coworker", "colleague", "staffer"),
        ("scientist", "expert", "researcher", "biologist"),
        ("official", "authority"),
        ("people", "person"),
    ) for word in group
}
# Nouns for one role a named person holds, by the role's first word: the story's "rep Jo Roe"
# is also "the publicist" (singular nouns: two lawyers are two people, one lawyer one role).
ROLE_NOUN_SYNONYMS: dict[str, str] = {
    word: group[0] for group in (
        ("rep", "representative", "publicist", "spokesman", "spokeswoman", "spokesperson"),
        ("lawyer", "attorney", "counsel"),
        ("inmate", "prisoner", "convict"),
        ("host", "emcee", "presenter"),
    ) for word in group
}
# Nouns for one kind of building, by the kind's first word: in one story "the store", "the
# shop" and "the boutique" are one building, and a building named "... Center" is "the facility".
BUILDING_NOUN_SYNONYMS: dict[str, str] = {
    word: group[0] for group in (
        ("store", "shop", "boutique", "jeweller", "jeweler", "supermarket", "outlet"),
        ("facility", "center", "centre", "clinic", "rehab"),
        ("factory", "plant", "mill"),
        ("prison", "jail", "penitentiary"),
        ("office", "firm", "business"),
        ("home", "house", "residence", "apartment"),
        ("church", "temple", "mosque", "cathedral", "chapel"),
        ("court", "courthouse", "courtroom"),
        ("bank", "branch"),
    ) for word in group
}

# -- quotation marks --------------------------------------------------------------

# Opening mark -> the closing marks accepted for it. Some sites close “ with “,
# and German/Danish order runs » … «.
QUOTE_PAIRS: dict[str, str] = {
    "\u201c": "\u201d\u201c",  # “ … ”
    "\u201e": "\u201c\u201d",  # „ … “ / „ … ”
    "\u00ab": "\u00bb",  # « … »
    "\u00bb": "\u00ab",  # » … «
    '"': '"',
}
OPENING_QUOTES: frozenset[str] = frozenset(QUOTE_PAIRS)
CLOSING_QUOTES: frozenset[str] = frozenset("".join(QUOTE_PAIRS.values()))
DOUBLE_QUOTES = "\"\u201c\u201d\u201e\u00ab\u00bb"
SINGLE_QUOTES = "'\u2018\u2019"
# Marks that end a quotation in English running text: a sentence may end after them.
END_QUOTES = "\"'\u201d\u2019\u00bb"
# Every quotation mark, single and double: what to strip from a word's edges.
QUOTE_CHARS = DOUBLE_QUOTES + SINGLE_QUOTES

# -- cues ---------------------------------------------------------------------------

# Words that negate a predicate or an argument ("not", "no one", "without").
NEGATION_WORDS: frozenset[str] = frozenset(
    {"not", "n't", "never", "no", "nowhere", "nobody", "nothing", "none", "neither", "nor",
     "without"}
)
# Verbs whose subject asserts the opposite of their complement ("denied that…").
NEGATIVE_VERBS: frozenset[str] = frozenset({"deny", "refute", "reject", "dismiss"})
# An act told as done by choice, and as done under compulsion: two accounts of one act that
# give one each are competing explanations, in any kind of news (regex alternatives).
INTENT_CUES: tuple[str, ...] = (
    r"(?:(?:long|pre)[- ]?)?planned", r"deliberate(?:ly)?", r"intentional(?:ly)?", r"on purpose",
    r"by design", r"voluntar(?:y|ily)", r"strategic (?:decision|choice|move|step)",
    r"chose to", r"of (?:its|their|his|her) own accord",
)
COMPULSION_CUES: tuple[str, ...] = (
    r"forced (?:to|by|into|out)", r"(?:was|were|been|being) forced", r"compelled",
    r"had (?:no|little) (?:other )?choice", r"out of necessity", r"under duress", r"distress",
)
# Nouns a percentage or an index measures; the words before them name which one ("jobless rate"
# vs "participation rate"): two figures of differently named rates are no number conflict.
RATE_NOUNS: frozenset[str] = frozenset({"rate", "rates", "share", "ratio", "index", "yield", "margin"})
# What a speaker says when denying a report outright: verbs (lemma prefixes) and verdicts.
DENIAL_CUES: tuple[str, ...] = (
    r"den(?:y|ies|ied|ying)", r"refut\w*", r"factually (?:incorrect|wrong|inaccurate)",
    r"(?:false|untrue|not true|fabricated|baseless|inaccurate) (?:report|claim|stor)\w*",
    r"(?:report|claim|stor)\w* (?:is|are|was|were) (?:false|untrue|not true|fabricated|baseless|inaccurate)",
)
# Words that weaken a statement: the writer or speaker does not vouch for it.
HEDGING_CUES: frozenset[str] = frozenset(
    """reportedly allegedly apparently purportedly supposedly possibly probably perhaps
    likely unlikely unconfirmed unverified alleged purported may might could appear appears
    appeared seem seems seemed suggest suggests suggested believe believed claim claimed""".split()
)
# Reporting verbs (lemmas): the verb that introduces what someone said. Assessment
# verbs ("assess", "estimate", "believe") are here because an analyst's or a
# government's assessment is a claim with an asserter, not the outlet's own.
REPORTING_VERBS: frozenset[str] = frozenset(
    """say claim tell report announce confirm deny state add note insist write declare
    assert allege acknowledge admit explain warn stress emphasise emphasize argue maintain
    reiterate post tweet boast concede comment reply respond assess estimate believe
    conclude indicate suggest quote dismiss refute reject accuse promise vow pledge
    predict signal repeat testify call describe""".split()
)

# Past tenses that do not end in "-ed" (the regular ones are found by their ending):
# what tells a past clause from a future one when no auxiliary is there.
# Left out on purpose: forms that are also the present ("set", "put", "cut", "hit", "read").
IRREGULAR_PAST_TENSES: frozenset[str] = frozenset(
    """was were had did said told spoke met won lost took gave came went saw made began left
    held fell rose struck got found thought brought bought sent spent led ran wrote chose drove
    broke fought knew heard kept paid sold stood sat felt became swore threw wore woke flew grew
    drew blew tore stole froze hid rang sang sank slid stuck stung swept swam swung taught
    understood withdrew""".split()
)

# -- places -------------------------------------------------------------------------

# Words for a country's first- and second-level divisions, in any country
# ("Hubei province", "Kent county", "Aichi prefecture", "Idlib governorate").
REGION_WORDS: frozenset[str] = frozenset(
    """region province state county governorate prefecture oblast krai district canton
    department voivodeship territory municipality parish emirate""".split()
)

# Words for a water body or landform that a name before or after them belongs to ("the Elbe
# river", "the River Thames", "Lake Erie"): such a name is that feature, not a town of its name.
LANDFORM_WORDS: frozenset[str] = frozenset(
    """river lake creek bay gulf strait canal reservoir delta mountains mountain hills valley
    desert estuary lagoon""".split()
)

# Words after a place name that show it is a town with its own people and institutions ("a
# Palestine man", "Jordan police", "the Lebanon school board"); a country is never written so
# in English ("a Jordanian man").
TOWN_LIFE_WORDS: frozenset[str] = frozenset(
    """man woman boy girl teen teenager resident residents native natives police policeman
    mayor council councilman councilwoman alderman sheriff firefighters township schools
    school""".split()
)

# Nationality words that no suffix rule derives from the country's English name
# (the rules in ``demonym_forms`` cover "Kenyan", "Israeli", "Chinese", "Italian"…).
IRREGULAR_DEMONYMS: dict[str, str] = {
    "american": "United States", "americans": "United States", "british": "United Kingdom",
    "briton": "United Kingdom", "britons": "United Kingdom", "english": "United Kingdom",
    "scottish": "United Kingdom", "welsh": "United Kingdom", "french": "France",
    "dutch": "The Netherlands", "swiss": "Switzerland", "greek": "Greece", "greeks": "Greece",
    "irish": "Ireland", "danish": "Denmark", "swedish": "Sweden", "finnish": "Finland",
    "polish": "Poland", "turkish": "Turkey", "spanish": "Spain", "filipino": "Philippines",
    "argentine": "Argentina", "saudi": "Saudi Arabia", "saudis": "Saudi Arabia",
    "emirati": "United Arab Emirates", "thai": "Thailand", "belgian": "Belgium",
    "norwegian": "Norway", "peruvian": "Peru", "german": "Germany", "germans": "Germany",
    "portuguese": "Portugal", "icelandic": "Iceland", "afghan": "Afghanistan", "czech": "Czechia",
    "slovak": "Slovakia", "kazakh": "Kazakhstan", "uzbek": "Uzbekistan", "tajik": "Tajikistan",
    "kyrgyz": "Kyrgyzstan", "palestinian": "Palestinian Territory", "palestinians": "Palestinian Territory",
    "south korean": "South Korea", "north korean": "North Korea", "south african": "South Africa",
    "new zealand": "New Zealand", "sri lankan": "Sri Lanka", "hungarian": "Hungary",
    "korean": "South Korea", "philippine": "Philippines", "sinhalese": "Sri Lanka",
}


def demonym_forms(country: str) -> tuple[str, ...]:
    """Nationality words English derives from a one-word country name, most regular first.

    "Kenya" -> kenyan…; "Israel" -> israeli…; "China" -> chinese…; "Italy" -> italian….
    Rules overgenerate ("chadi"); a form only matters when a text uses it.
    """
    n = country.lower()
    if " " in n or len(n) < 4:
        return ()
    forms = [n + "n", n + "ian", n[:-1] + "ian", n + "i", n + "ese", n[:-1] + "ese", n[:-2] + "ese",
             n + "an", n[:-1] + "an", n[:-1] + "ish", n[:-3] + "ish"]
    return tuple(dict.fromkeys(f for f in forms if f != n))


# -- words ----------------------------------------------------------------------------

# A word: letters with inner apostrophes ("don't", "Nairobi’s" as one), no digits.
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")

_IRREGULAR_SINGULARS = {
    "people": "people", "children": "child", "men": "man", "women": "woman",
    "servicemen": "serviceman", "casualties": "casualty", "wounded": "wounded",
    "police": "police", "staff": "staff", "news": "news", "series": "series",
    "species": "species", "feet": "foot", "teeth": "tooth", "mice": "mouse",
}


def singular(word: str) -> str:
    """The singular of a lowercase plural noun: "jobs" -> "job", "casualties" -> "casualty".

    Rules plus a few irregulars; a word that does not look plural comes back as is.
    """
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def stem(word: str) -> str:
    """Lowercase, drop possessives, spell out month abbreviations, strip common inflections.

    Deliberately light: conflating "capture"/"captured" is what we want, while a
    real stemmer's "general" = "generous" kind of merge would let a rewritten
    claim pass as supported.
    """
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    w = MONTH_ABBREVIATIONS.get(w, w)
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""),
                                ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + replacement
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # "stopped" -> "stopp" -> "stop"
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # "advance"/"advanced" -> "advanc"
    return w


def possessive(name: str) -> str:
    """The possessive of a name: ’ after a plural in -s ("officials’"), else ’s ("Vidal’s")."""
    return name + ("’" if name.endswith("s") else "’s")


def lower_first(text: str) -> str:
    """Lowercase the first letter when it only starts a sentence, not a name or acronym.

    "The plant closed" -> "the plant closed"; "US officials said" and "NASA said"
    stay as they are, because a word written in capitals is a name.
    """
    first = text.split(" ", 1)[0].strip(QUOTE_CHARS)
    if sum(ch.isupper() for ch in first) > 1:
        return text
    lowered = first.lower()
    if lowered in STOPWORDS or lowered in {"according", "only"}:
        at = len(text) - len(text.lstrip(QUOTE_CHARS))  # the letter after any opening quote
        return text[:at] + text[at : at + 1].lower() + text[at + 1 :]
    return text


__all__ = [
    "BUILDING_NOUN_SYNONYMS", "ROLE_NOUN_SYNONYMS",
    "CLOSING_QUOTES", "DOUBLE_QUOTES", "END_QUOTES", "FEMALE_PRONOUNS", "FEMALE_TITLES", "GENDERED_PRONOUNS", "GROUP_NOUN_SYNONYMS", "MALE_PRONOUNS", "MALE_TITLES",
    "RELATIVE_DAY_WORDS", "HEDGING_CUES", "IRREGULAR_DEMONYMS", "IRREGULAR_PAST_TENSES", "LANDFORM_WORDS", "TOWN_LIFE_WORDS", "MODAL_VERBS", "MONTHS", "MONTH_ABBREVIATIONS",
    "MONTH_NAMES", "MONTH_PATTERN", "NEGATION_WORDS", "NEGATIVE_VERBS", "NUMBER_WORDS", "OPENING_QUOTES",
    "ORDINALS", "PERSONAL_PRONOUNS", "QUOTE_CHARS", "QUOTE_PAIRS", "REGION_WORDS", "REPORTING_VERBS",
    "SCALE_WORDS", "SINGLE_QUOTES", "STOPWORDS", "TENS_NUMBERS", "UNIT_NUMBERS", "WEEKDAYS", "WORD",
    "demonym_forms", "lower_first", "possessive", "singular", "stem",
]
