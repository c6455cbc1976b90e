# Context Connect — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Shared libraries Qt WebEngine needs; installed only when Qt cannot load without them.
QT_DEBIAN_PACKAGES := libnss3 libxkbcommon0 libegl1 libgl1 libfontconfig1 libxcomposite1 \
	libxdamage1 libxrandr2 libxtst6 libasound2 libdbus-1-3 libglib2.0-0 libxkbfile1

.PHONY: setup test run anki package bench lint clean

setup: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(PY) -c "import PyQt6.QtWebEngineWidgets" 2>/dev/null || { \
		echo "Qt needs system libraries; installing: $(QT_DEBIAN_PACKAGES)"; \
		apt-get update -qq && apt-get install -y -qq $(QT_DEBIAN_PACKAGES); }
	touch $@

test: setup
	$(PY) -m pytest -q

run: setup
	@mkdir -p .run
	$(PY) -m addon serve --collection .run/demo.anki2 --folder examples/decks

anki: setup
	$(PY) tools/launch_anki.py

package: setup
	$(PY) tools/package.py

bench: setup
	$(PY) -m tools.bench

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy

clean:
	rm -rf .run dist .pytest_cache .mypy_cache .ruff_cache
