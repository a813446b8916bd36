# The one entry point. On a fresh machine `make demo` and `make test` install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint templates golden docs report bench bench-watch clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,cluster]'
	touch $(STAMP)

demo: setup
	$(BIN)/bangfu demo --out output/demo
	$(BIN)/bangfu run --programme output/demo/项目配置_示例.xlsx --inbox output/demo/inbox \
		--period 2024学年 --out output/demo/out

# The analyst's run: make report PROGRAMME=项目配置.xlsx INBOX=inbox/2024秋 PERIOD=2024秋 [OUT=output]
OUT ?= output
report: setup
	@test -n "$(PROGRAMME)" -a -n "$(INBOX)" -a -n "$(PERIOD)" || \
		{ echo "usage: make report PROGRAMME=项目配置.xlsx INBOX=收件箱文件夹 PERIOD=周期代码 [OUT=output]"; exit 2; }
	$(BIN)/bangfu run --programme "$(PROGRAMME)" --inbox "$(INBOX)" --period "$(PERIOD)" --out "$(OUT)"

# The whole suite, then the intake and isolation tests once more with workers spawned, not forked
# (what Windows and macOS analysts get).
test: lint
	$(BIN)/python -m pytest -q
	BANGFU_START_METHOD=spawn $(BIN)/python -m pytest -q tests/test_isolate.py tests/test_intake.py tests/test_safety.py

lint: setup
	$(BIN)/ruff format --check pipeline schemas tests bench
	$(BIN)/ruff check pipeline schemas tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

templates: setup
	$(BIN)/bangfu templates --out input_templates
	$(BIN)/bangfu templates --out input_templates --lang en

docs: setup
	$(BIN)/bangfu docs --out docs

golden: setup
	BANGFU_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

# Speed and memory against the read floor and the naive stack; BENCH_N=10000 for the full goal
BENCH_N ?= 1000
bench: setup
	$(BIN)/python bench/run.py --n $(BENCH_N)

# Seconds from a school's mail to its reply (bangfu watch), with 100 and 1,000 messages waiting
bench-watch: setup
	$(BIN)/python bench/watch.py

clean:
	rm -rf $(VENV) output/demo
