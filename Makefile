# Pizhu: `make serve` to read the site locally, `make test` before committing.
# A fresh machine needs only python3.11 and make (plus Chromium for the browser test).

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements-installed
HOST   ?= 127.0.0.1:8000
BUNDLE ?= dist/pizhu-site.zip

# Material prints a banner about MkDocs 2.0 on every run; silence it (do not patch packages).
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve site bundle bench docs test lint format clean

help:
	@echo "make serve   build and serve the site on http://$(HOST) (reloads on change)"
	@echo "make site    build the static site into site/ (strict)"
	@echo "make bundle  build the site and pack it into $(BUNDLE) (opens from disk, offline)"
	@echo "make bench   speed and memory against targets on a synthetic corpus (N=100)"
	@echo "make docs    only generate docs/ pages from sources/"
	@echo "make test    lint + all tests (including a real build and a browser check)"
	@echo "make lint    ruff check + ruff format --check"
	@echo "make format  ruff format + ruff check --fix"
	@echo "make clean   remove generated pages, site/ and caches (keeps .venv)"

# (Re)create the virtualenv when it is missing or older than requirements.txt.
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

serve: $(STAMP)
	$(PY) -m mkdocs serve --dev-addr $(HOST)

site: $(STAMP)
	$(PY) -m mkdocs build --strict

# The zip readers get: the strict build plus 使用说明.txt, deterministic (scripts/bundle.py).
bench: $(STAMP)
	$(PY) scripts/bench.py -n 100 --terms 2000

bundle: site
	$(PY) scripts/bundle.py site $(BUNDLE)

docs: $(STAMP)
	$(PY) scripts/build.py build

lint: $(STAMP)
	$(PY) -m ruff check scripts tests
	$(PY) -m ruff format --check scripts tests

format: $(STAMP)
	$(PY) -m ruff format scripts tests
	$(PY) -m ruff check --fix scripts tests

test: lint
	$(PY) -m pytest

clean:
	rm -rf site dist docs/speeches docs/glossary docs/index.md docs/concepts.md \
		docs/assets/generated tests/.artifacts .pytest_cache .ruff_cache
	find scripts tests -name __pycache__ -type d -prune -exec rm -rf {} +
