# Context Connect — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Shared libraries Qt WebEngine needs; installed only when Qt cannot load without them.
QT_DEBIAN_PACKAGES := libnss3 libxkbcommon0 libegl1 libgl1 libfontconfig1 libxcomposite1 \
	libxdamage1 libxrandr2 libxtst6 libasound2 libdbus-1-3 libglib2.0-0 libxkbfile1

# `make test-anki ANKI=24.06.3`: the whole suite on an older Anki of anki-versions/, on
# Python 3.9 as its packaged build runs add-ons; `make test-oldest` is the oldest of
# them. A pyenv shim finds 3.9 through PYENV_VERSION.
ANKI ?= 23.10
OLDEST_ANKI := 23.10
PYTHON39 ?= python3.9
PY39 := PYENV_VERSION=$${PYENV_VERSION:-3.9} $(PYTHON39)
ANKI_VENV := .venv-anki-$(ANKI)
ANKI_PY := $(ANKI_VENV)/bin/python
PIP_INSTALL := -m pip install --quiet --disable-pip-version-check

.PHONY: setup test test-anki test-oldest run anki package bench lint clean

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

$(ANKI_VENV)/.installed: anki-versions/$(ANKI).txt requirements-py39.txt requirements.txt
	@$(PY39) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 9))' 2>/dev/null || { \
		echo "make test-anki needs Python 3.9, and '$(PYTHON39)' is not it:" \
			"install Python 3.9 or pass PYTHON39=/path/to/python3.9" >&2; exit 1; }
	rm -rf $(ANKI_VENV)
	$(PY39) -m venv $(ANKI_VENV)
	$(ANKI_PY) $(PIP_INSTALL) -r anki-versions/$(ANKI).txt
	@# mistune's release says Python 3.10; the .ankiaddon ships it rewritten for 3.9.
	$(ANKI_PY) $(PIP_INSTALL) --no-deps --ignore-requires-python $$(grep '^mistune==' requirements.txt)
	$(ANKI_PY) tools/package.py --rewrite-installed
	$(call qt_libraries,$(ANKI_PY))
	touch $@

test-anki: $(ANKI_VENV)/.installed
	$(ANKI_PY) -m pytest -q

test-oldest:
	$(MAKE) test-anki ANKI=$(OLDEST_ANKI)

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
	rm -rf .run dist .pytest_cache .mypy_cache .ruff_cache .venv-anki-*
