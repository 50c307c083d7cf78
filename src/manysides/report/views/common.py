"""Pieces every view shares: how a claim, an asserter, an origin and a citation read.

Reader-facing text never shows ids (article hashes, origin hashes): an origin is
named by its outlets ("AFP copy: Outlet A, Outlet B"); ids stay in attributes,
where links and the JSON twin need them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from manysides.lang import en
from manysides.model import Asserter, Briefing, Claim, ClaimGroup, GroupMark, OriginKind

_ID_TOKEN = re.compile(r"\b[a-z]{1,6}-[0-9a-f]{8,}\b,?")
MARK_SYMBOL = {GroupMark.ONE_PARTY: "◆", GroupMark.RELAYED: "↻"}
MARK_LABEL = {GroupMark.ONE_PARTY: "one party", GroupMark.RELAYED: "relayed"}
MARK_LEGEND = {
    GroupMark.ONE_PARTY: "asserted only by a party with a stake in it, however many outlets carry it",
    GroupMark.RELAYED: "outlets repeating another outlet's report, not reporting it themselves",
}


def claim_text(briefing: Briefing, claim: Claim) -> str:
    """The claim as a reader should see it: the claims stage's readable form (leading
    pronoun named, dateline cut) when it offers one, else the verbatim span."""
    try:
        from manysides.analyse.alignment.readable import readable_claim_text
    except ImportError:
        return " ".join(briefing.text(claim.span).split())
    return " ".join(readable_claim_text(briefing, claim).split())


def claims_by_id(briefing: Briefing) -> dict[str, Claim]:
    return {c.id: c for c in briefing.claims}


def group_text(briefing: Briefing, group: ClaimGroup, claims: dict[str, Claim] | None = None) -> str:
    claims = claims if claims is not None else claims_by_id(briefing)
    claim = claims.get(group.representative_claim_id)
    return claim_text(briefing, claim) if claim is not None else ""


def asserter_name(asserter: Asserter) -> str:
    """'Kyiv Ledger (own reporting)', 'General Staff (ukraine)', or a bare name."""
    if asserter.is_outlet_voice:
        return f"{asserter.name} (own reporting)"
    side = asserter.side
    if not side or side.lower() in asserter.name.lower() or asserter.name.lower() in side.lower():
        return asserter.name  # "IGF (IGF)" says nothing more than "IGF"
    return f"{asserter.name} ({side})"


def asserters_phrase(asserters: Iterable[Asserter], limit: int = 3) -> str:
    names = list(dict.fromkeys(asserter_name(a) for a in asserters))
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return join_names(names)


def join_names(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def outlet_of_article(briefing: Briefing) -> dict[str, str]:
    return {a.id: a.outlet_name for a in briefing.articles}


def origin_labels(briefing: Briefing) -> dict[str, dict]:
    """origin id -> {"label": "AFP copy" | "own reporting", "outlets": [...], "shared": bool}."""
    outlet_of = outlet_of_article(briefing)
    labels = {}
    for origin in briefing.origins:
        outlets = list(dict.fromkeys(outlet_of.get(a, "?") for a in origin.article_ids))
        shared = len(origin.article_ids) > 1 or origin.kind is not OriginKind.INDEPENDENT
        if origin.kind is OriginKind.WIRE or (shared and origin.agency):
            label = f"{origin.agency} copy" if origin.agency else "shared wire copy"
        elif origin.kind is OriginKind.REWRITE:
            label = "rewrite of one report"
        else:
            label = "shared copy" if shared else "own reporting"
        labels[origin.id] = {"label": label, "outlets": outlets, "shared": shared,
                             "text": f"{label}: {', '.join(outlets)}" if shared else outlets[0]}
    return labels


def citations(briefing: Briefing, group: ClaimGroup, claims: dict[str, Claim], *, limit: int = 4) -> dict:
    """One citation per outlet carrying the group (its verbatim sentence), wire copies last;
    ``more`` counts the outlets left out."""
    articles = {a.id: a for a in briefing.articles}
    seen: dict[str, dict] = {}
    for claim_id in group.claim_ids:
        claim = claims.get(claim_id)
        if claim is None:
            continue
        article = articles.get(claim.span.article_id)
        outlet = article.outlet_name if article else claim.outlet
        if outlet in seen:
            continue
        seen[outlet] = {
            "outlet": outlet,
            "text": " ".join(briefing.text(claim.span).split()) if article else "",
            "article_id": claim.span.article_id,
            "article_title": article.title if article else None,
            "start": claim.span.start,
            "end": claim.span.end,
        }
    items = list(seen.values())
    return {"shown": items[:limit], "more": max(0, len(items) - limit)}


def shorten(text: str, limit: int, *, clause: bool = False) -> str:
    """Cut at a word boundary, with an ellipsis when cut; with ``clause``, at the last clause
    break (comma, semicolon, dash) past half the limit, without an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if clause:
        breaks = [text.rfind(mark, limit // 2, limit) for mark in (", ", "; ", " – ", " — ")]
        if max(breaks) > 0:
            return text[: max(breaks)]
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def attributed(text: str, speaker: str | None) -> tuple[str | None, str]:
    """Name the speaker once: a readable claim that opens with a filled-in subject
    ("[British] believed …") takes the speaker's name in its place, with no prefix."""
    if speaker and text.startswith("[") and "]" in text[:60]:
        filled = text[1:text.index("]")]
        # a possessive stays one: "[Ukrainian officials’] forces" -> "Ukrainian officials’ forces"
        possessive = filled.endswith(("’s", "'s", "’", "'")) and not speaker.endswith(("’s", "'s", "’", "'"))
        return None, (en.possessive(speaker) if possessive else speaker) + text[text.index("]") + 1:]
    return speaker, text


def is_quoted(group: ClaimGroup, claims: dict[str, Claim]) -> bool:
    """Someone's words rather than a reported fact: a statement group, or a quote."""
    from manysides.model import GroupBasis

    claim = claims.get(group.representative_claim_id)
    return group.basis is GroupBasis.STATEMENT or (claim is not None and claim.quote_id is not None)


def speaker_of(group: ClaimGroup, claims: dict[str, Claim]) -> str | None:
    """The party whose words a quoted group carries, to name before them."""
    if not is_quoted(group, claims):
        return None
    claim = claims.get(group.representative_claim_id)
    if claim is not None and not claim.asserter.is_outlet_voice:
        return claim.asserter.name
    speakers = list(dict.fromkeys(a.name for a in group.asserters if not a.is_outlet_voice))
    return speakers[0] if speakers else None


def plain_detail(detail: str) -> str:
    """The conflict's reason sentence without internal ids a reader cannot use."""
    text = _ID_TOKEN.sub("", detail)
    return " ".join(text.replace(" ,", ",").split()).strip(" ,")
