"""The rule files: every one valid against the schemas, bad files refused with the file and key named."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from corredor.core.eligibility import Catalogue, CatalogueError, load_catalogue
from corredor.core.eligibility._files import PACKAGE_DIRECTORY

from .conftest import copy_catalogue, edit_yaml

PATHWAY_FILES = sorted((PACKAGE_DIRECTORY / "pathways").glob("*.yaml"))
SCHEMAS = sorted((PACKAGE_DIRECTORY / "schema").glob("*.json"))


def _schema(name: str) -> dict:
    return json.loads((PACKAGE_DIRECTORY / "schema" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schemas_are_valid_json_schemas(path: Path) -> None:
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", PATHWAY_FILES, ids=lambda p: p.name)
def test_every_pathway_file_follows_the_schema(path: Path) -> None:
    Draft202012Validator(_schema("pathway.schema.json")).validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_the_question_bank_follows_its_schema() -> None:
    raw = yaml.safe_load((PACKAGE_DIRECTORY / "questions.yaml").read_text(encoding="utf-8"))
    Draft202012Validator(_schema("questions.schema.json")).validate(raw)


def test_the_catalogue_covers_the_required_pathways(catalogue: Catalogue) -> None:
    assert set(catalogue.pathway_ids) >= {
        "us-asylum-port", "us-usrap", "us-cam", "cr-pta", "us-parole", "us-h2a", "us-h2b", "mx-comar", "mx-tvrh",
        "cr-asylum", "cr-pc", "cr-cet", "ca-refugee-claim", "sv-idp", "hn-idp", "gt-idp"}
    assert [v.id for v in catalogue.versions("us-cam")] == ["us-cam-2014", "us-cam-2016", "us-cam-2021", "us-cam-2023"]
    for version in catalogue.all_versions:
        assert version.data["sources"], version.id
        assert all(c.label["es"] and c.label["en"] for c in version.criteria)


def test_h2b_caps_carry_the_figures_of_the_sources(catalogue: Catalogue) -> None:
    caps = catalogue.version("us-h2b-2014").data["caps"]
    assert {(c.get("fiscal_year"), c["limit"], c.get("out_of")) for c in caps} == {
        (None, 66000, None), (2021, 6000, 22000), (2023, 20000, 64716), (2024, 20000, 64716)}
    set_asides = {c["fiscal_year"]: set(c["countries"]) for c in caps if "fiscal_year" in c}
    assert set_asides[2021] == {"SV", "GT", "HN"}
    assert set_asides[2024] == {"GT", "SV", "HN", "HT", "CO", "EC", "CR"}


def test_adjudicated_criteria_cover_the_discretionary_decisions(catalogue: Catalogue) -> None:
    for version in catalogue.all_versions:
        if version.kind in ("asylum", "parole", "resettlement"):
            assert version.discretionary, version.id
            assert any(c.severity == "adjudicated" for c in version.criteria), version.id


def test_comar_filing_limit_is_a_warning(catalogue: Catalogue) -> None:
    criterion = next(c for c in catalogue.version("mx-comar-2014").criteria if c.id == "filed_within_30_business_days")
    assert criterion.severity == "warning"


def test_status_and_windows(catalogue: Catalogue) -> None:
    cet = catalogue.version("cr-cet-2023")
    assert cet.status_on(date(2024, 2, 29)).state == "open"
    closed = cet.status_on(date(2024, 3, 1))
    assert closed.state == "closed" and "29" in closed.reason["en"] and closed.source
    assert catalogue.version("us-cam-2023").status_on(date(2025, 1, 27)).state == "suspended"
    before = catalogue.version("us-cam-2014").status_on(date(2014, 11, 30))
    assert before.state == "not_in_force" and "2014-12-01" in before.reason["es"]
    assert catalogue.version_for("us-cam", date(2014, 11, 30)) is None
    in_force = catalogue.in_force(date(2025, 6, 1))
    assert "cr-cet-2023" in {v.id for v in in_force}  # closed, but still on the menu (marked closed)
    assert len({v.pathway for v in in_force}) == len(in_force)


def test_fingerprint_and_digests_are_stable(tmp_path: Path, catalogue: Catalogue) -> None:
    assert load_catalogue().fingerprint == catalogue.fingerprint
    root = copy_catalogue(tmp_path)
    edit_yaml(root / "pathways" / "us-h2a-2014.yaml", lambda d: None)  # re-laid out, same content
    relaid = load_catalogue(root)
    assert relaid.fingerprint == catalogue.fingerprint
    edit_yaml(root / "pathways" / "us-h2a-2014.yaml", lambda d: d["how_to_apply"].update(en="Changed."))
    changed = load_catalogue(root)
    assert changed.fingerprint != catalogue.fingerprint
    assert changed.version("us-h2a-2014").digest != catalogue.version("us-h2a-2014").digest
    assert changed.version("us-h2b-2014").digest == catalogue.version("us-h2b-2014").digest


def test_catalogue_as_data_is_plain_json(catalogue: Catalogue) -> None:
    data = json.loads(json.dumps(catalogue.as_data()))
    assert data["fingerprint"] == catalogue.fingerprint
    assert len(data["pathways"]) == len(catalogue.all_versions)
    assert data["questions"][0]["id"] == "age"


# --- bad files ------------------------------------------------------------------------------------------

CAM = "pathways/us-cam-2014.yaml"


def _load_after(tmp_path: Path, file: str, change) -> CatalogueError:  # type: ignore[no-untyped-def]
    root = copy_catalogue(tmp_path)
    edit_yaml(root / file, change)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root)
    return caught.value


def _set_rule(index: int, rule: object):  # type: ignore[no-untyped-def]
    return lambda d: d["criteria"][index].update(rule=rule)


@pytest.mark.parametrize(("change", "key", "says"), [
    (_set_rule(0, {"<": [{"var": "edad"}, 21]}), "criteria[0].rule.<[0].var", "unknown question 'edad'"),
    (_set_rule(0, {"<": [{"var": "age"}, "21"]}), "criteria[0].rule.<[1]", "cannot be compared with a whole number"),
    (_set_rule(1, {"in": [{"var": "nationality"}, ["SV", "XX"]]}), "criteria[1].rule.in[1][1]", "country code"),
    (_set_rule(2, {"==": [{"var": "us_petitioner_status"}, "green_card"]}), "criteria[2].rule.==[1]",
     "allowed answers"),
    (lambda d: d.update(colour="blue"), "colour", "unknown key 'colour'"),
    (lambda d: d["criteria"][1].update(labels=d["criteria"][1]["label"]), "criteria[1].labels", "unknown key"),
    (lambda d: d.update(discretionary="yes"), "discretionary", "must be true or false"),
    (lambda d: d["name"].pop("en"), "name.en", "required key is missing"),
    (lambda d: d.pop("sources"), "sources", "required key is missing"),
    (lambda d: d["criteria"][0].update(severity="advisory"), "criteria[0].severity", "not allowed here"),
    (lambda d: d["criteria"][3].update(rule=True), "criteria[3].rule", "adjudicated criterion has no rule"),
    (lambda d: d["criteria"][0].pop("rule"), "criteria[0].rule", "required key is missing"),
    (lambda d: d["criteria"][1].update(id="unmarried_under_21"), "criteria[1].id", "appears twice"),
    (lambda d: d.update(country="XX"), "country", "not an ISO 3166-1 alpha-2 country code"),
    (lambda d: d.update(effective_from="2014-02-30"), "effective_from", "not a calendar date"),
    (lambda d: d.update(effective_from="1 Dec 2014"), "effective_from", "does not have the expected form"),
    (lambda d: d.update(effective_to="2014-11-01"), "effective_to", "ends before effective_from"),
    (lambda d: d.update(version="2015"), "id", "'<pathway>-<version>'"),
    (lambda d: d["sources"][0].update(url="floridaimmigrantvisas.com"), "sources[0].url", "expected form"),
    (lambda d: d.update(closed_periods=[
        {"from": "2015-01-01", "to": "2015-06-30", "reason": {"es": "a", "en": "a"}, "source": "s"},
        {"from": "2015-06-30", "to": None, "reason": {"es": "b", "en": "b"}, "source": "s"}]),
     "closed_periods", "periods overlap"),
])
def test_bad_pathway_file_names_file_and_key(tmp_path: Path, change, key: str, says: str) -> None:  # type: ignore[no-untyped-def]
    error = _load_after(tmp_path, CAM, change)
    assert error.file == CAM
    assert error.key == key
    assert says in error.message
    assert str(error).startswith(f"{CAM}: {key}: ")


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    error = _load_after(tmp_path, "pathways/us-cam-2016.yaml", lambda d: d.update(effective_from="2016-11-14"))
    assert (error.file, error.key) == ("pathways/us-cam-2016.yaml", "effective_from")
    assert "overlaps us-cam-2014" in error.message


def test_file_must_be_named_after_its_id(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    (root / "pathways" / "us-cam-2014.yaml").rename(root / "pathways" / "cam.yaml")
    with pytest.raises(CatalogueError, match=r"pathways/cam.yaml: id: the file must be named after its id"):
        load_catalogue(root)


def test_unquoted_dates_and_duplicate_keys_are_refused(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    path = root / "pathways" / "us-cam-2014.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('effective_from: "2014-12-01"', "effective_from: 2014-12-01"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="effective_from: write dates in quotes"):
        load_catalogue(root)
    path.write_text(original.replace("kind: resettlement", "kind: resettlement\nkind: parole"), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"us-cam-2014\.yaml: not valid YAML: .*duplicate key 'kind'"):
        load_catalogue(root)


@pytest.mark.parametrize(("change", "key", "says"), [
    (lambda d: d["questions"].append(dict(d["questions"][0])), "questions[27].id", "defined twice"),
    (lambda d: d["questions"][0].update(type="number"), "questions[0].type", "not allowed here"),
    (lambda d: d["questions"][11].pop("values"), "questions[11].values", "lists its values"),
    (lambda d: d["questions"][0].update(minimum=200), "questions[0].maximum", "below the minimum"),
    (lambda d: d["questions"][0].update(colour="x"), "questions[0].colour", "unknown key"),
])
def test_bad_question_bank_names_key(tmp_path: Path, change, key: str, says: str) -> None:  # type: ignore[no-untyped-def]
    error = _load_after(tmp_path, "questions.yaml", change)
    assert (error.file, error.key) == ("questions.yaml", key)
    assert says in error.message


def test_removing_a_question_used_by_a_rule_is_caught(tmp_path: Path) -> None:
    error = _load_after(tmp_path, "questions.yaml", lambda d: d["questions"].pop(4))  # married
    assert error.file.startswith("pathways/us-cam-")
    assert "unknown question 'married'" in error.message


def test_windows_hold_at_their_boundaries(catalogue: Catalogue) -> None:
    one = timedelta(days=1)
    for version in catalogue.all_versions:
        assert version.in_force_on(version.effective_from)
        assert not version.in_force_on(version.effective_from - one)
        if version.effective_to is not None:
            assert version.in_force_on(version.effective_to)
            assert not version.in_force_on(version.effective_to + one)
            following = catalogue.version_for(version.pathway, version.effective_to + one)
            assert following is None or following.effective_from == version.effective_to + one
