"""A statement prepared once and executed many times (psycopg's prepare=True, pgjdbc past its
prepareThreshold, SQL PREPARE/EXECUTE) reads each table as it is at each execution, on both
servers: rows other sessions commit in between are seen, and a table whose columns changed makes
a `SELECT *` fail with PostgreSQL's 0A000 instead of answering with the old columns."""

import uuid

import psycopg
import pytest


@pytest.fixture
def table(server, conn):
    name = f"tpch.p_{uuid.uuid4().hex[:10]}"
    conn.execute(f"CREATE TABLE {name} (id integer, name text)")
    conn.execute(f"INSERT INTO {name} VALUES (1, 'one')")
    yield name
    conn.execute(f"DROP TABLE IF EXISTS {name}")


def test_protocol_prepared_statement_sees_later_commits(server, conn, table):
    query = f"SELECT count(*), max(id) FROM {table} WHERE id > %s"
    assert conn.execute(query, [0], prepare=True).fetchone() == (1, 1)
    with server.connect(autocommit=True) as other:
        other.execute(f"INSERT INTO {table} VALUES (2, 'two'), (3, 'three')")
    assert conn.execute(query, [0], prepare=True).fetchone() == (3, 3)
    assert conn.execute(query, [2], prepare=True).fetchone() == (1, 3)
    # The same session's own DELETE is seen too.
    conn.execute(f"DELETE FROM {table} WHERE id = 3")
    assert conn.execute(query, [0], prepare=True).fetchone() == (2, 2)


def test_sql_prepared_statement_sees_later_commits(server, conn, table):
    conn.execute(f"PREPARE names_over(int) AS SELECT name FROM {table} WHERE id > $1 ORDER BY id")
    assert conn.execute("EXECUTE names_over(0)").fetchall() == [("one",)]
    with server.connect(autocommit=True) as other:
        other.execute(f"INSERT INTO {table} VALUES (4, 'four')")
    assert conn.execute("EXECUTE names_over(0)").fetchall() == [("one",), ("four",)]
    conn.execute("DEALLOCATE names_over")


def test_prepared_insert_and_update_see_the_current_table(server, conn, table):
    for n in range(5, 9):
        conn.execute(f"INSERT INTO {table} VALUES (%s, %s)", [n, f"n{n}"], prepare=True)
    for n in range(5, 9):
        conn.execute(f"UPDATE {table} SET name = upper(name) WHERE id = %s", [n], prepare=True)
    assert conn.execute(f"SELECT id, name FROM {table} WHERE id >= 5 ORDER BY id").fetchall() == [
        (5, "N5"), (6, "N6"), (7, "N7"), (8, "N8"),
    ]


def test_changed_columns_refuse_a_prepared_star(server, conn, table):
    query = f"SELECT * FROM {table} WHERE id = %s"
    assert conn.execute(query, [1], prepare=True).fetchone() == (1, "one")
    with server.connect(autocommit=True) as other:
        other.execute(f"ALTER TABLE {table} ADD COLUMN note text")
    with pytest.raises(psycopg.Error) as failure:
        conn.execute(query, [1], prepare=True)
    assert failure.value.sqlstate == "0A000"
    assert "cached plan must not change result type" in str(failure.value)
    # The session goes on, and a newly prepared statement sees the new column.
    assert conn.execute(query, [1], prepare=False).fetchone() == (1, "one", None)
