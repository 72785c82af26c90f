"""Crawler service: sources → fetch → extract → de-duplicate → RawArticle on Kafka."""
