import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corredor.core.registry import ages, names, text
from corredor.core.registry.vocab import DobPrecision


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
       st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_age_is_never_negative_and_grows_with_time(dob, on):
    age = ages.age_on(dob, on)
    assert age >= 0
    assert ages.age_on(dob, on + dt.timedelta(days=366)) >= age


def test_leap_day_birthday():
    assert ages.age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert ages.age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


def test_imprecise_dates_are_normalised():
    assert ages.normalise_dob(dt.date(1990, 5, 17), DobPrecision.MONTH) == dt.date(1990, 5, 1)
    assert ages.normalise_dob(dt.date(1990, 5, 17), DobPrecision.YEAR) == dt.date(1990, 7, 1)
    assert ages.normalise_dob(dt.date(1990, 5, 17), DobPrecision.EXACT) == dt.date(1990, 5, 17)


@given(st.integers(0, 100), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_estimated_dob_gives_back_the_stated_age(age, on):
    assert ages.age_on(ages.dob_from_stated_age(age, on), on) == age


def test_stated_age_out_of_range():
    with pytest.raises(ValueError):
        ages.dob_from_stated_age(200, dt.date(2026, 1, 1))


@pytest.mark.parametrize(("raw", "folded"), [
    ("María José NÚÑEZ", "maria jose nunez"),
    ("Jean-Baptiste  O'Neil", "jean baptiste o neil"),
    ("Ángel de la Peña", "angel de la pena"),
    ("Q'eqchi'", "q eqchi"),
])
def test_fold(raw, folded):
    assert names.fold(raw) == folded


@given(st.text(max_size=50))
def test_fold_is_idempotent(s):
    assert names.fold(names.fold(s)) == names.fold(s)


def test_document_and_phone_folding():
    assert names.fold_document_number("0801-1990 12345") == names.fold_document_number("0801199012345")
    assert names.fold_phone("+504 9912-3456") == "50499123456"


@pytest.mark.parametrize("good", ["María de los Ángeles", "Jean-Baptiste", "O'Neil", "K'iche'", "Nguyễn", "李"])
def test_real_names_pass(good):
    assert text.name_problem(good, max_length=80) is None


@pytest.mark.parametrize("bad", ["<script>", "Ana\x00", "Ana\u202e", "Juan1", "a" * 81])
def test_hostile_names_fail(bad):
    assert text.name_problem(bad, max_length=80) is not None


def test_free_text_allows_newlines_only_when_asked():
    assert text.free_text_problem("a\nb", max_length=10) is not None
    assert text.free_text_problem("a\nb", max_length=10, allow_newlines=True) is None
