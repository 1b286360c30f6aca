"""One-dimensional arrays: literals, constructors, subscripts, comparisons, ANY/ALL, functions,
and both wire formats. Every expectation holds on PostgreSQL and on Weir."""

import pytest
from conftest import sqlstate_of

CASES = [
    ("SELECT '{1,2,NULL}'::int[]", [1, 2, None]),
    ("SELECT '{a,\"b c\",\"NULL\",NULL}'::text[]", ["a", "b c", "NULL", None]),
    ("SELECT '{}'::int8[]", []),
    ("SELECT ARRAY[1, 2, 3]", [1, 2, 3]),
    ("SELECT ARRAY['x', 'y']", ["x", "y"]),
    ("SELECT ARRAY[]::integer[]", []),
    ("SELECT (ARRAY[10, 20, 30])[2]", 20),
    ("SELECT (ARRAY[10, 20, 30])[4]", None),
    ("SELECT ('{5,6}'::int[])[0]", None),
    ("SELECT ARRAY[1, 2] = '{1,2}'", True),
    ("SELECT ARRAY[1, 2] < ARRAY[1, 3]", True),
    ("SELECT ARRAY[1, 2] < ARRAY[1, 2, 0]", True),
    ("SELECT 2 = ANY (ARRAY[1, 2])", True),
    ("SELECT 3 = ANY ('{1,2}')", False),
    ("SELECT 3 = ANY (ARRAY[1, NULL])", None),
    ("SELECT 3 <> ALL (ARRAY[1, 2])", True),
    ("SELECT 3 <> ALL (ARRAY[1, NULL])", None),
    ("SELECT 1 = ANY ('{}'::int[])", False),
    ("SELECT 1 = ALL ('{}'::int[])", True),
    ("SELECT 'abc' LIKE ANY (ARRAY['a%', 'x'])", True),
    ("SELECT array_to_string(ARRAY[1, NULL, 3], ',')", "1,3"),
    ("SELECT array_to_string(ARRAY[1, NULL, 3], ',', '*')", "1,*,3"),
    ("SELECT array_to_string(ARRAY[DATE '2024-02-29'], ';')", "2024-02-29"),
    ("SELECT array_length(ARRAY[1, 2], 1)", 2),
    ("SELECT array_length('{}'::int[], 1)", None),
    ("SELECT array_upper(ARRAY['a', 'b', 'c'], 1)", 3),
    ("SELECT array_lower(ARRAY['a'], 1)", 1),
    ("SELECT cardinality('{}'::int[])", 0),
    ("SELECT ARRAY[1, 2] || ARRAY[3]", [1, 2, 3]),
    ("SELECT ARRAY['a'] || 'b'::text", ["a", "b"]),
    ("SELECT 0 || ARRAY[1]", [0, 1]),
    ("SELECT ARRAY(SELECT x * 2 FROM generate_series(1, 3) AS g(x))", [2, 4, 6]),
    ("SELECT count(*) FROM unnest(ARRAY[1, 2, 3]) AS u(x) WHERE x > 1", 2),
    ("SELECT string_agg(x, '-') FROM unnest('{p,q}'::text[]) x", "p-q"),
]


@pytest.mark.parametrize(("sql", "expected"), CASES)
def test_array_expression(conn, sql, expected):
    assert conn.execute(sql).fetchone()[0] == expected


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
