from pathlib import Path

from corredor.platform.authz import ROLE_PERMISSIONS, Permission, Role, render_matrix_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_permissions_doc_matches_the_code():
    text = (DOCS / "permissions.md").read_text(encoding="utf-8")
    assert render_matrix_markdown() in text, "run `corredor render_permissions`"


def test_every_role_has_a_row_and_every_permission_is_held_by_someone():
    assert set(ROLE_PERMISSIONS) == set(Role)
    held = set().union(*ROLE_PERMISSIONS.values())
    assert held == set(Permission)


def test_architecture_doc_names_every_app():
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    src = Path(__file__).resolve().parents[2] / "src" / "corredor"
    for app in (p.name for p in src.iterdir() if (p / "apps.py").exists()):
        assert f"{app}/" in text, app


def test_api_docs_page_uses_local_assets_only(client):
    html = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in html and "cdn." not in html and "https://" not in html
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Corredor API" and "/api/people" in schema["paths"]
