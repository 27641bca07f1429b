from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from corredor.platform.authz import render_matrix_markdown

HEADER = """# Roles and permissions

Generated from `src/corredor/platform/authz.py` by `corredor render_permissions`; a test fails when this
file and the code disagree. Scope is separate from permission: a permission lets a role act on the cases
its organisation holds or that were shared with it (with consent); only `case.view_any_organisation` crosses
organisations. Analysts see aggregates only, with counts under 5 hidden.

"""


class Command(BaseCommand):
    help = "Write docs/permissions.md from the role -> permission matrix in the code."

    def handle(self, *args: object, **options: object) -> None:
        path = Path(settings.PROJECT_DIR) / "docs" / "permissions.md"
        path.write_text(HEADER + render_matrix_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
