"""Queries over the TPC-H tables both servers hold (Iceberg in Weir, plain tables in PostgreSQL).

run-compat.sh loads the same generated rows into both. Each query runs on PostgreSQL first, whose
answer is the expectation, then on the server under test; column names, type OIDs and rows
(as a multiset when the query has no ORDER BY) must match.
"""

import os
from collections import Counter

import psycopg
import pytest

QUERIES = [
    "SELECT * FROM tpch.region",
    "SELECT n_nationkey, n_name FROM tpch.nation WHERE n_regionkey = 3",
    "SELECT r_name, r_comment FROM tpch.region AS r WHERE r.r_regionkey = 2",
    "SELECT l_orderkey, l_linenumber, l_quantity, l_extendedprice * (1 - l_discount) AS net, l_shipdate "
    "FROM tpch.lineitem WHERE l_shipdate >= DATE '1998-08-01' AND l_returnflag = 'R'",
    "SELECT o_orderkey, o_totalprice, o_orderdate, o_orderpriority FROM tpch.orders WHERE o_totalprice > 400000",
    "SELECT c_custkey, c_name, c_acctbal FROM tpch.customer WHERE c_mktsegment = 'BUILDING' AND c_acctbal < 0",
    "SELECT p_partkey, p_name, p_retailprice FROM tpch.part "
    "WHERE p_size BETWEEN 1 AND 3 AND p_brand IN ('Brand#12', 'Brand#23')",
    "SELECT ps_partkey, ps_suppkey, ps_availqty, ps_supplycost * ps_availqty AS value FROM tpch.partsupp "
    "WHERE ps_availqty < 20",
    "SELECT s_suppkey, s_name FROM tpch.supplier LIMIT 0",
    "SELECT l_orderkey, l_comment FROM tpch.lineitem WHERE l_orderkey = 7 AND l_linenumber <= 3",
    # joins
    "SELECT n_name, r_name FROM tpch.nation JOIN tpch.region ON n_regionkey = r_regionkey",
    "SELECT n.n_name, r.r_name FROM tpch.nation n, tpch.region r WHERE n.n_regionkey = r.r_regionkey AND r.r_name = 'ASIA'",
    "SELECT * FROM tpch.region r LEFT JOIN tpch.nation n ON n.n_regionkey = r.r_regionkey AND n.n_name LIKE 'I%'",
    "SELECT r_name, n_name FROM tpch.nation n RIGHT JOIN tpch.region r ON n.n_regionkey = r.r_regionkey AND n.n_nationkey < 3",
    "SELECT a.n_name, b.n_name FROM tpch.nation a FULL JOIN tpch.nation b ON a.n_nationkey = b.n_nationkey + 20",
    "SELECT * FROM (SELECT n_nationkey AS k, n_name FROM tpch.nation) AS a JOIN (SELECT n_nationkey AS k, n_comment FROM tpch.nation) AS b USING (k)",
    "SELECT o_orderkey, o_orderdate, l_linenumber, l_quantity FROM tpch.orders, tpch.lineitem "
    "WHERE o_orderkey = l_orderkey AND o_orderdate < DATE '1992-01-10'",
    "SELECT c_name, o_orderkey, l_extendedprice FROM tpch.customer JOIN tpch.orders ON c_custkey = o_custkey "
    "JOIN tpch.lineitem ON l_orderkey = o_orderkey WHERE c_nationkey = 7 AND l_quantity > 49",
    "SELECT r1.r_name, r2.r_name FROM tpch.region r1 CROSS JOIN tpch.region r2 WHERE r1.r_regionkey < r2.r_regionkey",
    "SELECT s_name, n_name FROM tpch.supplier JOIN tpch.nation ON s_nationkey = n_nationkey AND s_acctbal > n_nationkey * 400",
]


def run(connection: psycopg.Connection, sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        columns = [(column.name, column.type_code) for column in cursor.description]
        return columns, cursor.fetchall()


@pytest.fixture(scope="module")
def reference():
    dsn = os.environ.get("PG_DSN")
    if not dsn:
        pytest.skip("PG_DSN is not set: PostgreSQL's answers are the expectations")
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield lambda sql: run(connection, sql)


@pytest.mark.parametrize("sql", QUERIES)
def test_query_matches_postgres(server, reference, sql):
    expected_columns, expected_rows = reference(sql)
    with server.connect() as connection:
        columns, rows = run(connection, sql)
    assert columns == expected_columns
    assert Counter(rows) == Counter(expected_rows)
    assert len(rows) == len(expected_rows)


def test_full_table_streams_every_row(server, reference):
    _, expected = reference("SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber FROM tpch.lineitem")
    with server.connect() as connection:
        _, rows = run(connection, "SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber FROM tpch.lineitem")
    assert len(rows) == len(expected) > 50_000
    assert Counter(rows) == Counter(expected)


@pytest.mark.parametrize(
    ("sql", "sqlstate", "message"),
    [
        ("SELECT * FROM tpch.no_such_table", "42P01", 'relation "tpch.no_such_table" does not exist'),
        ("SELECT * FROM no_such_schema.region", "42P01", 'relation "no_such_schema.region" does not exist'),
        ("SELECT no_such_column FROM tpch.region", "42703", 'column "no_such_column" does not exist'),
    ],
)
def test_missing_objects_are_reported(conn, sql, sqlstate, message):
    with pytest.raises(psycopg.Error) as failure:
        conn.execute(sql)
    assert failure.value.sqlstate == sqlstate
    assert failure.value.diag.message_primary == message
