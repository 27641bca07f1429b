from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from corredor.platform.authz import ROLE_LABELS, Permission


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"perms_corredor": set(), "role_labels": []}
    from corredor.accounts.selectors import user_grants

    grants = user_grants(user=user)
    return {
        "perms_corredor": {p.value for p in grants.permissions},
        "role_labels": [ROLE_LABELS[r] for r in sorted(grants.roles)],
        "P": {p.name: p.value for p in Permission},
    }
