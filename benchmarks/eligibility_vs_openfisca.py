"""The eligibility evaluator over a million people, one explained screening, and OpenFisca on the CAM rule.

    .venv/bin/python benchmarks/eligibility_vs_openfisca.py [--people 1000000] [--on 2024-06-03] [--seed 7]

1. Every pathway version in force on the date, over N synthetic answer sets (numpy columns with realistic
   shares and many missing answers; country and enum answers as text, so the timing includes checking and
   coding them): median of 3 runs of `batch`. Then the same evaluation from columns already coded.
2. One explained screening (`screen`: every criterion, its explanation, the questions still needed) for
   one person against one pathway, and the whole menu (`screen_all`): median over many runs.
3. The three requirements of the 2014 Central American Minors (CAM) rule (child unmarried and under 21;
   national of El Salvador, Guatemala or Honduras living there; a parent aged 18+ in the US with an accepted
   status) over the same N people, two ways, both fed the same pre-coded columns: this package's `batch`
   restricted to us-cam-2014, and OpenFisca (openfisca-core, a minimal tax-benefit system defined below with
   a Person entity, the seven input variables, the three criteria and their conjunction as formulas).
   Median of 3; a fresh OpenFisca simulation each run (it caches results). Prints the ratio, and checks that
   both agree on every person whose seven answers are all known. OpenFisca has no "unknown": a missing
   answer becomes the variable's default value, so on the other people the two cannot be compared.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import YEAR
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from corredor.core.eligibility import Catalogue, Column, PreparedColumns, batch, load_catalogue, screen, screen_all
from corredor.core.eligibility.batch import MAY_APPLY, screen_columns
from corredor.core.eligibility.rules import SORTED_COUNTRY_CODES

# --- synthetic answers ----------------------------------------------------------------------------------

NATIONALITIES = {"HN": 25, "GT": 20, "SV": 12, "VE": 12, "MX": 8, "HT": 5, "NI": 5, "CU": 4, "CO": 3, "EC": 2,
                 "IN": 1, "CN": 1, "SN": 1, "BR": 1}
RESIDENCES = {"MX": 55, "OWN": 20, "GT": 8, "CR": 5, "PA": 4, "US": 3, "CO": 2, "CA": 1, "HN": 1, "SV": 1}
# question -> (missing share, how to draw the known values)
ENUM_SHARES = {
    "displacement_cause": {"violence": 30, "armed_conflict": 2, "natural_disaster": 5, "other": 8, "not_displaced": 55},
    "us_petitioner_relationship": {"parent": 25, "step_parent": 3, "legal_guardian": 2, "other": 15, "none": 55},
    "us_petitioner_status": {"citizen": 10, "lpr": 20, "tps": 15, "parole": 10, "deferred_action": 5, "ded": 1,
                             "withholding": 2, "pending_asylum": 15, "pending_u_visa": 2, "pending_t_visa": 1,
                             "other_or_none": 19},
    "cr_refugee_claim_status": {"never_applied": 60, "pending": 25, "denied": 12, "recognised": 3},
    "canada_entry_route": {"us_land_port": 30, "us_between_ports": 20, "other_route": 50},
}
MISSING = {"age": 0.02, "nationality": 0.03, "country_of_residence": 0.05, "unaccompanied_child": 0.10, "married": 0.25,
           "fears_return": 0.30, "at_immediate_risk": 0.60, "displacement_cause": 0.50,
           "crime_victim_or_witness_in_mexico": 0.55, "pending_asylum_claim_mexico": 0.35,
           "date_entered_mexico": 0.45, "us_petitioner_relationship": 0.65, "us_petitioner_status": 0.70,
           "us_petitioner_age": 0.75, "us_petitioner_status_one_year": 0.85, "us_petitioner_application_filed_on": 0.85,
           "h2_nationality_confirmed": 0.92, "date_entered_costa_rica": 0.90, "transited_before_costa_rica": 0.90,
           "cr_refugee_claim_status": 0.88, "cr_refugee_claim_filed_on": 0.92, "cr_refugee_denied_on": 0.92,
           "lived_in_costa_rica_since_claim": 0.92, "canada_entry_route": 0.93, "date_entered_canada": 0.96,
           "family_member_in_canada": 0.90, "holds_canadian_document": 0.90}
YES_SHARE = {"unaccompanied_child": 0.08, "fears_return": 0.70, "at_immediate_risk": 0.20,
             "crime_victim_or_witness_in_mexico": 0.10, "pending_asylum_claim_mexico": 0.25,
             "us_petitioner_status_one_year": 0.60, "h2_nationality_confirmed": 0.30,
             "transited_before_costa_rica": 0.80, "lived_in_costa_rica_since_claim": 0.85,
             "family_member_in_canada": 0.10, "holds_canadian_document": 0.03}
DAYS_BACK = {"date_entered_mexico": 900, "us_petitioner_application_filed_on": 3000, "date_entered_costa_rica": 4000,
             "cr_refugee_claim_filed_on": 5000, "cr_refugee_denied_on": 3000, "date_entered_canada": 400}


def synthetic_answers(catalogue: Catalogue, n: int, on: date, seed: int) -> dict[str, Column]:
    """N answer sets as text/number columns with a known mask, drawn with illustrative corridor shares."""
    rng = np.random.default_rng(seed)

    def pick(shares: dict[str, int]) -> np.ndarray:
        weights = np.array(list(shares.values()), dtype=float)
        return rng.choice(np.array(list(shares)), size=n, p=weights / weights.sum())

    children = rng.random(n) < 0.35
    age = np.where(children, rng.integers(0, 18, n), 18 + rng.triangular(0, 10, 52, n).astype(np.int64))
    nationality = pick(NATIONALITIES)
    residence = pick(RESIDENCES)
    residence = np.where(residence == "OWN", nationality, residence)
    values: dict[str, np.ndarray] = {"age": age, "nationality": nationality, "country_of_residence": residence,
                                     "married": rng.random(n) < np.where(children, 0.02, 0.40),
                                     "us_petitioner_age": rng.integers(20, 65, n)}
    for question, shares in ENUM_SHARES.items():
        values[question] = pick(shares)
    for question, share in YES_SHARE.items():
        values[question] = rng.random(n) < share
    values["unaccompanied_child"] &= children
    on_day = np.datetime64(on, "D")
    for question, days in DAYS_BACK.items():
        values[question] = on_day - rng.integers(0, days, n).astype("timedelta64[D]")
    missing_share = {q: MISSING[q] for q in catalogue.questions}
    return {q: Column(values[q], rng.random(n) >= missing_share[q]) for q in catalogue.questions}


def coded_columns(catalogue: Catalogue, columns: dict[str, Column]) -> dict[str, Column]:
    """The same columns with country and enum text replaced by codes (positions in the question's universe)."""
    coded = {}
    for question, column in columns.items():
        values = column.values
        if values.dtype.kind == "U":
            universe = np.asarray(catalogue.questions.types[question].universe)
            order = np.argsort(universe)
            values = order[np.searchsorted(universe, values, sorter=order)].astype(np.int16)
        coded[question] = Column(values, column.known)
    return coded


# --- OpenFisca: the 2014 CAM rule -----------------------------------------------------------------------

PERIOD = "2015"
Person = build_entity("person", "persons", "A person screened for CAM", is_person=True)
Country = Enum("Country", [(code, code) for code in SORTED_COUNTRY_CODES])


def _enum(name: str, values: tuple[str, ...]) -> type[Enum]:
    return Enum(name, [(v, v) for v in values])


def openfisca_system(catalogue: Catalogue) -> tuple[TaxBenefitSystem, dict[str, type[Enum]]]:
    """A minimal TaxBenefitSystem: the seven inputs, the three CAM 2014 criteria and their conjunction."""
    bank = catalogue.questions
    Relationship = _enum("Relationship", bank["us_petitioner_relationship"].values)
    Status = _enum("Status", bank["us_petitioner_status"].values)
    central_america = [Country[c].index for c in ("SV", "GT", "HN")]
    parents = [Relationship[r].index for r in ("parent", "step_parent")]
    accepted = [Status[s].index for s in ("lpr", "tps", "parole", "deferred_action", "ded", "withholding")]

    def variable(name: str, value_type: type, formula: Callable | None = None, enum: type[Enum] | None = None,
                 default: object = None) -> type[Variable]:
        body: dict[str, object] = {"value_type": value_type, "entity": Person, "definition_period": YEAR,
                                   "label": name}
        if enum is not None:
            body |= {"possible_values": enum, "default_value": default}
        if formula is not None:
            body["formula"] = formula
        return type(name, (Variable,), body)

    def unmarried_under_21(person, period):  # type: ignore[no-untyped-def]
        return (person("age", period) < 21) & ~person("married", period)

    def national_living_in_sv_gt_hn(person, period):  # type: ignore[no-untyped-def]
        nationality = person("nationality", period)
        return np.isin(nationality, central_america) & (person("country_of_residence", period) == nationality)

    def parent_lawfully_present_in_us(person, period):  # type: ignore[no-untyped-def]
        return (np.isin(person("us_petitioner_relationship", period), parents)
                & np.isin(person("us_petitioner_status", period), accepted)
                & (person("us_petitioner_age", period) >= 18))

    def cam_eligible(person, period):  # type: ignore[no-untyped-def]
        return (person("unmarried_under_21", period) & person("national_living_in_sv_gt_hn", period)
                & person("parent_lawfully_present_in_us", period))

    system = TaxBenefitSystem([Person])
    system.add_variables(
        variable("age", int), variable("married", bool), variable("us_petitioner_age", int),
        variable("nationality", Enum, enum=Country, default=Country.US),
        variable("country_of_residence", Enum, enum=Country, default=Country.US),
        variable("us_petitioner_relationship", Enum, enum=Relationship, default=Relationship.none),
        variable("us_petitioner_status", Enum, enum=Status, default=Status.other_or_none),
        variable("unmarried_under_21", bool, unmarried_under_21),
        variable("national_living_in_sv_gt_hn", bool, national_living_in_sv_gt_hn),
        variable("parent_lawfully_present_in_us", bool, parent_lawfully_present_in_us),
        variable("cam_eligible", bool, cam_eligible),
    )
    return system, {"us_petitioner_relationship": Relationship, "us_petitioner_status": Status}


CAM_INPUTS = ("age", "married", "nationality", "country_of_residence", "us_petitioner_relationship",
              "us_petitioner_status", "us_petitioner_age")


def openfisca_cam(system: TaxBenefitSystem, coded: dict[str, Column], n: int) -> np.ndarray:
    """Set the seven inputs (missing answers take OpenFisca's defaults: it has no unknown) and calculate."""
    simulation = SimulationBuilder.build_default_simulation(system, n)
    for name in CAM_INPUTS:
        column = coded[name]
        default = system.get_variable(name).default_value
        fill = default.index if hasattr(default, "index") else default
        simulation.set_input(name, PERIOD, np.where(column.known, column.values, fill).astype(column.values.dtype))
    return np.asarray(simulation.calculate("cam_eligible", PERIOD))


# --- timing ---------------------------------------------------------------------------------------------

def median_time(function: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--on", type=date.fromisoformat, default=date(2024, 6, 3))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n, on = args.people, args.on

    catalogue = load_catalogue()
    start = time.perf_counter()
    columns = synthetic_answers(catalogue, n, on, args.seed)
    print(f"{n:,} synthetic answer sets over {len(columns)} questions, as of {on} "
          f"(generated in {time.perf_counter() - start:.2f} s)")
    known = np.mean([c.known.mean() for c in columns.values()])
    print(f"  answers known: {known:.0%} of all cells; catalogue {catalogue.fingerprint[:12]}")

    # 1. all pathways
    in_force = catalogue.in_force(on)
    seconds, result = median_time(lambda: batch(catalogue, columns, on), 3)
    print(f"\n1. All {len(in_force)} pathway versions in force over {n:,} people (text columns, checked and coded): "
          f"{seconds:.3f} s (median of 3; target < 5 s)")
    coded = coded_columns(catalogue, columns)
    prepared = PreparedColumns(catalogue.questions, coded, on)
    seconds_coded, _ = median_time(lambda: [screen_columns(v, prepared) for v in in_force], 3)
    print(f"   the same from columns already coded: {seconds_coded:.3f} s")
    print(f"   {'pathway':<17} {'version':<22} {'status':<10} {'may apply':>9} {'no':>9} {'more info':>9} "
          f"{'1 answer':>9} {'not open':>9}")
    for pathway, counts in result.counts.items():  # type: ignore[attr-defined]
        version = result[pathway]  # type: ignore[index]
        print(f"   {pathway:<17} {version.version_id:<22} {version.status.state:<10} {counts['may_apply']:>9,} "
              f"{counts['does_not_qualify']:>9,} {counts['need_more_info']:>9,} {counts['one_answer_away']:>9,} "
              f"{counts['not_open']:>9,}")

    # 2. one explained screening
    cam = catalogue.version_for("us-cam", on)
    assert cam is not None
    row = int(np.argmax(result[cam.pathway].outcome == 2))  # type: ignore[index]  # someone who needs more info
    person = {q: (c.values[row].item() if c.values.dtype.kind != "M" else c.values[row].astype(date))
              for q, c in columns.items() if c.known[row]}
    one, explained = median_time(lambda: screen(cam, person, on), 2000)
    menu, _ = median_time(lambda: screen_all(catalogue, person, on), 300)
    print(f"\n2. One explained screening ({cam.id}, {len(cam.criteria)} criteria): {one * 1000:.3f} ms "
          f"(median of 2,000; target < 2 ms); the whole menu ({len(in_force)} pathways): {menu * 1000:.3f} ms")
    print(f"   outcome {explained.outcome}; questions needed: {', '.join(explained.questions_needed) or 'none'}")  # type: ignore[attr-defined]

    # 3. the CAM 2014 rule, this package against OpenFisca
    cam_on = date(2015, 6, 1)
    cam2014 = catalogue.version("us-cam-2014")
    cam_columns = {q: coded[q] for q in CAM_INPUTS}  # both engines get the same seven coded columns
    ours_seconds, ours = median_time(lambda: batch(catalogue, cam_columns, cam_on, versions=[cam2014]), 3)
    system, _ = openfisca_system(catalogue)
    theirs_seconds, theirs = median_time(lambda: openfisca_cam(system, cam_columns, n), 3)
    outcome = ours["us-cam"].outcome  # type: ignore[index]
    all_known = np.logical_and.reduce([coded[q].known for q in CAM_INPUTS])
    agree = ((outcome == MAY_APPLY) == np.asarray(theirs))[all_known]
    print(f"\n3. CAM 2014 rule (3 criteria, 7 inputs) over {n:,} people, the same seven pre-coded columns:")
    print(f"   this package (three-valued; columns checked; outcome, criteria and 'one answer away'): "
          f"{ours_seconds:.3f} s")
    print(f"   OpenFisca {_openfisca_version()} (two-valued; simulation built and inputs set each run): "
          f"{theirs_seconds:.3f} s")
    print(f"   ratio OpenFisca / this package: {theirs_seconds / ours_seconds:.1f}x")
    print(f"   agreement where all 7 answers are known: {int(agree.sum()):,} of {int(all_known.sum()):,} people "
          f"({'all agree' if agree.all() else 'DISAGREE'})")
    unknown = int((outcome == 2).sum())
    print(f"   OpenFisca has no 'unknown': the {unknown:,} people this package marks 'need more information' get a "
          f"yes/no from OpenFisca computed on default values ({int(np.asarray(theirs)[outcome == 2].sum()):,} yes).")


def _openfisca_version() -> str:
    from importlib.metadata import version

    return version("openfisca-core")


if __name__ == "__main__":
    main()
