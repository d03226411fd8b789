# Two commands for a fresh machine with Python 3.11+ and make:
#   make serve   build and serve the knowledge base with the starter content
#   make test    run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# A second venv with ProperDocs and without MkDocs: tests/test_engine.py builds the site in it.
PD_VENV  := .venv-properdocs
PD_STAMP := $(PD_VENV)/.installed
# Browser tests drive Debian's Chromium; Playwright never downloads a browser here.
CHROMIUM := /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The Nu Html Checker (npm vnu-jar, tests/test_html_valid.py) runs on Debian's Java; npm
# also brings Lighthouse for the measurements in BENCHMARKS.md (not run by the tests).
JAVA   := $(or $(shell command -v java),/usr/bin/java)
NPM    := $(or $(shell command -v npm),/usr/bin/npm)
NODE_STAMP := node_modules/.installed

.PHONY: serve build test check lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(PD_STAMP): pyproject.toml
	$(PYTHON) -m venv $(PD_VENV)
	$(PD_VENV)/bin/pip install --quiet --upgrade pip
	$(PD_VENV)/bin/pip install --quiet -e . 'properdocs>=1.6,<2'
	$(PD_VENV)/bin/pip uninstall --quiet --yes mkdocs
	touch $(PD_STAMP)

$(CHROMIUM):
	@echo "Chromium ontbreekt. Het wordt nu geïnstalleerd met apt-get (nodig voor de browsertests)."
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(JAVA):
	@echo "Java ontbreekt. Het wordt nu geïnstalleerd met apt-get (nodig voor de HTML-controle)."
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless

$(NPM):
	@echo "npm ontbreekt. Het wordt nu geïnstalleerd met apt-get (nodig voor de HTML-controle)."
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm

# --ignore-scripts: vnu-jar's install script would fetch a Java; Debian's is used.
$(NODE_STAMP): package.json package-lock.json | $(NPM)
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

serve: $(STAMP)
	$(BIN)/kb serve

build: $(STAMP)
	$(BIN)/kb build

check: $(STAMP)
	$(BIN)/kb check

test: $(STAMP) $(PD_STAMP) $(CHROMIUM) $(JAVA) $(NODE_STAMP)
	$(BIN)/ruff check kb_tools tests
	$(BIN)/ruff format --check kb_tools tests
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check kb_tools tests

format: $(STAMP)
	$(BIN)/ruff format kb_tools tests
	$(BIN)/ruff check --fix kb_tools tests

clean:
	rm -rf $(VENV) $(PD_VENV) node_modules site .pytest_cache .ruff_cache .hypothesis
