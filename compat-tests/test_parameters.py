"""Bound parameters: psycopg 3 server-side binding and asyncpg prepared statements."""

import asyncio
import datetime
from decimal import Decimal

import asyncpg
import pytest


def test_psycopg_auto_format_param(conn):
    assert conn.execute("SELECT %s::int + 1", [41]).fetchone() == (42,)


def test_psycopg_text_param(conn):
    assert conn.execute("SELECT %t::int + 1", [41]).fetchone() == (42,)


def test_psycopg_binary_param(conn):
    assert conn.execute("SELECT %b::int + 1", [41]).fetchone() == (42,)


def test_psycopg_untyped_param_takes_context_type(conn):
    assert conn.execute("SELECT %s + 1", [41]).fetchone() == (42,)
    assert conn.execute("SELECT %s || 'b'", ["a"]).fetchone() == ("ab",)


@pytest.mark.parametrize("placeholder", ["%t", "%b"])
def test_psycopg_typed_params_with_binary_results(conn, placeholder):
    p = placeholder
    cur = conn.cursor(binary=True)
    cur.execute(
        f"SELECT {p}::int4 + 1, {p}::int8 * 2, {p}::float8 / 2, {p}::text || '!', NOT {p}::bool",
        [41, 2**40, 5.0, "hi", False],
    )
    assert cur.fetchone() == (42, 2**41, 2.5, "hi!", True)


@pytest.mark.parametrize("placeholder", ["%t", "%b"])
def test_psycopg_numeric_param(conn, placeholder):
    cur = conn.cursor(binary=placeholder == "%b")
    cur.execute(f"SELECT {placeholder}::numeric + 1", [Decimal("1.25")])
    assert cur.fetchone() == (Decimal("2.25"),)


@pytest.mark.parametrize("placeholder", ["%t", "%b"])
def test_psycopg_null_date_and_timestamp_params(conn, placeholder):
    p = placeholder
    row = conn.execute(
        f"SELECT {p}::int IS NULL, {p}::date, {p}::timestamp",
        [None, datetime.date(2024, 2, 29), datetime.datetime(2024, 1, 2, 3, 4, 5)],
    ).fetchone()
    assert row == (True, datetime.date(2024, 2, 29), datetime.datetime(2024, 1, 2, 3, 4, 5))


def test_psycopg_named_prepared_statement_reused(conn):
    # prepare=True makes psycopg Parse a named statement once and Bind it every time.
    results = [conn.execute("SELECT %s::int * 2", [n], prepare=True).fetchone()[0] for n in range(6)]
    assert results == [0, 2, 4, 6, 8, 10]


def test_psycopg_executemany(conn):
    cur = conn.cursor()
    cur.executemany("SELECT %s::int * 10", [(1,), (2,), (3,)], returning=True)
    results = []
    while True:
        results.append(cur.fetchone()[0])
        if not cur.nextset():
            break
    assert results == [10, 20, 30]


def run(server, body):
    async def main():
        connection = await asyncpg.connect(
            host=server.host, port=server.port, user=server.user,
            password=server.password, database=server.dbname, timeout=10,
        )
        try:
            return await body(connection)
        finally:
            await connection.close()

    return asyncio.run(main())


def test_asyncpg_prepared_statement(server):
    async def body(connection):
        statement = await connection.prepare(
            "SELECT $1::int4 + 1 AS a, $2::int8 * 2 AS b, $3::float8 / 2 AS c, $4::text || '!' AS d, NOT $5::bool AS e"
        )
        parameters = [t.name for t in statement.get_parameters()]
        columns = [(a.name, a.type.name) for a in statement.get_attributes()]
        first = await statement.fetchrow(41, 2**40, 5.0, "hi", False)
        second = await statement.fetchrow(-1, 0, 0.0, "", True)
        return parameters, columns, tuple(first), tuple(second)

    parameters, columns, first, second = run(server, body)
    assert parameters == ["int4", "int8", "float8", "text", "bool"]
    assert columns == [("a", "int4"), ("b", "int8"), ("c", "float8"), ("d", "text"), ("e", "bool")]
    assert first == (42, 2**41, 2.5, "hi!", True)
    assert second == (0, 0, 0.0, "!", False)


def test_asyncpg_fetch_helpers(server):
    async def body(connection):
        value = await connection.fetchval("SELECT $1::int * 2", 21)
        is_null = await connection.fetchval("SELECT $1::text IS NULL", None)
        rows = await connection.fetch("SELECT x, x::float8 / 2 AS half FROM generate_series(1, $1) AS g(x)", 1000)
        plain = await connection.fetchrow("SELECT 1 AS one, 'two' AS two, 3.5::float8 AS three, NULL::bool AS four")
        return value, is_null, rows, plain

    value, is_null, rows, plain = run(server, body)
    assert value == 42
    assert is_null is True
    assert len(rows) == 1000
    assert sum(r["x"] for r in rows) == 500500
    assert rows[-1]["half"] == 500.0
    assert dict(plain) == {"one": 1, "two": "two", "three": 3.5, "four": None}


def test_asyncpg_error_then_reuse(server):
    async def body(connection):
        with pytest.raises(asyncpg.DivisionByZeroError) as failure:
            await connection.fetchval("SELECT $1::int / 0", 1)
        assert failure.value.sqlstate == "22012"
        with pytest.raises(asyncpg.PostgresSyntaxError):
            await connection.prepare("SELEC $1")
        return await connection.fetchval("SELECT $1::int + 1", 1)

    assert run(server, body) == 2


def test_asyncpg_cursor_fetches_in_chunks(server):
    """asyncpg cursors Execute the portal with a row limit: PortalSuspended, then resume."""

    async def body(connection):
        async with connection.transaction():
            seen = []
            async for record in connection.cursor("SELECT x FROM generate_series(1, $1) AS g(x)", 2500, prefetch=100):
                seen.append(record["x"])
            cursor = await connection.cursor("SELECT x * 10 FROM generate_series(1, 10) AS g(x)")
            first = await cursor.fetch(3)
            second = await cursor.fetch(4)
            return seen, [r[0] for r in first], [r[0] for r in second]

    seen, first, second = run(server, body)
    assert seen == list(range(1, 2501))
    assert first == [10, 20, 30]
    assert second == [40, 50, 60, 70]


def test_asyncpg_introspects_array_types(server):
    """asyncpg looks up types it has no codec for (int8[], name[]) with a WITH RECURSIVE catalog
    query over pg_type, pg_namespace, pg_attribute and pg_range, after set_config('jit', ...)."""

    async def body(connection):
        row = await connection.fetchrow(
            "SELECT ARRAY[1, NULL, 3]::int8[] AS a, current_schemas(true) AS s, $1::int8[] AS p", [5, None]
        )
        return dict(row)

    assert run(server, body) == {"a": [1, None, 3], "s": ["pg_catalog", "public"], "p": [5, None]}
