# jforg — `make help` lists the targets. Every target that needs the
# virtual environment creates it first, so a fresh clone needs only
# `make scan LIB=/path/to/media` or `make test`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := demo
LIB    ?=
WORK   ?=
ARGS   ?=
# jforg exits 1 for "done, but some files failed" (they are listed above the
# prompt): the run itself succeeded, so make should not call it an error.
DONE_WITH_FAILURES := || [ $$? -eq 1 ]

.DEFAULT_GOAL := help
RESULTS := benchmarks/results
.PHONY: help setup system-deps scan run demo test test-slow bench bench-full bench-compare \
	bench-baseline readme lint clean

help: ## show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "jforg needs Python >= 3.11 (found $$($(PYTHON) --version))"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

system-deps: ## install ffmpeg (test and demo media) and chromium (report tests) when missing
	@missing=""; \
	command -v ffmpeg >/dev/null 2>&1 || missing="$$missing ffmpeg"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing$$missing with apt-get"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "missing:$$missing; run 'sudo apt-get install$$missing' (their tests are skipped without them)"; \
	fi

setup: system-deps $(STAMP) ## create .venv and install jforg with its test extras (and ffmpeg)

scan: setup ## scan→…→report LIB=/path (no LIB: the generated demo library)
ifeq ($(strip $(LIB)),)
	@$(MAKE) --no-print-directory demo
else
	$(BIN)/jforg run $(LIB) $(if $(WORK),--work $(WORK)) $(ARGS) $(DONE_WITH_FAILURES)
endif

run: scan ## same as scan

demo: setup ## generate a small demo library (real media via ffmpeg) and scan it, offline
	@if [ ! -d $(DEMO)/library ]; then $(BIN)/python -m benchmarks.libgen $(DEMO)/library --demo; fi
	$(BIN)/jforg run $(DEMO)/library --work $(DEMO)/work --offline $(ARGS) $(DONE_WITH_FAILURES)

lint: $(STAMP) ## ruff, mypy and the import contracts (pyproject's [tool.importlinter])
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: setup lint ## lint, then the whole test suite (without the slow marker)
	$(BIN)/python -m pytest -q tests

test-slow: setup ## the long runs: big trees, crash loops
	$(BIN)/python -m pytest -q -m slow tests

bench: setup ## the benchmarks, one table at the end (~15 min on 2 cores; never in `make test`)
	@mkdir -p $(RESULTS)
	$(BIN)/python -m pytest -q benchmarks -p no:cacheprovider -o addopts='' \
		--benchmark-columns=min,median,max,rounds \
		--benchmark-json=$(RESULTS)/bench-$$(date +%Y%m%d-%H%M%S).json $(ARGS)

bench-full: ## make bench, with enrich under the providers' real rate limits (+10 min)
	@$(MAKE) --no-print-directory bench ARGS="--full-rate $(ARGS)"

bench-compare: setup ## the latest make bench against benchmarks/results/baseline.json
	$(BIN)/python -m benchmarks.compare

bench-baseline: ## make the latest make bench the committed baseline
	@latest=$$(ls $(RESULTS)/bench-*.json 2>/dev/null | tail -1); \
	if [ -z "$$latest" ]; then echo "no make bench results in $(RESULTS)"; exit 2; fi; \
	cp "$$latest" $(RESULTS)/baseline.json && echo "$(RESULTS)/baseline.json <- $$latest"

readme: setup ## regenerate the README's settings reference from configs/default.yaml
	$(BIN)/python -m tests.readme_settings

clean: ## remove the venv, caches and the demo library
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache .benchmarks
