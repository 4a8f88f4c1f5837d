# One task runner: `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARTICLES ?= data/articles
PROCESSED ?= data/processed
REPORTS ?= reports
# e.g. BENCH_ARGS="--also-python /usr/bin/python3.11": the throughput timed on another build too
BENCH_ARGS ?=

.PHONY: help setup demo test test-slow bench score docs clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install the toolkit with its dependencies

demo: setup ## parse data/articles, build data/processed, execute notebooks into reports/
	$(BIN)/toolkit demo --articles $(ARTICLES) --out $(PROCESSED) --reports $(REPORTS)

test: setup ## run the quick test suite (pytest + nbval); CI runs this
	$(BIN)/python -m pytest tests notebooks --nbval-lax --sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

test-slow: setup ## benchmarks, Dask cluster and browser checks (marker: slow)
	$(BIN)/python -m pytest tests -m slow -p no:cacheprovider

bench: setup ## benchmarks (about 10 min): throughput, workers, incremental, memory, notebooks -> benchmarks/RESULTS.md
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

score: setup ## score the extractor on the shared dev set
	rm -rf build/dev-facts
	$(BIN)/toolkit facts ../shared/eval/dev/articles -o build/dev-facts
	$(BIN)/python ../shared/eval/score.py build/dev-facts ../shared/eval/dev/gold

docs: setup ## refresh the README's schema section from toolkit.schema
	$(BIN)/python -c "from toolkit.schema import render_readme; render_readme('README.md')"

clean: ## remove derived data (data/processed, reports, build)
	rm -rf $(PROCESSED) $(REPORTS) build
