# The two commands of the README. Only python3 (3.10+) and make are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The lab's own settings (not the user's ~/.jupyter): JupyterLab and Notebook 7 read them as defaults.
OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: lab test

# The course multiplies small matrices: BLAS threads cost more than they save there
# (a 3600x16 product took 6-8 ms threaded on a busy 2-core machine, under 0.1 ms in one thread).
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

# The package with its front ends (`lab` extra) and what the tests drive (`test` extra).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test]"
	touch $(STAMP)

# No "get notified about official Jupyter news?" toast over the figures, and no update check:
# the course runs offline.
$(OVERRIDES): $(STAMP)
	mkdir -p $(dir $@)
	printf '%s\n' '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $@

# JupyterLab on 127.0.0.1 only, with its token (open the link it prints).
lab: $(STAMP) $(OVERRIDES)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks --LabApp.news_url=None \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# Lint, unit and browser tests, then every notebook under strict nbval (no stderr output either).
# Two workers: one test file (nbval: one notebook) per worker, so each notebook's cells stay in order.
test: $(STAMP) $(OVERRIDES)
	$(BIN)/ruff check nnlite tests benchmarks notebooks apps .ci
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=30 tests
	PYTHONPATH=.ci $(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder \
		-p nbval_slowest_first -p nbval_no_stderr --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:randomly notebooks
