# The one entry point. On a fresh machine `make demo` and `make test` install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint templates golden docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/bangfu demo --out output/demo
	$(BIN)/bangfu check --programme output/demo/项目配置_示例.xlsx --inbox output/demo/inbox \
		--period 2024秋 --out output/demo/out

test: lint
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check pipeline schemas tests
	$(BIN)/lint-imports --no-cache

templates: setup
	$(BIN)/bangfu templates --out input_templates
	$(BIN)/bangfu templates --out input_templates --lang en

docs: setup
	$(BIN)/bangfu docs --out docs

golden: setup
	BANGFU_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

clean:
	rm -rf $(VENV) output/demo
