# nianbao: `make demo` crawls the bundled replica portals into ./demo-store; `make test` runs the tests;
# `make bench` prints the benchmark figures. All three create and use .venv/ at the repo root, installed with
# the pinned versions of constraints.txt, and first install the Debian packages of .ci/debian-packages where
# they are missing and root can (`make system-packages`; elsewhere they are named, and `make demo` skips the
# replica sites that need them: `nianbao doctor` lists them).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: demo test bench clean system-packages constraints

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 'nianbao needs Python 3.11+ (wacz 0.6 does): make PYTHON=python3.11 ...')"
	$(PYTHON) -m venv $(VENV)
	$(PIP) -c constraints.txt -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(BIN)/python -c "import scrapy, crawler.cli"
	touch $(STAMP)

system-packages:
	@.ci/system-packages

demo: system-packages $(STAMP)
	$(BIN)/python -m crawler.ops.demo --store demo-store

# pytest exits 5 when it collects no tests: not a failure of the suite.
test: system-packages $(STAMP)
	$(BIN)/pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then exit 0; else exit $$rc; fi

bench: system-packages $(STAMP)
	$(BIN)/python -m bench

# Re-pin after changing pyproject.toml's dependencies (the versions .venv resolved, under constraints.txt's header).
constraints: $(STAMP)
	{ sed -n '/^#/p' constraints.txt; $(BIN)/pip freeze --exclude-editable --disable-pip-version-check; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf demo-store .pytest_cache
