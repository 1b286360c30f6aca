"""COPY (query) TO STDOUT in text, csv and binary, through psycopg 3's copy API."""

import pytest

QUERY = "SELECT x, x*2 FROM generate_series(1,1000) g(x)"


def copy_out(conn, statement):
    with conn.cursor() as cur:
        with cur.copy(statement) as copy:
            data = b"".join(bytes(chunk) for chunk in copy)
        # psycopg takes the row count from the CommandComplete tag "COPY n".
        return data, cur.rowcount


def test_copy_text(conn):
    data, row_count = copy_out(conn, f"COPY ({QUERY}) TO STDOUT")
    lines = data.decode().split("\n")
    assert lines[-1] == ""  # every row ends with a newline
    assert lines[:3] == ["1\t2", "2\t4", "3\t6"]
    assert lines[-2] == "1000\t2000"
    assert len(lines) - 1 == 1000
    assert row_count == 1000


def test_copy_csv(conn):
    data, row_count = copy_out(conn, f"COPY ({QUERY}) TO STDOUT WITH (FORMAT csv)")
    lines = data.decode().splitlines()
    assert lines[:2] == ["1,2", "2,4"]
    assert len(lines) == 1000
    assert sum(int(line.split(",")[1]) for line in lines) == 1001000
    assert row_count == 1000


def test_copy_csv_header(conn):
    data, _ = copy_out(conn, "COPY (SELECT 1 AS a, 'x' AS b) TO STDOUT WITH (FORMAT csv, HEADER)")
    assert data == b"a,b\n1,x\n"


def test_copy_text_escapes_and_nulls(conn):
    data, _ = copy_out(conn, r"COPY (SELECT 1, E'a\tb', NULL, 1.5::float8, true, E'back\\slash') TO STDOUT")
    assert data == b"1\ta\\tb\t\\N\t1.5\tt\tback\\\\slash\n"


def test_copy_csv_quoting_and_nulls(conn):
    data, _ = copy_out(conn, "COPY (SELECT 'a,b', NULL, '', 'say \"hi\"', false) TO STDOUT WITH (FORMAT csv)")
    assert data == b'"a,b",,"","say ""hi""",f\n'


def test_copy_binary(conn):
    with conn.cursor() as cur:
        with cur.copy(f"COPY ({QUERY}) TO STDOUT WITH (FORMAT binary)") as copy:
            copy.set_types(["int4", "int4"])
            rows = list(copy.rows())
        assert cur.rowcount == 1000
    assert rows[:2] == [(1, 2), (2, 4)]
    assert len(rows) == 1000
    assert sum(y for _, y in rows) == 1001000


def test_copy_binary_raw_format(conn):
    data, _ = copy_out(conn, "COPY (SELECT 7, NULL::int8, 'hi'::text) TO STDOUT WITH (FORMAT binary)")
    signature = b"PGCOPY\n\xff\r\n\x00"
    header = signature + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"  # flags, extension length
    row = (
        b"\x00\x03"  # field count
        + b"\x00\x00\x00\x04" + b"\x00\x00\x00\x07"  # int4 7
        + b"\xff\xff\xff\xff"  # NULL
        + b"\x00\x00\x00\x02" + b"hi"
    )
    trailer = b"\xff\xff"
    assert data == header + row + trailer


@pytest.mark.parametrize("fmt", ["text", "csv", "binary"])
def test_copy_then_query(conn, fmt):
    copy_out(conn, f"COPY (SELECT 1) TO STDOUT WITH (FORMAT {fmt})")
    assert conn.execute("SELECT 'after copy'").fetchone() == ("after copy",)
