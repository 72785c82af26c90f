"""Delegation direction and the places it needs, on small hand-made texts (issue 4's blind-batch
failures): regions named with generic words, possessive officials who travel, hosts."""

from __future__ import annotations

from tradeties.classifier.document import Document


def doc(title: str, text: str, lang: str | None = None) -> Document:
    return Document(id="t", title=title, text=text, lang=lang)


def ids(result) -> set[str]:
    return {t.id for t in result.regions if t.role != "mention"}


# -- places ---------------------------------------------------------------------------------------
def test_a_region_named_with_generic_words_is_the_subdivision(classifier):
    r = classifier.classify(doc(
        "Región del Maule winemakers travel to Shanghai fair",
        "A delegation of winemakers from the Región del Maule, led by the Maule Region's governor, visited "
        "Shanghai this week to sign distribution agreements with Chinese importers."))
    assert "CL:Maule" in ids(r)
    assert r.delegation.origin.id == "CL:Maule" and r.delegation.destination.id == "CN:Shanghai"


def test_los_lagos_is_chile_not_the_nigerian_city(classifier):
    r = classifier.classify(doc(
        "Une délégation de Los Lagos en Bretagne",
        "Une délégation de la région chilienne de Los Lagos, conduite par son gouverneur, est en visite en "
        "Bretagne pour signer un accord sur l'aquaculture.", lang="fr"))
    assert "CL:Los Lagos" in ids(r) and not any(i.startswith("NG:") for i in ids(r))
    assert r.delegation.origin.id == "CL:Los Lagos"
