# The project's verbs. Each target is a thin line over uv; `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else a private copy installed with pip (no download script piped into a shell).
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
PYTHON ?= python3
RUN := $(UV) run --frozen

.PHONY: help init sync run test lint format typing pytest docs bench update-deps clean docker

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet 'uv>=0.9'

sync: $(UV) ## Install every member and the dev tools from uv.lock (hashes checked)
	$(UV) lock --check
	$(UV) sync --frozen --all-packages --all-extras

init: sync ## Set up a development checkout: sync + pre-commit hooks
	$(RUN) pre-commit install

run: sync ## Run the whole system locally (no Docker) and show it working
	$(RUN) python tools/run_local.py

test: sync lint typing docs pytest ## Install everything, then lint, type-check, build the docs and run every member's tests

lint: sync ## ruff, plus the shipping files: workflows, compose file, Dockerfile
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) actionlint
	$(RUN) check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yaml
	$(RUN) check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(RUN) check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yaml
	$(RUN) hadolint Dockerfile

format: sync ## Apply ruff's fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

# Each member's tests/ is a package named `tests`, so each is checked from its member's directory.
typing: sync ## mypy, strict, with the pydantic plugin: every package, tool and member's tests
	$(RUN) mypy schemas-client/src producer/src consumer-example/src devstack/src tools benchmarks docs/conf.py docs/_ext docker
	status=0; for member in schemas-client producer consumer-example devstack; do (cd $$member && $(RUN) mypy --config-file ../pyproject.toml tests) || status=1; done; exit $$status

pytest: sync ## Every member's tests, on the embedded devstack
	$(RUN) pytest

docs: sync ## Build the documentation offline into docs/_build/html; any warning fails it
	$(RUN) sphinx-build --fail-on-warning --keep-going --fresh-env --quiet --builder html docs docs/_build/html

docker: ## Build the images and run the whole system on real Kafka (needs a Docker engine)
	docker compose up --build --wait

bench: sync ## Throughput and latency benchmarks, printed as tables with ratios to their baselines
	$(RUN) python -m benchmarks

update-deps: $(UV) ## Upgrade every locked dependency to the newest allowed version
	$(UV) lock --upgrade
	$(UV) sync --all-packages --all-extras

clean: ## Remove build outputs, caches and the private uv
	rm -rf .tools .venv dist build .mypy_cache */.mypy_cache .ruff_cache .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
