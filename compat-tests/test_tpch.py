"""The 22 TPC-H queries (standard text, validation parameters, PostgreSQL syntax) on the TPC-H
tables both servers hold, compared with PostgreSQL's answers row by row.

Every value must be equal, numerics down to the digits printed (`1.50` is not `1.5`).
"""

from decimal import Decimal
from pathlib import Path

import pytest

QUERIES = sorted((Path(__file__).parent / "tpch").glob("q*.sql"))
GAPS: dict[str, str] = {}


def printed(value):
    """Decimals compare by their text, so the scale PostgreSQL shows must match too."""
    return str(value) if isinstance(value, Decimal) else value


def same_rows(rows, expected):
    if len(rows) != len(expected):
        return False
    for row, reference in zip(rows, expected):
        if len(row) != len(reference):
            return False
        for value, other in zip(row, reference):
            if printed(value) != printed(other):
                return False
    return True


@pytest.mark.parametrize(
    "path",
    [pytest.param(path, id=path.stem, marks=[pytest.mark.weir_gap(GAPS[path.stem])] if path.stem in GAPS else []) for path in QUERIES],
)
def test_tpch_query_matches_postgres(server, postgres_oracle, path):
    sql = path.read_text()
    cursor = postgres_oracle.execute(sql)
    expected = cursor.fetchall()
    expected_names = [column.name for column in cursor.description]
    with server.connect() as connection:
        cursor = connection.execute(sql)
        rows = cursor.fetchall()
        names = [column.name for column in cursor.description]
    assert names == expected_names
    assert same_rows(rows, expected), f"first rows: {rows[:3]} != {expected[:3]}"


def test_all_22_queries_are_here():
    assert [path.stem for path in QUERIES] == [f"q{number:02d}" for number in range(1, 23)]
