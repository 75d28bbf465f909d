# CTIP: `make demo` runs the application with demo data; `make test` runs the whole suite.
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
CTIP := $(VENV)/bin/ctip
PIP := $(VENV)/bin/pip install -q --disable-pip-version-check -c constraints.txt

.PHONY: demo serve test check lint messages lock clean fonts

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	$(PIP) --no-deps clkhash==0.18.3
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) -e '.[test]'
	touch $@

# The annual report's Chinese font (16 MB, OFL), from a pinned wheel, checked by SHA-256
FONTS := var/fonts/NotoSansCJKsc-Regular.otf
$(FONTS): | $(VENV)/.installed
	$(VENV)/bin/python -m ctip.reports.fonts $@

fonts: $(FONTS)

var/keys.json: | $(VENV)/.installed
	$(CTIP) create_keyfile $@

## demo: install, migrate, load reference and demo data, then serve with a task worker
demo: $(VENV)/.installed var/keys.json $(FONTS)
	$(CTIP) migrate --noinput -v0
	$(CTIP) load_reference_data
	$(CTIP) demo_data --seed 1
	$(CTIP) collectstatic --noinput -v0
	$(MAKE) --no-print-directory serve

serve:
	@$(CTIP) demo_accounts --url http://127.0.0.1:$(PORT)/
	@rm -rf var/metrics && mkdir -p var/metrics
	@trap 'kill 0' INT TERM EXIT; \
	$(CTIP) worker & \
	PROMETHEUS_MULTIPROC_DIR=var/metrics CTIP_BIND=127.0.0.1:$(PORT) \
	  $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py ctip.wsgi
# Each request is logged once by CTIP (deploy/gunicorn.conf.py), without its query string.

## test: the whole suite (unit, API, permission matrix, browser journeys), one process per core
test: $(VENV)/.installed-test $(FONTS)
	$(VENV)/bin/pytest -n auto

## check: the cheap gates CI runs beside the tests
check: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy ctip
	$(CTIP) makemigrations --check --dry-run
	$(CTIP) check_translations

## messages: refresh and compile the translation catalogues (needs GNU gettext)
messages: $(VENV)/.installed
	cd ctip && ../$(CTIP) makemessages -l en -l zh_Hans -l ar -l fr -l es -l ru --no-obsolete --no-location
	cd ctip && ../$(CTIP) compilemessages

## lock: rewrite constraints.txt from a fresh resolution of pyproject.toml
lock:
	rm -rf /tmp/ctip-lock && $(PYTHON) -m venv /tmp/ctip-lock
	/tmp/ctip-lock/bin/pip install -q -e '.[test]'
	/tmp/ctip-lock/bin/pip install -q --no-deps clkhash==0.18.3
	/tmp/ctip-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) var
