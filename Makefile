# Two commands matter (see README): `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.DEFAULT_GOAL := check
.PHONY: setup site test lint check serve validate goldens bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed  ## create .venv and install the generator with test tools

site: setup  ## validate, generate and build the site into site/
	$(PY) -m generator build

test: setup  ## lint, then the whole test suite (browser tests need /usr/bin/chromium)
	$(PY) -m ruff check generator tests benchmarks
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check generator tests benchmarks

check: test

validate: setup
	$(PY) -m generator validate

serve: setup  ## live preview on http://127.0.0.1:8000
	$(PY) -m generator generate
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve -a 127.0.0.1:8000

goldens: setup  ## regenerate the golden test outputs after an intended change
	$(PY) -m tests.regen_goldens

bench: setup  ## search benchmark (see docs/maintainers/search.md)
	$(PY) -m benchmarks.search_bench

clean:
	rm -rf site docs/papers docs/tags docs/months docs/index.md docs/contributing.md .pytest_cache
