"""The cleaner's data: reason codes, thresholds and the generic wording of each junk family.

Nothing here is a phrase list from one site; each pattern names a family of
page furniture (payment brands, calls to subscribe, credit parentheticals...).
"""

from __future__ import annotations

import re

from manysides.lang.en import MONTHS, WEEKDAYS


# --------------------------------------------------------------------------
# Reasons (stable, human-readable codes shown in the audit)
# --------------------------------------------------------------------------


REASON_DONATION = "donation appeal"
REASON_SUBSCRIPTION = "subscription prompt"
REASON_PHOTO_CREDIT = "photo credit"
REASON_CREDIT_LINE = "credit line"
REASON_HEADLINE = "repeated headline"
REASON_AUTHOR_BIO = "author bio"
REASON_ADVERTISEMENT = "advertisement"
REASON_TEASER_TAIL = "teaser block (and everything after)"
REASON_TEASER_BLOCK = "teaser block"
REASON_TEASER_LINK = "teaser link"
REASON_SOCIAL = "share/social buttons"
REASON_COOKIES = "cookie notice"
REASON_BOILERPLATE = "cross-article boilerplate"
REASON_NAVIGATION = "navigation (link-dense)"
REASON_DATELINE = "date/byline residue"
REASON_METADATA = "page metadata"
REASON_FURNITURE = "page furniture"
REASON_COPYRIGHT = "copyright notice"
REASON_REPEATED_LINE = "repeated line (a copy of one above)"

# A line is dropped when its score reaches this. Strong cues weigh 2.5, weak
# cues 1.0; shape and context add at most ~2 more. Long prose loses 1.5.
DROP_THRESHOLD = 2.0
STRONG = 2.5
WEAK = 1.0

# "The final part of the article" for teaser tails and bios: the last 40% of
# characters. Teaser blocks that start earlier are only cut locally.
TAIL_FRACTION = 0.6
LINK_DENSE = 0.75
HEAD_LINES = 3


# --------------------------------------------------------------------------
# Cue patterns: generic wording of each junk family, case-insensitive
# --------------------------------------------------------------------------


_I = re.IGNORECASE


