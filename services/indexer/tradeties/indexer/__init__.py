"""Indexer service: ClassifiedArticles and alerts → Elasticsearch; search and export."""
