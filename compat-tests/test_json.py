"""json and jsonb values: json keeps the text it was given once it parses, jsonb prints its normal
form; both formats and both kinds of parameters. Every expectation holds on PostgreSQL and on Weir."""

import psycopg
import pytest
from conftest import sqlstate_of
from psycopg.types.json import Json, Jsonb


@pytest.mark.parametrize("binary", [False, True])
def test_json_results_in_both_formats(conn, binary):
    cursor = conn.cursor(binary=binary)
    cursor.execute("""SELECT '{"b": [1, 2.5], "a": null}'::jsonb, '{"z": 1}'::json""")
    assert cursor.fetchone() == ({"a": None, "b": [1, 2.5]}, {"z": 1})


@pytest.mark.parametrize("placeholder", ["%t", "%b"])
def test_json_parameters(conn, placeholder):
    cursor = conn.cursor()
    cursor.execute(f"SELECT {placeholder}::text, {placeholder}::text", [Jsonb({"b": 1, "a": [True]}), Json({"b": 1, "a": 2})])
    assert cursor.fetchone() == ('{"a": [true], "b": 1}', '{"b": 1, "a": 2}')


@pytest.mark.parametrize(
    ("sql", "sqlstate"),
    [
        ("SELECT '{bad'::json", "22P02"),
        ("SELECT '[1,2'::jsonb", "22P02"),
        ("SELECT '01'::jsonb", "22P02"),
        ("""SELECT '"\\u0000"'::jsonb""", "22P05"),
        ("SELECT 'x'::text::json", "22P02"),
    ],
)
def test_bad_json_input(conn, sql, sqlstate):
    assert sqlstate_of(conn, sql) == sqlstate
