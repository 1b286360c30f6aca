"""One-dimensional arrays: literals, constructors, subscripts, comparisons, ANY/ALL, functions,
and both wire formats. Every expectation holds on PostgreSQL and on Weir."""

import pytest
from conftest import sqlstate_of


@pytest.mark.parametrize("binary", [False, True])
def test_array_columns_in_both_formats(conn, binary):
    cursor = conn.cursor(binary=binary)
    cursor.execute("SELECT ARRAY[1, NULL, 3]::int8[], ARRAY['a,b', 'c\"d', ''], ARRAY[1.5, -2]::float8[], ARRAY[true, false]")
    assert cursor.fetchone() == ([1, None, 3], ["a,b", 'c"d', ""], [1.5, -2.0], [True, False])


@pytest.mark.parametrize(
    ("sql", "sqlstate"),
    [
        ("SELECT '{1,,2}'::int[]", "22P02"),
        ("SELECT '{1,2'::int[]", "22P02"),
        ("SELECT '{x}'::int[]", "22P02"),
        ("SELECT ARRAY[]", "42P18"),
        ("SELECT (1)[1]", "42804"),
        ("SELECT 1 = ANY (1)", "42809"),
        ("SELECT ARRAY['a'] || 'b'", "22P02"),
    ],
)
def test_bad_array_input(conn, sql, sqlstate):
    assert sqlstate_of(conn, sql) == sqlstate
