#!/usr/bin/env bash
# Make sure uv is present and the locked environment is installed. Never downloads a Python interpreter:
# Python 3.13 must already be on the machine (pyenv on the development machines).
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1 \
    || python3 -m pip install --quiet --disable-pip-version-check --user uv
  export PATH="$HOME/.local/bin:$PATH"
  hash -r
fi
uv sync --frozen --quiet
