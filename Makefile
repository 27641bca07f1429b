# Corredor: the two Quick start commands, and the gates CI runs.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export PATH := $(HOME)/.local/bin:$(PATH)
UV := scripts/uv.sh
RUN := $(UV) run --frozen

.PHONY: demo test test-postgres gates bootstrap

bootstrap:
	@scripts/bootstrap.sh

## Start the application on SQLite with reference and demo data (prints the URL and the demo logins).
demo: bootstrap
	$(RUN) corredor demo

## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
test: bootstrap
	@scripts/ensure-chromium.sh
	$(RUN) pytest -q -p no:cacheprovider

gates: bootstrap
	$(RUN) ruff check src tests benchmarks
	$(RUN) mypy
	$(RUN) lint-imports
	DJANGO_SETTINGS_MODULE=corredor.platform.settings.test $(RUN) corredor makemigrations --check --dry-run
	$(UV) lock --check