PAYMENT_BRANDS = re.compile(
    r"\b(visa|master\s?card|paypal|apple\s?pay|google\s?pay|american express|amex|maestro|"
    r"bitcoin|ethereum|usdt|patreon|yoomoney|qiwi|sbp|mir card|webmoney|liqpay|stripe|venmo)\b",
    _I,
)
DONATION_STRONG = re.compile(
    r"(small favou?r to ask|remind me (later|in)|make a (one[- ]time|monthly|recurring) "
    r"(contribution|donation|gift)|^donate( now| today)?\W*$|chip in\b|buy us a coffee|"
    r"support (independent|quality|our|free) (journalism|media|reporting|press|work)|"
    r"\bwe (rely|depend) on (readers|you|our readers|donations)|"
    # a newsroom that lives on its readers' money: "survives only on reader donations"
    r"\b(survives?|relies|depends|exists|runs) ((only|entirely|solely|largely|mostly|wholly) )?on "
    r"(reader|readers['’]?|your|listener|viewer|audience) (donations|contributions|support|funding)|"
    r"\b(every|each|your) (contribution|donation|gift)\b[^.\"“”]{0,30}\b(keeps|helps|lets|allows) us\b|"
    # a masthead banner: "Support The Valley Courier!"
    r"^support( \S+){1,6} ?!$)",
    _I,
)
READER_APPEAL = re.compile(
    r"\bif you (enjoyed|liked|like|value|appreciate|found) (this|our|the|reading)\b.{0,40}"
    r"\b(article|story|journalism|work|reporting|content|piece)",
    _I,
)
DONATION_WEAK = re.compile(
    r"\b(donat\w*|contribut(e|ion)s?|support (us|our|this|the project|the site|the editorial)|"
    r"become an? (member|patron|supporter|sponsor)|patrons?)\b",
    _I,
)
SUBSCRIPTION_WEAK = re.compile(
    r"\b(subscrib\w*|subscription|newsletters?|sign(ing)? ?up|sign in|log ?in|(?<!-)register(?!-)|"
    r"inbox|paywall|already a (member|subscriber)|unlimited access|free trial|"
    r"delivered (to|through) your|premium members?|paywalls?)\b",
    _I,
)
SOCIAL_WORDS = {
    "share", "shares", "tweet", "email", "e-mail", "print", "facebook", "twitter", "x",
    "whatsapp", "telegram", "linkedin", "reddit", "pinterest", "vk", "vkontakte", "flipboard",
    "instagram", "youtube", "tiktok", "copy", "link", "save", "like", "comment", "comments",
    "on", "this", "article", "story", "the", "us", "follow", "subscribe", "via", "messenger",
    "mail", "odnoklassniki", "viber", "and", "or", "to", "with", "friend", "a", "it",
}
SOCIAL_NETWORKS = re.compile(
    r"\b(facebook|twitter|instagram|youtube|telegram|whatsapp|linkedin|tiktok|vkontakte|"
    r"flipboard|pinterest|reddit|viber)\b",
    _I,
)
SOCIAL_CUE = re.compile(
    r"(^(share|tweet|like|follow)\b|\bshare (this|it|on|with)\b|\bfollow (us|him|her|them|@)|"
    r"like this (story|article)|\bfollow \S+ on (facebook|twitter|instagram|telegram)|"
    r"^(listen|watch) (to )?\S+ (live|on)\b)",
    _I,
)
# Case-sensitive inside case-insensitive patterns: "(ePA)" is an acronym, "(EPA)" a credit.
AGENCIES = (
    r"(?-i:Getty Images|Getty|AFP|Reuters|REUTERS|AP Photo|AP|EPA|TASS|RIA Novosti|Sputnik|"
    r"Shutterstock|Anadolu|Xinhua|EFE|dpa|DPA|Alamy|PA Images|PA Wire|Bloomberg|UNIAN|Ukrinform)"
)
PHOTO_CREDIT = re.compile(
    r"(\((?:[^()]{0,80}\b(?:via|photo|photograph|image|credit|pictured|file)\b[^()]{0,80}|"
    + AGENCIES
    + r"[^()]{0,40})\)\W*$"
    r"|^(photo|photograph|picture|image|illustration|video|main image|top image|photo credit|credit|"
    r"фото)s?\s*(\(.{0,40}\))?\s*(:|by\b|©|—|-)"
    r"|\b(photo|image|picture) ?(credit|courtesy)\b"
    r"|/\s*" + AGENCIES + r"\W*$"
    r"|[a-z)\]]\.\s?" + AGENCIES + r"$"
    r"|\bvia " + AGENCIES + r"\W*$)",
    _I,
)
COPYRIGHT = re.compile(
    r"(©|\ball rights reserved\b|^copyright\b|\(c\) \d{4}|for your personal,? non-commercial use|"
    r"may not be (re)?published, broadcast)",
    _I,
)
AUTHOR_BIO = re.compile(
    r"(^about the authors?\W*$|"
    r"^[A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3},? (is|was|has been) (an?|the) ([\w-]+ ){0,4}"
    r"(correspondent|reporter|editor|writer|journalist|columnist|contributor|analyst|"
    r"fellow|researcher|professor|author|producer|blogger|commentator|freelancer)\b)",
)
CREDIT_LINE = re.compile(
    r"(contributed (reporting|to this (report|article|story))|"
    r"^\W*(additional )?(reporting|writing|editing|edited|compiled|translated) by\b|"
    r"^write to .{0,60}\bat \S+@|may be reached at|can be reached at|"
    r"^(source|sources|via)\s*:|^\(?(with )?(reporting|additional reporting) from\b|"
    r"^this (story|article) (was|has been) (updated|corrected)|^updated (at|on)\b)",
    _I,
)
ADVERTISEMENT = re.compile(
    r"^(advertisement|advertising|advert|ad|ads|sponsor|sponsors|sponsored|sponsored content|"
    r"sponsored by .{0,40}|paid (content|post|partnership)|promoted|promotion|partner content|"
    r"(story|article) continues (below|after)( (the )?(advertisement|ad))?|"
    r"continue reading( (below|the main story))?|скрыть рекламу|реклама)\W*$",
    _I,
)
# A teaser labelled as paid ("Sponsored: Find out how…"): no body sentence opens with the label.
ADVERTISEMENT_LABEL = re.compile(
    r"^\W*(advertisement|sponsored( content| post)?|sponsor|paid (content|post|partnership)|promoted|"
    r"partner content)\s*[:|\u2013\u2014-]\s*\S",
    _I,
)
COOKIES = re.compile(r"\bcookies?\b", _I)
COOKIE_CONTEXT = re.compile(
    r"\b(we use|this (site|website) uses|uses cookies|accept|consent|privacy (policy|settings)|"
    r"manage (preferences|settings)|opt[- ]out|browsing experience)\b",
    _I,
)
TEASER_HEADER = re.compile(
    r"^\W*(read (more|also|next)|see (more|also)|related( (articles?|stories|posts|coverage|content|news|"
    r"reading|links|topics))?|more (in|from|on|stories|news|to (read|explore))\b.{0,40}|"
    r"(the )?(week['’]?s|day['’]?s|today['’]?s)? ?top stories|most (read|popular|viewed|shared)\b.{0,30}|"
    r"you (may|might) (also )?(like|be interested in|have missed)|recommended( for you| stories)?|"
    r"trending( now| stories)?|(don['’]?t|do not) miss( this)?|editor['’]?s (picks?|choice)|"
    r"latest (news|stories|articles|headlines)|also (read|on|see)|further reading|"
    r"more|also|what to read next|popular( now| stories)?|more like this|in other news|"
    r"other (news|stories)|читайте также|по теме|ещё по теме)\W*$",
    _I,
)
TEASER_PREFIX = re.compile(
    r"^\W*(read (more|also|next)|see (more|also)|related( \w+)?|more(?-i:(?: [A-Z][\w.]*){0,3})|"
    r"also (read|on|see)\b[^:]{0,30}|watch|listen|recommended|don['’]?t miss|more on this|"
    r"читайте также|по теме)\s*[:|\-–—]\s*\S",
    _I,
)
TEASER_INLINE_AGENCY = re.compile(r"^also on \S+\.(com|ru|org|net|co\.uk)\b", _I)
FURNITURE = re.compile(
    r"^\W*(\d+ )?(comments?|tell us what you think|have your say|join the (conversation|discussion)|replies|reply|leave a (comment|reply)|tags?|filed under|print( article| this)?|"
    r"order reprints|e-?mail( article| this)?|save( article)?|share( article| this| story)?|"
    r"thank you|an error has occurred.{0,40}|loading.{0,10}|close|menu|back to top|skip to (main )?content|"
    r"show comments|view comments|hide comments|report an error|tempo de leitura.{0,20}|"
    r"reading time.{0,20}|\d+ min(ute)?s? read)\W*$",
    _I,
)
FURNITURE_PREFIX = re.compile(r"^(tags|filed under|categories|topics)\s*:", _I)
SOCIAL_PROFILE = re.compile(r"\b(twitter|x|facebook|instagram|t)\.(com|me)/\w+", _I)
URL_ONLY = re.compile(r"^\W*(https?://|www\.)\S+\W*$", _I)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
TWITTER_HANDLE = re.compile(r"(^|\s)@\w{2,}")
ISO_TIMESTAMP = re.compile(r"^\W*\d{4}-\d{2}-\d{2}(t\d{2}:\d{2}(:\d{2})?\S*)?\W*$", _I)

