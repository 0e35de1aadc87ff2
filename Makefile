# careers-chat: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --quiet --disable-pip-version-check
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install install-dev run serve ingest test test-fast lint format chromium axe cjk-fonts browser-tools services bench eval lock clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# Runtime dependencies only (what `make run` needs), pinned by requirements/runtime.lock.
$(RUNTIME): requirements/runtime.lock pyproject.toml | $(VENV)/bin/python
	$(PIP) install -r requirements/runtime.lock
	$(PIP) install --no-deps -e .
	touch $@

# Test, lint and benchmark tools on top, pinned by requirements/dev.lock.
$(DEV): requirements/dev.lock $(RUNTIME)
	$(PIP) install -r requirements/dev.lock
	touch $@

install: $(RUNTIME)

install-dev: $(DEV)

ingest: install
	$(PY) -m bot ingest

run: install
	$(PY) -m bot ingest --if-stale
	$(PY) app.py

serve: run

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; }

# axe-core from the npm registry for the accessibility tests, installed next to the virtualenv
# (tests/browser/audit.py finds it under sys.prefix); npm comes from Debian when it is missing.
AXE_VERSION := 4.14.1
AXE_STAMP := $(VENV)/node/.axe-core-$(AXE_VERSION)

$(AXE_STAMP):
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nodejs npm; }
	npm install --prefix $(VENV)/node --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)
	touch $@

axe: $(AXE_STAMP)

# Chinese glyphs for the browser tests' screenshots (Debian's Chromium brings no CJK font).
cjk-fonts:
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-wqy-microhei; }

browser-tools: chromium axe cjk-fonts

# Service tests start their own PostgreSQL and Redis servers from Debian's packages; install them when missing.
services:
	@{ ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql redis-server; }

lint: install-dev
	$(VENV)/bin/ruff check bot tests bench app.py
	$(VENV)/bin/ruff format --check bot tests bench app.py
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff check --fix bot tests bench app.py
	$(VENV)/bin/ruff format bot tests bench app.py

# Tests run on one worker per core (pytest-xdist); tests/conftest.py keeps each module, the browser tests
# and the modules sharing a server on one worker. TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

# The in-process tier: fake embeddings, a scripted chat model, TestClient.
test-fast: install-dev
	$(PYTEST) -m "not slow and not browser and not services"

# Everything: lint, the fast tier, and the real-part tier (real model, processes, services, browser).
test: install-dev browser-tools services lint
	$(PYTEST)

eval: install
	$(PY) -m bot eval --sets tests/evals/sets.yaml --report-only

bench: install-dev
	$(PY) -m bench

# Re-pin the lock files after changing pyproject.toml (needs network access to the package index).
lock: install-dev
	$(PIP) install pip-tools
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/runtime.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra test --extra bench --extra train \
	  -c requirements/runtime.lock -o requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache build *.egg-info
