"""The classification model: feature extractors (places, lexicons, cues) and learned decisions.

from tradeties.classifier.model import Classifier, Document
Classifier().classify(Document(...))
"""

from .classifier import Classifier
from .document import Document

__all__ = ["Classifier", "Document"]
