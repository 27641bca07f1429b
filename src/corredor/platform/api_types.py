"""Bounded query parameters shared by the API routers (unbounded offsets overflow the database)."""

from typing import Annotated

from pydantic import Field

Limit = Annotated[int, Field(ge=1, le=500)]
Offset = Annotated[int, Field(ge=0, le=10_000_000)]
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]  # a database id: anything larger cannot exist (and would
# overflow the driver rather than simply not match)
