"""Custody: populations held in custody, legal clock rules as data, clocks across transfers, timelines."""
