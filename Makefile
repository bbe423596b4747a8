# Two commands: `make demo` and `make test`. Each builds .venv from nothing when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[test,distributed]'
	touch $(STAMP)

# Debian packages the tests drive for real: chromium (the web reader's browser tests),
# and PHP + WordPress (the campaign integration tests). Installed once, when missing.
system-deps:
	@bash scripts/system-deps.sh

# make demo PORT=8081 serves the reader on another port.
demo: $(STAMP)
	$(BIN)/syndic demo $(if $(PORT),--port $(PORT))

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: $(STAMP) system-deps lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/feeds.py
	$(BIN)/python bench/dedupe.py
	$(BIN)/python bench/metadata.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
