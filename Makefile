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
# The lock files (pip-compile --generate-hashes, README "For developers"): the venvs hold exactly
# what they pin, so a build is reproducible from a commit. `make lock` regenerates them.
LOCK      := requirements.txt
TEST_LOCK := requirements-test.txt
PD_LOCK   := requirements-properdocs.txt
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.6.2
# pip-compile resolves markers for the Python it runs on: the same minor version as CI.
LOCK_PYTHON := 3.11
LOCK_ARGS ?=
COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--build-deps-for=editable --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
# Browser tests drive Debian's Chromium; Playwright never downloads a browser here.
CHROMIUM := /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The Nu Html Checker (npm vnu-jar, tests/test_html_valid.py) runs on Debian's Java; npm
# also brings Lighthouse for the measurements in BENCHMARKS.md (not run by the tests).
JAVA   := $(or $(shell command -v java),/usr/bin/java)
NPM    := $(or $(shell command -v npm),/usr/bin/npm)
NODE_STAMP := node_modules/.installed

.PHONY: serve build test check lint format lock clean

# A fresh venv (--clear: nothing left from an older lock), every file of the lock hash-checked
# and without a resolver, then the project itself without dependencies; setuptools, its build
# backend, is in the lock, so no build environment is fetched. pip stays the one the venv
# comes with (no unpinned upgrade): with every file pinned by hash it chooses nothing.
define install-locked
	$(PYTHON) -m venv --clear $(1)
	$(1)/bin/python -m pip install --quiet --require-hashes --no-deps -r $(2)
	$(1)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
endef

$(STAMP): pyproject.toml $(TEST_LOCK)
	$(call install-locked,$(VENV),$(TEST_LOCK))
	$(BIN)/python -m pip check
	touch $(STAMP)

# The ProperDocs lock leaves out MkDocs and what only MkDocs needs (see its header); pip check
# would name MkDocs as missing for mkdocs-material, which is the point of this venv.
$(PD_STAMP): pyproject.toml $(PD_LOCK)
	$(call install-locked,$(PD_VENV),$(PD_LOCK))
	touch $(PD_STAMP)

$(LOCK_VENV)/.installed:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet '$(PIP_TOOLS)'
	touch $@

# Regenerate the lock files from pyproject.toml: the test lock first, the other two constrained
# to it, so every package has one version in all three. Keeps current pins where pyproject.toml
# allows them; `make lock LOCK_ARGS=--upgrade` takes the newest, `LOCK_ARGS='--upgrade-package X'`
# one package.
lock: $(LOCK_VENV)/.installed
	@$(LOCK_VENV)/bin/python -c 'import sys; v = "%d.%d" % sys.version_info[:2]; \
	sys.exit(v != "$(LOCK_PYTHON)" and f"make lock: de lock-bestanden worden gemaakt met Python $(LOCK_PYTHON) (zoals in CI), niet {v}. Gebruik: make lock PYTHON=python$(LOCK_PYTHON) (en verwijder eerst $(LOCK_VENV)/).")'
	$(COMPILE) --allow-unsafe --extra=test --output-file=$(TEST_LOCK) pyproject.toml
	$(COMPILE) --allow-unsafe --constraint=$(TEST_LOCK) --output-file=$(LOCK) pyproject.toml
	$(COMPILE) --unsafe-package=mkdocs --unsafe-package=mkdocs-get-deps --unsafe-package=mergedeep \
		--extra=properdocs --constraint=$(TEST_LOCK) --output-file=$(PD_LOCK) pyproject.toml

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
	$(BIN)/kb bekijk

build: $(STAMP)
	$(BIN)/kb bouw

check: $(STAMP)
	$(BIN)/kb controleer

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
	rm -rf $(VENV) $(PD_VENV) $(LOCK_VENV) node_modules site .pytest_cache .ruff_cache .hypothesis
