"""COPY table FROM STDIN in text, CSV and binary, through psycopg 3's copy API and psql, against
both servers: the rows that land, the command tag, and the errors a bad row gives (after which the
session keeps working and the table is unchanged)."""

import datetime
import decimal
import subprocess
import uuid

import psycopg
import pytest

from conftest import pg_tool

COLUMNS = "id integer NOT NULL, name text, price numeric(10,2), day date, at timestamp, ok boolean, ratio double precision"
EXPECTED = [
    (1, "plain", decimal.Decimal("1.50"), datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4, 5), True, 0.25),
    (2, "tab\there, new\nline, back\\slash", None, None, None, False, None),
    (3, "", decimal.Decimal("-0.01"), datetime.date(1999, 12, 31), datetime.datetime(2000, 1, 1), None, -1.5),
]


@pytest.fixture
def table(conn):
    name = f"tpch.c_{uuid.uuid4().hex[:10]}"
    conn.execute(f"CREATE TABLE {name} ({COLUMNS})")
    yield name
    conn.execute(f"DROP TABLE IF EXISTS {name}")


def rows(conn, table):
    return conn.execute(f"SELECT id, name, price, day, at, ok, ratio FROM {table} ORDER BY id").fetchall()


def copy_in(conn, statement, data: bytes):
    with conn.cursor() as cursor:
        with cursor.copy(statement) as copy:
            # Small pieces, so rows and quoted fields span CopyData messages.
            for start in range(0, len(data), 7):
                copy.write(data[start : start + 7])
        return cursor.rowcount


def test_copy_text_with_escapes_and_nulls(conn, table):
    data = (
        b"1\tplain\t1.50\t2024-01-02\t2024-01-02 03:04:05\tt\t0.25\n"
        b"2\ttab\\there, new\\nline, back\\\\slash\t\\N\t\\N\t\\N\tf\t\\N\n"
        b"3\t\t-0.01\t1999-12-31\t2000-01-01 00:00:00\t\\N\t-1.5\n"
    )
    assert copy_in(conn, f"COPY {table} FROM STDIN", data) == 3
    assert rows(conn, table) == EXPECTED


def test_copy_csv_with_header_quotes_and_a_column_list(conn, table):
    data = (
        b"name,id,ratio\n"
        b'"a, quoted ""name""",10,1e-3\n'
        b'"multi\nline",11,\n'
        b',12,2\n'
        b'"",13,3\n'
    )
    assert copy_in(conn, f"COPY {table} (name, id, ratio) FROM STDIN WITH (FORMAT csv, HEADER)", data) == 4
    assert conn.execute(f"SELECT id, name, ratio, price FROM {table} ORDER BY id").fetchall() == [
        (10, 'a, quoted "name"', 0.001, None),
        (11, "multi\nline", None, None),
        (12, None, 2.0, None),
        (13, "", 3.0, None),
    ]


def test_copy_binary_rows_written_by_psycopg(conn, table):
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table} FROM STDIN WITH (FORMAT binary)") as copy:
            copy.set_types(["int4", "text", "numeric", "date", "timestamp", "bool", "float8"])
            for row in EXPECTED:
                copy.write_row(row)
        assert cursor.rowcount == 3
    assert rows(conn, table) == EXPECTED


def test_many_rows(conn, table):
    data = b"".join(f"{n}\tname {n}\t{n}.25\t\\N\t\\N\tt\t{n / 4}\n".encode() for n in range(20000))
    assert copy_in(conn, f"COPY {table} FROM STDIN", data) == 20000
    assert conn.execute(f"SELECT count(*), sum(id), sum(price), count(DISTINCT name) FROM {table}").fetchone() == (
        20000, 199990000, decimal.Decimal("199995000.00"), 20000,
    )


@pytest.mark.parametrize(
    "statement, data, sqlstate",
    [
        ("COPY {t} FROM STDIN", b"1\tx\n", "22P04"),
        ("COPY {t} FROM STDIN", b"1\tx\t1\t2024-01-01\t2024-01-01\tt\t1\textra\n", "22P04"),
        ("COPY {t} FROM STDIN", b"one\tx\t1\t2024-01-01\t2024-01-01\tt\t1\n", "22P02"),
        ("COPY {t} FROM STDIN", b"\\N\tx\t1\t2024-01-01\t2024-01-01\tt\t1\n", "23502"),
        ("COPY {t} FROM STDIN WITH (FORMAT csv)", b'1,"open quote\n', "22P04"),
        ("COPY {t} (id, nope) FROM STDIN", b"", "42703"),
    ],
)
def test_bad_rows_store_nothing(conn, table, statement, data, sqlstate):
    conn.execute(f"INSERT INTO {table} (id) VALUES (99)")
    with pytest.raises(psycopg.Error) as raised:
        copy_in(conn, statement.format(t=table), data)
    assert raised.value.sqlstate == sqlstate
    assert conn.execute(f"SELECT id FROM {table}").fetchall() == [(99,)]


def test_psql_copy_from_stdin(server, table):
    script = f"COPY {table} (id, name) FROM STDIN;\n7\tseven\n8\teight\n\\.\nSELECT string_agg(name, ',' ORDER BY id) FROM {table};\n"
    result = subprocess.run(
        [pg_tool("psql"), server.dsn_with(), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"],
        input=script, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "seven,eight"
