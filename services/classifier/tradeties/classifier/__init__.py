"""Classifier service: RawArticle → ClassifiedArticle, and DelegationAlerts."""
