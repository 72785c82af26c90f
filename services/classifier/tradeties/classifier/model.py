"""The classifier: one pure function from Document to Classification, used by `tradeties classify`
and by the faust agent alike.

PLACEHOLDER on main until the classifier-core work lands: it returns a valid, non-relevant
Classification so the service plumbing can be built and tested against the real interface.
"""

from __future__ import annotations

import hashlib

from tradeties.common.events import Classification
from tradeties.common.settings import ClassifierSettings

from .document import Document

MODEL_VERSION = "placeholder-0"


class Classifier:
    def __init__(self, settings: ClassifierSettings | None = None) -> None:
        self.settings = settings or ClassifierSettings()

    def classify(self, doc: Document) -> Classification:
        cluster = hashlib.sha256(doc.id.encode()).hexdigest()[:16]
        return Classification(relevant=False, relevance=0.0, language=doc.lang, cluster_id=cluster,
                              model_version=MODEL_VERSION)
