"""The `corredor` command line: users, tokens, imports, exports and retention, each audited as CLI."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from corredor.audit import context
from corredor.audit.models import AuditEvent
from corredor.registry.models import Person

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    with context.bind(channel=context.Channel.CLI):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_create_user_and_issue_token(monkeypatch):
    monkeypatch.setenv("CORREDOR_PASSWORD", "a-long-password-for-cli")
    assert "Created lucia" in _run("create_user", "lucia", "--organisation", "IOM", "--role", "health_screener")
    output = _run("issue_token", "lucia", "--name", "clinic-sync", "--scope", "person.view")
    raw = output.split(": ", 1)[1].split()[0]
    assert raw.startswith("cor_")
    events = AuditEvent.objects.filter(channel="cli").values_list("action", flat=True)
    assert {"user.created", "role.assigned", "token.issued"} <= set(events)
    with pytest.raises(CommandError):
        _run("create_user", "lucia", "--organisation", "IOM", "--role", "health_screener")
    with pytest.raises(CommandError):
        _run("create_user", "otra", "--organisation", "NOPE", "--role", "health_screener")


def test_import_export_and_retention_commands(tmp_path):
    path = tmp_path / "lista.csv"
    path.write_text("household_id,relationship,given_names,first_surname,nationality\n"
                    "A,self,Marta,Cux,GT\nA,child,Iris,Cux,GT\n", encoding="utf-8")
    result = json.loads(_run("import_people", str(path), "--organisation", "UNHCR"))
    assert result["people_created"] == 2 and result["committed"]
    person = Person.objects.get(given_names="Marta")
    exported = json.loads(_run("export_person", person.reference))
    assert exported["person"]["given_names"] == "Marta" and exported["families"]
    assert "Anonymised 0 people" in _run("retention", "--today", "2026-11-30")
    bad = tmp_path / "mala.csv"
    bad.write_text("given_names\n<x>\n", encoding="utf-8")
    with pytest.raises(CommandError):
        _run("import_people", str(bad), "--organisation", "UNHCR")
