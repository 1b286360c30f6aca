"""What a server answered, and whether two answers agree.

Rows are compared as PostgreSQL's text output, as multisets unless the query orders every output
column. Floating-point values that come out of aggregation may differ in their last bits (the
order of a sum is not defined), so float columns agree within a relative 1e-9 (1e-5 for real),
and -0 with 0; everything else must match to the byte. Errors agree when their SQLSTATE classes (the first two
characters) do; column types must be the same type OIDs.
"""

from __future__ import annotations

import dataclasses
import decimal
import math
import re

import psycopg

import sqllogictest

FLOAT_OIDS = {700: 1e-5, 701: 1e-9}
TIMEOUT_SQLSTATE = "57014"


@dataclasses.dataclass
class Answer:
    sqlstate: str | None = None
    message: str | None = None
    oids: list[int] | None = None
    rows: list[tuple[str | None, ...]] | None = None
    # The connection broke: the server died or dropped it without an error message.
    lost: bool = False

    @property
    def timed_out(self) -> bool:
        return self.sqlstate == TIMEOUT_SQLSTATE

    def describe(self, limit: int = 12) -> str:
        if self.lost:
            return f"connection lost ({self.message})"
        if self.sqlstate:
            return f"ERROR {self.sqlstate}: {self.message}"
        shown = "\n".join("  " + " | ".join("NULL" if v is None else v for v in row) for row in (self.rows or [])[:limit])
        more = f"\n  ... {len(self.rows) - limit} more rows" if self.rows and len(self.rows) > limit else ""
        return f"{len(self.rows or [])} rows, types {self.oids}\n{shown}{more}"


def ask(connection: psycopg.Connection, sql: str) -> Answer:
    """Runs `sql` and keeps every value as the server's text for it."""
    outcome = sqllogictest.execute(connection, sql)
    if outcome.error is not None:
        if outcome.error.sqlstate is None:
            return Answer(lost=True, message=str(outcome.error).strip())
        return Answer(sqlstate=outcome.error.sqlstate, message=outcome.error.diag.message_primary or str(outcome.error))
    return Answer(oids=outcome.column_oids or [], rows=[tuple(row) for row in outcome.rows or []])


def _float_equal(a: str, b: str, tolerance: float) -> bool:
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) or math.isnan(y) or math.isinf(x) or math.isinf(y):
        return False
    # -0 and 0 are equal: which of them min() keeps, or which comes first in order, is the plan's.
    return math.isclose(x, y, rel_tol=tolerance, abs_tol=1e-300)


NUMERIC_OID = 1700
# text and varchar: a numeric cast to text shows the scale it was computed with.
NUMBER_CARRYING_OIDS = {NUMERIC_OID, 25, 1043}
# Compare a numeric column's values by value, not by how many fraction digits they print with.
BY_VALUE = "by value"


def _numeric_equal(a: str, b: str) -> bool:
    try:
        return decimal.Decimal(a) == decimal.Decimal(b)
    except decimal.InvalidOperation:
        return False


def _rows_equal(left: tuple, right: tuple, tolerances: list) -> bool:
    for a, b, tolerance in zip(left, right, tolerances):
        if a == b:
            continue
        if a is None or b is None or tolerance is None:
            return False
        if tolerance == BY_VALUE:
            if not _numeric_equal(a, b):
                return False
        elif not _float_equal(a, b, tolerance):
            return False
    return True


def _sort_key(row: tuple, tolerances: list) -> tuple:
    """A key that sorts rows alike on both sides: floats by value (so values within tolerance of each
    other sort next to each other), numerics by value when compared so, the rest as text."""
    key = []
    for value, tolerance in zip(row, tolerances):
        if value is None:
            key.append((2, 0.0, ""))
        elif tolerance == BY_VALUE:
            try:
                key.append((1, 0.0, str(decimal.Decimal(value).normalize())))
            except decimal.InvalidOperation:
                key.append((1, 0.0, value))
        elif tolerance is not None:
            try:
                number = float(value)
            except ValueError:
                number = math.nan
            # -0 and 0 sort together, as they compare; NaN after every number, as PostgreSQL sorts it.
            key.append((0, number + 0.0, "") if math.isfinite(number) else (1, 0.0, value))
        else:
            key.append((1, 0.0, value))
    return tuple(key)


