"""Local Kafka (KRaft) and Elasticsearch started from Maven Central artifacts."""
