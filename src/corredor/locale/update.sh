#!/usr/bin/env bash
# Regenerate the Spanish catalogue from the sources, compile it, and report its statistics.
# Runnable from any directory:  src/corredor/locale/update.sh
# New msgids arrive untranslated: fill their msgstr in es/LC_MESSAGES/django.po, then run this again
# (the script exits non-zero while anything is untranslated or fuzzy).
set -euo pipefail

LOCALE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PKG_DIR="$(dirname "$LOCALE_DIR")"          # src/corredor
SRC_DIR="$(dirname "$PKG_DIR")"             # src
PROJECT_DIR="$(dirname "$SRC_DIR")"         # project root (holds .venv)
PO="$LOCALE_DIR/es/LC_MESSAGES/django.po"

DJANGO_ADMIN="$PROJECT_DIR/.venv/bin/django-admin"
if [ ! -x "$DJANGO_ADMIN" ]; then
    DJANGO_ADMIN="$(command -v django-admin)" || { echo "django-admin not found" >&2; exit 1; }
fi

export PYTHONPATH="$SRC_DIR${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-corredor.platform.settings.dev}"

cd "$PKG_DIR"
"$DJANGO_ADMIN" makemessages -l es --ignore "core/*" --no-obsolete -e html,py,txt
"$DJANGO_ADMIN" compilemessages -l es

echo "msgfmt --statistics:"
stats="$(msgfmt --check --statistics -o /dev/null "$PO" 2>&1)"
echo "$stats"
case "$stats" in
    *untranslated*|*fuzzy*) echo "Spanish catalogue is incomplete: translate the entries above in $PO" >&2; exit 2 ;;
esac
