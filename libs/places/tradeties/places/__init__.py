"""Places: the gazetteer (one id per place, GeoNames-grade data), name matching and resolution.

from tradeties.places import gazetteer, recognise
[(m.place.id, m.place.name, m.start) for m in recognise("Columbus, Ohio")]
"""

from .gazetteer import Gazetteer, gazetteer
from .place import Place
from .resolve import Mention, recognise

__all__ = ["Gazetteer", "Mention", "Place", "gazetteer", "recognise"]
