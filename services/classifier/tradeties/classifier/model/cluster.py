"""Event cluster ids: the same real-world event reported by different outlets gets one id.

The id is ``<key>-<bucket>``. ``key`` hashes the parties (each reduced to its top sub-national
ancestor, so "Shenyang officials" and "a Liaoning delegation" agree) and the kind of event
(delegation vs the primary event type). ``bucket`` is the published date's 30-day period
counted from 2000-01-01 — reports within days of each other share it except across a bucket
boundary; a stateful consumer that must never split an event (alerts) can also compare
``cluster_key`` (the part before the dash) with a date window of its own.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from tradeties.places import Gazetteer, Place

BUCKET_DAYS = 30
_EPOCH = date(2000, 1, 1)


def top_region(gaz: Gazetteer, place: Place) -> Place:
    """The party an event is keyed on: the first province/state or partnership above (or at) the
    place, else the registry region it (or its nearest parent) belongs to (Manchester → Greater
    Manchester, Trafford Park → Trafford → Greater Manchester)."""
    chain = [place, *gaz.ancestors(place)]
    subnational = [p for p in chain if p.level != "country" and p.prior >= 0.5]
    for p in subnational:
        if p.level in ("province-or-state", "regional-partnership"):
            return p
    groups = next(([g for g in map(gaz.get, gaz.member_of[p.id]) if g is not None] for p in chain if p.id in gaz.member_of), [])
    if groups:
        return min(groups, key=lambda g: g.level != "province-or-state")
    return subnational[-1] if subnational else place


def cluster_key(parties: list[str], kind: str | None) -> str:
    # keyed on the parties' "CC:Name" (what schema version 1 used as ids): an event reported
    # before and after the move to place ids stays one cluster, so one alert
    from tradeties.places import gazetteer

    gaz = gazetteer()
    names = {f"{p.country}:{p.name}" if (p := gaz.get(x)) is not None else x for x in parties}
    raw = "|".join(sorted(names)) + "#" + (kind or "none")
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def bucket(published: date | datetime | None) -> str:
    if published is None:
        return "nd"
    d = published.date() if isinstance(published, datetime) else published
    return f"{(d - _EPOCH).days // BUCKET_DAYS:04d}"


def cluster_id(parties: list[str], kind: str | None, published: date | datetime | None, fallback: str) -> str:
    if not parties:
        return "u-" + hashlib.sha256(fallback.encode()).hexdigest()[:12]
    return f"{cluster_key(parties, kind)}-{bucket(published)}"
