"""The gazetteer now lives in the library tradeties.places; kept here for the classifier's imports."""

from tradeties.places.gazetteer import Country, Gazetteer, gazetteer
from tradeties.places.place import Place

__all__ = ["Country", "Gazetteer", "Place", "gazetteer"]
