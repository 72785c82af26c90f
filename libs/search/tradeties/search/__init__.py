"""tradeties.search: index names, the Elasticsearch client and the one query builder of CLI, API and feeds."""
