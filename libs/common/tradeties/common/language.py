"""The one language-identification function: py3langid (its model ships in the wheel), restricted to
the languages the crawler meets so short texts are not mistaken for rare ones. Used by the classifier
(for an article whose page declared no language: the crawler does not detect it)."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

LANGUAGES = ["en", "zh", "de", "fr", "es", "it", "ja", "ko", "nl", "pt", "ru", "pl", "sv"]


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(LANGUAGES)
    return ident


def detect(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language (one of ``LANGUAGES``), ``None`` for blank text."""
    sample = text[:3000].strip()
    if not sample:
        return None
    lang, _ = _identifier().classify(sample)
    return str(lang)
