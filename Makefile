# Two commands matter (see README): `make site` and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Every dependency, pinned with the hashes of its files (see `make lock`).
LOCK := requirements.txt
PORT ?= 8000

.DEFAULT_GOAL := check
.PHONY: help setup site test test-fast lint check serve validate goldens bench lock clean

help:  ## list the targets with what they do
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The locked versions first, with their hashes checked, then the project itself without
# resolving anything again: the same commit installs the same files on every machine.
$(VENV)/.installed: pyproject.toml $(LOCK)
	@echo "Installing the pinned dependencies of $(LOCK) into $(VENV) (about a minute the first time)..."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --require-hashes -r $(LOCK)
	$(PY) -m pip install --no-deps --no-build-isolation -e .
	touch $@

setup: $(VENV)/.installed  ## create .venv and install the generator with test tools

site: setup  ## validate, generate and build the site into site/
	$(PY) -m generator build

test: lint  ## lint and type check, then the whole test suite (browser tests need /usr/bin/chromium)
	$(PY) -m pytest

# Everything but Chromium, full MkDocs builds and the few slow tests (see the markers in
# pyproject.toml; tests/conftest.py marks any test using a browser or built-site fixture).
FAST_TESTS := not browser and not build and not slow
test-fast: lint  ## lint, then every test but browser, full-build and slow ones (about 35 s of CPU)
	$(PY) -m pytest -q -m "$(FAST_TESTS)"

# ruff (with the docstring rules) everywhere; mypy --strict on generator/ (pyproject.toml).
lint: setup  ## ruff on generator/, tests/, benchmarks/ and mypy (strict) on generator/
	$(PY) -m ruff check generator tests benchmarks
	$(PY) -m mypy

check: test

validate: setup  ## check every record and the vocabulary
	$(PY) -m generator validate

serve: setup  ## live preview on http://127.0.0.1:8000 (PORT=8001 for another port)
	$(PY) -m generator generate
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve -a 127.0.0.1:$(PORT)

goldens: setup  ## regenerate the golden test outputs after an intended change
	$(PY) -m tests.regen_goldens

bench: setup  ## search benchmark (see docs/maintainers/search.md)
	$(PY) -m benchmarks.search_bench

# Resolves pyproject.toml's ranges into exact versions with every file's hash, from PyPI
# only (a local mirror's hashes would not match what other machines download). The header
# of requirements.txt records the options; UPGRADE=1 takes the newest releases the ranges
# allow, otherwise the pins already in the file are kept where they still fit.
PIP_TOOLS := pip-tools==7.6.2
lock:  ## re-resolve requirements.txt from pyproject.toml (UPGRADE=1 for new releases)
	$(PYTHON) -m venv .lock-tools
	.lock-tools/bin/python -m pip install --quiet '$(PIP_TOOLS)'
	env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	    PIP_CONFIG_FILE=/dev/null .lock-tools/bin/pip-compile --quiet $(if $(UPGRADE),--upgrade) \
	    --all-build-deps --allow-unsafe --extra=test --generate-hashes --no-emit-find-links \
	    --no-emit-index-url --output-file=$(LOCK) --strip-extras pyproject.toml

clean:  ## remove what the generator and the tests made (site/, the generated pages)
	rm -rf site docs/papers docs/tags docs/months docs/search docs/assets/javascripts docs/feeds docs/api \
	    docs/index.md docs/contributing.md docs/stats.md docs/robots.txt .pytest_cache
	rm -f .cache/related-features.json.gz && rmdir .cache 2>/dev/null || true
