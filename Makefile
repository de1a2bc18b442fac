# sangtao: `make run` starts the system with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app

.PHONY: run test lint format seed translations bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

translations: $(VENV)/.installed
	$(BIN)/python -m babel.messages.frontend compile --statistics -d translations 2>&1 | grep -v '^$$' || true

run: $(VENV)/.installed translations
	FLASK_CONFIG=$${FLASK_CONFIG:-development} $(BIN)/flask db upgrade
	FLASK_CONFIG=$${FLASK_CONFIG:-development} $(BIN)/flask seed-demo --if-empty
	@FLASK_CONFIG=$${FLASK_CONFIG:-development} $(BIN)/flask demo-logins
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C stops)"
	FLASK_CONFIG=$${FLASK_CONFIG:-development} $(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

seed: $(VENV)/.installed
	FLASK_CONFIG=$${FLASK_CONFIG:-development} $(BIN)/flask seed-demo

# The national-scale benchmark (issue 10): generate the data set and measure, on SQLite then PostgreSQL. Not part of
# `make test`. BENCH_SCALE=0.01 for a quick run; BENCH_PG names the PostgreSQL server's URL (database sangtao_bench);
# BENCH_ROUNDS: the ceilings then the application this many times, each ratio reported from its median round.
BENCH_SCALE ?= 1
BENCH_ROUNDS ?= 3
BENCH_PG ?= postgresql+psycopg://postgres@127.0.0.1:5432/sangtao_bench
bench: $(VENV)/.installed
	$(BIN)/python -m bench.national all --scale $(BENCH_SCALE) --rounds $(BENCH_ROUNDS) \
		--database sqlite:///bench/results/national.sqlite3
	$(BIN)/python -m bench.national all --scale $(BENCH_SCALE) --rounds $(BENCH_ROUNDS) --database $(BENCH_PG)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
