"""Spanish is complete: every marked string of the sources is in the catalogue, translated, not fuzzy."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "corredor"
PO = SRC / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        assert "#, fuzzy" not in block, block
        msgid = "".join(ast.literal_eval(x) for x in re.findall(r'(?:^msgid |^)("(?:[^"\\]|\\.)*")$',
                                                                 block.split("msgstr")[0], re.M))
        msgstr_part = block.split("msgstr", 1)[1] if "msgstr" in block else ""
        msgstr = "".join(ast.literal_eval(x) for x in re.findall(r'("(?:[^"\\]|\\.)*")$', msgstr_part, re.M))
        if msgid:
            entries[msgid] = msgstr
    return entries


def test_every_entry_is_translated():
    catalogue = _catalogue()
    assert len(catalogue) > 300
    assert [k for k, val in catalogue.items() if not val.strip()] == []


def test_every_simple_marked_string_is_in_the_catalogue():
    catalogue = _catalogue()
    missing = set()
    for path in SRC.rglob("*.html"):
        for text in re.findall(r'{% translate "([^"]+)" %}', path.read_text(encoding="utf-8")):
            # the template extractor writes a literal % as %% in the catalogue
            if text not in catalogue and text.replace("%", "%%") not in catalogue:
                missing.add((path.name, text))
    for path in SRC.rglob("*.py"):
        if "/core/" in str(path) or "/migrations/" in str(path):
            continue
        for text in re.findall(r'\b_\("((?:[^"\\]|\\.)+)"\)', path.read_text(encoding="utf-8")):
            text = ast.literal_eval(f'"{text}"')
            if text not in catalogue:
                missing.add((path.name, text))
    assert not missing, f"run src/corredor/locale/update.sh and translate: {sorted(missing)}"


def test_placeholders_survive_translation():
    for msgid, msgstr in _catalogue().items():
        assert sorted(re.findall(r"%\(\w+\)[sd]", msgid)) == sorted(re.findall(r"%\(\w+\)[sd]", msgstr)), msgid