# Words that make up a date/time or byline residue ("Updated 5:45 AM PST
# 11/19/2019 by Jane Doe"); a top line made only of these and at most three
# other words is not prose.
DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "am", "pm", "a", "p", "m", "gmt", "utc", "bst", "cet", "cest", "est", "edt", "pst",
    "pdt", "cst", "cdt", "msk", "eet", "eest", "amt", "ist", "updated", "published",
    "posted", "last", "modified", "at", "on", "by", "and", "de", "às", "le", "am", "um",
}

# Month and weekday words that only name dates ("may" is mostly a verb).
CALENDAR_WORDS = (frozenset(MONTHS) - {"may"}) | frozenset(WEEKDAYS)
CLOCK_OR_NUMERIC_DATE = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")


IMPERATIVE_STARTS = {
    "support", "donate", "subscribe", "sign", "join", "follow", "share", "help", "give",
    "click", "read", "get", "become", "make", "contribute", "register", "download", "listen",
    "watch", "like", "tweet", "log", "login", "try", "start", "send", "tell", "buy", "order",
    "please", "don't", "dont", "see", "email", "visit", "enter", "chip", "keep",
}
READER_ADDRESS = re.compile(r"\b(you|your|yours|you're|you've)\b", _I)
FIRST_PERSON_PLURAL = re.compile(r"\b(we|us|our|we're|we've)\b", _I)