# Where Weir deliberately differs from PostgreSQL, as docs/sql.md's "Not yet, and deliberate differences" says:
# Weir's error (SQLSTATE and message) on a query PostgreSQL answers, and the reason given there.
KNOWN_GAPS = [
    ("0A000", re.compile(r"cannot convert (NaN|-?Infinity) to numeric"), "numeric has no NaN or Infinity"),
    ("22003", re.compile(r"value overflows numeric format|numeric field overflow|numeric value out of range"), "numeric values over 35 significant digits"),
    ("0A000", re.compile(r"over a window of numeric values without a declared scale"), "window sum and avg of plain numeric values"),
]


# SQL that puts numeric values of different scales into one column (docs/sql.md: each value keeps its
# own scale in PostgreSQL; Weir gives them all the largest).
UNIFYING = re.compile(r"\b(COALESCE|GREATEST|LEAST|CASE|UNION|INTERSECT|EXCEPT)\b")


def known_gap(expected: Answer, actual: Answer, sql: str = "", ordered: bool = False) -> str | None:
    """The documented reason when `actual` is one of Weir's documented differences."""
    if (
        not expected.sqlstate and not actual.sqlstate and not actual.lost and UNIFYING.search(sql)
        and disagreement(expected, actual, ordered, numeric_by_value=True) is None
    ):
        return "numeric values unified into one column take the largest scale"
    if actual.sqlstate is None or expected.lost:
        return None
    for sqlstate, message, reason in KNOWN_GAPS:
        if actual.sqlstate == sqlstate and message.search(actual.message or ""):
            return reason
    return None


def disagreement(expected: Answer, actual: Answer, ordered: bool, numeric_by_value: bool = False) -> str | None:
    """None when `actual` agrees with `expected`; else a one-line kind of difference. With
    `numeric_by_value`, numeric values (and texts that spell numbers) agree when equal however many
    fraction digits they show."""
    if actual.lost:
        return "Weir lost the connection"
    if expected.sqlstate or actual.sqlstate:
        if expected.sqlstate and actual.sqlstate and expected.sqlstate[:2] == actual.sqlstate[:2]:
            return None
        if actual.sqlstate and not expected.sqlstate:
            return f"Weir failed with {actual.sqlstate}, PostgreSQL did not"
        if expected.sqlstate and not actual.sqlstate:
            return f"PostgreSQL failed with {expected.sqlstate}, Weir did not"
        return f"errors differ: PostgreSQL {expected.sqlstate}, Weir {actual.sqlstate}"
    if expected.oids != actual.oids:
        return f"column types differ: PostgreSQL {expected.oids}, Weir {actual.oids}"
    if len(expected.rows) != len(actual.rows):
        return f"row counts differ: PostgreSQL {len(expected.rows)}, Weir {len(actual.rows)}"
    tolerances = [BY_VALUE if oid in NUMBER_CARRYING_OIDS and numeric_by_value else FLOAT_OIDS.get(oid) for oid in expected.oids]
    left, right = expected.rows, actual.rows
    if not ordered:
        left = sorted(left, key=lambda row: _sort_key(row, tolerances))
        right = sorted(right, key=lambda row: _sort_key(row, tolerances))
    for a, b in zip(left, right):
        if not _rows_equal(a, b, tolerances):
            return "rows differ" if not ordered else "rows or their order differ"
    return None


def same_multiset(left: Answer, right: Answer) -> bool:
    """True when two successful answers hold the same rows, in any order."""
    return disagreement(left, right, ordered=False) is None
