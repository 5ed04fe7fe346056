# Pizhu: `make serve` to read the site locally, `make test` before committing.
# A fresh machine needs only python3.11 and make (plus Chromium for the browser test).

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
# Two stamps: the site build's requirements (serve, site, bundle) and, on top of them, the
# tests', lint's and the benchmark's. Each is re-made (pip install) when its file changes.
STAMP      := $(VENV)/.requirements-installed
TEST_STAMP := $(VENV)/.requirements-test-installed
PIP        := $(PY) -m pip install --disable-pip-version-check -q
HOST   ?= 127.0.0.1:8000
BUNDLE ?= dist/pizhu-site.zip

# Material prints a banner about MkDocs 2.0 on every run; silence it (do not patch packages).
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve site bundle bench bench-quick docs test lint format clean

help:
	@echo "make serve        build and serve the site on http://$(HOST) (reloads on change)"
	@echo "make site         build the static site into site/ (strict)"
	@echo "make bundle       build the site and pack it into $(BUNDLE) (opens from disk, offline)"
	@echo "make bench        speed and memory against the goals, N=100 and N=1,000 (long)"
	@echo "make bench-quick  the same at N=100 only"
	@echo "make docs         only generate docs/ pages from sources/"
	@echo "make test         lint + all tests (including a real build and a browser check)"
	@echo "make lint         ruff check + ruff format --check"
	@echo "make format       ruff format + ruff check --fix"
	@echo "make clean        remove generated pages, site/ and caches (keeps .venv)"

# (Re)create the virtualenv when it is missing, and install the site build's requirements
# when requirements.txt is newer than the stamp.
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

# Tests, lint and bench: the site's requirements plus requirements-test.txt (which includes
# requirements.txt, so a change to either file re-installs).
$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(PIP) -r requirements-test.txt
	touch $@

# --dirty: after an edit only the pages it changed are rendered again (scripts/pizhu/rebuilds.py).
serve: $(STAMP)
	$(PY) -m mkdocs serve --dirty --dev-addr $(HOST)

site: $(STAMP)
	$(PY) -m mkdocs build --strict

# Goals of issue 9 on a synthetic corpus, bare Material as the baseline; exit 1 on a miss.
bench: $(TEST_STAMP)
	$(PY) scripts/bench_limits.py
	$(PY) scripts/bench.py -n 100 -n 1000

bench-quick: $(TEST_STAMP)
	$(PY) scripts/bench.py -n 100

# The zip readers get: the strict build plus 使用说明.txt, deterministic (scripts/bundle.py).
bundle: site
	$(PY) scripts/bundle.py site $(BUNDLE)

docs: $(STAMP)
	$(PY) scripts/build.py build

lint: $(TEST_STAMP)
	$(PY) -m ruff check scripts tests
	$(PY) -m ruff format --check scripts tests

format: $(TEST_STAMP)
	$(PY) -m ruff format scripts tests
	$(PY) -m ruff check --fix scripts tests

test: lint
	$(PY) -m pytest

clean:
	rm -rf site dist docs/speeches docs/glossary docs/index.md docs/concepts.md docs/key-sentences.md \
		docs/assets/generated tests/.artifacts .cache .pytest_cache .ruff_cache
	find scripts tests -name __pycache__ -type d -prune -exec rm -rf {} +
