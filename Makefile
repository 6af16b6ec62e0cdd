# nianbao: `make demo` crawls the bundled replica portals into ./demo-store; `make test` runs the tests;
# `make bench` prints the benchmark figures. All three create and use .venv/ at the repo root.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(BIN)/python -c "import scrapy, crawler.cli"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m crawler.ops.demo --store demo-store

# pytest exits 5 when it collects no tests: not a failure of the suite.
test: $(STAMP)
	$(BIN)/pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then exit 0; else exit $$rc; fi

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf demo-store .pytest_cache
