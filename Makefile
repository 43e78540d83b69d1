# Two entry points on a fresh machine: `make demo` (serve on the embedded defaults) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[dev,st,llm]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/greenmfg serve --host 127.0.0.1 --port 8000

# Debian chromium (browser end-to-end test) and a small CJK font (readable screenshots); installed once.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; then \
		SUDO=""; if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; fi; \
		$$SUDO apt-get update && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y chromium fonts-wqy-microhei; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
