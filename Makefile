# Context Connect — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Shared libraries Qt WebEngine needs; installed only when Qt cannot load without them.
QT_DEBIAN_PACKAGES := libnss3 libxkbcommon0 libegl1 libgl1 libfontconfig1 libxcomposite1 \
	libxdamage1 libxrandr2 libxtst6 libasound2 libdbus-1-3 libglib2.0-0 libxkbfile1

# `make test-oldest`: the whole suite on the oldest Anki the add-on supports, on Python
# 3.9 as its packaged build runs add-ons. A pyenv shim finds 3.9 through PYENV_VERSION.
PYTHON39 ?= python3.9
PY39 := PYENV_VERSION=$${PYENV_VERSION:-3.9} $(PYTHON39)
OLDEST := .venv-oldest
OLDEST_PY := $(OLDEST)/bin/python
PIP_INSTALL := -m pip install --quiet --disable-pip-version-check

.PHONY: setup test test-oldest run anki package bench lint clean

setup: $(STAMP)

define qt_libraries
	@$(1) -c "import PyQt6.QtWebEngineWidgets" 2>/dev/null || { \
		echo "Qt needs system libraries; installing: $(QT_DEBIAN_PACKAGES)"; \
		apt-get update -qq && apt-get install -y -qq $(QT_DEBIAN_PACKAGES); }
endef

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) $(PIP_INSTALL) -r requirements.txt
	$(call qt_libraries,$(PY))
	touch $@

test: setup
	$(PY) -m pytest -q

$(OLDEST)/.installed: requirements-oldest.txt requirements.txt
	@$(PY39) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 9))' 2>/dev/null || { \
		echo "make test-oldest needs Python 3.9, and '$(PYTHON39)' is not it:" \
			"install Python 3.9 or pass PYTHON39=/path/to/python3.9" >&2; exit 1; }
	rm -rf $(OLDEST)
	$(PY39) -m venv $(OLDEST)
	$(OLDEST_PY) $(PIP_INSTALL) -r requirements-oldest.txt
	@# mistune's release says Python 3.10; the .ankiaddon ships it rewritten for 3.9.
	$(OLDEST_PY) $(PIP_INSTALL) --no-deps --ignore-requires-python $$(grep '^mistune==' requirements.txt)
	$(OLDEST_PY) tools/package.py --rewrite-installed
	$(call qt_libraries,$(OLDEST_PY))
	touch $@

test-oldest: $(OLDEST)/.installed
	$(OLDEST_PY) -m pytest -q

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
	$(PY) -c "import sys, vermin; sys.exit(vermin.main())" --target=3.9- --no-tips --violations \
		--quiet __init__.py addon tools tests
	$(PY) -m mypy

clean:
	rm -rf .run dist .pytest_cache .mypy_cache .ruff_cache $(OLDEST)
