"""Ages and imprecise dates of birth. Many people carry no documents: a date may be only a year or an
age stated on a given day, so the stored date is a convention and its precision travels with it."""

from __future__ import annotations

import datetime as dt

from .vocab import DobPrecision


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Completed years on `on` (a birthday on 29 February counts from 1 March in common years)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return max(years, 0)


def normalise_dob(date_of_birth: dt.date, precision: DobPrecision) -> dt.date:
    """Store imprecise dates by one convention: month precision -> day 1; year precision -> 1 July."""
    if precision is DobPrecision.MONTH:
        return date_of_birth.replace(day=1)
    if precision is DobPrecision.YEAR:
        return dt.date(date_of_birth.year, 7, 1)
    return date_of_birth


def dob_from_stated_age(age_years: int, stated_on: dt.date) -> dt.date:
    """An estimated date of birth for someone who says they are `age_years` old on `stated_on`.

    The midpoint of the possible range (half a year before the last birthday) minimises the error.
    """
    if not 0 <= age_years <= 130:
        raise ValueError("age must be between 0 and 130 years")
    year = stated_on.year - age_years
    try:
        anchor = stated_on.replace(year=year)
    except ValueError:  # 29 February in a common year
        anchor = dt.date(year, 2, 28)
    return anchor - dt.timedelta(days=182)
