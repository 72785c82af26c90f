"""The main job: crawler, classifier and indexer under one supervisor; the bundled demo."""
