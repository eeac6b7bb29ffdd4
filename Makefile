# Two commands matter: `make demo` and `make test`. Each bootstraps what it needs on a machine
# with only Python >= 3.11 and make: a pinned uv in .tools/, the virtual environment from
# uv.lock, and the database (migrated on first use).

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: demo test lint typecheck unit bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS) || { echo "python3 -m venv failed: install the venv module (Debian: apt-get install python3-venv)"; exit 1; }
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

demo: $(VENV)/.synced
	$(BIN)/sangkien demo

lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.synced
	$(BIN)/mypy

unit: $(VENV)/.synced
	$(BIN)/pytest

test: lint typecheck unit

bench: $(VENV)/.synced
	$(BIN)/python -m deployments.benchmarks.delivery
	$(BIN)/python -m deployments.benchmarks.mix $(if $(SANGKIEN_BENCH_POSTGRES_URL),--postgres $(SANGKIEN_BENCH_POSTGRES_URL))
	$(BIN)/python -m deployments.benchmarks.cycle
	$(BIN)/python -m deployments.benchmarks.reading
	$(BIN)/python -m deployments.benchmarks.inbox

clean:
	rm -rf $(VENV) $(TOOLS) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
