"""Role x reception endpoint x scope, generated from the permission table.

Each role is tried twice: working for CBP (which runs the JPC where the family is held) and working for
UNHCR (which does not). Holding the permission is not enough outside the facility's organisation: the
records are invisible there (404, or 422 for a list of ids that names records one cannot see).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from corredor.platform.authz import ROLE_PERMISSIONS, Permission, Role
from corredor.reception import services
from corredor.registry import services as registry_services

from .conftest import members

P = Permission
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(facilities, family_case, org):
    case = family_case()
    custodies = services.custody_admit(actor=None, case=case, persons=members(case), facility=facilities["jpc"],
                                       arrived_at=timezone.now() - dt.timedelta(hours=3))
    return {"custody": custodies[0].pk, "case": case}


def _expected(role: Role, name: str, in_scope: bool) -> int:
    perms = ROLE_PERMISSIONS[role]
    sees = in_scope or P.CASE_VIEW_ANY_ORGANISATION in perms
    if name == "facilities":
        return 200 if perms & {P.CUSTODY_VIEW, P.OCCUPANCY_VIEW, P.FACILITY_BEDS_REPORT} else 403
    if name == "occupancy":
        if P.OCCUPANCY_VIEW in perms:
            return 200
        if perms & {P.CUSTODY_VIEW, P.FACILITY_BEDS_REPORT}:
            return 200 if sees else 404
        return 403
    if name == "orr.referrals":
        return 200 if P.ORR_PLACEMENT_DECIDE in perms else 403
    if P.CUSTODY_VIEW not in perms:
        return 403
    if name in ("board", "custody"):
        return 200 if sees else 404
    if name == "screening":
        if not sees:
            return 404
        return 201 if P.RECEPTION_SCREEN in perms else 403
    if name == "transfer":
        if not sees:
            return 422
        return 200 if P.CUSTODY_MANAGE in perms else 403
    raise AssertionError(name)


CALLS = {
    "facilities": ("get", "/api/reception/facilities", None),
    "board": ("get", "/api/reception/facilities/jpc-test/board", None),
    "occupancy": ("get", "/api/reception/facilities/jpc-test/occupancy", None),
    "custody": ("get", "/api/reception/custody/{custody}", None),
    "screening": ("post", "/api/reception/custody/{custody}/screenings",
                  {"kind": "interpreter", "occurred_at": "{now}", "language": "k'iche'"}),
    "transfer": ("post", "/api/reception/custody/transfer",
                 {"custody_ids": ["{custody}"], "to_facility": "poe-san-ysidro", "departed_at": "{now}"}),
    "orr.referrals": ("get", "/api/reception/orr/referrals", None),
}


def _fill(value, ids):
    if isinstance(value, str):
        for k, v in ids.items():
            if value == "{" + k + "}":
                return v
            value = value.replace("{" + k + "}", str(v))
        return value
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize("in_scope", [True, False], ids=["cbp", "unhcr"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("name", list(CALLS))
def test_role_on_reception_endpoint(role, name, in_scope, world, make_user, login):
    user = make_user(role, "CBP" if in_scope else "UNHCR")
    method, path, body = CALLS[name]
    ids = {"custody": world["custody"], "now": timezone.now().isoformat()}
    client = login(user)
    path = _fill(path, ids)
    if method == "get":
        response = client.get(path)
    else:
        response = client.post(path, data=json.dumps(_fill(body, ids)), content_type="application/json")
    assert response.status_code == _expected(role, name, in_scope), (response.status_code, response.content[:300])
    text = response.content.decode()
    person = members(world["case"])[0]
    if response.status_code == 200 and name in ("facilities", "occupancy", "orr.referrals"):
        assert person.first_surname not in text and person.given_names not in text  # aggregates and lists only


def test_anonymous_gets_401(world, client):
    for method, path, body in CALLS.values():
        path = _fill(path, {"custody": world["custody"], "now": "2026-01-01T00:00:00Z"})
        response = client.get(path) if method == "get" else client.post(
            path, data=json.dumps(_fill(body, {"custody": world["custody"], "now": "2026-01-01T00:00:00Z"})),
            content_type="application/json")
        assert response.status_code == 401, path


def test_pages_follow_the_same_rules(world, make_user, login):
    """The board and the custody page: CBP reception staff see them; UNHCR reception staff get 404."""
    custody = world["custody"]
    inside = login(make_user(Role.RECEPTION_STAFF, "CBP", username="rs-cbp"))
    outside = login(make_user(Role.RECEPTION_STAFF, "UNHCR", username="rs-unhcr"))
    analyst = login(make_user(Role.ANALYST, "UNHCR", username="an"))
    for url in ("/reception/jpc-test/", "/reception/jpc-test/rows/", f"/reception/custody/{custody}/"):
        assert inside.get(url).status_code == 200
        assert outside.get(url).status_code == 404
        assert analyst.get(url).status_code == 403
    assert analyst.get("/reception/jpc-test/occupancy/").status_code == 200
    assert registry_services.case_members(world["case"])[0].first_surname not in analyst.get(
        "/reception/jpc-test/occupancy/").content.decode()