# Function words and common finite verbs: a line with none of them is rarely a
# sentence (English-centred; other languages fall back on punctuation/case).
VERBISH = {
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did",
    "will", "would", "can", "could", "may", "might", "must", "shall", "should", "said",
    "says", "say", "told", "added", "according", "took", "made", "came", "went", "got",
    "gave", "saw", "left", "began", "became", "remains", "remained", "seems", "appears",
}
TERMINAL = tuple('.!?…"”’»)]。！？:;')
INTERNAL_SENTENCE_END = re.compile(r"[a-z][.!?]['\"”’]*(\s|[A-Z])")
CLAUSE_SPLIT = re.compile(r"(?<=[.!?:—])\s+")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


# --------------------------------------------------------------------------
# Vocabulary of the learned line model (clean.classifier): site furniture a
# saved page carries around the article, by family. Generic web words only.
# --------------------------------------------------------------------------


NAVIGATION_WORDS = frozenset(
    "home menu search login log in sign out account profile contact about us privacy policy terms "
    "conditions use cookie cookies settings sitemap rss feeds careers jobs advertise advertising "
    "newsletter newsletters subscribe subscriptions podcasts podcast video videos photos gallery "
    "galleries opinion sports business news world politics tech technology entertainment lifestyle "
    "health science travel culture weather more latest live tv radio shop store help faq faqs "
    "accessibility corrections ethics masthead archive archives topics sections edition editions "
    "apps app mobile e-paper epaper print digital press releases events partners next previous "
    "prev back top skip content main navigation close open toggle share follow us".split()
)
APPEAL_WORDS = frozenset(
    "donate donation donations contribute contribution contributions support supporter supporters "
    "give giving gift membership member members patron patrons sponsor fund funding independent "
    "journalism reader readers subscribe subscriber subscribers subscription pay payment payments "
    "free sign signup inbox newsletter ready today thank thanks chip monthly one-time recurring".split()
)
# Lines of a page that separate blocks of links ("Home | World | Sports", "News » World").
SEPARATORS = frozenset("|•»·›/▸►◆")
BULLETS = tuple("-•–*·▪●►")

# A line that repeats one above it is a caption or pull quote shown twice, never news
# told twice; below this many words a repeat is a list item or label ("Meal 2").
REPEAT_MIN_WORDS = 4
# Reported speech: a line quoting someone is the story, not the outlet's appeal.
REPORTED_SPEECH = re.compile(r"[\"“”«»]|\b(said|says|told|according to)\b", re.IGNORECASE)
