"""The command tags of INSERT / UPDATE / DELETE / MERGE with joins and RETURNING, on both servers:
drivers read the row count from the tag (psycopg's rowcount, JDBC's update count), so it must be
the number of rows changed, each counted once, whatever the join produced."""

import uuid

import pytest


@pytest.fixture
def tables(conn):
    suffix = uuid.uuid4().hex[:10]
    target, source = f"tpch.rt_{suffix}", f"tpch.rs_{suffix}"
    conn.execute(f"CREATE TABLE {target} (id integer, v text)")
    conn.execute(f"CREATE TABLE {source} (id integer, v text)")
    conn.execute(f"INSERT INTO {target} SELECT g, 'old' FROM generate_series(1, 6) g")
    # Row 2 of the target has two matching source rows; 9 has none in the target.
    conn.execute(f"INSERT INTO {source} VALUES (2, 'a'), (2, 'a'), (3, 'b'), (9, 'c')")
    yield target, source
    conn.execute(f"DROP TABLE IF EXISTS {target}, {source}")


def status(conn, sql):
    cursor = conn.execute(sql)
    return cursor.statusmessage, cursor.rowcount


def test_joined_changes_count_each_row_once(conn, tables):
    target, source = tables
    assert status(conn, f"UPDATE {target} t SET v = s.v FROM {source} s WHERE s.id = t.id") == ("UPDATE 2", 2)
    assert status(conn, f"DELETE FROM {target} t USING {source} s WHERE s.id = t.id AND s.v = 'a'") == ("DELETE 1", 1)
    assert status(conn, f"DELETE FROM {target} WHERE id > 100") == ("DELETE 0", 0)


def test_returning_rows_and_tags(conn, tables):
    target, _ = tables
    cursor = conn.execute(f"INSERT INTO {target} VALUES (7, 'new'), (8, 'new') RETURNING id")
    assert (cursor.statusmessage, sorted(cursor.fetchall())) == ("INSERT 0 2", [(7,), (8,)])
    cursor = conn.execute(f"UPDATE {target} SET v = v || '!' WHERE id >= 7 RETURNING v")
    assert (cursor.statusmessage, cursor.fetchall()) == ("UPDATE 2", [("new!",), ("new!",)])
    cursor = conn.execute(f"DELETE FROM {target} WHERE id = 8 RETURNING *")
    assert (cursor.statusmessage, cursor.fetchall()) == ("DELETE 1", [(8, "new!")])


def test_merge_counts_updated_deleted_and_inserted_rows(conn, tables):
    target, source = tables
    merge = (
        f"MERGE INTO {target} t USING (SELECT DISTINCT id, v FROM {source}) s ON t.id = s.id "
        "WHEN MATCHED AND s.v = 'b' THEN DELETE WHEN MATCHED THEN UPDATE SET v = s.v "
        "WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v)"
    )
    assert status(conn, merge) == ("MERGE 3", 3)
    assert conn.execute(f"SELECT id, v FROM {target} WHERE v <> 'old' ORDER BY id").fetchall() == [(2, "a"), (9, "c")]
