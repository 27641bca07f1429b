from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .selectors import user_grants

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    organisation: str | None
    roles: list[str]
    permissions: list[str]


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    grants = user_grants(user=user)
    return {"username": user.username, "organisation": user.organisation.code if user.organisation else None,
            "roles": sorted(r.value for r in grants.roles), "permissions": sorted(p.value for p in grants.permissions)}
