"""Text plumbing now lives in tradeties.places.text (shared by the gazetteer and the lexicons)."""

from tradeties.places.text import Hit, Matcher, Sentence, fold, fold_aligned, is_cjk, sentence_at, split_sentences

__all__ = ["Hit", "Matcher", "Sentence", "fold", "fold_aligned", "is_cjk", "sentence_at", "split_sentences"]
