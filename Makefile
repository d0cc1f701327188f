# Two commands on a fresh machine: `make serve` and `make test`.
# Everything else is here for maintainers. Recipes use the project's .venv.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
CHROMIUM ?= /usr/bin/chromium
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Material and the redirects plugin print a notice about MkDocs 2 on every run; make's builds leave
# it out. Its one fact that matters, Material's end of life on 5 May 2027, is in the README (Toolchain).
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: serve site preview install test check validate schema browser bench lock clean

## serve: install, validate, build and serve at http://127.0.0.1:8000 with live reload
serve: $(STAMP)
	$(PY) -m generator validate
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

## preview: serve only the entries named, with the pages around them, rebuilt a second or two after each save
##          make preview SCHEMES='schemes/kent-*.yaml'   (quote patterns; every file is still checked)
preview: $(STAMP)
	@if [ -z "$(SCHEMES)" ]; then \
		echo "Name the entries to preview: make preview SCHEMES='schemes/<slug>.yaml' (or a pattern such as 'schemes/kent-*.yaml')" >&2; \
		exit 2; \
	fi
	RRS_PREVIEW="$(SCHEMES)" $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

## site: install, validate and build the site into site/ (fails on any warning)
site: $(STAMP)
	$(PY) -m generator validate
	$(PY) -m mkdocs build --strict --site-dir site

## test: install everything the tests need (Debian's chromium too) and run every test, on two processes
test: $(STAMP) browser
	CHROMIUM=$(CHROMIUM) $(PY) -m pytest -n 2 --dist loadgroup

## check: the quick loop for local work: validate, lint (ruff), types (mypy), the tests that need no site build
##        and no browser (make test runs everything)
check: $(STAMP)
	$(PY) -m generator validate
	$(PY) -m ruff check generator/
	$(PY) -m mypy
	$(PY) -m pytest -q -n 2 --dist loadgroup -m "not browser and not timing and not site"

## bench: the timing checks (tests marked timing), then time load, generation and the build at 50, 1,000
##        and 5,000 synthetic schemes (BENCH_SIZES=50,1000 to limit)
bench: $(STAMP) browser
	CHROMIUM=$(CHROMIUM) $(PY) -m pytest -m timing -p no:cacheprovider
	CHROMIUM=$(CHROMIUM) $(PY) bench/run.py

## validate: check every scheme file
validate: $(STAMP)
	$(PY) -m generator validate

## schema: write schema/scheme.schema.json, the schema editors read (run after changing a vocabulary)
schema: $(STAMP)
	$(PY) -m generator schema

## install: create .venv with the pinned packages (what every other target does first)
install: $(STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Test tools: from Debian, chromium for the browser tests and LibreOffice for the CSV check; from the npm
# registry, axe-core for the accessibility checks (tests/axe_core.py pins its version and integrity).
browser:
	@if [ ! -x $(CHROMIUM) ] || ! command -v soffice >/dev/null 2>&1; then \
		echo "Installing Debian's chromium and libreoffice-calc-nogui for the tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libreoffice-calc-nogui; \
	fi
	@$(PYTHON) tests/axe_core.py >/dev/null

## lock: re-pin every package from pyproject.toml into requirements.lock
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e '.[test]'
	{ echo "# Every package, pinned. Regenerate with: make lock"; \
	  .lockvenv/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf site .pytest_cache
