#!/usr/bin/env bash
# Make sure uv is present and the locked environment is installed. Never downloads a Python interpreter:
# Python 3.13 must already be on the machine (pyenv on the development machines; .python-version says 3.13).
# Prints nothing on success. scripts/uv.sh runs uv however it was installed.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
if ! scripts/uv.sh --version >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1 \
    || python3 -m pip install --quiet --disable-pip-version-check --user uv
  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
scripts/uv.sh sync --frozen --quiet
