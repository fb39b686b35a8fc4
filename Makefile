# The two commands of the README. Only python3 (3.10+) and make are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test

# The course multiplies small matrices: BLAS threads cost more than they save there
# (a 3600x16 product took 6-8 ms threaded on a busy 2-core machine, under 0.1 ms in one thread).
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# JupyterLab on 127.0.0.1 only, with its token (open the link it prints).
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# Lint, unit and browser tests, then every notebook under strict nbval.
test: $(STAMP)
	$(BIN)/ruff check nnlite tests benchmarks notebooks
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
		-p no:randomly notebooks
