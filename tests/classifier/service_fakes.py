"""A deterministic stand-in for the real model, for service tests (the model is tested elsewhere).

Titles drive it: ``DELEGATION <cluster>: ...`` is a relevant delegation visit of event
``<cluster>``; ``CRASH ...`` makes classify raise; ``SLOW ...`` takes 20 ms (a batch that is still
under way when a test kills the worker); anything else is not relevant.
"""

from __future__ import annotations

import time

from tradeties.classifier.model.document import Document
from tradeties.common.events import Classification, Delegation, Label, RegionTag
from tradeties.common.settings import ClassifierSettings

LIAONING = RegionTag(
    id="CN-LN",
    name="Liaoning",
    country="CN",
    iso3166_2="CN-LN",
    admin_level="province-or-state",
    role="origin",
    confidence=0.9,
    evidence="Liaoning",
)
BIRMINGHAM = RegionTag(
    id="gn:2655603",
    name="Birmingham",
    country="GB",
    admin_level="city",
    role="destination",
    confidence=0.9,
    evidence="Birmingham",
)


class TitleClassifier:
    def __init__(self, settings: ClassifierSettings | None = None) -> None:
        self.settings = settings

    def classify(self, doc: Document) -> Classification:
        if doc.title.startswith("SLOW"):
            time.sleep(0.02)
        if doc.title.startswith("CRASH"):
            raise RuntimeError("model exploded on purpose")
        if doc.title.startswith("DELEGATION "):
            cluster = doc.title.split()[1].rstrip(":")
            return Classification(
                relevant=True,
                relevance=0.95,
                regions=[LIAONING, BIRMINGHAM],
                countries=["CN", "GB"],
                event_types=[Label(id="delegation_visit", confidence=0.9, evidence=doc.title)],
                primary_event_type="delegation_visit",
                delegation=Delegation(origin=LIAONING, destination=BIRMINGHAM),
                language="en",
                cluster_id=cluster,
                model_version="test-title-1",
            )
        return Classification(
            relevant=False, relevance=0.05, language="en", cluster_id=f"solo-{doc.id}", model_version="test-title-1"
        )
