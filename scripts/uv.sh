#!/usr/bin/env bash
# Run uv: the command on PATH when it works, otherwise the module installed into this directory's Python.
export UV_PYTHON_DOWNLOADS=never
if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then
  exec uv "$@"
fi
exec python3 -m uv "$@"
